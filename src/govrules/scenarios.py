"""Scenario files: given facts → the expected answer and its basis (docs/scenario-format.md).

The project's own tests are written this way, and so can a profile author's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, StrictBool, StrictInt, StrictStr, create_model

from govrules import _args
from govrules.answers import Citation
from govrules.documents import Document
from govrules.errors import GovrulesError, InvalidArgument, NotCovered
from govrules.families import AREAS
from govrules.inputs import IsoDate, Model, Moment, Reader, parse_date, parse_moment, read_yaml
from govrules.loader import Path_
from govrules.meeting_plans import MeetingPlan
from govrules.profile import Profile
from govrules.registry import load
from govrules.roster import (
    Absence,
    Roster,
    _absence,
    _AbsenceEntry,
    _PersonEntry,
    absences_from_entries,
    roster_from_entries,
)

#: What each area's scenarios give, and what they may expect.
#: What each area's scenarios give, and what they may expect: declared by the families.
_GIVEN = {area: set(handler.given) for area, handler in AREAS.items()}
_EXPECT = {area: set(handler.expect) for area, handler in AREAS.items()}
_REQUIRED = {area: set(handler.required) for area, handler in AREAS.items()}


@dataclass(frozen=True, slots=True)
class Scenario:
    file: str
    line: int
    area: str
    name: str
    given: Mapping[str, Any]
    expect: Mapping[str, Any]

    @property
    def id(self) -> str:
        return f"{Path(self.file).parent.name}/{Path(self.file).stem}:{self.name}"


@dataclass(frozen=True, slots=True)
class Outcome:
    scenario: Scenario
    problems: tuple[str, ...]
    answer: Any

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def basis(self) -> tuple[Citation, ...]:
        found: tuple[Citation, ...] | None = getattr(self.answer, "basis", None)
        if found is not None:
            return found
        if isinstance(self.answer, tuple):  # violations, or a deadline with its status
            return tuple(c for x in self.answer for c in getattr(x, "basis", ()))
        return ()

    def report(self) -> str:
        head = f"{self.scenario.file}:{self.scenario.line}: {self.scenario.name}"
        lines = [head, *(f"  {p}" for p in self.problems)]
        rules: tuple[str, ...] | None = getattr(self.answer, "rules", None)
        if rules is not None:
            lines.append(f"  rules that decided it: {', '.join(rules) or '(none)'}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ScenarioFile:
    """A scenario file read and checked: the profile it names, its roster (``people:``) and scenarios."""

    path: str
    profile: str
    roster: Roster | None
    scenarios: tuple[Scenario, ...]

    @classmethod
    def from_yaml(cls, path: str | PathLike[str]) -> ScenarioFile:
        """Read a scenario file (docs/scenario-format.md); :class:`~govrules.ProfileError` with a located
        diagnostic for every problem: unknown keys, facts of the wrong type, dates that are not dates,
        an invalid roster or document, absent officials not in the roster."""
        doc = read_yaml(path)
        return _read(Reader(doc), doc.data, doc.file)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, path: str = "<mapping>") -> ScenarioFile:
        """Scenarios from plain data shaped like a scenario file; :class:`~govrules.InvalidArgument` names
        the place of every problem (e.g. ```signing[2].document.kind```). ``path`` stands for the file
        in reports; scenarios read this way are on line 0."""
        return _read(Reader(None), data, path)


def read_scenarios(path: str | PathLike[str]) -> ScenarioFile:
    """A scenario file: the profile it names, its roster, and its scenarios; :class:`ProfileError` if malformed.

    The same as :meth:`ScenarioFile.from_yaml`.
    """
    return ScenarioFile.from_yaml(path)


def _read(reader: Reader, data: Any, file: str) -> ScenarioFile:
    if not isinstance(data, Mapping) or not isinstance(data.get("profile"), str):
        reader.add((), "GR011", "a scenario file starts with `profile: <id or path>`")
        reader.fail()
    top: Any = reader.shape(_file_model(), data)
    if top is None:
        reader.fail()
    roster = _roster(reader, top.people)
    scenarios: list[Scenario] = []
    names: dict[tuple[str, str], int] = {}
    models = _scenario_models()
    for area in _GIVEN:
        for i, raw in enumerate(getattr(top, area) or ()):
            entry = reader.shape(models[area], raw, (area, i))  # each scenario on its own: report them all
            if entry is None:
                continue
            scenario = _scenario(reader, area, i, entry, raw=raw, roster=roster, file=file)
            key = (area, scenario.name)
            if key in names:
                first = f"first at {reader.where((area, names[key], 'name'))}"
                reader.add((area, i, "name"), "GR020", f"scenario `{scenario.name}` is named twice", first)
            names.setdefault(key, i)
            scenarios.append(scenario)
    reader.done()
    return ScenarioFile(file, top.profile, None if roster is False else roster, tuple(scenarios))


def _roster(reader: Reader, people: tuple[Mapping[str, Any], ...] | None) -> Roster | Literal[False] | None:
    """The file's roster; None if it has none, False if it has one that is not valid (problems added)."""
    if people is None:
        return None
    entries = [reader.shape(_PersonEntry, p, ("people", i)) for i, p in enumerate(people)]
    valid = [e for e in entries if e is not None]
    if len(valid) < len(entries):
        return False
    found = roster_from_entries(reader, valid, ("people",))
    return False if found is None else found


