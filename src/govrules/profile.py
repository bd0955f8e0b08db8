"""A loaded, validated and compiled profile: the object users ask questions of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from types import MappingProxyType
from typing import Any

from govrules import _args
from govrules import vocabulary as v
from govrules.answers import Citation, Route, Step
from govrules.compile import CompiledRuleset, compile_profile
from govrules.documents import Document
from govrules.engine import Engine
from govrules.errors import ConflictError, InvalidArgument, NotCovered
from govrules.model import Citation as CitationSpec
from govrules.model import ProfileSpec, SealRule, SigningRule
from govrules.model import Step as StepSpec


class Profile:
    """One city's working rules, ready to answer questions.

    Obtain one with :func:`govrules.load`. Profiles are immutable and safe to share between threads.

    Examples
    --------
    >>> import govrules
    >>> gov = govrules.load(govrules.profiles()[0])
    >>> gov.id in govrules.profiles()
    True
    """

    __slots__ = ("_engine", "_labels", "_roles", "_seals", "_signing", "compiled", "source", "spec")

    def __init__(self, spec: ProfileSpec, *, source: str) -> None:
        self.spec = spec
        self.source = source
        self.compiled: CompiledRuleset = compile_profile(spec)
        self._engine = Engine(self.compiled)
        self._signing: dict[str, SigningRule] = {r.id: r for r in spec.signing}
        self._seals: dict[str, SealRule] = {r.id: r for r in spec.seals}
        labels = {role: zh for role, (zh, _en) in (*v.OFFICES.items(), *v.RELATIONAL_ROLES.items())}
        labels.update({r.id: r.name for r in spec.roles})
        self._labels = MappingProxyType(labels)
        self._roles = frozenset(labels)

    # -- metadata ------------------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.spec.profile.id

    @property
    def name(self) -> str:
        return self.spec.profile.name

    @property
    def effective(self) -> dt.date:
        return self.spec.profile.effective

    @property
    def roles(self) -> frozenset[str]:
        """Every role id this profile knows (shared vocabulary and its own)."""
        return self._roles

    def label(self, role: str) -> str:
        """The profile's Chinese wording for a role id."""
        return self._labels.get(role, role)

    def __repr__(self) -> str:
        return f"<govrules.Profile {self.id!r}: {self.name}>"

    # -- signing -------------------------------------------------------------------------------

    def sign(self, document: Document) -> Route:
        """Who reviews and who signs ``document``, with the articles that say so.

        Raises :class:`~govrules.NotCovered` when no rule of the profile covers the document, and
        :class:`~govrules.ConflictError` when two rules without stated precedence disagree.
        """
        if not isinstance(document, Document):
            raise InvalidArgument(f"`document`: expected a `govrules.Document`, got `{type(document).__name__}`")
        for role in (*document.authorised, *([document.chaired_by] if document.chaired_by else [])):
            _args.choice("authorised" if role in document.authorised else "chaired_by", role, self._roles)
        result = self._engine.run([document.fact()])
        routes = [self._signing[f["rule"]] for f in result.derived if f["type"] == "signing" and f["effect"] == "route"]
        delegations = [
            self._signing[f["rule"]] for f in result.derived if f["type"] == "signing" and f["effect"] == "delegation"
        ]
        overridden = {target for rule in routes for target in rule.overrides}
        survivors = [r for r in routes if r.id not in overridden]
        question = document.describe()
        if not survivors:
            raise NotCovered(self.id, question)
        distinct = {r.steps for r in survivors}
        if len(distinct) > 1:
            raise ConflictError(self.id, question, [r.id for r in survivors])
        steps = [_step(s) for s in survivors[0].steps or ()]
        applied = list(survivors)
        sign_at = next((i for i, s in enumerate(steps) if s.action == "sign"), None)
        if sign_at is not None:
            for rule in delegations:
                assert rule.delegation is not None
                base = steps[sign_at]
                steps[sign_at] = Step(
                    base.action,
                    base.roles,
                    base.mode,
                    base.meeting,
                    _merge(base.delegable_to, rule.delegation.to),
                    _merge(base.authorised_by, rule.delegation.authorised_by),
                )
                applied.append(rule)
        final = steps[sign_at] if sign_at is not None else None
        for role in document.authorised:
            if final is None or role not in final.delegable_to:
                allowed = ", ".join(f"`{r}`" for r in (final.delegable_to if final else ())) or "no one"
                raise InvalidArgument(
                    f"`authorised`: `{role}` cannot be authorised to sign this document; the profile allows {allowed}"
                )
        signers = _merge(final.roles if final else (), document.authorised)
        reviewers = _merge(
            *(s.roles for s in steps[: sign_at if sign_at is not None else len(steps)] if s.action == "review")
        )
        return self._route(tuple(steps), signers, reviewers, applied, question)

    def seal(self, seal: str) -> Route:
        """Whose consent the use of a seal needs (用印), with the articles that say so."""
        _args.choice("seal", seal, v.SEALS)
        result = self._engine.run([{"type": "seal_request", "seal": seal}])
        rules = [self._seals[f["rule"]] for f in result.derived if f["type"] == "seal"]
        question = f"the use of the seal `{seal}`"
        if not rules:
            raise NotCovered(self.id, question)
        if len({(r.approvers, r.delegable_to, r.authorised_by) for r in rules}) > 1:
            raise ConflictError(self.id, question, [r.id for r in rules])
        first = rules[0]
        step = Step("seal", first.approvers, "any", None, first.delegable_to, first.authorised_by)
        return self._route((step,), first.approvers, (), rules, question)

    def _route(
        self,
        steps: tuple[Step, ...],
        signers: tuple[str, ...],
        reviewers: tuple[str, ...],
        rules: Sequence[SigningRule | SealRule],
        question: str,
    ) -> Route:
        return Route(
            profile=self.id,
            steps=steps,
            signers=signers,
            reviewers=reviewers,
            basis=self._basis(c for r in rules for c in r.basis),
            rules=tuple(r.id for r in rules),
            question=question,
            labels=self._labels,
            profile_name=self.name,
        )

    def _basis(self, cites: Iterable[CitationSpec]) -> tuple[Citation, ...]:
        out = (Citation(self.id, c.article, c.item, c.quote, c.interpretation) for c in cites)
        return tuple(dict.fromkeys(out))


def _step(spec: StepSpec) -> Step:
    return Step(spec.action, spec.roles, spec.mode, spec.meeting, spec.delegable_to, spec.authorised_by)


def _merge(*groups: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(x for g in groups for x in g))
