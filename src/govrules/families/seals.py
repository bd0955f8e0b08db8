"""Seals (用印): whose consent the use of each seal needs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import Field, StrictStr

from govrules import _args, facts
from govrules import vocabulary as v
from govrules.compile import RuleSink
from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.errors import ConflictError, NotCovered
from govrules.families.base import CheckContext, Family, ScenarioArea, ScenarioInput
from govrules.families.signing import Route, Step, route_of
from govrules.model import Ids, RuleEntry

if TYPE_CHECKING:
    from govrules.profile import Profile


class SealRule(RuleEntry):
    """The roles who approve the use of ``seal``, and to whom approval may be delegated."""

    seal: StrictStr
    approvers: Ids = Field(min_length=1)
    delegable_to: Ids = ()
    authorised_by: Ids = ()


class Seals(Family[SealRule]):
    """Whose consent the use of a seal needs."""

    section = "seals"
    entry = SealRule
    queries = ("seal",)
    supports = ("signers", "delegable_to")

    @classmethod
    def validate(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        for i, seal in enumerate(cls.entries(ctx.spec)):
            where = ("seals", i)
            if seal.seal not in v.SEALS:
                yield ctx.doc.diagnostic(
                    (*where, "seal"), "GR013", f"unknown seal `{seal.seal}`", did_you_mean(seal.seal, v.SEALS)
                )
            for key in ("approvers", "delegable_to", "authorised_by"):
                yield from ctx.roles_known((*where, key), getattr(seal, key))

    @classmethod
    def compile(cls, rules: Sequence[SealRule], out: RuleSink) -> None:
        for seal in rules:
            pattern = {"m": {"$and": [{"type": facts.SEAL_REQUEST.name}, {"seal": seal.seal}]}}
            out.add(f"{seal.id}#0", [pattern], seal.id, facts.SEAL, rule=seal.id)

    def seal(self, seal: str) -> Route:
        """Whose consent the use of a seal needs (用印), with the articles that say so."""
        _args.choice("seal", seal, v.SEALS)
        derived = self.profile.run([facts.SEAL_REQUEST.make(seal=seal)]).derived
        rules = self.in_profile_order(f["rule"] for f in facts.SEAL.of(derived))
        question = f"the use of the seal `{seal}`"
        if not rules:
            raise NotCovered(self.profile.id, question)
        if len({(r.approvers, r.delegable_to, r.authorised_by) for r in rules}) > 1:
            raise ConflictError(self.profile.id, question, [r.id for r in rules])
        first = rules[0]
        step = Step("seal", first.approvers, "any", None, first.delegable_to, first.authorised_by)
        return route_of(self.profile, (step,), signers=first.approvers, reviewers=(), rules=rules, question=question)


def _ask(profile: Profile, given: ScenarioInput) -> Route:
    return profile.seal(given["seal"])


def _actual(answer: Route) -> dict[str, Any]:
    return {
        "signers": set(answer.signers),
        "delegable_to": set(answer.delegable_to),
        "articles": {c.article for c in answer.basis},
        "rules": set(answer.rules),
    }


Seals.areas = MappingProxyType(
    {
        "seals": ScenarioArea(
            _ask,
            _actual,
            given=frozenset({"seal"}),
            required=frozenset({"seal"}),
            expect=frozenset({"articles", "delegable_to", "not_covered", "rules", "signers"}),
        )
    }
)