#: The type of each fact a scenario may give: checked when the file is read (`run` gets the text).
_GIVEN_TYPES: dict[str, Any] = {
    "document": dict[str, Any],
    "seal": StrictStr,
    "who": StrictStr,
    "duty": StrictStr,
    "on": IsoDate,
    "absences": tuple[_AbsenceEntry, ...],
    "kind": StrictStr,
    "at": Moment,
    "urgency": StrictStr,
    "complex": StrictBool,
    "provisional": StrictBool,
    "status_on": Moment,
    "expected": StrictInt,
    "present": StrictInt,
    "attendees": tuple[StrictStr, ...],
    "chair": StrictStr,
    "agenda": tuple[dict[str, Any], ...],
}
for _handler in AREAS.values():
    _GIVEN_TYPES.update(_handler.types)
_NULLABLE = frozenset({"absences", "urgency", "chair", "agenda"})  # `null` reads as not given
_EXPECT_TYPES: dict[str, Any] = {"due": Moment, "assumed": tuple[Moment, ...]}
_ON_A_DAY = frozenset({"acting", "checks", "meeting_checks"})  # asked with the file's roster


@functools.cache
def _file_model() -> type[BaseModel]:
    """The top of a scenario file; people and scenarios are checked one by one (all problems reported)."""
    # Optional[...] rather than `X | None`: these are runtime values
    entries = Optional[tuple[dict[str, Any], ...]]  # noqa: UP045
    fields: dict[str, Any] = {"profile": (StrictStr, ...), "people": (entries, None)}
    fields.update({area: (entries, None) for area in _GIVEN})
    return create_model("scenario_file", __base__=Model, **fields)


@functools.cache
def _scenario_models() -> dict[str, type[BaseModel]]:
    """The shape of each area's scenarios, built from the tables above on first use."""
    models: dict[str, type[BaseModel]] = {}
    for area, keys in _GIVEN.items():
        expected: dict[str, Any] = {k: (_EXPECT_TYPES.get(k, Any), None) for k in sorted(_EXPECT[area])}
        expect = create_model(f"{area}_expect", __base__=Model, **expected)
        given: dict[str, Any] = {}
        for key in sorted(keys):
            kind = Optional[_GIVEN_TYPES[key]] if key in _NULLABLE else _GIVEN_TYPES[key]  # noqa: UP045
            given[key] = (kind, ... if key in _REQUIRED[area] else None)
        models[area] = create_model(
            f"{area}_scenario", __base__=Model, name=(StrictStr, ...), expect=(expect, ...), **given
        )
    return models


def _scenario(
    reader: Reader,
    area: str,
    i: int,
    entry: Any,
    *,
    raw: Mapping[str, Any],
    roster: Roster | Literal[False] | None,
    file: str,
) -> Scenario:
    where: Path_ = (area, i)
    if raw.get("document") is not None:
        document = raw["document"]
        reader.build((*where, "document"), lambda: Document.from_mapping(document), _DOCUMENT_FIELDS)
    if raw.get("plan") is not None:
        plan = raw["plan"]
        reader.build((*where, "plan"), lambda: MeetingPlan.from_mapping(plan), _PLAN_FIELDS)
    absences = getattr(entry, "absences", None) or ()
    absences_from_entries(reader, absences, (*where, "absences"))
    if roster is None and (area in _ON_A_DAY or (area == "signing" and entry.on is not None)):
        reader.add(where, "GR011", "this scenario is asked on a day with a roster; the file needs `people:`")
    elif roster is not None and roster is not False:
        for j, absence in enumerate(absences):
            if absence.person not in roster:
                reader.add(
                    (*where, "absences", j, "person"),
                    "GR013",
                    f"`{absence.person}` is not in the file's `people:`",
                    _args.did_you_mean(absence.person, [p.id for p in roster], list_all=False),
                )
    line = reader.doc.position(where)[0] if reader.doc is not None else 0
    given = {k: v for k, v in raw.items() if k not in ("name", "expect")}
    return Scenario(file, line, area, entry.name, given, raw["expect"])


