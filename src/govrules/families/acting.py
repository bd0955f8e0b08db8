"""Who acts for whom (AB角 / 工作互补 / 工作补位 / 主持工作): substitution rules.

For a day's absences the engine derives *grants* (an absent official, a stand-in, the rule, the rank
among the rule's ordered alternatives); :mod:`govrules.delegation` turns them into the day's graph
and resolves, for one duty, who actually acts.
"""

from __future__ import annotations

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

if TYPE_CHECKING:
    from govrules.day import Day
    from govrules.delegation import Graph, Resolution
    from govrules.profile import Profile
    from govrules.roster import Absence, Roster


class SubstitutionRule(RuleEntry):
    """Who stands in for an absent official, when, and for which duties."""

    absent: StrictStr
    reasons: Ids = Field(min_length=1)
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
        for i, sub in enumerate(cls.entries(ctx.spec)):
            where = ("substitution", i)
            if sub.absent not in ctx.offices:
                yield ctx.doc.diagnostic(
                    (*where, "absent"),
                    "GR022",
                    f"`absent` must be an office, not `{sub.absent}`",
                    did_you_mean(sub.absent, ctx.offices, list_all=False),
                )
            yield from ctx.closed((*where, "reasons"), sub.reasons, v.REASONS, "absence reason")
            yield from ctx.closed((*where, "duties"), sub.duties, v.DUTIES, "duty")
            for k, who in enumerate(sub.acting):
                if who != "ab_partner" and who not in ctx.offices:
                    yield ctx.doc.diagnostic(
                        (*where, "acting", k),
                        "GR022",
                        f"`acting` names `{who}`, which is neither an office nor `ab_partner`",
                        did_you_mean(who, {*ctx.offices, "ab_partner"}, list_all=False),
                    )

    @classmethod
    def lint(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        """Transitive substitutions that can lead back to where they started (resolution stops at the
        cycle and answers unresolved, but the profile probably did not mean it)."""
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
        """Who performs ``duty`` for ``person`` on ``day`` (``person`` themselves when present)."""
        from govrules.delegation import resolve

        return resolve(day.graph, person, duty)

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
        day = profile.day(on, roster, tuple(absences))
        principal = _principal(role_or_person, day.roster)
        office = day.roster[principal].office
        if principal in day.away and not any(office in v.holders(r.absent) for r in self.rules):
            raise NotCovered(profile.id, f"who acts for `{principal}` (`{office}`) while they are away")
        found = self.resolve(day, principal, duty)
        rules = [self.by_id[r] for r in found.rules]
        return Acting(
            profile=profile.id,
            principal=principal,
            duty=duty,
            person=found.person,
            chain=found.chain,
            basis=profile.basis(c for r in rules for c in r.basis),
            rules=found.rules,
            unresolved=found.unresolved,
            candidates=found.candidates,
        )


def _principal(role_or_person: str, roster: Roster) -> str:
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
