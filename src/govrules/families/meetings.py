"""Meetings (全体会议, 常务会议, 市长办公会议, 专题会议, …): composition, attendees, convener and chair,
frequency, quorum, leave, agenda, and whether a meeting as held was properly constituted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import StrictBool, StrictInt, StrictStr

from govrules import _args, facts
from govrules import vocabulary as v
from govrules.answers import Answer, Citation, FrozenMap, Lang, Role, Term, basis_lines, check_lang, role_name
from govrules.compile import RuleSink
from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.errors import InvalidArgument, NotCovered
from govrules.families.base import CheckContext, Family, ScenarioArea, ScenarioInput, cited, uncovered
from govrules.families.compliance import Compliance, Violation
from govrules.families.signing import Route
from govrules.loader import Path_
from govrules.model import Frozen, Ids, RuleEntry

if TYPE_CHECKING:
    from govrules.documents import AgendaItem
    from govrules.profile import Profile
    from govrules.roster import Absence, Roster


class AttendeeEntry(Frozen):
    who: StrictStr
    role: StrictStr | None = None
    as_needed: StrictBool = False


class FrequencyEntry(Frozen):
    per: Literal["week", "half_month", "month", "two_months", "quarter", "half_year", "year"]
    times: tuple[StrictInt, StrictInt]
    in_principle: StrictBool = False


class QuorumSpec(Frozen):
    more_than: tuple[StrictInt, StrictInt] | None = None
    at_least: tuple[StrictInt, StrictInt] | None = None


class LeaveApprover(Frozen):
    who: StrictStr
    approver: StrictStr
    roles: Ids = ()  # the offices of those the category covers, so a roster can be matched to it


class AgendaSpec(Frozen):
    proposed_by: Ids = ()
    approved_by: Ids = ()


class MeetingSpec(RuleEntry):
    """How one kind of meeting is constituted, chaired, held and attended."""

    kind: StrictStr
    members: Ids = ()
    attendees: tuple[AttendeeEntry, ...] = ()
    convener: StrictStr | None = None
    chair: StrictStr | None = None
    chair_delegates: Ids = ()
    frequency: FrequencyEntry | None = None
    quorum: QuorumSpec | None = None
    leave_approver: StrictStr | None = None
    leave_approvers: tuple[LeaveApprover, ...] = ()
    substitutes_allowed: StrictBool | None = None
    agenda: AgendaSpec | None = None


Period = Literal["week", "half_month", "month", "two_months", "quarter", "half_year", "year"]


@dataclass(frozen=True, slots=True)
class Frequency(Answer):
    """How often a meeting is held: ``times`` = (min, max) per ``per``."""

    per: Annotated[Period, Term("PERIODS")]
    times: tuple[int, int]
    in_principle: bool = False


@dataclass(frozen=True, slots=True)
class Attendee(Answer):
    """A category of non-member attendees (列席), in the text's words, with a role id where one fits."""

    who: str
    role: Role | None = None
    as_needed: bool = False


