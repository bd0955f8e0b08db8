"""Answers: frozen values with their basis. They never print; ``explain`` returns text."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Lang = Literal["zh", "en"]


@dataclass(frozen=True, slots=True)
class Citation:
    """An article of a profile's source: number, item, verbatim operative words and any reading taken."""

    profile: str
    article: int
    item: int | None
    quote: str
    interpretation: str | None = None

    def label(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            where = f"第{self.article}条" + (f"第（{self.item}）项" if self.item else "")
            return f"{where}“{self.quote}”"
        where = f"article {self.article}" + (f"({self.item})" if self.item else "")
        return f"{where}: “{self.quote}”"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a route: who reviews, deliberates, signs or approves, and how many of them must."""

    action: Literal["review", "deliberate", "sign", "approve", "seal"]
    roles: tuple[str, ...] = ()
    mode: Literal["any", "all"] = "any"
    meeting: str | None = None
    delegable_to: tuple[str, ...] = ()
    authorised_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Route:
    """Who reviews and who gives the final signature (or consent), and why.

    ``signers`` are the role ids who may give the final signature — alternatives, any one suffices —
    including delegates whose authorisation the question stated. ``reviewers`` are the roles of the
    review steps before it, in order.
    """

    profile: str
    steps: tuple[Step, ...]
    signers: tuple[str, ...]
    reviewers: tuple[str, ...]
    basis: tuple[Citation, ...]
    rules: tuple[str, ...]
    question: str
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), repr=False, compare=False)
    profile_name: str = field(default="", repr=False, compare=False)
    persons: tuple[str, ...] = ()
    acting_for: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    unresolved: str | None = None

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
        if lang not in ("zh", "en"):
            from govrules.errors import InvalidArgument

            raise InvalidArgument(f"`lang`: `{lang!r}` is not allowed; expected `zh` or `en`")
        name = self.labels.get if lang == "zh" else _english
        zh = lang == "zh"
        lines = [
            f"依据《{self.profile_name or self.profile}》：" if zh else f"Under {self.profile} ({self.profile_name}):"
        ]
        for n, step in enumerate(self.steps, 1):
            lines.append(f"  {n}. {_describe(step, name, zh)}")
        for cite in self.basis:
            lines.append(("  依据：" if zh else "  basis: ") + cite.label(lang))
            if cite.interpretation:
                lines.append(("    解读：" if zh else "    reading: ") + cite.interpretation)
        if self.persons or self.unresolved:
            if self.persons:
                names = [f"{p}（代{self.acting_for[p]}）" if p in self.acting_for else p for p in self.persons]
                if not zh:
                    names = [f"{p} (for {self.acting_for[p]})" if p in self.acting_for else p for p in self.persons]
                lines.append(("  当日签发人：" if zh else "  who signs that day: ") + ", ".join(names))
            if self.unresolved:
                lines.append(("  无法确定：" if zh else "  unresolved: ") + self.unresolved)
        lines.append(("  适用规则：" if zh else "  rules: ") + ", ".join(self.rules))
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        """Plain data (for JSON)."""
        return {
            "profile": self.profile,
            "question": self.question,
            "steps": [
                {k: (list(val) if isinstance(val, tuple) else val) for k, val in _step_items(s)} for s in self.steps
            ],
            "signers": list(self.signers),
            "reviewers": list(self.reviewers),
            "delegable_to": list(self.delegable_to),
            "rules": list(self.rules),
            "persons": list(self.persons),
            "acting_for": dict(self.acting_for),
            "unresolved": self.unresolved,
            "basis": _basis_dicts(self.basis),
        }

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{n}</td><td>{html.escape(s.action)}</td>"
            f"<td>{html.escape(_describe(s, self.labels.get, True))}</td></tr>"
            for n, s in enumerate(self.steps, 1)
        )
        cites = "".join(
            f"<li>{html.escape(c.label('zh'))}"
            + (f" <i>{html.escape(c.interpretation)}</i>" if c.interpretation else "")
            + "</li>"
            for c in self.basis
        )
        return (
            f"<div><b>{html.escape(self.profile_name or self.profile)}</b>: {html.escape(self.question)}"
            f"<table><tr><th>#</th><th>action</th><th>who</th></tr>{rows}</table>"
            f"<ul>{cites}</ul><small>{html.escape(', '.join(self.rules))}</small></div>"
        )


def _step_items(step: Step) -> list[tuple[str, object]]:
    return [(k, getattr(step, k)) for k in Step.__slots__]


def _english(role: str, default: str | None = None) -> str:
    from govrules import vocabulary as v

    for table in (v.OFFICES, v.RELATIONAL_ROLES):
        if role in table:
            return table[role][1]
    return role.replace("_", " ")


def _describe(step: Step, name: Callable[[str, str | None], str | None], zh: bool) -> str:
    from govrules import vocabulary as v

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


def _basis_dicts(basis: tuple[Citation, ...]) -> list[dict[str, object]]:
    return [{"article": c.article, "item": c.item, "quote": c.quote, "interpretation": c.interpretation} for c in basis]


@dataclass(frozen=True, slots=True)
class Acting:
    """Who performs a duty for an official on a day, through which chain of substitutions, and why.

    ``person`` is None when no one can be named; ``unresolved`` then says why, and ``candidates``
    lists the people equally entitled when the text does not choose among them.
    """

    profile: str
    principal: str
    duty: str
    person: str | None
    chain: tuple[str, ...]
    basis: tuple[Citation, ...]
    rules: tuple[str, ...]
    unresolved: str | None = None
    candidates: tuple[str, ...] = ()

    def explain(self, lang: Lang = "zh") -> str:
        zh = lang == "zh"
        if self.person is not None and len(self.chain) == 1:
            head = f"{self.principal} 在岗，本人履职" if zh else f"{self.principal} is present and acts themselves"
        elif self.person is not None:
            path = " → ".join(self.chain)
            head = f"由 {self.person} 代行（{path}）" if zh else f"{self.person} acts ({path})"
        else:
            head = ("无法确定：" if zh else "unresolved: ") + (self.unresolved or "")
        lines = [head]
        lines += [("  依据：" if zh else "  basis: ") + c.label(lang) for c in self.basis]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "profile": self.profile,
            "principal": self.principal,
            "duty": self.duty,
            "person": self.person,
            "chain": list(self.chain),
            "unresolved": self.unresolved,
            "candidates": list(self.candidates),
            "rules": list(self.rules),
            "basis": _basis_dicts(self.basis),
        }


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule of the profile that the facts break: a stable code, `error` or `warning` (原则上), why."""

    code: str
    severity: Literal["error", "warning"]
    message: str
    basis: tuple[Citation, ...]
    rule: str = ""
    subjects: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "rule": self.rule,
            "subjects": list(self.subjects),
            "basis": _basis_dicts(self.basis),
        }


