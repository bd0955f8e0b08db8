"""Scenario files: given facts → the expected answer and its basis (docs/scenario-format.md).

The project's own tests are written this way, and so can a profile author's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govrules.answers import Citation
from govrules.diagnostics import Diagnostic
from govrules.documents import Document
from govrules.errors import GovrulesError, InvalidArgument, NotCovered, ProfileError
from govrules.families import AREAS
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
        return {"on": _date("on", self._given["on"]), "roster": self.roster(), "absences": self.absences()}

    def moment(self, key: str) -> dt.date | dt.datetime:
        return _moment(key, self._given[key])


def _moment(name: str, value: Any) -> dt.date | dt.datetime:
    text = str(value)
    try:
        return dt.datetime.fromisoformat(text) if ("T" in text or " " in text) else dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidArgument(f"`{name}`: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got `{value!r}`") from None


def _compare(expect: Mapping[str, Any], actual: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
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
