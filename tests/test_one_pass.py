"""One-pass validation: every independent problem of a file in one run, and why a check was skipped."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from govrules.cli import main
from govrules.validate import CHECKS, check_file, check_report

from .conftest import FIXTURES

ONE_PASS = FIXTURES / "onepass"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def found(path: Path) -> set[tuple[str, int, int]]:
    return {(d.code, d.line, d.column) for d in check_report(path).diagnostics if d.severity != "info"}


def test_misspelt_role_wrong_quote_and_file_name_in_one_run() -> None:
    """Before, the misspelt role (an error in references) stopped the quote check."""
    path = ONE_PASS / "three_problems.yaml"
    assert found(path) == {("GR028", 5, 7), ("GR022", 23, 24), ("GR040", 35, 16)}
    report = check_report(path)
    assert report.spec is not None
    assert [(s.check, s.reason) for s in report.skipped] == [
        ("lint", "ids or references have errors, and the conflict search assumes them sound")
    ]


def test_validate_reports_the_three_and_the_skipped_check() -> None:
    path = ONE_PASS / "three_problems.yaml"
    code, out, _ = run("validate", str(path))
    assert code == 1
    assert [
        line.split(" ")[1] for line in out.splitlines() if line.startswith(f"{path}:") and "skipped" not in line
    ] == [
        "GR028",
        "GR022",
        "GR040",
    ]
    assert f"{path}: skipped: lint (ids or references have errors" in out
    assert out.splitlines()[-1] == "1 file checked, 3 errors, 0 warnings"
    code, out, _ = run("validate", "--format", "json", str(path))
    payload = json.loads(out)
    assert [d["code"] for d in payload["diagnostics"]] == ["GR028", "GR022", "GR040"]
    assert payload["skipped"] == [
        {
            "file": str(path),
            "check": "lint",
            "reason": "ids or references have errors, and the conflict search assumes them sound",
        }
    ]


def test_a_section_with_a_shape_error_does_not_hide_the_others() -> None:
    """A shape error in `seals` used to stop every other check of the file."""
    path = ONE_PASS / "shape_and_more.yaml"
    assert found(path) == {("GR010", 32, 5), ("GR022", 23, 24), ("GR040", 35, 16)}
    report = check_report(path)
    assert report.spec is None
    assert [(s.check, s.reason) for s in report.skipped] == [
        ("references", "`seals` has shape errors, so references there are not checked"),
        ("lint", "the shape is wrong, and the conflict search needs a complete profile"),
    ]


def test_a_broken_profile_section_skips_references_but_not_the_file_name_or_quotes(tmp_path: Path) -> None:
    text = (ONE_PASS / "three_problems.yaml").read_text(encoding="utf-8")
    shutil.copy(ONE_PASS / "source.txt", tmp_path / "source.txt")
    path = tmp_path / "broken_meta.yaml"
    path.write_text(text.replace("  articles: 6\n", "  articles: six\n"), encoding="utf-8")
    codes = {code for code, _line, _col in found(path)}
    assert codes == {"GR012", "GR028", "GR040"}  # the misspelt role needs a sound `profile` to be found
    skipped = {s.check: s.reason for s in check_report(path).skipped}
    assert skipped["references"] == "`profile` has shape errors, so ids and roles cannot be resolved"
    assert set(skipped) == {"references", "lint"}


def test_a_wrong_id_alone_no_longer_stops_lint(tmp_path: Path) -> None:
    path = tmp_path / "renamed.yaml"
    shutil.copy(FIXTURES / "valid" / "sample.yaml", path)
    report = check_report(path)
    assert [d.code for d in report.diagnostics if d.severity == "error"] == ["GR028"]
    assert "GR053" in {d.code for d in report.diagnostics}  # lint ran: it reports the gaps
    assert report.skipped == ()


def test_an_unparsable_file_skips_everything_and_says_so() -> None:
    path = FIXTURES / "invalid" / "yaml_syntax.yaml"
    report = check_report(path)
    assert [d.code for d in report.diagnostics] == ["GR002"]
    assert [s.check for s in report.skipped] == list(CHECKS)
    assert {s.reason for s in report.skipped} == {"the file cannot be parsed"}
    assert run("validate", str(path))[0] == 1  # not well-formed YAML: an invalid file
    _code, out, _ = run("validate", str(path))
    assert f"{path}: skipped: shape, file name, references, quotes, lint (the file cannot be parsed)" in out


def test_source_option_checks_quotes_even_when_the_file_has_errors(tmp_path: Path) -> None:
    """`--source` used to be ignored as soon as the file had any error."""
    text = (ONE_PASS / "three_problems.yaml").read_text(encoding="utf-8").replace("  source: source.txt\n", "")
    path = tmp_path / "three_problems.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("validate", "--format", "json", "--source", str(ONE_PASS / "source.txt"), str(path))
    assert code == 1
    assert {d["code"] for d in json.loads(out)["diagnostics"]} == {"GR028", "GR022", "GR040"}
    # without a source, the quotes are not checked, and that is no skipped check: there is nothing to check against
    code, out, _ = run("validate", "--format", "json", str(path))
    assert {d["code"] for d in json.loads(out)["diagnostics"]} == {"GR028", "GR022"}
    assert [s["check"] for s in json.loads(out)["skipped"]] == ["lint"]


def test_check_file_keeps_its_shape() -> None:
    spec, diagnostics = check_file(ONE_PASS / "three_problems.yaml")
    assert spec is not None
    assert [d.code for d in diagnostics] == ["GR028", "GR022", "GR040"]


def test_a_missing_file_says_it_cannot_be_read(tmp_path: Path) -> None:
    report = check_report(tmp_path / "nowhere.yaml")
    assert [d.code for d in report.diagnostics] == ["GR001"]
    assert {s.reason for s in report.skipped} == {"the file cannot be read"}


def test_in_memory_text_never_reads_a_source(tmp_path: Path) -> None:
    """Quotes are checked by reading the file; text given in memory has no file to read."""
    text = (ONE_PASS / "three_problems.yaml").read_text(encoding="utf-8")
    report = check_report(tmp_path / "three_problems.yaml", text=text, quotes_from=ONE_PASS / "source.txt")
    assert {d.code for d in report.diagnostics} == {"GR022"}
