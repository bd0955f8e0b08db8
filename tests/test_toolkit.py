"""The profile authors' toolkit: validate formats, strict mode, schema, scaffold, scenario runner."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from govrules import vocabulary as v
from govrules.cli import main
from govrules.scaffold import FREE_TEXT, profile_schema, scaffold
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


# -- the strict schema ------------------------------------------------------------------------------

#: Negative fixtures the JSON Schema accepts: what only `govrules validate` can catch, and why.
SEMANTIC_ONLY = {
    "acting_unknown.yaml": "a role id that `roles` might have declared",
    "anchor.yaml": "anchors and aliases are YAML that other parsers resolve; the loader refuses them",
    "article_out_of_range.yaml": "the article count is another key's value",
    "conflict.yaml": "two rules' conditions overlap (lint)",
    "duplicate_rule_id.yaml": "ids unique across the file",
    "id_mismatch.yaml": "the file name",
    "huge_integer.yaml": "the loader's size limits (an integer with too many digits)",
    "meeting_leave.yaml": "a role id that `roles` might have declared; a category named twice",
    "misspelt_role.yaml": "a role id that `roles` might have declared",
    "override_cycle.yaml": "a cycle through `overrides`",
    "role_declared_twice.yaml": "ids unique across the file",
    "source_outside.yaml": "where `profile.source` lies on disk",
    "substitution_cycle.yaml": "a cycle through transitive substitutions (lint)",
    "undeclared_city_role.yaml": "a role id that `roles` might have declared",
    "unknown_override.yaml": "whether the rule `overrides` names exists",
    "unreachable_rule.yaml": "a rule always overridden where it applies (lint)",
    "unstaffable_role.yaml": "a declared role no roster can staff (lint)",
    "unused_role.yaml": "a declared role no rule uses (lint)",
}


def check_jsonschema(*files: Path) -> dict[str, list[str]]:
    """check-jsonschema's complaints about each file it rejects, against the shipped schema."""
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which("check-jsonschema")
    if exe is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [exe, "--schemafile", str(ROOT / "profile.schema.json"), "--output-format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    found: dict[str, list[str]] = {}
    for error in report.get("errors", []):
        deepest = error.get("best_deep_match", error)  # under `anyOf`, the alternative that came closest
        found.setdefault(Path(error["filename"]).name, []).append(f"{deepest['path']}: {deepest['message']}")
    for error in report.get("parse_errors", []):
        found.setdefault(Path(error["filename"]).name, []).append(f"cannot parse: {error['message']}")
    assert (result.returncode == 0) == (not found), result.stdout + result.stderr
    return found


def test_the_schema_rejects_every_invalid_fixture_but_the_semantic_ones() -> None:
    rejected = check_jsonschema(*sorted(INVALID.glob("*.yaml")))
    accepted = {p.name for p in INVALID.glob("*.yaml")} - set(rejected)
    assert accepted == set(SEMANTIC_ONLY), "classify new fixtures in SEMANTIC_ONLY, or make the schema catch them"


def test_the_schema_accepts_every_valid_profile(tmp_path: Path) -> None:
    (tmp_path / "anytown.yaml").write_text(scaffold("anytown"), encoding="utf-8")
    valid = [
        *sorted((ROOT / "profiles").glob("*.yaml")),
        *sorted((FIXTURES / "valid").glob("*.yaml")),
        *sorted((FIXTURES / "sources").glob("*.yaml")),
        ROOT / "docs" / "walkthrough" / "anytown.yaml",
        tmp_path / "anytown.yaml",
    ]
    assert check_jsonschema(*valid) == {}


def test_check_jsonschema_rejects_a_misspelt_kind_and_a_48_character_quote(tmp_path: Path) -> None:
    sample = (FIXTURES / "valid" / "sample.yaml").read_text(encoding="utf-8")
    quote = "其他公文由分管领导签发"
    assert sample.count(f"quote: {quote}\n") == 1
    long_quote = tmp_path / "long_quote.yaml"
    long_quote.write_text(sample.replace(f"quote: {quote}\n", f"quote: {(quote * 5)[:48]}\n"), encoding="utf-8")
    kind = tmp_path / "kind.yaml"
    kind.write_text(sample.replace("kind: [request, report]", "kind: [request, reprot]", 1), encoding="utf-8")
    assert "kind: [request, reprot]" in kind.read_text(encoding="utf-8")
    found = check_jsonschema(long_quote, kind)
    assert found["long_quote.yaml"] == [f"$.signing[1].basis[0].quote: '{(quote * 5)[:48]}' is too long"]
    ((message),) = found["kind.yaml"]
    assert message.startswith("$.signing[0].when.kind[1]: 'reprot' is not one of ['regulation', ")


def test_schema_vocabularies_and_role_fields() -> None:
    defs = profile_schema()["$defs"]
    for name, table in {
        "Kind": v.KINDS,
        "Issuer": v.ISSUERS,
        "Urgency": v.URGENCIES,
        "MeetingKind": v.MEETINGS,
        "DeadlineKind": v.DEADLINE_KINDS,
        "Duty": v.DUTIES,
        "AbsenceReason": v.REASONS,
        "Seal": v.SEALS,
    }.items():
        assert defs[name]["enum"] == list(table), name
    for key, values in v.CONDITION_VALUES.items():
        options = defs["Condition"]["properties"][key]["anyOf"]
        (ref,) = [o["$ref"] for o in options if "$ref" in o]  # one value; also a list of them, and `except`
        assert defs[ref.rsplit("/", 1)[1]]["enum"] == list(values), key
        assert {"type": "array", "minItems": 1, "items": {"$ref": ref}} in options, key
    # a role field offers the shared roles for completion and takes any id a profile may declare
    role = defs["Role"]
    assert role["anyOf"][0]["enum"] == sorted(v.SHARED_ROLES)
    assert role["anyOf"][1] == {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
    assert defs["StepEntry"]["properties"]["roles"]["items"] == {"$ref": "#/$defs/Role"}
    quote = defs["Citation"]["properties"]["quote"]
    assert quote["anyOf"] == [{"maxLength": 40}, {"pattern": r"^\s*(\S\s*){1,40}$"}]  # whitespace is not counted
    assert defs["SigningRule"]["properties"]["id"]["pattern"] == (r"^[a-z][a-z0-9_]*\.signing\.[a-z0-9]+(-[a-z0-9]+)*$")


def test_every_string_field_is_closed_or_known_free_text() -> None:
    """A new string field must get a vocabulary or a pattern, or be listed as free text."""
    defs = profile_schema()["$defs"]
    plain = set()
    for model, definition in defs.items():
        for field, prop in definition.get("properties", {}).items():
            if _has_plain_string(prop):
                plain.add((model, field))
    assert plain == set(FREE_TEXT)


def _has_plain_string(prop: dict[str, Any]) -> bool:
    if prop.get("type") == "string" and not {"enum", "pattern", "format", "const", "maxLength", "anyOf"} & set(prop):
        return True
    return any(_has_plain_string(o) for o in prop.get("anyOf", [])) or (
        isinstance(prop.get("items"), dict) and _has_plain_string(prop["items"])
    )


def test_shipped_yamllint_config_passes_the_house_style(tmp_path: Path) -> None:
    """`.yamllint` loads, and what govrules writes (`govrules new`) and the example files follow it."""
    exe = shutil.which("yamllint", path=str(Path(sys.executable).parent)) or shutil.which("yamllint")
    if exe is None:
        pytest.skip("yamllint is not installed (pip install -e '.[test]')")
    (tmp_path / "anytown.yaml").write_text(scaffold("anytown"), encoding="utf-8")
    files = [
        tmp_path / "anytown.yaml",
        *sorted((FIXTURES / "valid").glob("*.yaml")),
        *sorted(ROOT.glob("examples/*.yaml")),
        *sorted((ROOT / "profiles").glob("*.yaml")),  # the bundled profiles follow the house style
    ]
    result = subprocess.run(
        [exe, "--strict", "-f", "parsable", "-c", str(ROOT / ".yamllint"), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # and it finds what the loader would refuse or misread
    bad = tmp_path / "bad.yaml"
    bad.write_text("profile:\n  id: x\n  draft: yes\n  id: y\n", encoding="utf-8")
    result = subprocess.run(
        [exe, "-f", "parsable", "-c", str(ROOT / ".yamllint"), str(bad)], capture_output=True, text=True, check=False
    )
    assert {line.rsplit("(", 1)[-1].rstrip(")") for line in result.stdout.splitlines()} == {"truthy", "key-duplicates"}


def test_a_reading_gives_one_language_at_least() -> None:
    from jsonschema import Draft202012Validator

    reading = Draft202012Validator(profile_schema()["$defs"]["Reading"])
    assert reading.is_valid({"zh": "按分工"}) and reading.is_valid({"en": "by portfolio", "zh": None})
    assert not reading.is_valid({}) and not reading.is_valid({"zh": None, "en": None})