@dataclass(frozen=True, slots=True)
class DeadlineStatus:
    """Where a deadline stands on a day: ``open``, ``due`` (that day) or ``expired``, and what expiry means."""

    state: Literal["open", "due", "expired"]
    consequence: str | None


@dataclass(frozen=True, slots=True)
class Deadline:
    """A time limit computed on the official calendar, with the article that sets it.

    ``due`` is a date (a datetime for periods in hours). ``direction`` is ``after`` (counted from
    ``start``) or ``before`` (counted back from an event on ``start``). ``provisional`` results used
    assumed dates, listed in ``assumed``.
    """

    profile: str
    kind: str
    start: dt.date | dt.datetime
    due: dt.date | dt.datetime
    unit: Literal["working_days", "days", "hours"]
    amount: int
    direction: Literal["after", "before"]
    starts: str
    on_expiry: str | None
    in_principle: bool
    provisional: bool
    assumed: tuple[dt.date, ...]
    basis: tuple[Citation, ...]
    rules: tuple[str, ...]

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

        zh = lang == "zh"
        unit_zh, unit_en = v.UNITS[self.unit]
        if zh:
            when = "前" if self.direction == "before" else "内"
            head = f"{v.DEADLINE_KINDS[self.kind][0]}：{self.starts}{self.amount}{unit_zh}{when}，截止 {self.due}"
        else:
            rel = "before" if self.direction == "before" else "after"
            head = f"{v.DEADLINE_KINDS[self.kind][1]}: {self.amount} {unit_en} {rel} {self.start}, due {self.due}"
        lines = [head]
        if self.in_principle:
            lines.append("  原则上" if zh else "  in principle")
        if self.on_expiry:
            lines.append(("  逾期：" if zh else "  on expiry: ") + self.on_expiry)
        if self.provisional:
            days = ", ".join(str(d) for d in self.assumed)
            lines.append(("  暂定（假定日期：" if zh else "  provisional (assumed: ") + days + ("）" if zh else ")"))
        lines += [("  依据：" if zh else "  basis: ") + c.label(lang) for c in self.basis]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "profile": self.profile,
            "kind": self.kind,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "unit": self.unit,
            "amount": self.amount,
            "direction": self.direction,
            "starts": self.starts,
            "on_expiry": self.on_expiry,
            "in_principle": self.in_principle,
            "provisional": self.provisional,
            "assumed": [d.isoformat() for d in self.assumed],
            "rules": list(self.rules),
            "basis": _basis_dicts(self.basis),
        }


@dataclass(frozen=True, slots=True)
class Frequency:
    """How often a meeting is held: ``times`` = (min, max) per ``per``."""

    per: Literal["week", "half_month", "month", "two_months", "quarter", "half_year", "year"]
    times: tuple[int, int]
    in_principle: bool = False


