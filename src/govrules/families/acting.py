"""Who acts for whom (AB角 / 工作互补 / 工作补位 / 主持工作): substitution rules.

For a day's absences the engine derives *grants* (an absent official, a stand-in, the rule, the rank
among the rule's ordered alternatives); :mod:`govrules.delegation` turns them into the day's graph
and resolves, for one duty, who actually acts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, StrictBool, StrictStr

from govrules import _args, facts
from govrules import vocabulary as v
from govrules.answers import Answer, Citation, Lang, Term, basis_lines, check_lang
from govrules.compile import RuleSink, absence_pattern, one_of, ref
from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.errors import InvalidArgument, NotCovered
from govrules.families.base import CheckContext, Family, ScenarioArea, ScenarioInput
from govrules.model import Ids, RuleEntry
from govrules.staffing import check_roles, lint_roles

if TYPE_CHECKING:
    from govrules.day import Day
    from govrules.delegation import Graph, Resolution
    from govrules.profile import Profile
    from govrules.roster import Absence, Roster


class SubstitutionRule(RuleEntry):
    """Who stands in for an absent official, when, and for which duties.

    ``reasons`` (why the official is away) and ``places`` (where) both restrict the absences the
    rule applies to; an empty list restricts nothing, and a rule gives at least one of them.
    """

    absent: StrictStr
    reasons: Ids = ()
    places: Ids = ()
    entrusted: StrictBool = False
    acting: Ids = Field(min_length=1)
    duties: Ids = Field(min_length=1)
    transitive: StrictBool = False


@dataclass(frozen=True, slots=True)
class Acting(Answer):
    """Who performs a duty for an official on a day, through which chain of substitutions, and why.

    ``person`` is None when no one can be named; ``unresolved`` then says why, and ``candidates``
    lists the people equally entitled when the text does not choose among them.
    """

    profile: str
    principal: str
    duty: Annotated[str, Term("DUTIES")]
    person: str | None
    chain: tuple[str, ...]
    basis: tuple[Citation, ...]
    rules: tuple[str, ...]
    unresolved: str | None = None
    candidates: tuple[str, ...] = ()

    def explain(self, lang: Lang = "zh") -> str:
        zh = check_lang(lang) == "zh"
        if self.person is not None and len(self.chain) == 1:
            head = f"{self.principal} 在岗，本人履职" if zh else f"{self.principal} is present and acts themselves"
        elif self.person is not None:
            path = " → ".join(self.chain)
            head = f"由 {self.person} 代行（{path}）" if zh else f"{self.person} acts ({path})"
        else:
            head = ("无法确定：" if zh else "unresolved: ") + (self.unresolved or "")
        return "\n".join([head, *basis_lines(self.basis, lang)])


class ActingFamily(Family[SubstitutionRule]):
    """Who stands in for an absent official, for which duties."""

    section = "substitution"
    entry = SubstitutionRule
    queries = ("acting",)

    @classmethod
    def validate(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        # how rosters staff the roles a profile declares: acting is about who holds what on a day
        yield from check_roles(ctx)
        for i, sub in enumerate(cls.entries(ctx.spec)):
            where = ("substitution", i)
            # the engine matches roster persons by office, and rosters hold the shared offices
            if sub.absent not in v.OFFICES:
                yield ctx.doc.diagnostic(
                    (*where, "absent"),
                    "GR022",
                    f"`absent` must be an office of the shared vocabulary, not `{sub.absent}`",
                    did_you_mean(sub.absent, v.OFFICES, list_all=False),
                )
            yield from absence_terms(ctx, where, sub.reasons, sub.places)
            yield from ctx.closed((*where, "duties"), sub.duties, v.DUTIES, "duty")
            for k, who in enumerate(sub.acting):
                if who != "ab_partner" and who not in v.OFFICES:
                    yield ctx.doc.diagnostic(
                        (*where, "acting", k),
                        "GR022",
                        f"`acting` names `{who}`, which is neither an office of the shared vocabulary nor `ab_partner`",
                        did_you_mean(who, {*v.OFFICES, "ab_partner"}, list_all=False),
                    )

    @classmethod
    def lint(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        """Declared roles no roster can staff (GR056), and transitive substitutions that can lead back
        to where they started (resolution stops at the cycle and answers unresolved, but the profile
        probably did not mean it)."""
        yield from lint_roles(ctx)
        rules = cls.entries(ctx.spec)
        edges = {
            (absent, stand_in): i
            for i, rule in enumerate(rules)
            if rule.transitive
            for absent in v.holders(rule.absent)
            for who in rule.acting
            for stand_in in (v.holders(rule.absent) if who == "ab_partner" else v.holders(who))
        }
        reported: set[int] = set()
        for (a, b), i in sorted(edges.items(), key=lambda e: e[1]):
            j = edges.get((b, a))
            if j is not None and i not in reported and (a != b or "ab_partner" in rules[i].acting):
                reported |= {i, j}
                cycle = (
                    f"an absent `{a}`'s AB partner is covered by the same rule, and so on back to the first"
                    if a == b
                    else f"`{a}` → `{b}` → `{a}`"
                )
                yield ctx.doc.diagnostic(
                    ("substitution", i, "transitive"),
                    "GR054",
                    f"transitive substitution can cycle: {cycle}",
                    "resolution stops at the cycle and answers unresolved; make one of the rules non-transitive",
                    severity="warning",
                )

    @classmethod
    def compile(cls, rules: Sequence[SubstitutionRule], out: RuleSink) -> None:
        person = facts.PERSON.name
        for sub in rules:
            for rank, who in enumerate(sub.acting):
                absence = absence_pattern(sub.reasons, entrusted=sub.entrusted)
                absence["$and"] += one_of("place", sub.places) if sub.places else []
                principal = {
                    "$and": [{"type": person}, {"pid": {"a": "person"}}, *one_of("office", v.holders(sub.absent))]
                }
                if who == "ab_partner":
                    stand_in = {"$and": [{"type": person}, {"pid": {"p": "ab_partner"}}]}
                else:
                    stand_in = {"$and": [{"type": person}, *one_of("office", v.holders(who))]}
                out.add(
                    f"{sub.id}#{rank}",
                    [{"a": absence}, {"p": principal}, {"q": stand_in}],
                    sub.id,
                    facts.GRANT,
                    rule=sub.id,
                    rank=rank,
                    absent=ref("p", "pid"),
                    by=ref("q", "pid"),
                )

    # -- queries ------------------------------------------------------------------------------------

    def __init__(self, profile: Profile) -> None:
        super().__init__(profile)
        self._order = {r.id: i for i, r in enumerate(self.rules)}

    def graph(self, derived: Iterable[Mapping[str, Any]], away: Iterable[str], people: Iterable[str]) -> Graph:
        """The day's delegation graph from the grants among a query's derived facts."""
        from govrules.delegation import build

        return build(facts.GRANT.of(derived), self.by_id, self._order, away, people)

    def resolve(self, day: Day, person: str, duty: str) -> Resolution:
        """Who performs ``duty`` for ``person`` on ``day`` (``person`` themselves when present).

        Raises :class:`~govrules.InvalidArgument` when an absence on the way does not say where the
        official is and a rule passing ``duty`` turns on it: the answer would otherwise be a guess.
        """
        from govrules.delegation import resolve

        # every absent official whose stand-ins are looked for: the principal, and those a transitive
        # rule passes through (on the answer's chain or not, since either could change the answer)
        found = resolve(day.graph, person, duty, check=lambda absent: self._check_place(day, absent, duty))
        if found.person is None and len(found.chain) == 1 and not day.graph.out_degree(person):
            why = self._why_no_rule(day, person)
            if why:
                found = dataclasses.replace(found, unresolved=f"{found.unresolved}: {why}")
        return found

    def _why_no_rule(self, day: Day, person: str) -> str:
        """Why the rules for an absent official's office do not apply to this absence."""
        office = day.roster[person].office
        absences = [a for a in day.absences if a.person == person]
        parts: list[str] = []
        for rule in self.rules:
            if office not in v.holders(rule.absent) or not absences:
                continue
            if any(_applies(rule, a) for a in absences):
                names = ", ".join(f"`{w}`" for w in rule.acting)
                parts.append(f"`{rule.id}` covers the absence, but no one in the roster is its stand-in ({names})")
                continue
            needs = []
            if rule.reasons:
                needs.append("for " + " or ".join(f"`{r}`" for r in rule.reasons))
            if rule.places:
                needs.append("when " + " or ".join(f"`{p}`" for p in rule.places))
            if rule.entrusted:
                needs.append("when entrusted")
            parts.append(f"`{rule.id}` applies only {' and '.join(needs)}")
        if not parts:
            return ""
        shown = "; ".join(f"{a.reason}, {a.place or 'place not given'}" for a in absences)
        return f"they are away ({shown}), and " + "; ".join(parts)

    def _check_place(self, day: Day, person: str, duty: str) -> None:
        """Raise when the answer for ``person`` would turn on a place their absence does not give.

        A rule that needs the place does not matter when a rule that applies anyway comes first, or
        names the same stand-ins ("出市 or 休假": a vacation is covered wherever it is spent).
        """
        from govrules.delegation import covers

        office = day.roster[person].office
        mine = [r for r in self.rules if office in v.holders(r.absent) and covers(r.duties, duty)]
        theirs = [a for a in day.absences if a.person == person]
        applying = [r for r in mine if any(_applies(r, a) for a in theirs)]  # by any of the day's absences
        for absence in theirs:
            if absence.place is not None:
                continue
            for rule in mine:
                if rule in applying or not rule.places or not _applies(rule, absence, ignore_place=True):
                    continue
                settled = any(
                    self._order[other.id] < self._order[rule.id] or other.acting == rule.acting for other in applying
                )
                if not settled:
                    raise InvalidArgument(unplaced(absence, rule, self.profile))

    def acting(
        self,
        role_or_person: str,
        *,
        on: dt.date,
        roster: Roster,
        absences: Iterable[Absence] = (),
        duty: str,
    ) -> Acting:
        """Who performs ``duty`` for an official (a person id, or an office held by one person) on ``on``."""
        _args.choice("duty", duty, v.DUTIES)
        profile = self.profile
        day = profile.day(on, roster, _args.items("absences", absences, "`govrules.Absence` values"))
        who = principal(role_or_person, day.roster)
        office = day.roster[who].office
        if who in day.away and not any(office in v.holders(r.absent) for r in self.rules):
            raise NotCovered(profile.id, f"who acts for `{who}` (`{office}`) while they are away")
        found = self.resolve(day, who, duty)
        rules = [self.by_id[r] for r in found.rules]
        return Acting(
            profile=profile.id,
            principal=who,
            duty=duty,
            person=found.person,
            chain=found.chain,
            basis=profile.basis(c for r in rules for c in r.basis),
            rules=found.rules,
            unresolved=found.unresolved,
            candidates=found.candidates,
        )


