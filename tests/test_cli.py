"""The `govrules` command: output, JSON, exit codes."""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govrules.cli import TOUR, main

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


def test_sign_not_covered_exits_3() -> None:
    argv = ("sign", "jining", "--kind", "notice", "--issuer", "department", "--recipient", "public")
    code, out, err = run(*argv)
    assert code == 3  # not covered: neither a violation (1) nor a usage error (2)
    assert out == ""
    question = "a document with kind=`notice`, issuer=`department`, recipient=`public`"
    assert err == f"govrules: profile `jining` has no rule for {question}\n"
    code, out, err = run(*argv, "--json")
    assert (code, err) == (3, "")
    assert json.loads(out) == {
        "error": {
            "type": "not_covered",
            "message": "profile `jining` has no rule for a document with kind=`notice`, issuer=`department`, "
            "recipient=`public`",
            "profile": "jining",
            "question": "a document with kind=`notice`, issuer=`department`, recipient=`public`",
        }
    }


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
    assert code == 3
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
    assert out.startswith("警告 leader_and_counterpart_away：")  # a violation in the reader's language
    code, out, _ = run("check", "luoyang", "--lang", "en", *DAY)
    assert out.startswith("warning leader_and_counterpart_away: “")
    code, out, _ = run("check", "luoyang", "--json", *DAY)
    assert json.loads(out)[0]["subjects"] == ["vm_zhao", "dsg_zheng"]
    code, out, _ = run(
        "sign", "zhengzhou", "--kind", "notice", "--portfolio", "education", "--urgency", "urgent", "--json", *DAY
    )
    assert code == 0
    data = json.loads(out)
    assert data["persons"] == ["vm_qian"]
    assert data["acting_for"] == {"vm_qian": "vm_zhao"}


# -- every command, every format ------------------------------------------------------------------


def test_every_command_takes_format_text_and_json() -> None:
    from govrules.cli import build_parser

    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(commands.choices) == set(COMMANDS)
    for name, sub in commands.choices.items():
        (fmt,) = [a for a in sub._actions if "--format" in a.option_strings]
        assert {"text", "json"} <= set(fmt.choices or ()), name
        assert fmt.default == "text", name


def test_json_alias_is_kept_where_it_existed() -> None:
    for argv in (
        ("sign", "jining", "--kind", "regulation"),
        ("meeting", "jining", "executive"),
        ("deadline", "zhengzhou", "countersign_reply", "--at", "2025-09-29"),
    ):
        assert run(*argv, "--json") == run(*argv, "--format", "json")


