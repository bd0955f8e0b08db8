"""Signing (公文签发/签署/审核): who reviews a document and who gives the final signature.

A rule's ``when`` alternatives compile to engine rules over the document fact; the engine says which
rules apply, precedence (``overrides``, ``fallback``) picks the survivors, and the surviving rule's
steps are the route. With a roster and a day, the signers are staffed: absent signers are replaced
only where a substitution rule passes the signing duty (:mod:`govrules.families.acting`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import graphlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import Field, StrictBool, StrictStr, field_validator

from govrules import _args, facts
from govrules import vocabulary as v
from govrules.answers import Answer, Citation, FrozenMap, Lang, Role, Term, basis_lines, check_lang, role_name
from govrules.compile import RuleSink, expression
from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.errors import ConflictError, InvalidArgument, NotCovered
from govrules.families.base import CheckContext, Family, ScenarioArea, ScenarioInput, cited, fired, merge, survivors
from govrules.loader import Path_
from govrules.model import Condition, Frozen, Ids, RuleEntry, one_or_many
from govrules.staffing import Staffer, Subject

if TYPE_CHECKING:
    from govrules.day import Day
    from govrules.documents import Document
    from govrules.families.acting import ActingFamily
    from govrules.profile import Profile
    from govrules.roster import Absence, Roster


# -- the profile's shape -----------------------------------------------------------------------------


class StepEntry(Frozen):
    action: Literal["review", "deliberate", "sign", "approve"]
    roles: Ids = ()
    mode: Literal["any", "all"] = "any"
    meeting: StrictStr | None = None
    delegable_to: Ids = ()
    authorised_by: Ids = ()


class Delegation(Frozen):
    to: Ids = Field(min_length=1)
    authorised_by: Ids = ()


class SigningRule(RuleEntry):
    """A route (``steps``) or a delegation added to whatever route applies, for the documents ``when`` names.

    ``fallback: true`` marks a catch-all: every applying route rule that is not a fallback beats it
    without listing it in ``overrides``.
    """

    when: tuple[Condition, ...] = Field(min_length=1)
    steps: tuple[StepEntry, ...] | None = None
    delegation: Delegation | None = None
    overrides: Ids = ()
    fallback: StrictBool = False

    _when_list = field_validator("when", mode="before")(one_or_many)

    def alternatives(self) -> int:
        return len(self.when)


# -- answers -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step(Answer):
    """One step of a route: who reviews, deliberates, signs or approves, and how many of them must."""

    action: Annotated[Literal["review", "deliberate", "sign", "approve", "seal"], Term("ACTIONS")]
    roles: tuple[Role, ...] = ()
    mode: Literal["any", "all"] = "any"
    meeting: Annotated[str | None, Term("MEETINGS")] = None
    delegable_to: tuple[Role, ...] = ()
    authorised_by: tuple[Role, ...] = ()


@dataclass(frozen=True, slots=True)
class Staffing(Answer):
    """Who may perform one step of a route on the day asked about.

    ``persons`` are those who may act (for a step whose ``mode`` is ``all``, those who must, and
    ``unresolved`` says who cannot); ``acting_for`` maps a stand-in to the absent official they act
    for; ``unresolved`` is None, or why the step cannot be done by the persons named.
    """

    action: Annotated[Literal["review", "deliberate", "sign", "approve", "seal"], Term("ACTIONS")]
    roles: tuple[Role, ...]
    persons: tuple[str, ...] = ()
    acting_for: Mapping[str, str] = FrozenMap()
    unresolved: str | None = None


@dataclass(frozen=True, slots=True)
class Route(Answer):
    """Who reviews and who gives the final signature (or consent), and why.

    ``signers`` are the role ids who may give the final signature — alternatives, any one suffices —
    including delegates whose authorisation the question stated. ``reviewers`` are the roles of the
    review steps before it, in order.

    Asked on a day with a roster, ``persons``, ``acting_for`` and ``unresolved`` say who may give the
    final signature that day, and ``staffing`` says who may perform each step (one
    :class:`Staffing` per step, in order; reviewers are staffed the way signers are, stand-ins
    included where a substitution rule passes the signing duty).
    """

    derived: ClassVar[tuple[str, ...]] = ("delegable_to",)

    profile: str
    steps: tuple[Step, ...]
    signers: tuple[Role, ...]
    reviewers: tuple[Role, ...]
    basis: tuple[Citation, ...]
    rules: tuple[str, ...]
    question: str
    labels: Mapping[str, str] = field(default=FrozenMap(), repr=False, compare=False)
    profile_name: str = field(default="", repr=False, compare=False)
    persons: tuple[str, ...] = ()
    acting_for: Mapping[str, str] = FrozenMap()
    unresolved: str | None = None
    staffing: tuple[Staffing, ...] = ()

    @property
    def review_persons(self) -> tuple[tuple[str, ...], ...]:
        """For each review step, in order, who may review that day (empty without a day)."""
        return tuple(s.persons for s in self.staffing if s.action == "review")

    @property
    def delegable_to(self) -> tuple[str, ...]:
        """Roles who may be authorised to give the final signature (not signers unless authorised)."""
        final = self.final_step
        return final.delegable_to if final else ()

    @property
    def final_step(self) -> Step | None:
        for step in self.steps:
            if step.action in ("sign", "seal"):
                return step
        return None

    def explain(self, lang: Lang = "zh") -> str:
        """A readable account of the route and its basis, in Chinese (``zh``) or English (``en``)."""
        zh = check_lang(lang) == "zh"
        lines = [
            f"依据《{self.profile_name or self.profile}》："
            if zh
            else f"Under {self.profile}" + (f" (《{self.profile_name}》):" if self.profile_name else ":")
        ]
        for n, step in enumerate(self.steps, 1):
            lines.append(f"  {n}. {describe(step, self._name(lang), zh)}")
        lines += basis_lines(self.basis, lang)
        if self.persons:
            if zh:
                names = [f"{p}（代{self.acting_for[p]}）" if p in self.acting_for else p for p in self.persons]
            else:
                names = [f"{p} (for {self.acting_for[p]})" if p in self.acting_for else p for p in self.persons]
            lines.append(("  当日签发人：" if zh else "  who signs that day: ") + ", ".join(names))
        if self.unresolved:
            lines.append(("  无法确定：" if zh else "  unresolved: ") + self.unresolved)
        final = self.final_step
        for n, (step, staffed) in enumerate(zip(self.steps, self.staffing, strict=False), 1):
            if step is final or step.action == "deliberate":
                continue
            who = ", ".join(
                (f"{p}（代{staffed.acting_for[p]}）" if zh else f"{p} (for {staffed.acting_for[p]})")
                if p in staffed.acting_for
                else p
                for p in staffed.persons
            )
            if who:
                lines.append((f"  第{n}步当日：" if zh else f"  step {n} that day: ") + who)
            if staffed.unresolved:
                lines.append((f"  第{n}步无法确定：" if zh else f"  step {n} unresolved: ") + staffed.unresolved)
        lines.append(("  适用规则：" if zh else "  rules: ") + ", ".join(self.rules))
        return "\n".join(lines)

    def _name(self, lang: Lang) -> Callable[[str, str | None], str | None]:
        """How roles are named for a reader of ``lang`` (the profile's wording, or the English gloss)."""
        labels = self.labels

        def name(role: str, _default: str | None = None) -> str:
            return role_name(role, lang, labels)

        return name


def describe(step: Step, name: Callable[[str, str | None], str | None], zh: bool) -> str:
    """One step in words: who acts and how (``name`` gives a role's label)."""

    def who(roles: tuple[str, ...], mode: str = "any") -> str:
        names = [name(r, None) or r for r in roles]
        if zh:
            return ("、".join(names) + "（均须）") if mode == "all" and roles else "或".join(names)
        joined = (" and " if mode == "all" else " or ").join(names)
        return f"every {joined}" if mode == "all" else joined

    action_zh, action_en = v.ACTIONS[step.action]
    if step.action == "deliberate" and step.meeting:
        meeting_zh, meeting_en = v.MEETINGS.get(step.meeting, (step.meeting, step.meeting))
        return f"提交市政府{meeting_zh}讨论通过" if zh else f"deliberation at the {meeting_en}"
    text = f"{action_zh}：{who(step.roles, step.mode)}" if zh else f"{action_en}: {who(step.roles, step.mode)}"
    if step.delegable_to:
        by = who(step.authorised_by) if step.authorised_by else ""
        if zh:
            text += f"；可授权{who(step.delegable_to)}" + (f"（经{by}授权）" if by else "")
        else:
            text += f"; may be delegated to {who(step.delegable_to)}" + (f" (authorised by {by})" if by else "")
    return text


# -- the family ---------------------------------------------------------------------------------------


class Signing(Family[SigningRule]):
    """Who reviews and who signs a document."""

    section = "signing"
    entry = SigningRule
    queries = ("sign",)
    supports = ("deliberation", "reviewers", "signers", "approvers", "delegable_to")

    # -- checks ---------------------------------------------------------------------------------------

    @classmethod
    def validate(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        rules = cls.entries(ctx.spec)
        route_ids = {r.id for r in rules if r.steps is not None}
        for i, rule in enumerate(rules):
            yield from _check_rule(ctx, ("signing", i), rule, route_ids)
        yield from _override_cycles(ctx, rules)

    @classmethod
    def lint(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        rules = cls.entries(ctx.spec)
        index = {r.id: i for i, r in enumerate(rules)}
        conflicts, decided = search(rules)
        for ids, example in sorted(conflicts.items()):
            first = min(ids, key=index.__getitem__)
            shown = ", ".join(f"{k}=`{val}`" for k, val in sorted(example.items())) or "every document"
            yield ctx.doc.diagnostic(
                ("signing", index[first], "id"),
                "GR050",
                f"rules {', '.join(f'`{r}`' for r in ids)} all apply to a document with {shown} "
                "and give different routes",
                "add the rule that should win's `overrides`, or narrow a `when`",
            )
        for rule in rules:
            if rule.steps is not None and rule.id not in decided:
                yield ctx.doc.diagnostic(
                    ("signing", index[rule.id], "id"),
                    "GR051",
                    f"rule `{rule.id}` never decides a route",
                    "every document it applies to is also covered by a rule that beats it",
                    severity="warning",
                )
        kinds = [k for k in v.KINDS if not _may_cover(rules, k)]
        if kinds:
            yield ctx.doc.diagnostic(
                (),
                "GR053",
                f"no `signing` rule can apply to a document of kind {', '.join(f'`{k}`' for k in kinds)} "
                "issued in the government's name: these answer `NotCovered`",
                severity="info",
            )

    @classmethod
    def compile(cls, rules: Sequence[SigningRule], out: RuleSink) -> None:
        for rule in rules:
            effect = "route" if rule.steps is not None else "delegation"
            for i, cond in enumerate(rule.when):
                pattern = {"m": expression(facts.DOCUMENT, cond)}
                out.add(f"{rule.id}#{i}", [pattern], rule.id, facts.SIGNING, rule=rule.id, effect=effect)

    # -- queries --------------------------------------------------------------------------------------

    def sign(
        self,
        document: Document,
        *,
        on: dt.date | None = None,
        roster: Roster | None = None,
        absences: Iterable[Absence] = (),
    ) -> Route:
        """Who reviews and who signs ``document``, with the articles that say so.

        With ``on`` and a ``roster`` (and any ``absences``), also who may sign that day: ``persons``,
        ``acting_for`` (stand-in → absent official) and ``unresolved`` when no one available may, and
        who may perform each step (``staffing``, reviewers included). An absent official is replaced
        only where a substitution rule passes the signing duty. Minutes signed by the chair of their
        meeting are signed by the person who chaired it (``Document.chaired_by_person``), or the
        stand-in the text allows, and are otherwise unresolved.

        Raises :class:`~govrules.NotCovered` when no rule of the profile covers the document, and
        :class:`~govrules.ConflictError` when two rules without stated precedence disagree.

        Examples
        --------
        >>> import govrules
        >>> gov = govrules.load(govrules.profiles()[0])
        >>> route = gov.sign(govrules.Document(kind="request", recipient="provincial_government"))
        >>> all(c.profile == gov.id and c.article >= 1 for c in route.basis)
        True
        """
        from govrules.documents import Document

        profile = self.profile
        absences = _args.items("absences", absences, "`govrules.Absence` values")
        day = profile.day(on, roster, absences) if roster is not None or on is not None or absences else None
        if not isinstance(document, Document):
            raise InvalidArgument(f"`document`: expected a `govrules.Document`, got `{type(document).__name__}`")
        for role in (*document.authorised, *([document.chaired_by] if document.chaired_by else [])):
            _args.choice("authorised" if role in document.authorised else "chaired_by", role, profile.roles)
        result = profile.run([document.fact()])
        derived = facts.SIGNING.of(result.derived)
        routes = self.in_profile_order(f["rule"] for f in derived if f["effect"] == "route")
        delegations = self.in_profile_order(f["rule"] for f in derived if f["effect"] == "delegation")
        alive = survivors(routes)
        question = document.describe()
        if not alive:
            raise NotCovered(profile.id, question)
        if len({r.steps for r in alive}) > 1:
            raise ConflictError(profile.id, question, [r.id for r in alive])
        steps = [_step(s) for s in alive[0].steps or ()]
        applied: list[RuleEntry] = list(alive)
        sign_at = next((i for i, s in enumerate(steps) if s.action == "sign"), None)
        if sign_at is not None:
            for rule in delegations:
                assert rule.delegation is not None
                base = steps[sign_at]
                steps[sign_at] = dataclasses.replace(
                    base,
                    delegable_to=merge(base.delegable_to, rule.delegation.to),
                    authorised_by=merge(base.authorised_by, rule.delegation.authorised_by),
                )
                applied.append(rule)
        final = steps[sign_at] if sign_at is not None else None
        for role in document.authorised:
            if final is None or role not in final.delegable_to:
                allowed = ", ".join(f"`{r}`" for r in (final.delegable_to if final else ())) or "no one"
                raise InvalidArgument(
                    f"`authorised`: `{role}` cannot be authorised to sign this document; the profile allows {allowed}"
                )
        signers = merge(final.roles if final else (), document.authorised)
        end = sign_at if sign_at is not None else len(steps)
        reviewers = merge(*(s.roles for s in steps[:end] if s.action == "review"))
        route = route_of(
            profile,
            tuple(steps),
            signers=signers,
            reviewers=reviewers,
            rules=applied,
            question=question,
            alternatives=fired(result.firings),
        )
        if day is None:
            return route
        return self.on_day(route, document, day)

    def on_day(self, route: Route, document: Document, day: Day) -> Route:
        """The part of :meth:`sign` after the rules: ``document``'s bare ``route`` staffed on ``day``.

        The decision tables (:mod:`govrules.tables`) answer the bare route and then call this, so
        whatever staffing checks or does belongs here, for both paths.
        """
        _check_chair(document, day.roster)
        return self._staff(route, document, day)

    def __init__(self, profile: Profile) -> None:
        super().__init__(profile)
        self._staffer = Staffer(profile.spec.roles)
        self._staffed: dict[tuple[Any, ...], tuple[Day, tuple[Staffing, ...], tuple[str, ...]]] = {}

    def _staff(self, route: Route, document: Document, day: Day) -> Route:
        """Fill in who may perform each step on the day, replacing absent officials only where a
        substitution rule passes the signing duty (审签: reviewing and signing alike)."""
        from govrules.families.acting import ActingFamily

        acting = self.profile.family(ActingFamily)
        duty = "sign_urgent" if document.urgency in ("urgent", "extra_urgent") else "sign"
        subject = Subject(document.portfolios, document.chaired_by, document.chaired_by_person)
        final = route.final_step
        # who performs each step depends only on the steps, the subject, the duty and the day: kept
        # per day (identity-checked, bounded), so documents differing elsewhere staff at table speed
        key = (id(day), route.steps, route.signers, subject, duty)
        kept = self._staffed.get(key)
        if kept is not None and kept[0] is day:
            staffing, used = kept[1], kept[2]
        else:
            staffing, used = self._staff_steps(route, subject=subject, day=day, duty=duty, acting=acting)
            if len(self._staffed) >= _STAFFED_KEPT:
                self._staffed.clear()
            self._staffed[key] = (day, staffing, used)
        extra = [acting.by_id[r] for r in dict.fromkeys(used)]
        signed = staffing[route.steps.index(final)] if final is not None else None
        return dataclasses.replace(
            route,
            persons=signed.persons if signed else (),
            acting_for=signed.acting_for if signed else FrozenMap(),
            unresolved=(signed.unresolved if signed else "the route has no signature"),
            staffing=tuple(staffing),
            basis=merge(route.basis, self.profile.basis(c for r in extra for c in r.basis)),
            rules=(*route.rules, *(r.id for r in extra if r.id not in route.rules)),
        )

    def _staff_steps(
        self, route: Route, *, subject: Subject, day: Day, duty: str, acting: ActingFamily
    ) -> tuple[tuple[Staffing, ...], tuple[str, ...]]:
        """Each step of ``route`` staffed on ``day``, and the substitution rules that staffing used."""
        final = route.final_step
        staffing: list[Staffing] = []
        used: list[str] = []
        for step in route.steps:
            if step.action == "deliberate":  # a meeting deliberates, not a person
                staffing.append(Staffing(step.action, ()))
                continue
            roles = route.signers if step is final else step.roles
            staffed, rules = self._staff_step(
                step.action, roles, mode=step.mode, subject=subject, day=day, duty=duty, acting=acting
            )
            staffing.append(staffed)
            used += rules
        return tuple(staffing), tuple(used)

    def _staff_step(
        self,
        action: Literal["review", "deliberate", "sign", "approve", "seal"],
        roles: Sequence[str],
        *,
        mode: str,
        subject: Subject,
        day: Day,
        duty: str,
        acting: ActingFamily,
    ) -> tuple[Staffing, list[str]]:
        """Who may perform one step: any one of them (``mode: any``), or every one (``all``)."""
        persons: list[str] = []
        acting_for: dict[str, str] = {}
        reasons: list[str] = []
        used: list[str] = []
        for role in roles:
            holders, why = self._staffer.holders(role, subject, day.roster)
            if why:
                reasons.append(why)
            for person in holders:
                found = acting.resolve(day, person.id, duty)
                if found.person is None:
                    reasons.append(found.unresolved or f"`{person.id}` cannot act")
                    continue
                if found.person != person.id:
                    acting_for.setdefault(found.person, person.id)
                    used += found.rules
                persons.append(found.person)
        if mode == "all":
            unresolved = "; ".join(dict.fromkeys(reasons)) or None
        else:
            unresolved = None if persons else "; ".join(dict.fromkeys(reasons)) or "no one in the roster may act"
        staffed = Staffing(action, tuple(roles), merge(persons), FrozenMap(acting_for), unresolved)
        return staffed, used


#: Staffed routes kept per signing family (a bounded memo of pure results; cleared when full).
_STAFFED_KEPT = 4096


def route_of(
    profile: Profile,
    steps: tuple[Step, ...],
    *,
    signers: tuple[str, ...],
    reviewers: tuple[str, ...],
    rules: Sequence[RuleEntry],
    question: str,
    alternatives: Mapping[str, Collection[int]] | None = None,
) -> Route:
    """A :class:`Route` citing ``rules``, each with the citations of its ``alternatives`` that fired
    (every citation of a rule the mapping does not name)."""
    fired_of = alternatives or {}
    return Route(
        profile=profile.id,
        steps=steps,
        signers=signers,
        reviewers=reviewers,
        basis=profile.basis(c for r in rules for c in cited(r, fired=fired_of.get(r.id))),
        rules=tuple(r.id for r in rules),
        question=question,
        labels=profile.labels,
        profile_name=profile.name,
    )


def _step(spec: StepEntry) -> Step:
    return Step(spec.action, spec.roles, spec.mode, spec.meeting, spec.delegable_to, spec.authorised_by)


def _check_chair(document: Document, roster: Roster) -> None:
    """The person who chaired the meeting is in the roster, and holds the office ``chaired_by`` names."""
    who = document.chaired_by_person
    if who is None:
        return
    if who not in roster:
        hint = _args.did_you_mean(who, [p.id for p in roster], list_all=False) or ""
        raise InvalidArgument(f"`chaired_by_person`: `{who}` is not in the roster; {hint}".rstrip("; "))
    office = document.chaired_by
    if office is not None and office in v.OFFICES and not roster[who].holds(office):
        raise InvalidArgument(
            f"`chaired_by_person`: `{who}` is a `{roster[who].office}`, but `chaired_by` says a `{office}` chaired it"
        )


# -- checks ---------------------------------------------------------------------------------------------


def check_condition(ctx: CheckContext, where: Path_, cond: Condition) -> Iterator[Diagnostic]:
    """Every value a document condition names must be one of its key's values (roles for `chaired_by`)."""
    raw, real = _written(ctx.doc.data, where)
    for key, written in raw.items() if isinstance(raw, dict) else ():
        if isinstance(written, dict) and isinstance(written.get("except"), (list, str)):
            excluded = [written["except"]] if isinstance(written["except"], str) else written["except"]
            domain = v.CONDITION_VALUES.get(key, ())
            for k, item in enumerate(excluded):
                if item not in domain:
                    at = (*real, key, "except") if isinstance(written["except"], str) else (*real, key, "except", k)
                    yield ctx.doc.diagnostic(
                        at,
                        "GR013",
                        f"`except` names `{item}`, which is not a value of `{key}`",
                        did_you_mean(item, domain),
                    )
    for key, value in cond.terms().items():
        if isinstance(value, bool):
            continue
        allowed = (*ctx.roles, "none") if key == "chaired_by" else v.CONDITION_VALUES[key]
        for k, item in enumerate(value):
            if item not in allowed:
                code = "GR022" if key == "chaired_by" else "GR013"
                yield ctx.doc.diagnostic(
                    (*where, key, k), code, f"`{item}` is not a known value of `{key}`", did_you_mean(item, allowed)
                )
        if not value:
            yield ctx.doc.diagnostic((*where, key), "GR012", f"`{key}` is an empty list", "give at least one value")


def _written(data: Any, path: Path_) -> tuple[Any, Path_]:
    """The value as written in the YAML at the model's ``path``, and its path in the file (a single
    mapping where the model has a list of one has no index)."""
    real: list[str | int] = []
    for step in path:
        if isinstance(step, int) and isinstance(data, list) and 0 <= step < len(data):
            data = data[step]
        elif isinstance(step, int) and isinstance(data, dict) and step == 0:
            continue
        elif isinstance(step, str) and isinstance(data, dict):
            data = data.get(step)
        else:
            return None, path
        real.append(step)
    return data, tuple(real)


def _check_rule(ctx: CheckContext, where: Path_, rule: SigningRule, route_ids: set[str]) -> Iterator[Diagnostic]:
    doc = ctx.doc
    for j, cond in enumerate(rule.when):
        yield from check_condition(ctx, (*where, "when", j), cond)
    if (rule.steps is None) == (rule.delegation is None):
        yield doc.diagnostic(where, "GR027", f"rule `{rule.id}` needs exactly one of `steps` or `delegation`")
    if rule.steps is not None:
        if not rule.steps:
            yield doc.diagnostic((*where, "steps"), "GR027", "a route needs at least one step")
        signs = [k for k, s in enumerate(rule.steps) if s.action == "sign"]
        if len(signs) > 1:
            yield doc.diagnostic((*where, "steps", signs[1]), "GR027", "a route has at most one `sign` step")
        for k, step in enumerate(rule.steps):
            yield from _check_step(ctx, (*where, "steps", k), step)
    if rule.delegation is not None:
        for key in ("to", "authorised_by"):
            yield from ctx.roles_known((*where, "delegation", key), getattr(rule.delegation, key))
        if rule.overrides:
            yield doc.diagnostic((*where, "overrides"), "GR023", "a `delegation` rule cannot override routes")
        if rule.fallback:
            yield doc.diagnostic((*where, "fallback"), "GR027", "only a route rule can be a `fallback`")
    for k, target in enumerate(rule.overrides):
        if target not in route_ids:
            yield doc.diagnostic(
                (*where, "overrides", k),
                "GR023",
                f"`overrides` names `{target}`, which is not a route rule of this profile",
                did_you_mean(target, route_ids),
            )
        elif target == rule.id:
            yield doc.diagnostic((*where, "overrides", k), "GR031", f"rule `{rule.id}` overrides itself")


def _check_step(ctx: CheckContext, at: Path_, step: StepEntry) -> Iterator[Diagnostic]:
    doc = ctx.doc
    if step.action == "deliberate":
        if step.meeting is None or step.roles:
            yield doc.diagnostic(at, "GR027", "a `deliberate` step names a `meeting` and no `roles`")
        elif step.meeting not in v.MEETINGS:
            yield doc.diagnostic(
                (*at, "meeting"),
                "GR013",
                f"unknown meeting kind `{step.meeting}`",
                did_you_mean(step.meeting, v.MEETINGS),
            )
    else:
        if not step.roles:
            yield doc.diagnostic(at, "GR027", f"a `{step.action}` step needs `roles`")
        if step.meeting is not None:
            yield doc.diagnostic((*at, "meeting"), "GR027", "only a `deliberate` step names a `meeting`")
    if (step.delegable_to or step.authorised_by) and step.action != "sign":
        yield doc.diagnostic(at, "GR027", "only a `sign` step may list `delegable_to` or `authorised_by`")
    if step.authorised_by and not step.delegable_to:
        yield doc.diagnostic((*at, "authorised_by"), "GR027", "`authorised_by` without `delegable_to`")
    for key in ("roles", "delegable_to", "authorised_by"):
        yield from ctx.roles_known((*at, key), getattr(step, key))


def _override_cycles(ctx: CheckContext, rules: Sequence[SigningRule]) -> Iterator[Diagnostic]:
    index = {r.id: i for i, r in enumerate(rules)}
    graph = {r.id: {t for t in r.overrides if t in index and t != r.id} for r in rules}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        cycle = list(exc.args[1])
        first = min(cycle[:-1], key=index.__getitem__)
        path = " → ".join(f"`{r}`" for r in reversed(cycle))
        yield ctx.doc.diagnostic(
            ("signing", index[first], "overrides"),
            "GR031",
            f"`overrides` forms a cycle: {path}",
            "precedence must go one way",
        )


def _may_cover(rules: Sequence[SigningRule], kind: str) -> bool:
    for rule in rules:
        if rule.steps is None:
            continue
        for cond in rule.when:
            terms = cond.terms()
            kinds, issuers = terms.get("kind", (kind,)), terms.get("issuer", ("municipal_government",))
            in_name = isinstance(issuers, tuple) and "municipal_government" in issuers
            if isinstance(kinds, tuple) and kind in kinds and in_name:
                return True
    return False


# -- the static search over the signing domain (lint, and the tests' independent evaluator) -------------

_SPARE = {"issuer": "municipal_government", "kind": "notice", "urgency": "normal"}


def attribute_domains(rules: Sequence[SigningRule]) -> dict[str, list[Any]]:
    """For each attribute a condition mentions: the values conditions name plus one no condition names."""
    mentioned: dict[str, set[Any]] = {}
    for rule in rules:
        for cond in rule.when:
            for key, value in cond.terms().items():
                mentioned.setdefault(key, set()).update([True, False] if isinstance(value, bool) else value)
    domains: dict[str, list[Any]] = {}
    for key, values in mentioned.items():
        if key in v.TRISTATE:
            domains[key] = [False, True, None]
        elif key in v.FLAGS:
            domains[key] = [False, True]
        elif key == "portfolios":
            domains[key] = ["none", "one", "several"]
        elif key == "matters":
            domains[key] = ["one", "several"]
        else:
            domains[key] = sorted(values | {_SPARE.get(key, "none")}, key=str)
    return domains


def _status(terms: Mapping[str, tuple[str, ...] | bool], attrs: dict[str, Any]) -> bool | None:
    open_ = False
    for key, wanted in terms.items():
        if key not in attrs:
            open_ = True
        elif (attrs[key] is not wanted) if isinstance(wanted, bool) else (attrs[key] not in wanted):
            return False
    return None if open_ else True


def search(rules: Sequence[SigningRule]) -> tuple[dict[tuple[str, ...], dict[str, Any]], set[str]]:
    """Conflicting rule sets (with an example) and the ids of the route rules that decide some answer.

    Every attribute a condition mentions takes the values conditions name plus one that none names,
    so the search meets every distinct combination of applying rules; it stops descending as soon
    as every rule is decided.
    """
    domains = attribute_domains(rules)
    routes = [(r, [c.terms() for c in r.when]) for r in rules if r.steps is not None]
    conflicts: dict[tuple[str, ...], dict[str, Any]] = {}
    decided: set[str] = set()

    def visit(attrs: dict[str, Any]) -> None:
        applying, undecided = [], []
        for rule, conds in routes:
            states = [_status(c, attrs) for c in conds]
            if True in states:
                applying.append(rule)
            elif None in states:
                undecided.append(conds)
        if undecided:
            keys = [k for conds in undecided for c in conds for k in c if k not in attrs]
            key = min(keys, key=lambda k: (-keys.count(k), k))
            for value in domains[key]:
                visit({**attrs, key: value})
            return
        alive = survivors(applying)
        decided.update(r.id for r in alive)
        if len({r.steps for r in alive}) > 1:
            conflicts.setdefault(tuple(r.id for r in alive), dict(attrs))

    visit({})
    return conflicts, decided


# -- scenarios --------------------------------------------------------------------------------------------


def _ask(profile: Profile, given: ScenarioInput) -> Route:
    document = given.document()
    if "on" in given:
        return profile.sign(document, **given.day())
    return profile.sign(document)


def _actual(answer: Route) -> dict[str, Any]:
    return {
        "signers": set(answer.signers),
        "delegable_to": set(answer.delegable_to),
        "articles": {c.article for c in answer.basis},
        "rules": set(answer.rules),
        "reviewers": list(answer.reviewers),
        "persons": set(answer.persons),
        "acting_for": dict(answer.acting_for),
        "unresolved": answer.unresolved is not None,
        # the review steps on the day: who may review each, for whom stand-ins act, which cannot be done
        "review_persons": [sorted(s.persons) for s in answer.staffing if s.action == "review"],
        "review_acting_for": {k: v for s in answer.staffing if s.action == "review" for k, v in s.acting_for.items()},
        "review_unresolved": [s.unresolved is not None for s in answer.staffing if s.action == "review"],
    }


Signing.areas = MappingProxyType(
    {
        "signing": ScenarioArea(
            _ask,
            _actual,
            given=frozenset({"absences", "document", "on"}),
            required=frozenset({"document"}),
            expect=frozenset(
                {
                    "acting_for",
                    "articles",
                    "delegable_to",
                    "not_covered",
                    "persons",
                    "review_acting_for",
                    "review_persons",
                    "review_unresolved",
                    "reviewers",
                    "rules",
                    "signers",
                    "unresolved",
                }
            ),
        )
    }
)
