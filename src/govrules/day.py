"""A day's state: who is away, the delegation graph, and the absences' violations.

Built once per question from a roster, the day's absences and the profile's rules (person and
absence facts through the engine), and read by the families that staff answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govrules.errors import InvalidArgument
from govrules.families.acting import ActingFamily
from govrules.families.base import check_date
from govrules.families.compliance import Compliance, Violation
from govrules.roster import Absence, Roster
from govrules.staffing import Staffer

if TYPE_CHECKING:
    from govrules.delegation import Graph
    from govrules.profile import Profile


@dataclass(frozen=True, slots=True)
class Day:
    on: dt.date
    roster: Roster
    away: frozenset[str]
    graph: Graph
    violations: tuple[Violation, ...]
    absences: tuple[Absence, ...] = ()  # those of ``on``: where and why each official is away


def build(profile: Profile, on: dt.date | None, roster: Roster | None, absences: tuple[Absence, ...]) -> Day:
    """The state of ``on`` for ``roster`` with ``absences`` (validated here, at the boundary)."""
    if on is None:
        raise InvalidArgument("`on`: a date is required when a roster or absences are given; nothing reads the clock")
    check_date(profile, "on", on)
    if not isinstance(roster, Roster):
        raise InvalidArgument(f"`roster`: expected a `govrules.Roster`, got `{roster!r}`")
    for absence in absences:
        if not isinstance(absence, Absence):
            raise InvalidArgument(f"`absences`: expected `govrules.Absence` values, got `{absence!r}`")
        if absence.person not in roster:
            roster[absence.person]  # raises with a suggestion
    today = [a for a in absences if a.covers(on)]
    staffer = Staffer(profile.spec.roles)  # a counterpart (对口) only in an office the profile says serves
    facts: list[Mapping[str, Any]] = [staffer.person_fact(p) for p in roster]
    facts += [a.fact() for a in today]
    derived = profile.run(facts).derived
    away = frozenset(a.person for a in today)
    graph = profile.family(ActingFamily).graph(derived, away, [p.id for p in roster])
    return Day(on, roster, away, graph, profile.family(Compliance).violations(derived, on=on), tuple(today))
