"""``Profile.gaps``: the smallest sets of absences that leave a covered question with no one to act."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govrules import _args
from govrules import vocabulary as v
from govrules.analysis import domain
from govrules.analysis.questions import route_short
from govrules.answers import Answer, Citation
from govrules.errors import ConflictError, InvalidArgument, NotCovered
from govrules.families.base import check_date
from govrules.families.signing import Signing

if TYPE_CHECKING:
    from govrules.documents import Document
    from govrules.profile import Profile
    from govrules.roster import Roster


@dataclass(frozen=True, slots=True)
class Gap(Answer):
    """A question no one present may answer while the persons ``absent`` are away (and that someone
    may answer when any one of them is back): ``reason`` says why, ``basis`` the rules that leave it so."""

    question: str
    absent: tuple[str, ...]
    reason: str
    basis: tuple[Citation, ...]
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Ask:
    question: str
    ask: Any  # (absences) -> (acting person ids or (), reason, basis, rules)


def _documents(profile: Profile, roster: Roster, duty: str) -> Iterator[tuple[str, Document]]:
    """One document per way of staffing the covered routes: the final signers, the leaders its
    portfolios name (each leader of the roster in turn), who chaired the meeting, urgency."""
    urgent = duty == "sign_urgent"
    leaders = [p.portfolios[0] for p in roster if p.portfolios]
    seen: set[tuple[Any, ...]] = set()
    for found in domain.points(profile.family(Signing).rules):
        if "urgency" in found and (found["urgency"] in ("urgent", "extra_urgent")) != urgent:
            continue
        point = {**found, "urgency": "urgent"} if urgent and "urgency" not in found else found
        try:
            route = profile.sign(domain.document(point))
        except (NotCovered, ConflictError):
            continue
        if route.final_step is None:
            continue
        bindings: list[tuple[str, ...] | None] = [None]  # None: the point's own portfolios
        if _PORTFOLIO_ROLES & {*route.signers, point.get("chaired_by")}:
            several = point.get("portfolios") == "several"
            bindings = [tuple(leaders[:2])] if several and len(leaders) >= 2 else [(x,) for x in leaders]
        for portfolios in bindings:
            doc = domain.document(point, portfolios=portfolios)
            key = (route.signers, doc.portfolios, doc.chaired_by)
            if key in seen:
                continue
            seen.add(key)
            where = f"（分管：{'、'.join(doc.portfolios)}）" if portfolios else ""
            chair = f"（主持：{doc.chaired_by}）" if doc.chaired_by else ""
            yield f"{route_short(route, profile, 'zh')}{where}{chair}", doc


#: Roles filled through the portfolios a document touches.
_PORTFOLIO_ROLES = frozenset({"leader_in_charge", "counterpart_deputy_secretary_general"})


def gaps(
    profile: Profile,
    *,
    roster: Roster,
    on: dt.date,
    duty: str = "sign",
    max_absent: int = 2,
    reason: str = "out_of_city",
) -> tuple[Gap, ...]:
    """The minimal sets of at most ``max_absent`` persons of ``roster`` whose absence (for ``reason``,
    on ``on``) leaves a covered question with no one allowed to act.

    For ``duty`` ``sign`` (or ``sign_urgent``) the questions are the documents of the signing domain
    (normal, or urgent), staffed with the roster: one per route and per leader its portfolios name.
    For any other duty, the questions are who performs it for each person of the roster. A question
    no one can answer even with everyone present is a staffing problem, not a gap, and is left out.

    Examples
    --------
    >>> import datetime as dt, govrules
    >>> from govrules import Person, Roster
    >>> roster = Roster([Person("m", "mayor"), Person("a", "vice_mayor", portfolios=["p1"], ab_partner="b"),
    ...                  Person("b", "vice_mayor", portfolios=["p2"], ab_partner="a")])
    >>> found = govrules.load(govrules.profiles()[0]).gaps(roster=roster, on=dt.date(2025, 3, 3))
    >>> all(1 <= len(g.absent) <= 2 and g.reason for g in found)
    True
    """
    from govrules.roster import Absence, Roster

    if not isinstance(roster, Roster):
        raise InvalidArgument(f"`roster`: expected a `govrules.Roster`, got `{roster!r}`")
    check_date(profile, "on", on)
    _args.choice("duty", duty, v.DUTIES)
    _args.choice("reason", reason, v.REASONS)
    if isinstance(max_absent, bool) or not isinstance(max_absent, int) or not 1 <= max_absent <= 4:
        raise InvalidArgument(f"`max_absent`: expected a whole number from 1 to 4, got `{max_absent!r}`")
    people = [p.id for p in roster]

    def away(ids: tuple[str, ...]) -> list[Absence]:
        return [Absence(pid, on, on, reason) for pid in ids]

    asks: list[_Ask] = []
    if duty in ("sign", "sign_urgent"):
        for question, doc in _documents(profile, roster, duty):

            def sign(ids: tuple[str, ...], doc: Document = doc) -> tuple[bool, str, Any]:
                route = profile.sign(doc, on=on, roster=roster, absences=away(ids))
                return bool(route.persons), route.unresolved or "", route

            asks.append(_Ask(question, sign))
    else:
        for pid in people:

            def act(ids: tuple[str, ...], pid: str = pid) -> tuple[bool, str, Any]:
                try:
                    found = profile.acting(pid, on=on, roster=roster, absences=away(ids), duty=duty)
                except NotCovered as exc:
                    return False, str(exc), None
                return found.person is not None, found.unresolved or "", found

            asks.append(_Ask(f"{v.DUTIES[duty][0]}：{pid}", act))
    found: list[Gap] = []
    for ask in asks:
        if not ask.ask(())[0]:
            continue  # no one can act even with everyone present: not a gap of absences
        minimal: list[frozenset[str]] = []
        for size in range(1, max_absent + 1):
            for ids in itertools.combinations(people, size):
                if any(m <= set(ids) for m in minimal):
                    continue
                ok, why, answer = ask.ask(ids)
                if ok:
                    continue
                minimal.append(frozenset(ids))
                basis = tuple(getattr(answer, "basis", ()) or ())
                rules = tuple(getattr(answer, "rules", ()) or ())
                found.append(Gap(ask.question, ids, why, basis, rules))
    return tuple(found)
