"""Deadlines (会签回复, 办结时限, 会前报送, …): time limits counted on the official calendar.

The engine selects the rules of a deadline kind whose conditions (urgency, complexity) hold;
precedence picks one; :mod:`govrules.workdays` counts the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from pydantic import Field, StrictBool, StrictInt, StrictStr

from govrules import _args, facts
from govrules import vocabulary as v
from govrules.answers import Answer, Citation, Lang, Term, basis_lines, check_lang
from govrules.compile import RuleSink, one_of
from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.errors import ConflictError, InvalidArgument, NotCovered
from govrules.families.base import CheckContext, Family, ScenarioArea, ScenarioInput, survivors, uncovered
from govrules.inputs import IsoDate
from govrules.model import Citation as CitationSpec
from govrules.model import Frozen, Ids, OneOrMany, RuleEntry
from govrules.workdays import Calendar, Count

if TYPE_CHECKING:
    from govrules.profile import Profile


class DeadlineCondition(Frozen):
    """What a time limit depends on: the urgency, a 特别复杂 matter, and whose time limit it is
    (``office``: the offices it binds, e.g. the leave of county and department heads)."""

    urgency: OneOrMany | None = None
    complex: StrictBool | None = None
    office: OneOrMany | None = None

    def offices(self) -> tuple[str, ...]:
        """The offices named, as a tuple (empty when the limit binds every office)."""
        found = self.office
        return () if found is None else (found,) if isinstance(found, str) else tuple(found)


# The empty condition, made without validating it: `DeadlineCondition()` here would build every
# model's schema (and load pydantic's plugins) when govrules is imported instead of at the first load.
_ALWAYS = cast("DeadlineCondition", DeadlineCondition.model_construct())


class DeadlineRule(RuleEntry):
    """A time limit: how long, in which unit, counted from (or back from) what, and what expiry means.

    ``fallback: true`` marks the general limit of its kind: any applying rule of the kind that is
    not a fallback beats it without listing it in ``overrides``. ``lead_limit`` cites the words by
    which a lead department's own time limit prevails (除主办部门另有时限要求外): only then does
    ``deadline(..., lead_limit=...)`` answer with that limit.
    """

    kind: StrictStr
    when: DeadlineCondition = _ALWAYS
    amount: StrictInt = Field(ge=1)
    unit: Literal["working_days", "days", "hours"]
    direction: Literal["after", "before"] = "after"
    starts: StrictStr
    on_expiry: StrictStr | None = None
    in_principle: StrictBool = False
    overrides: Ids = ()
    fallback: StrictBool = False
    lead_limit: CitationSpec | None = None


@dataclass(frozen=True, slots=True)
class DeadlineStatus(Answer):
    """Where a deadline stands on a day: ``open``, ``due`` (that day) or ``expired``, and what expiry means."""

    state: Literal["open", "due", "expired"]
    consequence: str | None


@dataclass(frozen=True, slots=True)
class Deadline(Answer):
    """A time limit computed on the official calendar, with the article that sets it.

    ``due`` is a date (a datetime for periods in hours). ``direction`` is ``after`` (counted from
    ``start``) or ``before`` (counted back from an event on ``start``). ``provisional`` results used
    assumed dates, listed in ``assumed``. ``set_by`` is ``lead_department`` when the lead
    department's own limit was given and the text lets it prevail (``amount`` and ``unit`` are then
    that limit's; a date it set reads as that many calendar days), else ``profile``.
    """

    profile: str
    kind: Annotated[str, Term("DEADLINE_KINDS")]
    start: dt.date | dt.datetime
    due: dt.date | dt.datetime
    unit: Annotated[Literal["working_days", "days", "hours"], Term("UNITS")]
    amount: int
    direction: Literal["after", "before"]
    starts: str
    on_expiry: str | None
    in_principle: bool
    provisional: bool
    assumed: tuple[dt.date, ...]
    basis: tuple[Citation, ...]
    rules: tuple[str, ...]
    notices: tuple[str, ...] = ()  # holiday notices (document numbers) the count relied on
    set_by: Literal["profile", "lead_department"] = "profile"

    def status(self, on: dt.date | dt.datetime) -> DeadlineStatus:
        """Open, due that day, or expired on ``on`` (a datetime for deadlines in hours)."""
        from govrules.errors import InvalidArgument

        if isinstance(self.due, dt.datetime):
            if not isinstance(on, dt.datetime):
                raise InvalidArgument(f"`on`: this deadline is in hours; pass a `datetime`, got `{on!r}`")
            state: Literal["open", "due", "expired"] = "expired" if on > self.due else "open"
        else:
            if not isinstance(on, dt.date):
                raise InvalidArgument(f"`on`: expected a `datetime.date`, got `{on!r}`")
            day = on.date() if isinstance(on, dt.datetime) else on
            state = "expired" if day > self.due else "due" if day == self.due else "open"
        return DeadlineStatus(state, self.on_expiry if state == "expired" else None)

    def explain(self, lang: Lang = "zh") -> str:
        from govrules import vocabulary as v

        zh = check_lang(lang) == "zh"
        unit_zh, unit_en = v.UNITS[self.unit]
        if zh:
            when = "前" if self.direction == "before" else "内"
            head = f"{v.DEADLINE_KINDS[self.kind][0]}：{self.starts}{self.amount}{unit_zh}{when}，截止 {self.due}"
        else:
            rel = "before" if self.direction == "before" else "after"
            head = f"{v.DEADLINE_KINDS[self.kind][1]}: {self.amount} {unit_en} {rel} {self.start}, due {self.due}"
        lines = [head]
        if self.set_by == "lead_department":
            lines.append("  主办部门另有时限要求" if zh else "  the lead department's own limit")
        if self.in_principle:
            lines.append("  原则上" if zh else "  in principle")
        if self.on_expiry:  # the profile's wording of the text: quoted for an English reader
            lines.append(f"  逾期：{self.on_expiry}" if zh else f"  on expiry: “{self.on_expiry}”")
        if self.provisional:
            days = ", ".join(str(d) for d in self.assumed)
            lines.append(("  暂定（假定日期：" if zh else "  provisional (assumed: ") + days + ("）" if zh else ")"))
        lines += basis_lines(self.basis, lang)
        lines += [
            ("  依据：" if zh else "  basis: ")
            + (f"国务院办公厅节假日安排通知（{n}）" if zh else f"holiday notice {n}")
            for n in self.notices
        ]
        return "\n".join(lines)


class Deadlines(Family[DeadlineRule]):
    """When a time limit falls due."""

    section = "deadlines"
    entry = DeadlineRule
    queries = ("deadline",)
    supports = ("period", "on_expiry")

    @classmethod
    def validate(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        rules = cls.entries(ctx.spec)
        ids = {r.id for r in rules}
        for i, rule in enumerate(rules):
            where = ("deadlines", i)
            if rule.kind not in v.DEADLINE_KINDS:
                yield ctx.doc.diagnostic(
                    (*where, "kind"),
                    "GR013",
                    f"unknown deadline kind `{rule.kind}`",
                    did_you_mean(rule.kind, v.DEADLINE_KINDS),
                )
            urgencies = rule.when.urgency
            yield from ctx.closed(
                (*where, "when", "urgency"),
                [urgencies] if isinstance(urgencies, str) else urgencies or [],
                v.URGENCIES,
                "urgency",
            )
            if rule.unit == "hours" and rule.direction == "before":
                yield ctx.doc.diagnostic((*where, "direction"), "GR027", "a period in hours counts forward only")
            for k, office in enumerate(rule.when.offices()):
                if office not in ctx.offices:
                    yield ctx.doc.diagnostic(
                        (*where, "when", "office", k),
                        "GR022",
                        f"`office` must name offices, not `{office}`",
                        did_you_mean(office, ctx.offices, list_all=False),
                    )
            if rule.lead_limit is not None:
                from govrules.validate import check_citations

                articles = ctx.spec.profile.articles
                yield from check_citations(ctx.doc, (*where, "lead_limit"), (rule.lead_limit,), articles)
            for k, target in enumerate(rule.overrides):
                if target not in ids or target == rule.id:
                    yield ctx.doc.diagnostic(
                        (*where, "overrides", k),
                        "GR023",
                        f"`overrides` names `{target}`, which is not another deadline rule of this profile",
                        did_you_mean(target, ids - {rule.id}),
                    )

    @classmethod
    def lint(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        yield from uncovered(ctx, "deadlines", set(v.DEADLINE_KINDS) - {d.kind for d in cls.entries(ctx.spec)})

    @classmethod
    def compile(cls, rules: Sequence[DeadlineRule], out: RuleSink) -> None:
        for deadline in rules:
            terms: list[dict[str, Any]] = [{"type": facts.DEADLINE_REQUEST.name}, {"kind": deadline.kind}]
            urgency = deadline.when.urgency
            if urgency is not None:
                terms += one_of("urgency", [urgency] if isinstance(urgency, str) else urgency)
            if deadline.when.complex is not None:
                terms.append({"complex": deadline.when.complex})
            if deadline.when.office is not None:
                # a limit for vice mayors binds the executive vice mayor too (design.md §3)
                terms += one_of("office", {h for o in deadline.when.offices() for h in v.holders(o)})
            out.add(f"{deadline.id}#0", [{"m": {"$and": terms}}], deadline.id, facts.DEADLINE, rule=deadline.id)

    def kinds(self) -> list[str]:
        """The deadline kinds this profile sets, sorted."""
        return sorted({r.kind for r in self.rules})

    def deadline(
        self,
        kind: str,
        at: dt.date | dt.datetime,
        *,
        urgency: str | None = None,
        complex: bool = False,
        for_office: str | None = None,
        lead_limit: dt.date | tuple[int, str] | None = None,
        provisional: bool = False,
        calendar: Calendar | None = None,
    ) -> Deadline:
        """When ``kind`` falls due for something that starts (or an event that happens) at ``at``.

        Working days follow the State Council calendar (调休 included); a date the published
        calendar does not cover raises :class:`~govrules.CalendarError` unless ``provisional``.
        Pass a :class:`~govrules.Calendar` for local rest and working days.

        ``for_office`` says whose time limit it is (whose leave, say), where the text binds some
        offices and not others; a profile that sets the kind by office needs it.
        ``lead_limit`` is the lead department's own limit (主办部门另有时限要求): the reply date it set,
        or ``(amount, unit)`` with unit ``working_days`` or ``days`` counted from ``at``. It is used,
        and cited, only where the text lets it prevail; elsewhere the question is not covered.

        Examples
        --------
        >>> import datetime as dt, govrules
        >>> gov = next(g for g in map(govrules.load, govrules.profiles()) if "leave_request" in g.deadlines())
        >>> gov.deadline("leave_request", dt.date(2025, 3, 10), for_office="county_head").due
        datetime.date(2025, 3, 7)
        >>> gov.deadline("leave_request", dt.date(2025, 3, 10))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        govrules.errors.InvalidArgument: `for_office`: profile `...` sets `leave_request` for some offices only ...
        >>> d = gov.deadline("countersign_reply", dt.date(2025, 3, 3), lead_limit=dt.date(2025, 3, 12))
        >>> d.due, d.set_by, d.basis[0].quote
        (datetime.date(2025, 3, 12), 'lead_department', '除主办部门另有时限要求外')
        """
        profile = self.profile
        _args.choice("kind", kind, v.DEADLINE_KINDS)
        _args.choice("urgency", urgency, v.URGENCIES, optional=True)
        _args.flag("complex", complex)
        _args.flag("provisional", provisional)
        offices = sorted({*v.OFFICES, *(r.id for r in profile.spec.roles if r.kind == "office")})
        _args.choice("for_office", for_office, offices, optional=True)
        if not isinstance(at, dt.date):
            raise InvalidArgument(f"`at`: expected a `datetime.date` or `datetime.datetime`, got `{at!r}`")
        if (at.date() if isinstance(at, dt.datetime) else at) < profile.effective:
            raise InvalidArgument(f"`at`: {at} is before profile `{profile.id}` took effect ({profile.effective})")
        if calendar is not None and (not isinstance(calendar, Calendar) or provisional):
            raise InvalidArgument("`calendar`: pass a `govrules.Calendar` (and set `provisional` on it, not here)")
        limit = _lead_limit(lead_limit, at)
        fact = facts.DEADLINE_REQUEST.make(
            kind=kind, urgency=urgency or "none", complex=complex, office=for_office or "none"
        )
        derived = facts.DEADLINE.of(profile.run([fact]).derived)
        alive = survivors(self.in_profile_order(f["rule"] for f in derived))
        question = (
            f"the deadline `{kind}`"
            + (f" for urgency `{urgency}`" if urgency else "")
            + (f" for office `{for_office}`" if for_office else "")
        )
        if not alive:
            of_kind = [r for r in self.rules if r.kind == kind]
            if urgency is None and any(r.when.urgency is not None for r in of_kind):
                raise InvalidArgument(
                    f"`urgency`: profile `{profile.id}` sets `{kind}` by urgency; pass one of "
                    + ", ".join(f"`{u}`" for u in v.URGENCIES)
                )
            if for_office is None and any(r.when.office is not None for r in of_kind):
                named = sorted({o for r in of_kind for o in r.when.offices()})
                raise InvalidArgument(
                    f"`for_office`: profile `{profile.id}` sets `{kind}` for some offices only "
                    f"({', '.join(f'`{o}`' for o in named)}); say whose time limit it is"
                )
            raise NotCovered(profile.id, question + (" with these conditions" if of_kind else ""))
        if len({(r.amount, r.unit, r.direction) for r in alive}) > 1:
            raise ConflictError(profile.id, question, [r.id for r in alive])
        rule = alive[0]
        if limit is not None and any(r.lead_limit is None for r in alive):
            raise NotCovered(profile.id, question + " when the lead department sets its own limit")
        cal = calendar or Calendar(provisional=provisional)
        amount, unit = rule.amount, rule.unit
        if isinstance(limit, dt.date):
            start_day = at.date() if isinstance(at, dt.datetime) else at
            amount, unit = (limit - start_day).days, "days"
            counted: Count = Count(limit, False, ())
        elif limit is not None:
            amount, unit = limit
            counted = _count(cal, at, amount, unit, rule.direction)
        elif rule.unit == "hours":
            if not isinstance(at, dt.datetime):
                raise InvalidArgument(f"`at`: `{kind}` is counted in hours; pass a `datetime`, got `{at!r}`")
            counted = cal.hours_after(at, rule.amount)
        else:
            counted = _count(cal, at, rule.amount, rule.unit, rule.direction)
        leads = [r.lead_limit for r in alive if r.lead_limit is not None] if limit is not None else []
        return Deadline(
            profile=profile.id,
            kind=kind,
            start=at,
            due=counted.due,
            unit=unit,
            amount=amount,
            direction=rule.direction,
            starts=rule.starts,
            on_expiry=rule.on_expiry,
            in_principle=rule.in_principle,
            provisional=counted.provisional,
            assumed=counted.assumed,
            basis=profile.basis([*leads, *(c for r in alive for c in r.basis)]),
            rules=tuple(r.id for r in alive),
            notices=counted.notices,
            set_by="lead_department" if limit is not None else "profile",
        )


def _count(cal: Calendar, at: dt.date | dt.datetime, amount: int, unit: str, direction: str) -> Count:
    count = {
        ("working_days", "after"): cal.working_days_after,
        ("working_days", "before"): cal.working_days_before,
        ("days", "after"): cal.days_after,
        ("days", "before"): cal.days_before,
    }[(unit, direction)]
    return count(at, amount)


LeadLimit = dt.date | tuple[int, Literal["working_days", "days"]]


def _lead_limit(value: object, at: dt.date | dt.datetime) -> LeadLimit | None:
    """The lead department's limit as given: a reply date on or after ``at``, or ``(amount, unit)``."""
    if value is None:
        return None
    start = at.date() if isinstance(at, dt.datetime) else at
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if value < start:
            raise InvalidArgument(f"`lead_limit`: {value} is before `at` ({start})")
        return value
    if isinstance(value, (tuple, list)) and len(value) == 2:
        amount, unit = value
        if isinstance(amount, int) and not isinstance(amount, bool) and amount >= 1:
            if unit == "working_days":
                return amount, "working_days"
            if unit == "days":
                return amount, "days"
    raise InvalidArgument(
        f"`lead_limit`: expected the reply date the lead department set (a `datetime.date`) or "
        f"`(amount, unit)` with unit `working_days` or `days`, got `{value!r}`"
    )