_DOCUMENT_FIELDS = tuple(f.name for f in dataclasses.fields(Document))
_PLAN_FIELDS = tuple(f.name for f in dataclasses.fields(MeetingPlan))


def run(scenario: Scenario, profile: Profile, roster: Roster | None = None) -> Outcome:
    """Ask the profile the scenario's question and compare with what it expects."""
    area = AREAS[scenario.area]
    expect = scenario.expect
    try:
        answer = area.ask(profile, _Given(scenario, roster))
    except NotCovered as exc:
        if expect.get("not_covered"):
            return Outcome(scenario, (), None)
        return Outcome(scenario, (f"expected an answer, got: {exc}",), None)
    except (GovrulesError, KeyError, TypeError) as exc:
        return Outcome(scenario, (f"error: {exc}",), None)
    if expect.get("not_covered"):
        return Outcome(scenario, ("expected not covered, got an answer",), answer)
    return Outcome(scenario, tuple(_compare(expect, area.actual(answer))), answer)


class _Given:
    """A scenario's ``given``, with the readers families use to build their arguments."""

    def __init__(self, scenario: Scenario, roster: Roster | None) -> None:
        self._given = scenario.given
        self._roster = roster

    def __getitem__(self, key: str) -> Any:
        return self._given[key]

    def __contains__(self, key: object) -> bool:
        return key in self._given

    def get(self, key: str, default: Any = None) -> Any:
        return self._given.get(key, default)

    def document(self) -> Document:
        return Document.from_mapping(self._given["document"])

    def roster(self) -> Roster:
        if self._roster is None:
            raise InvalidArgument("the scenario file has no `people:` roster")
        return self._roster

    def absences(self) -> tuple[Absence, ...]:
        return tuple(_absence(a) for a in self._given.get("absences") or ())

    def day(self) -> dict[str, Any]:
        return {"on": parse_date(self._given["on"], name="on"), "roster": self.roster(), "absences": self.absences()}

    def moment(self, key: str) -> dt.date | dt.datetime:
        return _moment(key, self._given[key])


def _moment(name: str, value: Any) -> dt.date | dt.datetime:
    return parse_moment(value, name=name)


def _compare(expect: Mapping[str, Any], actual: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    for key, value in expect.items():
        if key == "not_covered":  # `not_covered: false` adds nothing to an answer that exists
            continue
        got = actual[key]
        wanted: Any
        if key == "frequency" and isinstance(value, dict) and isinstance(got, dict):
            # per and times always; the flags (as_needed, regular, in_principle) where the scenario states them
            wanted = {**value, "per": value.get("per"), "times": list(value.get("times") or [])}
            got = {k: got.get(k) for k in wanted}
        elif key == "due":
            wanted = _moment("due", value).isoformat()
        elif key == "assumed":
            wanted = [_moment("assumed", x).isoformat() for x in value]
        elif isinstance(got, set):
            wanted = set(value)
        elif isinstance(got, list) and key in ("codes", "severities"):
            wanted = sorted(value)
        else:
            wanted = value
        if wanted != got:
            problems.append(f"{key}: expected {_show(wanted)}, got {_show(got)}")
    return problems


def _show(value: Any) -> str:
    return str(sorted(value)) if isinstance(value, set) else str(value)


def run_file(path: str | Path) -> list[Outcome]:
    """Run every scenario of a file against the profile it names."""
    found = read_scenarios(path)
    target = found.profile
    profile = load(target if "/" not in target else Path(path).parent / target)
    return [run(s, profile, found.roster) for s in found.scenarios]


__all__ = ["Outcome", "Scenario", "ScenarioFile", "read_scenarios", "run", "run_file"]