#: One ordinary invocation per command, and its exit code and JSON shape under `--format json`.
COMMANDS: dict[str, tuple[tuple[str, ...], int, Callable[[Any], bool]]] = {
    "list": (
        ("list",),
        0,
        lambda d: (
            [p["id"] for p in d] == ["chaoyang", "jining", "luoyang", "quzhou", "zhengzhou"]
            and set(d[0]) == {"id", "name", "city", "province", "effective"}
        ),
    ),
    "tour": (
        ("tour", "--profile", "quzhou", "--profile", "jining"),
        0,
        lambda d: (
            [p["profile"] for p in d] == ["quzhou", "jining"]
            and all(len(p["documents"]) == len(TOUR) for p in d)
            and d[1]["documents"][0]["route"]["signers"] == ["mayor", "executive_vice_mayor"]
        ),
    ),
    "sign": (
        ("sign", "jining", "--kind", "request", "--recipient", "provincial_government"),
        0,
        lambda d: d["signers"] == ["mayor", "executive_vice_mayor"],
    ),
    "acting": (
        ("acting", "zhengzhou", "vm_zhao", "--duty", "sign_urgent", *DAY),
        0,
        lambda d: d["person"] == "vm_qian",
    ),
    "deadline": (
        ("deadline", "zhengzhou", "countersign_reply", "--at", "2025-09-29"),
        0,
        lambda d: d["unit"] == "working_days" and d["due"].startswith("2025-"),
    ),
    "calendar": (
        ("calendar", "--year", "2025"),
        0,
        lambda d: d["coverage"][0]["year"] == 2004 and "2025-10-01" in d["rest_days"],
    ),
    "meeting": (("meeting", "jining", "executive"), 0, lambda d: d["kind"] == "executive"),
    "check": (("check", "luoyang", *DAY), 0, lambda d: d[0]["code"] == "leader_and_counterpart_away"),
    "validate": (
        ("validate", "profiles/jining.yaml"),
        0,
        lambda d: d["valid"] is True and d["skipped"] == [] and d["files"] == ["profiles/jining.yaml"],
    ),
    "test": (
        ("test", "tests/scenarios/quzhou/signing.yaml"),
        0,
        lambda d: d["failed"] == 0 and d["passed"] == len(d["scenarios"]) > 0 and d["scenarios"][0]["passed"],
    ),
    "schema": (("schema",), 0, lambda d: d["title"] == "govrules profile"),
    "new": (
        ("new", "anytown", "--output", "{tmp}/anytown.yaml"),
        0,
        lambda d: d["id"] == "anytown" and d["written"].endswith("anytown.yaml"),
    ),
    "completion": (("completion", "fish"), 0, lambda d: d["shell"] == "fish" and "complete -c govrules" in d["script"]),
    "verify": (("verify", "quzhou"), 0, lambda d: d["ok"] is True and d["profiles"][0]["profile"] == "quzhou"),
    "diff": (("diff", "quzhou", "quzhou", "--topic", "deadlines"), 0, lambda d: d["changes"] == []),
    "gaps": (
        ("gaps", "zhengzhou", "--roster", "examples/roster.yaml", "--on", "2025-03-03", "--duty", "sign_urgent"),
        1,
        lambda d: any(g["absent"] == ["vm_zhao", "vm_qian"] for g in d["gaps"]),
    ),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_command_under_json(command: str, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root)
    argv, expected, shape = COMMANDS[command]
    argv = tuple(a.replace("{tmp}", str(tmp_path)) for a in argv)
    code, out, err = run(*argv, "--format", "json")
    assert (code, err) == (expected, "")
    assert shape(json.loads(out)), out
    if command == "new":
        (tmp_path / "anytown.yaml").unlink()
    code, text, err = run(*argv, "--format", "text")
    assert (code, err) == (expected, "")
    if command != "schema":
        with pytest.raises(json.JSONDecodeError):
            json.loads(text)


# Errors under JSON: one document on stdout, nothing on stderr, the documented exit code.
ERRORS: list[tuple[tuple[str, ...], int, str]] = [
    (("sign", "jining", "--kind", "reqest"), 2, "usage"),
    (("list", "--lang", "en"), 2, "usage"),
    (("frobnicate",), 2, "usage"),
    (("sign", "jining"), 2, "usage"),
    (("deadline", "zhengzhou", "countersign_reply", "--at", "29 September"), 2, "usage"),
    (("sign", "jinning", "--kind", "request"), 2, "invalid_argument"),
    (("sign", "jining", "--kind", "minutes", "--chaired-by", "nobody"), 2, "invalid_argument"),
    (("tour", "--profile", "nowhere"), 2, "invalid_argument"),
    (("acting", "zhengzhou", "mayor", "--on", "2025-03-05", "--roster", "no/such/roster.yaml"), 2, "unreadable_file"),
    (("sign", str(FIXTURES / "invalid" / "unknown_key.yaml"), "--kind", "notice"), 1, "invalid_file"),
    (("sign", "jining", "--kind", "notice", "--issuer", "department", "--recipient", "public"), 3, "not_covered"),
    (("meeting", "jining", "study"), 3, "not_covered"),
    (("deadline", "zhengzhou", "countersign_reply", "--at", "2031-01-06"), 3, "outside_calendar"),
    (("new", "Any Town"), 2, "invalid_argument"),
    (("verify", "jinning"), 2, "invalid_argument"),
    (("diff", "quzhou", "quzhou", "--topic", "seal"), 2, "usage"),
    (("gaps", "quzhou", "--on", "2025-03-03", "--roster", "examples/roster.yaml", "--max-absent", "0"), 2, "invalid_argument"),  # noqa: E501
]


@pytest.mark.parametrize(("argv", "code", "kind"), ERRORS, ids=[" ".join(a[:3]) for a, _c, _k in ERRORS])
def test_errors_under_json(argv: tuple[str, ...], code: int, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    got, out, err = run(*argv, "--format", "json")
    assert (got, err, capsys.readouterr().err) == (code, "", "")
    (error,) = json.loads(out).values()
    assert error["type"] == kind
    assert error["message"] and "Traceback" not in error["message"]
    got, out, err = run(*argv)  # the same error as text, on stderr
    assert (got, out) == (code, "")
    assert err and "Traceback" not in err


def test_usage_error_details_under_json() -> None:
    code, out, _ = run("sign", "jining", "--kind", "reqest", "--format", "json")
    error = json.loads(out)["error"]
    assert (code, error["help"]) == (2, "did you mean `request`?")
    assert error["usage"].startswith("usage: govrules sign")
    _code, _out, err = run("sign", "jining", "--kind", "reqest")
    assert err.splitlines()[-1] == "    help: did you mean `request`?"


def test_json_is_recognised_before_the_command_line_is_parsed() -> None:
    """A broken command line is still answered in JSON when it asks for JSON, abbreviated or not."""
    for flags in (("--format", "json"), ("--format=json",), ("--form", "json"), ("--js",)):
        code, out, err = run("sign", "jining", "--kind", "reqest", *flags)
        assert (code, err) == (2, "")
        assert json.loads(out)["error"]["type"] == "usage"
    code, out, err = run("sign", "jining", "--kind", "reqest", "--format", "github")
    assert (code, out) == (2, "")
    assert "invalid choice" in err
    code, out, err = run("list", "--json")  # `list` never had `--json`, but the caller asked for JSON
    assert (code, err) == (2, "")
    assert json.loads(out)["error"]["message"] == "unrecognized arguments: --json"


def test_invalid_file_under_json_carries_the_diagnostics() -> None:
    path = FIXTURES / "invalid" / "unknown_key.yaml"
    _code, out, _ = run("sign", str(path), "--kind", "notice", "--format", "json")
    error = json.loads(out)["error"]
    assert error["message"] == "1 problem found"
    ((diag),) = error["diagnostics"]
    assert (diag["file"], diag["line"], diag["column"], diag["code"]) == (str(path), 32, 5, "GR010")


def test_version() -> None:
    from govrules import __version__

    assert run("--version") == (0, f"govrules {__version__}\n", "")
    code, out, err = run("--version", "--format", "json")
    assert (code, json.loads(out), err) == (0, {"version": __version__}, "")


def test_help_under_json() -> None:
    code, out, err = run("sign", "--help", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["help"].startswith("usage: govrules sign")
    code, out, _ = run("sign", "--help")
    assert out.startswith("usage: govrules sign")


def test_tour_checks_every_profile_before_saying_anything() -> None:
    code, out, err = run("tour", "--profile", "jining", "--profile", "nowhere")
    assert (code, out) == (2, "")
    assert "`nowhere` is not a bundled profile" in err
    code, out, _ = run("tour", "--profile", "quzhou", "--lang", "en")
    assert code == 0
    assert out.startswith("== 《衢州市人民政府工作规则》 (quzhou, in force from ")
    assert out.count("== ") == 1


def test_new_into_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    """It used to end in a FileNotFoundError traceback."""
    code, out, err = run("new", "anytown", "--output", str(tmp_path / "no" / "such" / "anytown.yaml"))
    assert (code, out) == (2, "")
    assert err.startswith("govrules: error: cannot write `")
    assert "No such file or directory" in err


def test_exit_codes_are_documented(root: Path) -> None:
    from govrules import cli

    text = (root / "docs" / "cli.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| (\d) \| (.+?) \|$", text, re.MULTILINE))
    assert set(table) == {str(c) for c in (cli.OK, cli.NEGATIVE, cli.USAGE, cli.NOT_COVERED)}
    assert table["3"].startswith("not covered")
    assert all(f"`{name}`" in text for name in COMMANDS)


# -- shell completion -------------------------------------------------------------------------------


def completion_script(shell: str, folder: Path) -> Path:
    code, out, err = run("completion", shell)
    assert (code, err) == (0, "")
    path = folder / ("_govrules" if shell == "zsh" else f"govrules.{shell}")
    path.write_text(out, encoding="utf-8")
    return path


def test_bash_completion(tmp_path: Path) -> None:
    script = completion_script("bash", tmp_path)
    probe = (
        f"source {script}\n"
        'ask() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _shtab_govrules; echo "${COMPREPLY[*]}"; }\n'
        "ask govrules va\n"
        "ask govrules sign ji\n"
        "ask govrules sign jining --kind re\n"
        "ask govrules acting zhengzhou mayor --duty sign\n"
        "ask govrules deadline jining --form\n"
        "ask govrules completion ''\n"
    )
    result = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "validate",
        "jining",
        "regulation report request",
        "sign sign_urgent",
        "--format",
        "bash zsh fish",
    ]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completion(tmp_path: Path) -> None:
    script = completion_script("fish", tmp_path)
    probe = (
        f"source {script}\n"
        "for line in 'govrules va' 'govrules sign ji' 'govrules sign jining --kind re' 'govrules tour --profile qu'\n"
        '    echo (complete -C "$line" | string split -f1 \\t | string join " ")\n'
        "end\n"
    )
    result = subprocess.run(["fish", "-c", probe], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["validate", "jining", "regulation report request", "quzhou"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completion(tmp_path: Path) -> None:
    """A real interactive zsh (in a pseudo-terminal) is asked to complete; the script waits for the
    expected words, so a hang fails by the timeout, not by a guess at how long completion takes."""
    completion_script("zsh", tmp_path)
    driver = tmp_path / "drive.zsh"
    driver.write_text(
        "zmodload zsh/zpty\n"
        "zpty z zsh -f -i\n"
        f"zpty -w z 'PS1=\"%% \"; fpath=({tmp_path} $fpath); autoload -U compinit; compinit -u -D'\n"
        "zpty -w z 'function govrules { }'\n"
        "zpty -w -n z $'govrules sign jining --kind re\\t'\n"
        "zpty -r z out '*regulation*report*request*' && print KINDS\n"
        "zpty -w -n z $'\\C-u'\n"
        "zpty -w -n z $'govrules sign zheng\\t'\n"
        "zpty -r z out '*zhengzhou*' && print PROFILE\n"
        "zpty -d z\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["zsh", "-f", str(driver)], capture_output=True, text=True, check=False, cwd=tmp_path, timeout=120
    )
    assert result.stdout.split() == ["KINDS", "PROFILE"], result.stdout + result.stderr


def test_dates_on_the_command_line_go_through_the_one_date_parser() -> None:
    """`20250929` and ISO week dates are what `date.fromisoformat` takes but no profile, file or answer does."""
    for text in ("20250929", "2025-W40-1"):
        code, out, _ = run("deadline", "zhengzhou", "countersign_reply", "--at", text, "--format", "json")
        assert code == 2 and "is not a date" in json.loads(out)["error"]["message"], text
