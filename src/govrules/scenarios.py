"""Scenario files: given facts → the expected answer and its basis (docs/scenario-format.md).

The project's own tests are written this way, and so can a profile author's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govrules.answers import Route
from govrules.diagnostics import Diagnostic
from govrules.documents import Document
from govrules.errors import GovrulesError, NotCovered, ProfileError
from govrules.loader import Document as YamlDocument
from govrules.loader import YamlProblem, read
from govrules.profile import Profile
from govrules.registry import load

_EXPECT_KEYS = frozenset({"signers", "reviewers", "delegable_to", "articles", "rules", "not_covered"})
_AREAS = ("signing", "seals")


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
    route: Route | None

    @property
    def passed(self) -> bool:
        return not self.problems

    def report(self) -> str:
        head = f"{self.scenario.file}:{self.scenario.line}: {self.scenario.name}"
        lines = [head, *(f"  {p}" for p in self.problems)]
        if self.route is not None:
            lines.append(f"  rules that decided it: {', '.join(self.route.rules)}")
        return "\n".join(lines)


def read_scenarios(path: str | Path) -> tuple[str, tuple[Scenario, ...]]:
    """The profile a scenario file names, and its scenarios; :class:`ProfileError` if malformed."""
    try:
        doc = read(path)
    except YamlProblem as problem:
        raise ProfileError(problem.diagnostics) from None
    data = doc.data
    problems: list[Diagnostic] = []
    if not isinstance(data, dict) or not isinstance(data.get("profile"), str):
        raise ProfileError([doc.diagnostic((), "GR011", "a scenario file starts with `profile: <id or path>`")])
    for key in data:
        if key != "profile" and key not in _AREAS:
            problems.append(doc.diagnostic((key,), "GR010", f"unknown key `{key}`", key=True))
    scenarios: list[Scenario] = []
    names: set[tuple[str, str]] = set()
    for area in _AREAS:
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
    return data["profile"], tuple(scenarios)


def _scenario(doc: YamlDocument, area: str, i: int, entry: Any, problems: list[Diagnostic]) -> Scenario | None:
    where = (area, i)
    given_key = "document" if area == "signing" else "seal"
    if not isinstance(entry, dict):
        problems.append(doc.diagnostic(where, "GR012", "a scenario is a mapping with `name`, the facts and `expect`"))
        return None
    for key in entry:
        if key not in ("name", given_key, "expect"):
            problems.append(doc.diagnostic((*where, key), "GR010", f"unknown key `{key}`", key=True))
    name, given, expect = entry.get("name"), entry.get(given_key), entry.get("expect")
    if not isinstance(name, str) or given is None or not isinstance(expect, dict):
        problems.append(doc.diagnostic(where, "GR011", f"a scenario needs `name`, `{given_key}` and `expect`"))
        return None
    for key in expect:
        if key not in _EXPECT_KEYS:
            problems.append(doc.diagnostic((*where, "expect", key), "GR010", f"unknown key `{key}`", key=True))
    line = doc.position(where)[0]
    facts = given if isinstance(given, dict) else {"seal": given}
    return Scenario(doc.file, line, area, name, facts, expect)


def run(scenario: Scenario, profile: Profile) -> Outcome:
    """Ask the profile the scenario's question and compare with what it expects."""
    try:
        if scenario.area == "signing":
            attrs = dict(scenario.given)
            for key in ("portfolios", "authorised"):
                if key in attrs:
                    attrs[key] = tuple(attrs[key])
            route = profile.sign(Document(**attrs))
        else:
            route = profile.seal(scenario.given["seal"])
    except NotCovered as exc:
        if scenario.expect.get("not_covered"):
            return Outcome(scenario, (), None)
        return Outcome(scenario, (f"expected an answer, got: {exc}",), None)
    except GovrulesError as exc:
        return Outcome(scenario, (f"error: {exc}",), None)
    if scenario.expect.get("not_covered"):
        return Outcome(scenario, (f"expected not covered, got signers {list(route.signers)}",), route)
    return Outcome(scenario, tuple(_compare(scenario.expect, route)), route)


def _compare(expect: Mapping[str, Any], route: Route) -> list[str]:
    problems: list[str] = []
    actual: dict[str, Any] = {
        "signers": set(route.signers),
        "delegable_to": set(route.delegable_to),
        "articles": {c.article for c in route.basis},
        "rules": set(route.rules),
        "reviewers": list(route.reviewers),
    }
    for key, value in expect.items():
        if key == "not_covered":
            continue
        wanted = list(value) if key == "reviewers" else set(value)
        if wanted != actual[key]:
            problems.append(f"{key}: expected {_show(wanted)}, got {_show(actual[key])}")
    return problems


def _show(value: Any) -> str:
    return str(sorted(value)) if isinstance(value, set) else str(value)


def run_file(path: str | Path) -> list[Outcome]:
    """Run every scenario of a file against the profile it names."""
    target, scenarios = read_scenarios(path)
    profile = load(target if "/" not in target else Path(path).parent / target)
    return [run(s, profile) for s in scenarios]
