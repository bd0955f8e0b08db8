"""Reading files that are not profiles: one loader, pydantic shapes, the same diagnostics, one date parser.

Every file in tests/fixtures/{rosters,absences,calendars,notices,scenario-files}/invalid starts with
``# expect: CODE@line:col ...``: reading it must give exactly those diagnostics.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import govrules
from govrules import Absence, Roster
from govrules.inputs import parse_date, parse_moment, read_yaml, render_path
from govrules.loader import read as read_marked
from govrules.roster import absences_from_mapping
from govrules.scenarios import ScenarioFile, read_scenarios
from govrules.workdays import Calendar, Notice

from .conftest import FIXTURES, ROOT, SCENARIOS

READERS: dict[str, Callable[[Path], object]] = {
    "rosters": Roster.from_yaml,
    "absences": Absence.list_from_yaml,
    "calendars": Calendar.from_yaml,
    "notices": Notice.from_yaml,
    "scenario-files": ScenarioFile.from_yaml,
}
INVALID = sorted(p for kind in READERS for p in (FIXTURES / kind / "invalid").glob("*.yaml"))


def _expected(path: Path) -> set[tuple[str, int, int]]:
    header = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# expect: (.+)", header)
    assert match, f"{path}: the first line must be `# expect: CODE@line:col ...`"
    return {(c, int(line), int(col)) for c, line, col in re.findall(r"(GR\d+)@(\d+):(\d+)", match.group(1))}


@pytest.mark.parametrize("path", INVALID, ids=[f"{p.parent.parent.name}/{p.stem}" for p in INVALID])
def test_invalid_file_gives_exactly_its_diagnostics(path: Path) -> None:
    with pytest.raises(govrules.ProfileError) as info:
        READERS[path.parent.parent.name](path)
    found = {(d.code, d.line, d.column) for d in info.value.diagnostics}
    assert found == _expected(path), str(info.value)
    for d in info.value.diagnostics:
        assert d.file == str(path)
        assert d.message[0].islower() or d.message[0] in "`0123456789", d.message  # Cedar style
        assert d.render().startswith(f"{path}:{d.line}:{d.column}: {d.code} ")


def test_every_kind_of_file_has_invalid_fixtures() -> None:
    for kind in READERS:
        assert len(list((FIXTURES / kind / "invalid").glob("*.yaml"))) >= 1, kind
    codes = {code for path in INVALID for code, _l, _c in _expected(path)}
    assert {"GR010", "GR011", "GR012", "GR013", "GR020"} <= codes


def test_did_you_mean_for_unknown_keys_at_every_depth(tmp_path: Path) -> None:
    cases = [
        (Roster.from_yaml, "peple: []\n", "did you mean `people`?"),
        (Roster.from_yaml, "people:\n  - {id: a, office: mayor, portfolio: [x]}\n", "did you mean `portfolios`?"),
        (Absence.list_from_yaml, "absences:\n  - {person: a, start: 2025-03-03, end: 2025-03-03, reasn: study}\n",
         "did you mean `reason`?"),
        (Notice.from_yaml, "notice: x\nyear: 2027\nholidays:\n  - {name: a, start: 2027-01-01, ende: 2027-01-01}\n",
         "did you mean `end`?"),
        (ScenarioFile.from_yaml, "profile: jining\nsigning:\n  - {name: a, document: {kind: request}, expct: {}}\n",
         "did you mean `expect`?"),
        (ScenarioFile.from_yaml, "profile: jining\nsigning:\n  - {name: a, document: {kind: x}, expect: {signr: 1}}\n",
         "did you mean `signers`?"),
        (ScenarioFile.from_yaml, "profile: jining\nsignings: []\n", "did you mean `signing`?"),
    ]  # fmt: skip
    for read, text, help in cases:
        path = tmp_path / "file.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(govrules.ProfileError) as info:
            read(path)
        assert help in [d.help for d in info.value.diagnostics], str(info.value)
        assert "GR010" in [d.code for d in info.value.diagnostics]


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    for read in READERS.values():
        with pytest.raises(govrules.ProfileError) as info:
            read(tmp_path / "missing.yaml")
        assert [d.code for d in info.value.diagnostics] == ["GR001"]
    (tmp_path / "alias.yaml").write_text("people: &a []\nmore: *a\n", encoding="utf-8")
    with pytest.raises(govrules.ProfileError) as info:
        Roster.from_yaml(tmp_path / "alias.yaml")
    assert {d.code for d in info.value.diagnostics} == {"GR004"}
    with pytest.raises(govrules.InvalidArgument, match=r"^`path`: expected a file path, got `42`"):
        read_yaml(42)
    with pytest.raises(govrules.InvalidArgument, match=r"^`path`"):
        Notice.from_yaml(None)  # type: ignore[arg-type]


# -- from_mapping: the same checks, with the place inside the data ------------------------------------


def test_from_mapping_gives_what_the_file_gives() -> None:
    import yaml

    for path, read, build in [
        (ROOT / "examples" / "roster.yaml", Roster.from_yaml, Roster.from_mapping),
        (FIXTURES / "rosters" / "cjk.yaml", Roster.from_yaml, Roster.from_mapping),
        (ROOT / "examples" / "absences.yaml", Absence.list_from_yaml, absences_from_mapping),
        (FIXTURES / "notices" / "2027.yaml", Notice.from_yaml, Notice.from_mapping),
    ]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))  # PyYAML gives real dates: accepted too
        assert repr(build(data)) == repr(read(path)), path
    assert tuple(govrules.absences_from_yaml(ROOT / "examples" / "absences.yaml")) == Absence.list_from_yaml(
        ROOT / "examples" / "absences.yaml"
    )


@pytest.mark.parametrize(
    ("build", "data", "message"),
    [
        (
            Roster.from_mapping,
            {"people": [{"id": "a", "office": "mayor"}, {"id": "b", "office": "vice_mayr"}]},
            "`people[1].office`: `vice_mayr` is not an office of the shared vocabulary; did you mean `vice_mayor`?",
        ),
        (
            Roster.from_mapping,
            {"people": [{"id": "a", "office": "vice_mayor", "ab_partner": "b"}]},
            "`people[0].ab_partner`: `a` is paired with `b`, who is not in the roster",
        ),
        (
            Roster.from_mapping,
            {"people": [{"id": "a", "office": "mayor"}, {"id": "a", "office": "mayor"}]},
            "`people[1].id`: person `a` is listed twice; first at `people[0]`",
        ),
        (Roster.from_mapping, ["a"], "`data`: a roster is a mapping with a `people:` list"),
        (Roster.from_mapping, {}, "`data`: missing required key `people`"),
        (Roster.from_mapping, {"people": "mayor_li"}, "`people`: expected a list, got `'mayor_li'`"),
        (govrules.Person.from_mapping, "mayor_li", "`person`: expected a mapping, got `'mayor_li'`"),
        (
            absences_from_mapping,
            {"absences": [{"person": "a", "start": "2025-03-05", "end": "2025-03-01", "reason": "study"}]},
            "`absences[0].end`: `2025-03-01` is before `start` `2025-03-05`",
        ),
        (
            Absence.from_mapping,
            {"person": "a", "start": "5 March", "end": "2025-03-05", "reason": "study"},
            "`start`: `5 March` is not a date; write it as `YYYY-MM-DD`",
        ),
        (
            govrules.Person.from_mapping,
            {"id": "a b", "office": "mayor"},
            "`id`: `a b` is not a person id: it contains a space; "
            "a person id is 1 to 200 letters (any script), digits, `_`, `.` or `-`",
        ),
        (
            Calendar.from_mapping,
            {"rest_days": ["2025-10-09"], "work_days": ["2025-10-09"]},
            "`work_days[0]`: `2025-10-09` is also in `rest_days` (`rest_days[0]`); list each day in one of them",
        ),
        (
            Notice.from_mapping,
            {"notice": "x", "year": 2027, "holidays": [], "workdays": ["2027-02-08"]},
            "`workdays[0]`: `2027-02-08` is a Monday, not a Saturday or Sunday; "
            "`workdays` lists the weekend days that become working days (调休上班)",
        ),
        (
            ScenarioFile.from_mapping,
            {"profile": "jining", "signing": [{"name": "a", "document": {"kind": "requst"}, "expect": {}}]},
            "`signing[0].document.kind`: `'requst'` is not allowed; did you mean `request`?",
        ),
    ],
)
def test_from_mapping_names_the_place_inside_the_data(build: Callable[[Any], object], data: Any, message: str) -> None:
    with pytest.raises(govrules.InvalidArgument) as info:
        build(data)
    assert str(info.value) == message


def test_from_mapping_reports_every_problem() -> None:
    with pytest.raises(govrules.InvalidArgument) as info:
        Roster.from_mapping({"people": [{"id": "", "office": "mayor"}, {"id": "b", "ofice": "mayor"}]})
    assert str(info.value).splitlines() == [
        "3 problems in `data`:",
        "`people[0].id`: a person id cannot be empty; a person id is 1 to 200 letters (any script), digits, "
        "`_`, `.` or `-`",
        "`people[1]`: missing required key `office`",
        "`people[1].ofice`: unknown key `ofice`; did you mean `office`?",
    ]


def test_scenario_files_from_mapping_and_from_yaml_agree() -> None:
    path = SCENARIOS / "zhengzhou" / "acting.yaml"
    from_file = read_scenarios(path)
    data = read_marked(path).data  # not PyYAML's safe_load: YAML 1.1 reads the key `on` as `True`
    from_data = ScenarioFile.from_mapping(data, path=str(path))
    assert [(s.area, s.name) for s in from_data.scenarios] == [(s.area, s.name) for s in from_file.scenarios]
    assert repr(from_data.roster) == repr(from_file.roster)
    assert all(s.line == 0 for s in from_data.scenarios) and all(s.line > 0 for s in from_file.scenarios)


def test_keys_that_are_not_text() -> None:
    with pytest.raises(govrules.InvalidArgument) as info:
        ScenarioFile.from_mapping({"profile": "jining", "checks": [{"name": "a", True: "2025-03-03", "expect": {}}]})
    assert str(info.value).startswith("`checks[0]`: keys must be text, got `True`")


def test_an_empty_roster_in_a_scenario_file_is_a_roster(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("profile: jining\npeople: []\nsigning: []\n", encoding="utf-8")
    found = read_scenarios(path)
    assert found.roster is not None and len(found.roster) == 0


# -- the one date parser ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2027-02-06", dt.date(2027, 2, 6)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        (dt.date(2025, 1, 1), dt.date(2025, 1, 1)),
    ],
)
def test_parse_date(text: object, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-02-29", "`2025-02-29` is not a calendar date"),
        ("20250301", "`20250301` is not a date; write it as `YYYY-MM-DD`"),  # fromisoformat would take it
        ("2025-W10-1", "`2025-W10-1` is not a date"),
        ("2025-3-1", "`2025-3-1` is not a date"),
        ("2025-03-01T09:00", "`2025-03-01T09:00` is not a date"),
        (" 2025-03-01", "` 2025-03-01` is not a date"),
        (20250301, "`20250301` is not a date"),
        (None, "`None` is not a date"),
        (dt.datetime(2025, 3, 1, 9), "`datetime.datetime(2025, 3, 1, 9, 0)` is not a date"),
        ("x" * 100, "…` is not a date"),
    ],
)
def test_parse_date_refuses(value: object, message: str) -> None:
    with pytest.raises(govrules.InvalidArgument) as info:
        parse_date(value, name="on")
    assert str(info.value).startswith("`on`: ")
    assert message in str(info.value)


def test_parse_moment() -> None:
    assert parse_moment("2025-10-01") == dt.date(2025, 10, 1)
    assert parse_moment("2025-10-01T22:30") == dt.datetime(2025, 10, 1, 22, 30)
    assert parse_moment("2025-10-01 22:30:15") == dt.datetime(2025, 10, 1, 22, 30, 15)
    aware = parse_moment("2025-10-01T22:30+08:00")
    assert isinstance(aware, dt.datetime) and aware.utcoffset() == dt.timedelta(hours=8)
    assert parse_moment("2025-10-01T14:30Z") == dt.datetime(2025, 10, 1, 14, 30, tzinfo=dt.UTC)
    moment = dt.datetime(2025, 1, 1, 8)
    assert parse_moment(moment) is moment
    for bad, words in [
        ("2025-10-01T24:30", "is not a valid date and time"),
        ("2025-10-01T9:30", "is not a date or a time"),
        ("2025-02-30", "is not a calendar date"),
        ("tomorrow", "is not a date or a time; write `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`"),
    ]:
        with pytest.raises(govrules.InvalidArgument, match=words):
            parse_moment(bad, name="at")


def test_render_path() -> None:
    assert render_path(()) == "data"
    assert render_path((), "notice") == "notice"
    assert render_path(("holidays", 2, "end")) == "holidays[2].end"
    assert render_path((0, "id")) == "[0].id"
