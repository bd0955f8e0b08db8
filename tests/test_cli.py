"""The `govrules` command: output, JSON, exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from govrules.cli import main

from .conftest import FIXTURES


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_list() -> None:
    code, out, _ = run("list")
    assert code == 0
    lines = out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["chaoyang", "jining", "luoyang", "quzhou", "zhengzhou"]


def test_validate_bundled_profiles(root: Path) -> None:
    code, out, _ = run("validate", *map(str, sorted((root / "profiles").glob("*.yaml"))))
    assert code == 0
    assert out.strip().endswith("5 files checked, 0 errors, 0 warnings")


def test_validate_reports_every_file_and_diagnostic() -> None:
    bad = [FIXTURES / "invalid" / "misspelt_role.yaml", FIXTURES / "invalid" / "unknown_key.yaml"]
    code, out, _ = run("validate", *map(str, bad))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{bad[0]}:30:24: GR022 unknown role `exectuive_vice_mayor`"
    assert lines[1] == "    help: did you mean `executive_vice_mayor`?"
    assert lines[2].startswith(f"{bad[1]}:32:5: GR010 unknown key `colour`")
    assert lines[-1] == "2 files checked, 2 errors, 0 warnings"


def test_validate_json() -> None:
    code, out, _ = run("validate", "--format", "json", str(FIXTURES / "invalid" / "long_quote.yaml"))
    assert code == 1
    payload = json.loads(out)
    assert payload["valid"] is False
    (diag,) = payload["diagnostics"]
    assert (diag["code"], diag["line"], diag["column"], diag["severity"]) == ("GR025", 44, 16, "error")


def test_validate_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, out, _ = run("validate", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "GR001" in out


def test_sign_text_and_json() -> None:
    code, out, _ = run("sign", "jining", "--kind", "request", "--recipient", "provincial_government")
    assert code == 0
    assert "市长或常务副市长" in out
    assert "第61条第（1）项" in out
    code, out, _ = run("sign", "jining", "--kind", "request", "--recipient", "provincial_government", "--json")
    data = json.loads(out)
    assert set(data["signers"]) == {"mayor", "executive_vice_mayor"}
    assert 61 in [b["article"] for b in data["basis"]]


def test_sign_not_covered_exits_1() -> None:
    code, out, err = run("sign", "jining", "--kind", "notice", "--issuer", "department", "--recipient", "public")
    assert code == 1
    assert out == ""
    assert "has no rule for" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("sign", "jining", "--kind", "reqest"),
        ("sign", "jinning", "--kind", "request"),
        ("sign", "jining"),
        ("frobnicate",),
        ("sign", "jining", "--kind", "minutes", "--chaired-by", "nobody"),
    ],
)
def test_usage_errors_exit_2(argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(*argv)
    assert code == 2
    assert "Traceback" not in err + capsys.readouterr().err


def test_sign_with_a_profile_path() -> None:
    code, out, _ = run("sign", str(FIXTURES / "valid" / "sample.yaml"), "--kind", "notice", "--lang", "en")
    assert code == 0
    assert "signature: leader in charge" in out


def test_invalid_profile_path_exits_1() -> None:
    code, _out, err = run("sign", str(FIXTURES / "invalid" / "unknown_key.yaml"), "--kind", "notice")
    assert code == 1
    assert "GR010" in err


def test_tour_covers_every_city() -> None:
    code, out, _ = run("tour")
    assert code == 0
    for name in ("郑州", "洛阳", "济宁", "衢州", "朝阳"):
        assert f"{name}市人民政府工作规则" in out
    assert "依据：第" in out


def test_a_closed_pipe_ends_quietly(root: Path) -> None:
    import subprocess
    import sys

    script = "import sys; from govrules.cli import main; sys.exit(main(['tour']))"
    proc = subprocess.run(
        f'{sys.executable} -c "{script}" | head -n 1',
        shell=True,
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert proc.stdout.startswith("== ")
    assert "Traceback" not in proc.stderr


DAY = ("--on", "2025-03-05", "--roster", "examples/roster.yaml", "--absences", "examples/absences.yaml")


def test_acting_text_and_json(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root)
    code, out, _ = run("acting", "zhengzhou", "vm_zhao", "--duty", "sign_urgent", *DAY)
    assert code == 0
    assert "由 vm_qian 代行（vm_zhao → vm_qian）" in out
    assert "第9条" in out
    code, out, _ = run("acting", "zhengzhou", "vm_zhao", "--duty", "sign", "--json", *DAY)
    assert code == 1
    data = json.loads(out)
    assert data["person"] is None
    assert "not `sign`" in data["unresolved"]


def test_acting_not_covered_and_usage(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root)
    code, _out, err = run("acting", "quzhou", "mayor", *DAY)
    assert code == 1
    assert "has no rule for who acts" in err
    code, _out, err = run("acting", "zhengzhou", "mayor", "--on", "2025-03-05")
    assert code == 2
    code, _out, err = run("acting", "zhengzhou", "mayor", "--on", "5 March", "--roster", "examples/roster.yaml")
    assert code == 2
    assert "is not a date" in err


def test_check_and_sign_on_a_day(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root)
    code, out, _ = run("check", "luoyang", *DAY)
    assert code == 0  # a warning (原则上) does not fail
    assert out.startswith("warning: leader_and_counterpart_away")
    code, out, _ = run("check", "luoyang", "--json", *DAY)
    assert json.loads(out)[0]["subjects"] == ["vm_zhao", "dsg_zheng"]
    code, out, _ = run(
        "sign", "zhengzhou", "--kind", "notice", "--portfolio", "education", "--urgency", "urgent", "--json", *DAY
    )
    assert code == 0
    data = json.loads(out)
    assert data["persons"] == ["vm_qian"]
    assert data["acting_for"] == {"vm_qian": "vm_zhao"}
