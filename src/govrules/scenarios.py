"""Scenario files: given facts → the expected answer and its basis (docs/scenario-format.md).

The project's own tests are written this way, and so can a profile author's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, StrictBool, StrictInt, StrictStr, create_model

from govrules import _args
from govrules.answers import Acting, Citation, Deadline, MeetingCheck, MeetingRule, Quorum, Route, Violation
from govrules.documents import AgendaItem, Document
from govrules.errors import GovrulesError, InvalidArgument, NotCovered
from govrules.inputs import IsoDate, Model, Moment, Reader, read_yaml
from govrules.loader import Path_
from govrules.profile import Profile
from govrules.registry import load
from govrules.roster import (
    Absence,
    Roster,
    _absence,
    _AbsenceEntry,
    _date,
    _PersonEntry,
    absences_from_entries,
    roster_from_entries,
)

#: What each area's scenarios give, and what they may expect.
_GIVEN = {
    "signing": {"document", "on", "absences"},
    "seals": {"seal"},
    "acting": {"who", "duty", "on", "absences"},
    "checks": {"on", "absences"},
    "deadlines": {"kind", "at", "urgency", "complex", "provisional", "status_on"},
    "meetings": {"kind"},
    "quorum": {"kind", "expected", "present"},
    "meeting_checks": {"kind", "attendees", "chair", "agenda", "on", "absences"},
    "compliance": {"document"},
}
_EXPECT = {
    "signing": {
        "signers",
        "reviewers",
        "delegable_to",
        "articles",
        "rules",
        "not_covered",
        "persons",
        "acting_for",
        "unresolved",
    },
    "seals": {"signers", "delegable_to", "articles", "rules", "not_covered"},
    "acting": {"person", "chain", "candidates", "unresolved", "articles", "rules", "not_covered"},
    "checks": {"codes", "severities", "articles"},
    "deadlines": {
        "due",
        "unit",
        "amount",
        "direction",
        "on_expiry",
        "in_principle",
        "provisional",
        "assumed",
        "articles",
        "rules",
        "not_covered",
        "status",
    },
    "meetings": {
        "members",
        "convener",
        "chair",
        "chair_delegates",
        "frequency",
        "quorum",
        "leave_approver",
        "leave_approvers",
        "substitutes_allowed",
        "attendee_roles",
        "minutes_signers",
        "agenda_proposed_by",
        "agenda_approved_by",
        "articles",
        "rules",
        "not_covered",
    },
    "quorum": {"quorate", "needed", "articles", "not_covered"},
    "meeting_checks": {"missing_members", "non_members", "chair_valid", "quorate", "leave", "codes", "not_covered"},
    "compliance": {"codes", "severities", "articles"},
}
_REQUIRED = {
    "signing": {"document"},
    "seals": {"seal"},
    "acting": {"who", "duty", "on"},
    "checks": {"on"},
    "deadlines": {"kind", "at"},
    "meetings": {"kind"},
    "quorum": {"kind", "expected", "present"},
    "meeting_checks": {"kind", "attendees"},
    "compliance": {"document"},
}


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
        if isinstance(self.answer, (Route, Acting, MeetingRule, Quorum, MeetingCheck)):
            return self.answer.basis
        if isinstance(self.answer, tuple) and self.answer and isinstance(self.answer[0], Deadline):
            return self.answer[0].basis
        if isinstance(self.answer, tuple):
            return tuple(c for v in self.answer if isinstance(v, Violation) for c in v.basis)
        return ()

    def report(self) -> str:
        head = f"{self.scenario.file}:{self.scenario.line}: {self.scenario.name}"
        lines = [head, *(f"  {p}" for p in self.problems)]
        if isinstance(self.answer, (Route, Acting)):
            lines.append(f"  rules that decided it: {', '.join(self.answer.rules) or '(none)'}")
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


def run(scenario: Scenario, profile: Profile, roster: Roster | None = None) -> Outcome:
    """Ask the profile the scenario's question and compare with what it expects."""
    ask: Callable[[], Any] = {
        "signing": lambda: _sign(scenario, profile, roster),
        "seals": lambda: profile.seal(scenario.given["seal"]),
        "acting": lambda: profile.acting(scenario.given["who"], duty=scenario.given["duty"], **_day(scenario, roster)),
        "checks": lambda: tuple(profile.check(**_day(scenario, roster))),
        "deadlines": lambda: _deadline(scenario, profile),
        "meetings": lambda: profile.meeting(scenario.given["kind"]),
        "quorum": lambda: profile.quorum(
            scenario.given["kind"], expected=scenario.given["expected"], present=scenario.given["present"]
        ),
        "meeting_checks": lambda: _meeting_check(scenario, profile, roster),
        "compliance": lambda: tuple(profile.check(Document.from_mapping(scenario.given["document"]))),
    }[scenario.area]
    expect = scenario.expect
    try:
        answer = ask()
    except NotCovered as exc:
        if expect.get("not_covered"):
            return Outcome(scenario, (), None)
        return Outcome(scenario, (f"expected an answer, got: {exc}",), None)
    except (GovrulesError, KeyError, TypeError) as exc:
        return Outcome(scenario, (f"error: {exc}",), None)
    if expect.get("not_covered"):
        return Outcome(scenario, ("expected not covered, got an answer",), answer)
    return Outcome(scenario, tuple(_compare(expect, answer)), answer)


