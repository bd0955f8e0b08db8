"""Witnesses: for one compliance rule, the situations its own conditions describe, put to the live
engine. A rule whose witnesses raise none of its violations never decides anything."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from govrules import vocabulary as v
from govrules.analysis import domain

if TYPE_CHECKING:
    from govrules.families.compliance import ComplianceRule, Violation
    from govrules.profile import Profile


def _first(terms: Mapping[str, tuple[str, ...] | bool]) -> dict[str, Any]:
    return {k: (value if isinstance(value, bool) else value[0]) for k, value in terms.items()}


def witnesses(profile: Profile, rule: ComplianceRule) -> Iterator[Violation]:
    """The violations the engine finds in the situations ``rule``'s conditions describe (one per
    alternative), all rules of the profile taking part."""
    from govrules.documents import AgendaItem
    from govrules.families.compliance import Compliance
    from govrules.roster import Absence

    family = profile.family(Compliance)
    for cond in rule.document or ():
        point = _first(cond.terms())
        if point.get("chaired_by") not in (None, "none") and point["chaired_by"] not in profile.roles:
            continue  # pragma: no cover - validation refuses unknown roles
        yield from profile.check(domain.document(point))
    for item in rule.agenda or ():
        terms = _first(item.terms())
        meeting = terms.pop("meeting", "executive")
        fact = AgendaItem("witness", **terms).fact(meeting, 0)
        yield from family.violations(profile.run([fact]).derived)
    for plan in rule.meeting_plan or ():
        yield from profile.check(plan.witness())
    if rule.absent_together is not None:
        on = profile.effective
        reason = rule.reasons[0] if rule.reasons else "out_of_city"
        if rule.absent_together == "ab_partner":
            roster, pair = domain.roster(partners=[("vice_mayor", domain.VICE)]), ("vice_mayor", domain.VICE)
        else:
            roster, pair = domain.roster(), ("vice_mayor", "deputy_secretary_general")
        absences = [Absence(pid, on, on, reason) for pid in pair]
        yield from profile.check(absences=absences, roster=roster, on=on)


def reasons() -> tuple[str, ...]:
    return tuple(v.REASONS)