@dataclass(frozen=True, slots=True)
class Attendee:
    """A category of non-member attendees (列席), in the text's words, with a role id where one fits."""

    who: str
    role: str | None = None
    as_needed: bool = False


@dataclass(frozen=True, slots=True)
class QuorumRule:
    """``more_than`` or ``at_least`` a fraction (numerator, denominator) of those expected."""

    fraction: tuple[int, int]
    strictly_more: bool

    def needed(self, expected: int) -> int:
        num, den = self.fraction
        if self.strictly_more:
            return expected * num // den + 1
        return -(-expected * num // den)


@dataclass(frozen=True, slots=True)
class Quorum:
    kind: str
    quorate: bool
    needed: int
    expected: int
    present: int
    basis: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class MeetingRule:
    """How a kind of meeting is constituted. ``None`` / empty where the text is silent."""

    profile: str
    kind: str
    members: tuple[str, ...]
    attendees: tuple[Attendee, ...]
    convener: str | None
    chair: str | None
    chair_delegates: tuple[str, ...]
    frequency: Frequency | None
    quorum: QuorumRule | None
    leave_approver: str | None
    leave_approvers: Mapping[str, str]
    substitutes_allowed: bool | None
    agenda_proposed_by: tuple[str, ...]
    agenda_approved_by: tuple[str, ...]
    minutes: Route | None
    basis: tuple[Citation, ...]
    rules: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "profile": self.profile,
            "kind": self.kind,
            "members": list(self.members),
            "attendees": [{"who": a.who, "role": a.role, "as_needed": a.as_needed} for a in self.attendees],
            "convener": self.convener,
            "chair": self.chair,
            "chair_delegates": list(self.chair_delegates),
            "frequency": None
            if self.frequency is None
            else {
                "per": self.frequency.per,
                "times": list(self.frequency.times),
                "in_principle": self.frequency.in_principle,
            },
            "quorum": None
            if self.quorum is None
            else {"fraction": list(self.quorum.fraction), "strictly_more": self.quorum.strictly_more},
            "leave_approver": self.leave_approver,
            "leave_approvers": dict(self.leave_approvers),
            "substitutes_allowed": self.substitutes_allowed,
            "agenda_proposed_by": list(self.agenda_proposed_by),
            "agenda_approved_by": list(self.agenda_approved_by),
            "minutes": None if self.minutes is None else self.minutes.as_dict(),
            "rules": list(self.rules),
            "basis": _basis_dicts(self.basis),
        }

    def explain(self, lang: Lang = "zh") -> str:
        from govrules import vocabulary as v

        zh = lang == "zh"
        name = v.MEETINGS[self.kind][0 if zh else 1]

        def role(r: str) -> str:
            return v.OFFICES.get(r, v.RELATIONAL_ROLES.get(r, (r, r)))[0 if zh else 1]

        lines = [name]

        def row(label_zh: str, label_en: str, value: str) -> None:
            lines.append(f"  {label_zh if zh else label_en}：{value}" if zh else f"  {label_en}: {value}")

        if self.members:
            row("组成", "members", "、".join(map(role, self.members)) if zh else ", ".join(map(role, self.members)))
        if self.attendees:
            row("列席", "attendees", "；".join(a.who for a in self.attendees))
        if self.convener:
            row("召集", "convener", role(self.convener))
        if self.chair:
            row("主持", "chair", role(self.chair))
        if self.chair_delegates:
            row("可委托", "may be entrusted to", "、".join(map(role, self.chair_delegates)))
        if self.frequency:
            low, high = self.frequency.times
            times = str(low) if low == high else f"{low}—{high}"
            per = v.PERIODS[self.frequency.per][0 if zh else 1]
            row("频次", "frequency", f"{per}{times}次" if zh else f"{times} per {per}")
        else:
            row("频次", "frequency", "根据需要" if zh else "as needed")
        if self.quorum:
            num, den = self.quorum.fraction
            row(
                "法定人数",
                "quorum",
                ("超过" if self.quorum.strictly_more else "不少于") + f"{num}/{den}"
                if zh
                else ("more than " if self.quorum.strictly_more else "at least ") + f"{num}/{den}",
            )
        if self.leave_approver:
            row("请假", "leave approved by", role(self.leave_approver))
        lines += [("  依据：" if zh else "  basis: ") + c.label(lang) for c in self.basis]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class MeetingCheck:
    """Whether a meeting as held is properly constituted, and what it breaks."""

    kind: str
    missing_members: tuple[str, ...]
    non_members: tuple[str, ...]
    chair_valid: bool | None
    quorum: Quorum | None
    leave: Mapping[str, str]
    violations: tuple[Violation, ...]
    basis: tuple[Citation, ...]
