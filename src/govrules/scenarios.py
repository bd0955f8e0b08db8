"""Scenario files: given facts → the expected answer and its basis (docs/scenario-format.md).

The project's own tests are written this way, and so can a profile author's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govrules.answers import Acting, Citation, Deadline, MeetingCheck, MeetingRule, Quorum, Route, Violation
from govrules.diagnostics import Diagnostic
from govrules.documents import AgendaItem, Document
from govrules.errors import GovrulesError, InvalidArgument, NotCovered, ProfileError
from govrules.loader import Document as YamlDocument
from govrules.loader import YamlProblem, read
from govrules.profile import Profile
from govrules.registry import load
from govrules.roster import Absence, Roster, _absence, _date, _person

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
    path: str
    profile: str
    roster: Roster | None
    scenarios: tuple[Scenario, ...]


def read_scenarios(path: str | Path) -> ScenarioFile:
    """A scenario file: the profile it names, its roster, and its scenarios; :class:`ProfileError` if malformed."""
    try:
        doc = read(path)
    except YamlProblem as problem:
        raise ProfileError(problem.diagnostics) from None
    data = doc.data
    problems: list[Diagnostic] = []
    if not isinstance(data, dict) or not isinstance(data.get("profile"), str):
        raise ProfileError([doc.diagnostic((), "GR011", "a scenario file starts with `profile: <id or path>`")])
    for key in data:
        if key not in ("profile", "people", *_GIVEN):
            problems.append(doc.diagnostic((key,), "GR010", f"unknown key `{key}`", key=True))
    roster = _roster(doc, problems)
    scenarios: list[Scenario] = []
    names: set[tuple[str, str]] = set()
    for area in _GIVEN:
        for i, entry in enumerate(data.get(area) or []):
            scenario = _scenario(doc, area, i, entry, problems)
            if scenario is None:
                continue
            if (area, scenario.name) in names:
                problems.append(
                    doc.diagnostic((area, i, "name"), "GR020", f"scenario `{scenario.name}` is named twice")
                )
            names.add((area, scenario.name))
            scenarios.append(scenario)
    if problems:
        raise ProfileError(problems)
    return ScenarioFile(str(path), data["profile"], roster, tuple(scenarios))


def _roster(doc: YamlDocument, problems: list[Diagnostic]) -> Roster | None:
    people = doc.data.get("people")
    if people is None:
        return None
    try:
        return Roster(_person(p) for p in people)
    except (InvalidArgument, KeyError, TypeError, AttributeError) as exc:
        problems.append(doc.diagnostic(("people",), "GR012", f"the roster is not valid: {exc}"))
        return None


def _scenario(doc: YamlDocument, area: str, i: int, entry: Any, problems: list[Diagnostic]) -> Scenario | None:
    where = (area, i)
    if not isinstance(entry, dict):
        problems.append(doc.diagnostic(where, "GR012", "a scenario is a mapping with `name`, the facts and `expect`"))
        return None
    for key in entry:
        if key not in ("name", "expect", *_GIVEN[area]):
            problems.append(doc.diagnostic((*where, key), "GR010", f"unknown key `{key}`", key=True))
    missing = [k for k in ("name", "expect", *sorted(_REQUIRED[area])) if k not in entry]
    if missing or not isinstance(entry.get("expect"), dict):
        problems.append(doc.diagnostic(where, "GR011", f"a scenario needs {', '.join(f'`{k}`' for k in missing)}"))
        return None
    for key in entry["expect"]:
        if key not in _EXPECT[area]:
            problems.append(doc.diagnostic((*where, "expect", key), "GR010", f"unknown key `{key}`", key=True))
    line = doc.position(where)[0]
    given = {k: v for k, v in entry.items() if k not in ("name", "expect")}
    return Scenario(doc.file, line, area, str(entry["name"]), given, entry["expect"])


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