def _ask(profile: Profile, given: ScenarioInput) -> tuple[Deadline, str | None]:
    deadline = profile.deadline(
        given["kind"],
        given.moment("at"),
        urgency=given.get("urgency"),
        complex=given.get("complex", False),
        for_office=given.get("for_office"),
        lead_limit=_given_lead_limit(given),
        provisional=given.get("provisional", False),
    )
    status = deadline.status(given.moment("status_on")).state if "status_on" in given else None
    return deadline, status


def _given_lead_limit(given: ScenarioInput) -> dt.date | tuple[int, str] | None:
    """``lead_limit: 2025-03-12`` (a date) or ``lead_limit: [3, working_days]``."""
    value = given.get("lead_limit")
    if isinstance(value, str):
        moment = given.moment("lead_limit")
        return moment.date() if isinstance(moment, dt.datetime) else moment
    return None if value is None else (value[0], value[1])


def _actual(answer: tuple[Deadline, str | None]) -> dict[str, Any]:
    deadline, status = answer
    return {
        "due": deadline.due.isoformat(),
        "unit": deadline.unit,
        "amount": deadline.amount,
        "direction": deadline.direction,
        "on_expiry": deadline.on_expiry,
        "in_principle": deadline.in_principle,
        "provisional": deadline.provisional,
        "assumed": [d.isoformat() for d in deadline.assumed],
        "articles": {c.article for c in deadline.basis},
        "rules": set(deadline.rules),
        "set_by": deadline.set_by,
        "status": status,
    }


Deadlines.areas = MappingProxyType(
    {
        "deadlines": ScenarioArea(
            _ask,
            _actual,
            given=frozenset(
                {"at", "complex", "for_office", "kind", "lead_limit", "provisional", "status_on", "urgency"}
            ),
            required=frozenset({"at", "kind"}),
            expect=frozenset(
                {
                    "amount",
                    "articles",
                    "assumed",
                    "direction",
                    "due",
                    "in_principle",
                    "not_covered",
                    "on_expiry",
                    "provisional",
                    "rules",
                    "set_by",
                    "status",
                    "unit",
                }
            ),
            types=MappingProxyType({"for_office": StrictStr, "lead_limit": IsoDate | tuple[StrictInt, StrictStr]}),
        )
    }
)