def _day(scenario: Scenario, roster: Roster | None) -> dict[str, Any]:
    if roster is None:
        raise InvalidArgument("the scenario file has no `people:` roster")
    absences: tuple[Absence, ...] = tuple(_absence(a) for a in scenario.given.get("absences") or ())
    return {"on": _date("on", scenario.given["on"]), "roster": roster, "absences": absences}


def _meeting_check(scenario: Scenario, profile: Profile, roster: Roster | None) -> MeetingCheck:
    if roster is None:
        raise InvalidArgument("the scenario file has no `people:` roster")
    given = scenario.given
    agenda = tuple(AgendaItem(**item) for item in given.get("agenda") or ())
    day = _day(scenario, roster) if "on" in given else {"roster": roster}
    return profile.check_meeting(
        given["kind"], attendees=tuple(given["attendees"]), chair=given.get("chair"), agenda=agenda, **day
    )


def _sign(scenario: Scenario, profile: Profile, roster: Roster | None) -> Route:
    document = Document.from_mapping(scenario.given["document"])
    if "on" in scenario.given:
        return profile.sign(document, **_day(scenario, roster))
    return profile.sign(document)


def _moment(name: str, value: Any) -> dt.date | dt.datetime:
    text = str(value)
    try:
        return dt.datetime.fromisoformat(text) if ("T" in text or " " in text) else dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidArgument(f"`{name}`: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got `{value!r}`") from None


def _deadline(scenario: Scenario, profile: Profile) -> tuple[Deadline, str | None]:
    given = scenario.given
    deadline = profile.deadline(
        given["kind"],
        _moment("at", given["at"]),
        urgency=given.get("urgency"),
        complex=given.get("complex", False),
        provisional=given.get("provisional", False),
    )
    status = deadline.status(_moment("status_on", given["status_on"])).state if "status_on" in given else None
    return deadline, status


def _actual(answer: Any) -> dict[str, Any]:
    if isinstance(answer, MeetingRule):
        return {
            "members": set(answer.members),
            "convener": answer.convener,
            "chair": answer.chair,
            "chair_delegates": set(answer.chair_delegates),
            "frequency": None
            if answer.frequency is None
            else {"per": answer.frequency.per, "times": list(answer.frequency.times)},
            "quorum": answer.quorum is not None,
            "leave_approver": answer.leave_approver,
            "leave_approvers": dict(answer.leave_approvers),
            "substitutes_allowed": answer.substitutes_allowed,
            "attendee_roles": {a.role for a in answer.attendees if a.role},
            "minutes_signers": set(answer.minutes.signers) if answer.minutes else set(),
            "agenda_proposed_by": set(answer.agenda_proposed_by),
            "agenda_approved_by": set(answer.agenda_approved_by),
            "articles": {c.article for c in answer.basis},
            "rules": set(answer.rules),
        }
    if isinstance(answer, Quorum):
        return {"quorate": answer.quorate, "needed": answer.needed, "articles": {c.article for c in answer.basis}}
    if isinstance(answer, MeetingCheck):
        return {
            "missing_members": set(answer.missing_members),
            "non_members": set(answer.non_members),
            "chair_valid": answer.chair_valid,
            "quorate": None if answer.quorum is None else answer.quorum.quorate,
            "leave": dict(answer.leave),
            "codes": sorted(v.code for v in answer.violations),
        }
    if isinstance(answer, tuple) and answer and isinstance(answer[0], Deadline):
        deadline, status = answer
        return {
            "due": deadline.due.isoformat(),
            "unit": deadline.unit,
            "amount": deadline.amount,
            "direction": deadline.direction,
            "on_expiry": deadline.on_expiry,
            "in_principle": deadline.in_principle,
            "provisional": deadline.provisional,
            "assumed": [d.isoformat() for d in deadline.assumed],
            "articles": {c.article for c in deadline.basis},
            "rules": set(deadline.rules),
            "status": status,
        }
    if isinstance(answer, Route):
        return {
            "signers": set(answer.signers),
            "delegable_to": set(answer.delegable_to),
            "articles": {c.article for c in answer.basis},
            "rules": set(answer.rules),
            "reviewers": list(answer.reviewers),
            "persons": set(answer.persons),
            "acting_for": dict(answer.acting_for),
            "unresolved": answer.unresolved is not None,
        }
    if isinstance(answer, Acting):
        return {
            "person": answer.person,
            "chain": list(answer.chain),
            "candidates": set(answer.candidates),
            "unresolved": answer.unresolved is not None,
            "articles": {c.article for c in answer.basis},
            "rules": set(answer.rules),
        }
    return {
        "codes": sorted(v.code for v in answer),
        "severities": sorted(v.severity for v in answer),
        "articles": {c.article for v in answer for c in v.basis},
    }


def _compare(expect: Mapping[str, Any], answer: Any) -> list[str]:
    problems: list[str] = []
    actual = _actual(answer)
    for key, value in expect.items():
        if key == "not_covered":  # `not_covered: false` adds nothing to an answer that exists
            continue
        got = actual[key]
        wanted: Any
        if key == "frequency" and isinstance(value, dict):
            wanted = {"per": value.get("per"), "times": list(value.get("times", []))}
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