@dataclass(frozen=True, slots=True)
class QuorumRule(Answer):
    """``more_than`` or ``at_least`` a fraction (numerator, denominator) of those expected."""

    fraction: tuple[int, int]
    strictly_more: bool

    def needed(self, expected: int) -> int:
        num, den = self.fraction
        if self.strictly_more:
            return expected * num // den + 1
        return -(-expected * num // den)


@dataclass(frozen=True, slots=True)
class Quorum(Answer):
    """Whether those present make a meeting quorate, and how many it needs."""

    kind: Annotated[str, Term("MEETINGS")]
    quorate: bool
    needed: int
    expected: int
    present: int
    basis: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class MeetingRule(Answer):
    """How a kind of meeting is constituted. ``None`` / empty where the text is silent."""

    profile: str
    kind: Annotated[str, Term("MEETINGS")]
    members: tuple[Role, ...]
    attendees: tuple[Attendee, ...]
    convener: Role | None
    chair: Role | None
    chair_delegates: tuple[Role, ...]
    frequency: Frequency | None
    quorum: QuorumRule | None
    leave_approver: Role | None
    leave_approvers: Mapping[str, Role]
    substitutes_allowed: bool | None
    agenda_proposed_by: tuple[Role, ...]
    agenda_approved_by: tuple[Role, ...]
    minutes: Route | None
    basis: tuple[Citation, ...]
    rules: tuple[str, ...]
    labels: Mapping[str, str] = field(default=FrozenMap(), repr=False, compare=False)

    def explain(self, lang: Lang = "zh") -> str:
        from govrules import vocabulary as v

        zh = check_lang(lang) == "zh"
        name = v.MEETINGS[self.kind][0 if zh else 1]

        def role(r: str) -> str:
            return role_name(r, lang, self.labels)

        lines = [name]

        def row(label_zh: str, label_en: str, value: str) -> None:
            lines.append(f"  {label_zh if zh else label_en}：{value}" if zh else f"  {label_en}: {value}")

        if self.members:
            row("组成", "members", "、".join(map(role, self.members)) if zh else ", ".join(map(role, self.members)))
        if self.attendees:
            # the text's own words: quoted for an English reader
            row(
                "列席",
                "attendees",
                "；".join(a.who for a in self.attendees) if zh else "; ".join(f"“{a.who}”" for a in self.attendees),
            )
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
        lines += basis_lines(self.basis, lang)
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class MeetingCheck(Answer):
    """Whether a meeting as held is properly constituted, and what it breaks."""

    kind: Annotated[str, Term("MEETINGS")]
    missing_members: tuple[str, ...]
    non_members: tuple[str, ...]
    chair_valid: bool | None
    quorum: Quorum | None
    leave: Mapping[str, Role]
    violations: tuple[Violation, ...]
    basis: tuple[Citation, ...]
    labels: Mapping[str, str] = field(default=FrozenMap(), repr=False, compare=False)


class Meetings(Family[MeetingSpec]):
    """How each kind of meeting is constituted and held."""

    section = "meetings"
    entry = MeetingSpec
    queries = ("meeting", "quorum", "check_meeting")
    supports = (
        "members",
        "attendees",
        "convener",
        "chair",
        "chair_delegates",
        "frequency",
        "quorum",
        "leave",
        "substitutes",
        "agenda",
    )

    @classmethod
    def validate(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        kinds: dict[str, int] = {}
        for i, meeting in enumerate(cls.entries(ctx.spec)):
            yield from _check_meeting(ctx, ("meetings", i), meeting)
            if meeting.kind in kinds:
                first = ctx.doc.position(("meetings", kinds[meeting.kind], "kind"))[0]
                yield ctx.doc.diagnostic(
                    ("meetings", i, "kind"),
                    "GR020",
                    f"meeting kind `{meeting.kind}` is described twice",
                    f"the first description is at line {first}",
                )
            kinds.setdefault(meeting.kind, i)

    @classmethod
    def lint(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        yield from uncovered(ctx, "meetings", set(v.MEETINGS) - {m.kind for m in cls.entries(ctx.spec)})

    @classmethod
    def compile(cls, rules: Sequence[MeetingSpec], out: RuleSink) -> None:
        for meeting in rules:
            pattern = {"m": {"$and": [{"type": facts.MEETING_REQUEST.name}, {"kind": meeting.kind}]}}
            out.add(f"{meeting.id}#0", [pattern], meeting.id, facts.MEETING, rule=meeting.id)

    # -- queries ------------------------------------------------------------------------------------

    def kinds(self) -> list[str]:
        """The meeting kinds this profile describes, sorted."""
        return sorted(m.kind for m in self.rules)

    def meeting(self, kind: str) -> MeetingRule:
        """How the meeting ``kind`` is constituted, chaired, held and attended, with its basis."""
        from govrules.documents import Document

        profile = self.profile
        _args.choice("kind", kind, v.MEETINGS)
        derived = profile.run([facts.MEETING_REQUEST.make(kind=kind)]).derived
        found = [self.by_id[f["rule"]] for f in facts.MEETING.of(derived)]
        if not found:
            raise NotCovered(profile.id, f"the meeting `{kind}`")
        spec = found[0]
        try:
            minutes: Route | None = profile.sign(Document("minutes", meeting=kind))
        except NotCovered:
            minutes = None
        quorum = None
        if spec.quorum is not None:
            more = spec.quorum.more_than
            quorum = QuorumRule(more or spec.quorum.at_least or (1, 1), more is not None)
        return MeetingRule(
            profile=profile.id,
            kind=kind,
            members=spec.members,
            attendees=tuple(Attendee(a.who, a.role, a.as_needed) for a in spec.attendees),
            convener=spec.convener,
            chair=spec.chair,
            chair_delegates=spec.chair_delegates,
            frequency=None
            if spec.frequency is None
            else Frequency(spec.frequency.per, spec.frequency.times, spec.frequency.in_principle),
            quorum=quorum,
            leave_approver=spec.leave_approver,
            leave_approvers=MappingProxyType({x.who: x.approver for x in spec.leave_approvers}),
            substitutes_allowed=spec.substitutes_allowed,
            agenda_proposed_by=spec.agenda.proposed_by if spec.agenda else (),
            agenda_approved_by=spec.agenda.approved_by if spec.agenda else (),
            minutes=minutes,
            basis=profile.basis(spec.basis),
            rules=(spec.id,),
            labels=profile.labels,
        )

    def quorum(self, kind: str, *, expected: int, present: int) -> Quorum:
        """Whether ``present`` of ``expected`` members make the meeting quorate, where the text sets a quorum."""
        for name, value in (("expected", expected), ("present", present)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidArgument(f"`{name}`: expected a whole number ≥ 0, got `{value!r}`")
        if present > expected:
            raise InvalidArgument(f"`present`: {present} is more than `expected` {expected}")
        rule = self.meeting(kind)
        if rule.quorum is None:
            raise NotCovered(self.profile.id, f"a quorum for the meeting `{kind}`")
        needed = rule.quorum.needed(expected)
        return Quorum(kind, present >= needed, needed, expected, present, self._cited(rule, {"quorum"}))

    def _cited(self, rule: MeetingRule, asked: Iterable[str]) -> tuple[Citation, ...]:
        """The citations of the meeting's entry that support the fields ``asked`` about."""
        return self.profile.basis(cited(self.by_id[rule.rules[0]], asked=set(asked)))

    def check_meeting(
        self,
        kind: str,
        *,
        attendees: Iterable[str],
        roster: Roster,
        chair: str | None = None,
        on: dt.date | None = None,
        absences: Iterable[Absence] = (),
        agenda: Iterable[AgendaItem] = (),
    ) -> MeetingCheck:
        """Is the meeting as held properly constituted? Missing members (and who approves their leave),
        attendees who are not members, whether the chair may chair, quorum, agenda violations."""
        from govrules.documents import AgendaItem
        from govrules.roster import Roster

        profile = self.profile
        rule = self.meeting(kind)
        if not isinstance(roster, Roster):
            raise InvalidArgument(f"`roster`: expected a `govrules.Roster`, got `{roster!r}`")
        present = _args.ids("attendees", attendees)
        for person in present:
            roster[person]
        members = [p.id for p in roster if any(p.holds(role) for role in rule.members)]
        missing = tuple(p for p in members if p not in present)
        non_members = tuple(p for p in present if p not in members)
        chair_valid: bool | None = None
        if chair is not None:
            allowed = [r for r in (rule.chair or rule.convener, *rule.chair_delegates) if r]
            chair_valid = any(roster[chair].holds(r) for r in allowed) if allowed else None
        quorum = None
        if rule.quorum is not None:
            attending = len(members) - len(missing)
            needed = rule.quorum.needed(len(members))
            quorum = Quorum(kind, attending >= needed, needed, len(members), attending, self._cited(rule, {"quorum"}))
        # `leave_approver` is for 市政府领导同志; other categories (`leave_approvers`) by the offices they cover
        leave: dict[str, str] = {}
        for pid in missing:
            official = roster[pid]
            if official.office in v.LEADERS and rule.leave_approver:
                leave[pid] = rule.leave_approver
                continue
            for category in self.by_id[rule.rules[0]].leave_approvers:
                if any(official.holds(r) for r in category.roles):
                    leave[pid] = category.approver
                    break
        items = tuple(agenda)
        for item in items:
            if not isinstance(item, AgendaItem):
                raise InvalidArgument(f"`agenda`: expected `govrules.AgendaItem` values, got `{item!r}`")
        violations: tuple[Violation, ...] = ()
        if items:
            agenda_facts = [item.fact(kind, i) for i, item in enumerate(items)]
            result = profile.run(agenda_facts)
            violations = profile.family(Compliance).violations(result.derived, firings=result.firings)
        if absences or on is not None:
            violations += profile.day(on, roster, tuple(absences)).violations
        asked = {"members", "attendees"}
        asked |= {"chair", "chair_delegates", "convener"} if chair is not None else set()
        asked |= {"quorum"} if quorum is not None else set()
        asked |= {"leave"} if leave else set()
        return MeetingCheck(
            kind,
            missing,
            non_members,
            chair_valid,
            quorum,
            MappingProxyType(leave),
            violations,
            self._cited(rule, asked),
            profile.labels,
        )


def _check_meeting(ctx: CheckContext, where: Path_, meeting: MeetingSpec) -> Iterator[Diagnostic]:
    doc = ctx.doc
    if meeting.kind not in v.MEETINGS:
        yield doc.diagnostic(
            (*where, "kind"), "GR013", f"unknown meeting kind `{meeting.kind}`", did_you_mean(meeting.kind, v.MEETINGS)
        )
    for key in ("members", "chair_delegates"):
        yield from ctx.roles_known((*where, key), getattr(meeting, key))
    for key in ("convener", "chair", "leave_approver"):
        value = getattr(meeting, key)
        if value is not None:
            yield from ctx.roles_known((*where, key), [value])
    for k, attendee in enumerate(meeting.attendees):
        if attendee.role is not None:
            yield from ctx.roles_known((*where, "attendees", k, "role"), [attendee.role])
    for k, leave in enumerate(meeting.leave_approvers):
        yield from ctx.roles_known((*where, "leave_approvers", k, "approver"), [leave.approver])
        yield from ctx.roles_known((*where, "leave_approvers", k, "roles"), leave.roles)
    if meeting.agenda is not None:
        for key in ("proposed_by", "approved_by"):
            yield from ctx.roles_known((*where, "agenda", key), getattr(meeting.agenda, key))
    if meeting.frequency is not None:
        low, high = meeting.frequency.times
        if not 1 <= low <= high:
            yield doc.diagnostic(
                (*where, "frequency", "times"),
                "GR012",
                f"`times` must be `[min, max]` with 1 ≤ min ≤ max, not {[low, high]}",
            )
    if meeting.quorum is not None:
        fractions = [f for f in (meeting.quorum.more_than, meeting.quorum.at_least) if f is not None]
        if len(fractions) != 1:
            yield doc.diagnostic((*where, "quorum"), "GR012", "a quorum gives exactly one of `more_than` or `at_least`")
        for num, den in fractions:
            if not 0 < num <= den:
                yield doc.diagnostic(
                    (*where, "quorum"), "GR012", f"a quorum fraction must be `[n, d]` with 0 < n ≤ d, not {[num, den]}"
                )


# -- scenarios ------------------------------------------------------------------------------------------


def _ask_meeting(profile: Profile, given: ScenarioInput) -> MeetingRule:
    return profile.meeting(given["kind"])


def _actual_meeting(answer: MeetingRule) -> dict[str, Any]:
    return {
        "members": set(answer.members),
        "convener": answer.convener,
        "chair": answer.chair,
        "chair_delegates": set(answer.chair_delegates),
        "frequency": None
        if answer.frequency is None
        else {"per": answer.frequency.per, "times": list(answer.frequency.times)},
        "quorum": answer.quorum is not None,
        "leave_approver": answer.leave_approver,
        "leave_approvers": dict(answer.leave_approvers),
        "substitutes_allowed": answer.substitutes_allowed,
        "attendee_roles": {a.role for a in answer.attendees if a.role},
        "minutes_signers": set(answer.minutes.signers) if answer.minutes else set(),
        "agenda_proposed_by": set(answer.agenda_proposed_by),
        "agenda_approved_by": set(answer.agenda_approved_by),
        "articles": {c.article for c in answer.basis},
        "rules": set(answer.rules),
    }


def _ask_quorum(profile: Profile, given: ScenarioInput) -> Quorum:
    return profile.quorum(given["kind"], expected=given["expected"], present=given["present"])


def _actual_quorum(answer: Quorum) -> dict[str, Any]:
    return {"quorate": answer.quorate, "needed": answer.needed, "articles": {c.article for c in answer.basis}}


def _ask_check(profile: Profile, given: ScenarioInput) -> MeetingCheck:
    from govrules.documents import AgendaItem

    agenda = tuple(AgendaItem(**item) for item in given.get("agenda") or ())
    day = given.day() if "on" in given else {"roster": given.roster()}
    return profile.check_meeting(
        given["kind"], attendees=tuple(given["attendees"]), chair=given.get("chair"), agenda=agenda, **day
    )


def _actual_check(answer: MeetingCheck) -> dict[str, Any]:
    return {
        "missing_members": set(answer.missing_members),
        "non_members": set(answer.non_members),
        "chair_valid": answer.chair_valid,
        "quorate": None if answer.quorum is None else answer.quorum.quorate,
        "leave": dict(answer.leave),
        "codes": sorted(x.code for x in answer.violations),
    }


Meetings.areas = MappingProxyType(
    {
        "meetings": ScenarioArea(
            _ask_meeting,
            _actual_meeting,
            given=frozenset({"kind"}),
            required=frozenset({"kind"}),
            expect=frozenset(
                {
                    "agenda_approved_by",
                    "agenda_proposed_by",
                    "articles",
                    "attendee_roles",
                    "chair",
                    "chair_delegates",
                    "convener",
                    "frequency",
                    "leave_approver",
                    "leave_approvers",
                    "members",
                    "minutes_signers",
                    "not_covered",
                    "quorum",
                    "rules",
                    "substitutes_allowed",
                }
            ),
        ),
        "quorum": ScenarioArea(
            _ask_quorum,
            _actual_quorum,
            given=frozenset({"expected", "kind", "present"}),
            required=frozenset({"expected", "kind", "present"}),
            expect=frozenset({"articles", "needed", "not_covered", "quorate"}),
        ),
        "meeting_checks": ScenarioArea(
            _ask_check,
            _actual_check,
            given=frozenset({"absences", "agenda", "attendees", "chair", "kind", "on"}),
            required=frozenset({"attendees", "kind"}),
            expect=frozenset(
                {"chair_valid", "codes", "leave", "missing_members", "non_members", "not_covered", "quorate"}
            ),
        ),
    }
)