def example_absence(rule: SubstitutionRule, person: str, on: dt.date) -> Absence:
    """An absence of ``person`` on ``on`` that ``rule`` applies to: its first reason (or `other`) at its
    first place (or wherever the reason says), entrusted if the rule asks for it."""
    from govrules.roster import Absence

    reason = rule.reasons[0] if rule.reasons else "other"
    implied = v.PLACE_REASONS.get(reason)
    place = rule.places[0] if rule.places and implied not in rule.places else None
    return Absence(person, on, on, reason, place=place, entrusted=rule.entrusted)


def absence_terms(
    ctx: CheckContext, where: tuple[str | int, ...], reasons: Sequence[str], places: Sequence[str]
) -> Iterator[Diagnostic]:
    """Checks of the absences a rule applies to: known reasons and places, and at least one of them."""
    yield from ctx.closed((*where, "reasons"), reasons, v.REASONS, "absence reason")
    yield from ctx.closed((*where, "places"), places, v.PLACES, "place")
    if not reasons and not places:
        yield ctx.doc.diagnostic(
            where,
            "GR011",
            "the rule does not say which absences it applies to",
            "give `reasons` (why the official is away), `places` (where), or both",
        )


def unplaced(absence: Absence, rule: SubstitutionRule | Any, profile: Profile, argument: str = "absences") -> str:
    """The message for an absence without a ``place`` that ``rule`` needs."""
    cite = next(iter(rule.basis), None)
    where = f" (article {cite.article}: {cite.quote})" if cite is not None else ""
    places = ", ".join(f"`{p}`" for p in v.PLACES)
    return (
        f"`{argument}`: the absence of `{absence.person}` ({absence.reason}, {absence.start} to {absence.end}) "
        f"does not say where they are, and rule `{rule.id}`{where} of profile `{profile.id}` turns on it; "
        f"give its `place`: one of {places}"
    )


