"""The profile authors' toolkit: validate formats, strict mode, schema, scaffold, scenario runner."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

from govrules.cli import main
from govrules.scaffold import profile_schema, scaffold
from govrules.validate import check_file

from .conftest import FIXTURES, ROOT

INVALID = FIXTURES / "invalid"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_validate_github_annotations() -> None:
    code, out, _ = run("validate", "--format", "github", str(INVALID / "misspelt_role.yaml"))
    assert code == 1
    first = out.splitlines()[0]
    assert first == (
        f"::error file={INVALID / 'misspelt_role.yaml'},line=30,col=24,title=GR022::"
        "unknown role `exectuive_vice_mayor` (did you mean `executive_vice_mayor`?)"
    )
    code, out, _ = run("validate", "--format", "github", str(FIXTURES / "valid" / "sample.yaml"))
    assert code == 0
    assert out.splitlines()[0].startswith("::notice file=")  # gaps are notices


def test_strict_makes_warnings_fail() -> None:
    path = str(INVALID / "unused_role.yaml")
    assert run("validate", path)[0] == 0
    code, out, _ = run("validate", "--strict", path)
    assert code == 1
    assert "GR052 warning: role `spokesperson`" in out
    code, out, _ = run("validate", "--strict", "--format", "json", path)
    payload = json.loads(out)
    assert (payload["valid"], payload["counts"]["warning"]) == (False, 1)


def test_every_file_is_checked_and_every_diagnostic_reported() -> None:
    files = sorted(INVALID.glob("*.yaml"))
    code, out, _ = run("validate", "--format", "json", *map(str, files))
    assert code == 2  # one of them cannot be read (not UTF-8): that is a usage error, and still all are checked
    payload = json.loads(out)
    reported = {d["file"] for d in payload["diagnostics"] if d["severity"] != "info"}
    assert reported == {str(f) for f in files}


def test_bundled_profiles_are_valid_even_when_strict() -> None:
    code, out, _ = run("validate", "--strict", *map(str, sorted((ROOT / "profiles").glob("*.yaml"))))
    assert code == 0, out


def test_schema_matches_the_model_and_forbids_unknown_keys() -> None:
    schema = profile_schema()
    assert schema["title"] == "govrules profile"
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "profile",
        "roles",
        "signing",
        "seals",
        "substitution",
        "approvals",
        "deadlines",
        "meetings",
        "compliance",
    }
    code, out, _ = run("schema")
    assert code == 0
    assert json.loads(out) == json.loads(json.dumps(schema))


def test_bundled_profiles_validate_against_the_json_schema() -> None:
    jsonschema = __import__("importlib").util.find_spec("jsonschema")
    if jsonschema is None:
        return  # the schema's shape is checked above; jsonschema is optional
    import jsonschema as js  # type: ignore[import-untyped]
    import yaml

    validator = js.Draft202012Validator(profile_schema())
    for path in sorted((ROOT / "profiles").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))
        assert not list(validator.iter_errors(data)), path.name


def test_new_scaffolds_a_valid_profile(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    code, _out, _ = run("new", "anytown")
    assert code == 0
    spec, diagnostics = check_file(tmp_path / "anytown.yaml")
    assert spec is not None
    assert [d for d in diagnostics if d.severity != "info"] == []
    assert run("new", "anytown")[0] == 2  # never overwrites
    assert run("new", "Any Town")[0] == 2
    assert "signing: []" in scaffold("x")


def test_govrules_test_runs_scenarios_and_reports_failures(tmp_path: Path) -> None:
    code, out, _ = run("test", "--quiet", str(ROOT / "tests" / "scenarios" / "jining"))
    assert code == 0
    assert out.strip().splitlines()[-1].endswith(" passed, 0 failed")
    broken = tmp_path / "scenarios" / "broken.yaml"
    broken.parent.mkdir()
    broken.write_text(
        "profile: jining\nsigning:\n  - name: 故意写错\n"
        "    document: {kind: request, recipient: provincial_government}\n"
        "    expect: {signers: [secretary_general]}\n",
        encoding="utf-8",
    )
    code, out, _ = run("test", str(broken))
    assert code == 1
    assert "signers: expected ['secretary_general'], got ['executive_vice_mayor', 'mayor']" in out
    assert "rules that decided it: jining.signing." in out
    assert out.strip().splitlines()[-1] == "0 passed, 1 failed"


def test_pytest_plugin_collects_scenario_files(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(ROOT / "tests" / "scenarios" / "quzhou" / "signing.yaml", folder / "quzhou.yaml")
    (folder / "wrong.yaml").write_text(
        "profile: quzhou\nsigning:\n  - name: 故意写错\n    document: {kind: regulation}\n"
        "    expect: {signers: [vice_mayor]}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed" in result.stdout
    assert "signers: expected ['vice_mayor'], got ['mayor']" in result.stdout
