"""Negative fixture profiles: each must produce exactly the diagnostics its first line names.

The first line of every file in tests/fixtures/invalid reads ``# expect: CODE@line:col ...``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govrules.diagnostics import CODES
from govrules.validate import check_file

from .conftest import FIXTURES

INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))


def _expected(path: Path) -> set[tuple[str, int, int]]:
    header = path.read_bytes().decode("utf-8", errors="replace").splitlines()[0]
    match = re.fullmatch(r"# expect: (.+)", header)
    assert match, f"{path.name}: the first line must be `# expect: CODE@line:col ...`"
    return {(c, int(line), int(col)) for c, line, col in re.findall(r"(GR\d+)@(\d+):(\d+)", match.group(1))}


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_fixture_produces_its_diagnostics(path: Path) -> None:
    _spec, diagnostics = check_file(path)
    found = {(d.code, d.line, d.column) for d in diagnostics if d.severity != "info"}
    assert found == _expected(path), "\n".join(d.render() for d in diagnostics)
    for d in diagnostics:
        assert d.file == str(path)
        assert d.message[0].islower() or d.message[0] == "`", d.message


def test_valid_fixture_is_clean() -> None:
    spec, diagnostics = check_file(FIXTURES / "valid" / "sample.yaml")
    assert spec is not None
    assert [d for d in diagnostics if d.severity != "info"] == []
    assert {d.code for d in diagnostics} == {"GR053"}  # the gaps: meetings and deadlines it does not cover


def test_fixtures_cover_many_mistakes() -> None:
    codes = {code for path in INVALID for code, _l, _c in _expected(path)}
    assert len(INVALID) >= 12
    # oversized files are tested in test_loader (no 1 MiB fixture), gaps (info) below, sources in test_sources,
    # readings in one language (info) in test_readings
    unused = set(CODES) - codes - {"GR005", "GR053", "GR058", "GR040", "GR041", "GR042"}
    assert not unused, f"codes without a fixture: {sorted(unused)}"


def test_misspelt_role_suggests_the_right_one() -> None:
    _spec, diagnostics = check_file(FIXTURES / "invalid" / "misspelt_role.yaml")
    (diag,) = diagnostics
    assert diag.help == "did you mean `executive_vice_mayor`?"
    assert diag.render().startswith(f"{FIXTURES / 'invalid' / 'misspelt_role.yaml'}:")