def _applies(rule: SubstitutionRule, absence: Absence, *, ignore_place: bool = False) -> bool:
    """Whether ``rule``'s conditions on the absence hold (the engine's test, for explanations)."""
    return (
        (not rule.reasons or absence.reason in rule.reasons)
        and (ignore_place or not rule.places or absence.place in rule.places)
        and (absence.entrusted or not rule.entrusted)
    )


def principal(role_or_person: str, roster: Roster) -> str:
    """The person id of ``role_or_person``: a person of ``roster``, or the office one person holds there."""
    if not isinstance(role_or_person, str):
        raise InvalidArgument(f"`role_or_person`: expected a person id or an office, got `{role_or_person!r}`")
    if role_or_person in roster:
        return role_or_person
    if role_or_person not in v.OFFICES:
        known = [p.id for p in roster] + list(v.OFFICES)
        hint = _args.did_you_mean(role_or_person, known, list_all=False) or ""
        raise InvalidArgument(
            f"`role_or_person`: `{role_or_person}` is neither a person in the roster nor an office; {hint}".rstrip("; ")
        )
    holders = roster.holding(role_or_person)
    if len(holders) != 1:
        who = ", ".join(f"`{p.id}`" for p in holders) or "no one"
        raise InvalidArgument(f"`role_or_person`: the roster has {who} as `{role_or_person}`; name one person by id")
    return holders[0].id


def _ask(profile: Profile, given: ScenarioInput) -> Acting:
    return profile.acting(given["who"], duty=given["duty"], **given.day())


def _actual(answer: Acting) -> dict[str, Any]:
    return {
        "person": answer.person,
        "chain": list(answer.chain),
        "candidates": set(answer.candidates),
        "unresolved": answer.unresolved is not None,
        "articles": {c.article for c in answer.basis},
        "rules": set(answer.rules),
    }


ActingFamily.areas = MappingProxyType(
    {
        "acting": ScenarioArea(
            _ask,
            _actual,
            given=frozenset({"absences", "duty", "on", "who"}),
            required=frozenset({"duty", "on", "who"}),
            expect=frozenset({"articles", "candidates", "chain", "not_covered", "person", "rules", "unresolved"}),
        )
    }
)
