"""Meetings (全体会议, 常务会议, 市长办公会议, 专题会议, …): composition, attendees, who may convene and
chair and under which condition, frequency, quorum, leave, the agenda's way to the meeting, and
whether a meeting as held was properly constituted.

The texts name alternatives and conditions (市长不能出席会议时，可委托负责常务工作的副市长召集和主持;
由市长、副市长或市长、副市长委托市政府秘书长、副秘书长…召集和主持): a meeting's ``chairs`` are its
alternatives, each with the conditions that must all hold. Leave rules depend on the absent person's
office and on who chairs; agenda chains are ordered steps, each with its own basis. The conditions
are data read here; which meeting rule applies is decided by the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, Literal, Optional, TypeVar

from pydantic import StrictBool, StrictInt, StrictStr, field_validator

from govrules import _args, facts
from govrules import vocabulary as v
from govrules.answers import Answer, Citation, FrozenMap, Lang, Role, Term, basis_lines, check_lang, english, role_name
from govrules.compile import RuleSink
from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.errors import InvalidArgument, NotCovered
from govrules.families.base import CheckContext, Family, ScenarioArea, ScenarioInput, cited, merge, uncovered
from govrules.families.compliance import Compliance, Violation
from govrules.families.signing import Route
from govrules.loader import Path_
from govrules.model import Citation as CitationSpec
from govrules.model import Frozen, Ids, RuleEntry

if TYPE_CHECKING:
    from govrules.documents import AgendaItem
    from govrules.profile import Profile
    from govrules.roster import Absence, Person, Roster

Period = Literal["week", "half_month", "month", "two_months", "quarter", "half_year", "year"]

#: Who 市政府领导同志 are, for the older `leave_approver` key (and `MeetingRule.leave_approver`).
_LEADER_ROLES = ("mayor", "executive_vice_mayor", "vice_mayor", "secretary_general")


def _steps_list(value: Any) -> Any:
    """``agenda:`` written as a list is the list of its steps."""
    return {"steps": value} if isinstance(value, list) else value


def _listed(value: Any) -> Any:
    """A single string where a list is expected reads as a list of one (``when: entrusted``)."""
    return [value] if isinstance(value, str) else value


# -- the profile's shape -----------------------------------------------------------------------------


class AttendeeEntry(Frozen):
    """A category of non-members who attend (列席 / 参加), in the text's words, with role ids where they fit."""

    who: StrictStr
    role: StrictStr | None = None
    roles: Ids = ()
    as_needed: StrictBool = False

    def all_roles(self) -> tuple[str, ...]:
        return self.roles or ((self.role,) if self.role else ())


class FrequencyEntry(Frozen):
    """How often: ``times`` ``[min, max]`` per ``per``; or ``as_needed`` (根据需要/不定期); or ``regular``
    with no period stated (定期). With ``per``, ``as_needed`` adds meetings held when needed (如有需要可随时召开)."""

    per: Period | None = None
    times: tuple[StrictInt, StrictInt] | None = None
    in_principle: StrictBool = False
    as_needed: StrictBool = False
    regular: StrictBool = False


class QuorumSpec(Frozen):
    more_than: tuple[StrictInt, StrictInt] | None = None
    at_least: tuple[StrictInt, StrictInt] | None = None


class ChairEntry(Frozen):
    """One who may convene and chair (召集和主持), under conditions that must all hold."""

    role: StrictStr
    when: Ids = ()  # entrusted, principal_absent, in_charge
    entrusted_by: Ids = ()  # who may entrust; default: the options without conditions
    convenes: StrictBool = True  # false: the text says 主持 only
    open: StrictBool = False  # the text's list goes on (等有关负责同志): others like this one may too

    _when_list = field_validator("when", mode="before")(_listed)


class LeaveRuleEntry(Frozen):
    """Who approves the leave of a category of participants (members or 列席), perhaps only for some chairs."""

    who: StrictStr
    roles: Ids = ()
    everyone: StrictBool = False  # every participant an earlier rule does not take (其他参会人员)
    approver: StrictStr
    chaired_by: Ids = ()  # applies only when the chair holds one of these


class LeaveApprover(Frozen):
    """The older form of a leave rule (`leave_approvers`): a category, its approver, the offices it covers."""

    who: StrictStr
    approver: StrictStr
    roles: Ids = ()


class AgendaStepEntry(Frozen):
    """One step of an agenda item's way to the meeting: who proposes, reviews, forwards or approves it."""

    action: StrictStr
    roles: Ids = ()
    chaired_by: Ids = ()  # the step belongs to the chain only when the chair holds one of these
    basis: tuple[CitationSpec, ...] = ()


class AgendaSpec(Frozen):
    proposed_by: Ids = ()
    approved_by: Ids = ()
    steps: tuple[AgendaStepEntry, ...] = ()


class MeetingSpec(RuleEntry):
    """How one kind of meeting is constituted, chaired, held and attended.

    ``chairs``, ``leave`` and ``agenda.steps`` are the full forms; ``convener``/``chair``/
    ``chair_delegates``, ``leave_approver``/``leave_approvers`` and ``agenda.proposed_by``/``approved_by``
    are older shorthands, still read (:meth:`chair_options`, :meth:`leave_rules`, :meth:`agenda_steps`).
    """

    kind: StrictStr
    members: Ids = ()
    attendees: tuple[AttendeeEntry, ...] = ()
    chairs: tuple[ChairEntry, ...] = ()
    convener: StrictStr | None = None
    chair: StrictStr | None = None
    chair_delegates: Ids = ()
    frequency: FrequencyEntry | None = None
    quorum: QuorumSpec | None = None
    leave: tuple[LeaveRuleEntry, ...] = ()
    leave_approver: StrictStr | None = None
    leave_approvers: tuple[LeaveApprover, ...] = ()
    substitutes_allowed: StrictBool | None = None
    agenda: AgendaSpec | None = None  # a list of steps, or the older {proposed_by, approved_by}

    _agenda_steps = field_validator("agenda", mode="before")(_steps_list)

    def chair_options(self) -> tuple[ChairEntry, ...]:
        """``chairs``, or the older keys read as: the chair (or convener) in its own right, each
        delegate when entrusted by them."""
        if self.chairs:
            return self.chairs
        principal = self.chair or self.convener
        if principal is None:
            return ()
        convenes = self.convener is not None
        found = [_entry(ChairEntry, role=principal, convenes=convenes)]
        for role in self.chair_delegates:
            found.append(
                _entry(ChairEntry, role=role, when=("entrusted",), entrusted_by=(principal,), convenes=convenes)
            )
        return tuple(found)

    def leave_rules(self) -> tuple[LeaveRuleEntry, ...]:
        """``leave``, or the older keys read as a rule for 市政府领导同志 and one per category."""
        if self.leave:
            return self.leave
        found = []
        if self.leave_approver is not None:
            found.append(
                _entry(LeaveRuleEntry, who="市政府领导同志", roles=_LEADER_ROLES, approver=self.leave_approver)
            )
        for x in self.leave_approvers:
            found.append(_entry(LeaveRuleEntry, who=x.who, roles=x.roles, approver=x.approver))
        return tuple(found)

    def agenda_steps(self) -> tuple[AgendaStepEntry, ...]:
        """``agenda.steps``, or the older keys read as a propose step and an approve step."""
        if self.agenda is None:
            return ()
        if self.agenda.steps:
            return self.agenda.steps
        found = []
        if self.agenda.proposed_by:
            found.append(_entry(AgendaStepEntry, action="propose", roles=self.agenda.proposed_by))
        if self.agenda.approved_by:
            found.append(_entry(AgendaStepEntry, action="approve", roles=self.agenda.approved_by))
        return tuple(found)


E = TypeVar("E", bound=Frozen)


def _entry(cls: type[E], **values: Any) -> E:
    """An entry built from values (the profile's older keys read in the newer shape)."""
    return cls.model_validate(values)


# -- answers -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Frequency(Answer):
    """How often a meeting is held.

    ``per`` and ``times`` (min, max) when the text sets a period; ``per`` is ``None`` when it sets none:
    then ``as_needed`` (根据需要 / 不定期) or ``regular`` (定期, period unstated). With a period,
    ``as_needed`` means further meetings may be held when needed (如有需要可随时召开). A meeting whose
    text says nothing about frequency has ``MeetingRule.frequency`` ``None``.
    """

    per: Annotated[Period, Term("PERIODS")] | None
    times: tuple[int, int] | None
    in_principle: bool = False
    as_needed: bool = False
    regular: bool = False

    def describe(self, lang: Lang = "zh") -> str:
        zh = check_lang(lang) == "zh"
        if self.per is None or self.times is None:
            if self.regular:
                text = "定期（未规定周期）" if zh else "regularly, period not stated"
            else:
                text = "根据需要" if zh else "as needed"
        else:
            low, high = self.times
            count = str(low) if low == high else f"{low}—{high}"
            period = v.PERIODS[self.per][0 if zh else 1]
            text = f"{period}{count}次" if zh else f"{count} per {period}"
            if self.as_needed:
                text += "，如有需要可随时召开" if zh else ", and whenever needed"
        if self.in_principle:
            text = ("原则上" + text) if zh else (text + " (in principle)")
        return text


@dataclass(frozen=True, slots=True)
class Attendee(Answer):
    """A category of non-member attendees (列席), in the text's words, with the role ids that fit it.

    ``role`` is the first of ``roles`` (kept for callers written when a category had one role).
    """

    who: str
    role: Role | None = None
    as_needed: bool = False
    roles: tuple[Role, ...] = ()

    def __post_init__(self) -> None:
        Answer.__post_init__(self)
        if not self.roles and self.role is not None:
            object.__setattr__(self, "roles", (self.role,))
        elif self.roles and self.role is None:
            object.__setattr__(self, "role", self.roles[0])


@dataclass(frozen=True, slots=True)
class ChairOption(Answer):
    """One who may convene and chair the meeting, and the conditions that must all hold.

    ``when``: ``entrusted`` (by one of ``entrusted_by``), ``principal_absent`` (none of those who chair
    in their own right attends), ``in_charge`` (the matter is in their portfolio). ``convenes`` is
    false where the text says they chair (主持) without convening. ``open`` marks a list the text
    leaves open (等有关负责同志): whether someone in another office may chair under the same conditions
    is then unknown, not false.
    """

    role: Role
    when: tuple[Annotated[str, Term("CHAIR_CONDITIONS")], ...] = ()
    entrusted_by: tuple[Role, ...] = ()
    convenes: bool = True
    open: bool = False


@dataclass(frozen=True, slots=True)
class LeaveRule(Answer):
    """Who approves the leave of a category of participants; ``chaired_by`` limits it to some chairs.

    ``everyone`` covers every participant an earlier rule does not. Nobody approves their own leave.
    """

    who: str
    roles: tuple[Role, ...]
    approver: Role
    chaired_by: tuple[Role, ...] = ()
    everyone: bool = False


@dataclass(frozen=True, slots=True)
class AgendaStep(Answer):
    """A step of an agenda item's way to the meeting: ``action`` (``propose``, ``review``, ``forward``,
    ``approve``) by any of ``roles``; only when the chair holds one of ``chaired_by``, if given."""

    action: Annotated[str, Term("AGENDA_ACTIONS")]
    roles: tuple[Role, ...]
    chaired_by: tuple[Role, ...] = ()
    basis: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class AgendaChain(Answer):
    """The ordered steps an agenda item of a meeting goes through, for a meeting chaired by ``chaired_by``
    (every step, conditional ones included, when ``chaired_by`` is None)."""

    profile: str
    kind: Annotated[str, Term("MEETINGS")]
    chaired_by: Role | None
    steps: tuple[AgendaStep, ...]
    basis: tuple[Citation, ...]
    rules: tuple[str, ...]
    labels: Mapping[str, str] = field(default=FrozenMap(), repr=False, compare=False)

    def explain(self, lang: Lang = "zh") -> str:
        zh = check_lang(lang) == "zh"
        lines = [v.MEETINGS[self.kind][0 if zh else 1] + ("议题" if zh else " agenda items")]
        lines += [f"  {i}. {_step_text(s, zh, self.labels)}" for i, s in enumerate(self.steps, 1)]
        lines += basis_lines(self.basis, lang)
        return "\n".join(lines)


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
    """How a kind of meeting is constituted. ``None`` / empty where the text is silent.

    ``chairs`` is the full answer on who may convene and chair, with conditions; ``convener`` and
    ``chair`` are the first role that does so in its own right (``None`` if every option has a
    condition), ``chair_delegates`` every other role of ``chairs``. ``leave`` holds the leave rules;
    ``leave_approver`` is the approver for 市政府领导同志 whoever chairs (``None`` if it depends on the
    chair or the text is silent), ``leave_approvers`` the other categories' approvers. ``agenda`` is
    the ordered chain of steps; ``agenda_proposed_by`` / ``agenda_approved_by`` its propose and
    approve roles.
    """

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
    chairs: tuple[ChairOption, ...] = ()
    leave: tuple[LeaveRule, ...] = ()
    agenda: tuple[AgendaStep, ...] = ()
    labels: Mapping[str, str] = field(default=FrozenMap(), repr=False, compare=False)

    def explain(self, lang: Lang = "zh") -> str:
        zh = check_lang(lang) == "zh"
        sep = "、" if zh else ", "
        lines = [v.MEETINGS[self.kind][0 if zh else 1]]

        def row(label_zh: str, label_en: str, value: str) -> None:
            lines.append(f"  {label_zh}：{value}" if zh else f"  {label_en}: {value}")

        if self.members:
            row("组成", "members", sep.join(_role(r, zh, self.labels) for r in self.members))
        if self.attendees:  # the text's own words: quoted for an English reader
            who = "；".join(a.who for a in self.attendees) if zh else "; ".join(f"“{a.who}”" for a in self.attendees)
            row("列席", "attendees", who)
        for option in self.chairs:
            row(
                "召集和主持" if option.convenes else "主持",
                "convenes and chairs" if option.convenes else "chairs",
                _chair_text(option, zh, self.labels),
            )
        row(
            "频次", "frequency", self.frequency.describe(lang) if self.frequency else ("未规定" if zh else "not stated")
        )
        if self.quorum:
            num, den = self.quorum.fraction
            more = self.quorum.strictly_more
            text = ("超过" if more else "不少于") if zh else ("more than " if more else "at least ")
            row("法定人数", "quorum", f"{text}{num}/{den}")
        for rule in self.leave:
            whose = rule.who if zh else (", ".join(english(r) for r in rule.roles) or "everyone else")
            cond = ""
            if rule.chaired_by:
                cond = (
                    f"（{sep.join(_role(r, zh, self.labels) for r in rule.chaired_by)}主持时）"
                    if zh
                    else f" (when {' or '.join(english(r) for r in rule.chaired_by)} chairs)"
                )
            row("请假", "leave", f"{whose}{cond} → {_role(rule.approver, zh, self.labels)}")
        if self.agenda:
            row("议题", "agenda", " → ".join(_step_text(step, zh, self.labels) for step in self.agenda))
        lines += basis_lines(self.basis, lang)
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class MeetingCheck(Answer):
    """Whether a meeting as held is properly constituted, and what it breaks.

    ``chair_valid`` is ``None`` when the text names no chair, or when whether the chair may chair
    depends on a fact not given (an entrustment, the matter's portfolio); ``chair_reason`` says why.
    ``missing_attendees`` are those expected to sit in (列席 categories the text makes standing, and
    ``invited``) who did not come. ``leave`` maps each absent member or attendee to the role that
    approves their leave; ``leave_not_covered`` lists those whose leave the text gives no approver
    (among them anyone who would have to approve their own).
    """

    kind: Annotated[str, Term("MEETINGS")]
    missing_members: tuple[str, ...]
    non_members: tuple[str, ...]
    chair_valid: bool | None
    quorum: Quorum | None
    leave: Mapping[str, Role]
    violations: tuple[Violation, ...]
    basis: tuple[Citation, ...]
    chair_reason: str | None = None
    missing_attendees: tuple[str, ...] = ()
    leave_not_covered: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default=FrozenMap(), repr=False, compare=False)


def _asked(chair: str | None, quorum: Quorum | None, leave: Mapping[str, str]) -> set[str]:
    """The fields of a meeting rule a check of a meeting as held decides (for its citations)."""
    asked = {"members", "attendees"}
    asked |= {"chair", "chair_delegates", "convener"} if chair is not None else set()
    asked |= {"quorum"} if quorum is not None else set()
    asked |= {"leave"} if leave else set()
    return asked


def _role(role: str, zh: bool, labels: Mapping[str, str] | None = None) -> str:
    """A role for the reader: the profile's wording (``labels``) in Chinese, the English gloss in English."""
    return role_name(role, "zh" if zh else "en", labels)


def _chair_text(option: ChairOption, zh: bool, labels: Mapping[str, str] | None = None) -> str:
    text = _role(option.role, zh, labels) + (("等" if zh else " or the like") if option.open else "")
    conds = [v.CHAIR_CONDITIONS[c][0 if zh else 1] for c in option.when if c in v.CHAIR_CONDITIONS]
    if "entrusted" in option.when and option.entrusted_by:
        by = ("、" if zh else " or ").join(_role(r, zh, labels) for r in option.entrusted_by)
        conds = [
            f"受{by}委托"
            if c == v.CHAIR_CONDITIONS["entrusted"][0]
            else f"entrusted by the {by}"
            if c == v.CHAIR_CONDITIONS["entrusted"][1]
            else c
            for c in conds
        ]
    if not conds:
        return text
    return f"{text}（{'且'.join(conds)}）" if zh else f"{text} (if {' and '.join(conds)})"


def _step_text(step: AgendaStep, zh: bool, labels: Mapping[str, str] | None = None) -> str:
    who = ("或" if zh else " or ").join(_role(r, zh, labels) for r in step.roles)
    action = v.AGENDA_ACTIONS[step.action][0 if zh else 1] if step.action in v.AGENDA_ACTIONS else step.action
    text = f"{who}{action}" if zh else f"{action}: {who}"
    if step.chaired_by:
        chairs = ("或" if zh else " or ").join(_role(r, zh, labels) for r in step.chaired_by)
        text += f"（{chairs}主持时）" if zh else f" (when the {chairs} chairs)"
    return text


def _within(role: str, roles: Iterable[str]) -> bool:
    """Whether everyone who fills ``role`` fills one of ``roles`` (an executive vice mayor is a vice mayor)."""
    covered: set[str] = set()
    for r in roles:
        covered |= v.holders(r)
    return v.holders(role) <= covered


# -- the family --------------------------------------------------------------------------------------


class Meetings(Family[MeetingSpec]):
    """How each kind of meeting is constituted and held."""

    section = "meetings"
    entry = MeetingSpec
    queries = ("meeting", "quorum", "check_meeting", "agenda_chain")
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

    def _spec(self, kind: str) -> MeetingSpec:
        profile = self.profile
        _args.choice("kind", kind, v.MEETINGS)
        derived = profile.run([facts.MEETING_REQUEST.make(kind=kind)]).derived
        found = self.in_profile_order(f["rule"] for f in facts.MEETING.of(derived))
        if not found:
            raise NotCovered(profile.id, f"the meeting `{kind}`")
        return found[0]

    def meeting(self, kind: str) -> MeetingRule:
        """How the meeting ``kind`` is constituted, chaired, held and attended, with its basis.

        Examples
        --------
        >>> import govrules
        >>> gov = govrules.load("tests/fixtures/valid/conditional_meetings.yaml")
        >>> rule = gov.meeting("executive")
        >>> [(c.role, c.when) for c in rule.chairs]
        [('mayor', ()), ('executive_vice_mayor', ('principal_absent', 'entrusted'))]
        >>> rule.chair, rule.chair_delegates, rule.frequency.describe("en")
        ('mayor', ('executive_vice_mayor',), '1 per month, and whenever needed (in principle)')
        >>> gov.meeting("study").frequency.describe("en"), gov.meeting("study").convener
        ('regularly, period not stated', None)
        """
        from govrules.documents import Document

        profile = self.profile
        spec = self._spec(kind)
        try:
            minutes: Route | None = profile.sign(Document("minutes", meeting=kind))
        except NotCovered:
            minutes = None
        quorum = None
        if spec.quorum is not None:
            more = spec.quorum.more_than
            quorum = QuorumRule(more or spec.quorum.at_least or (1, 1), more is not None)
        options = spec.chair_options()
        own = [o.role for o in options if not o.when]
        chairs = tuple(
            ChairOption(
                o.role, o.when, (o.entrusted_by or tuple(own)) if "entrusted" in o.when else (), o.convenes, o.open
            )
            for o in options
        )
        chair = next((c.role for c in chairs if not c.when), None)
        convener = next((c.role for c in chairs if not c.when and c.convenes), None)
        leave = tuple(LeaveRule(x.who, x.roles, x.approver, x.chaired_by, x.everyone) for x in spec.leave_rules())
        for_leaders = next((x for x in leave if _leaders_rule(x, chairs)), None)
        steps = tuple(AgendaStep(s.action, s.roles, s.chaired_by, profile.basis(s.basis)) for s in spec.agenda_steps())
        frequency = spec.frequency
        return MeetingRule(
            profile=profile.id,
            kind=kind,
            members=spec.members,
            attendees=tuple(Attendee(a.who, None, a.as_needed, a.all_roles()) for a in spec.attendees),
            convener=convener,
            chair=chair,
            chair_delegates=merge(c.role for c in chairs if c.role != chair),
            frequency=None
            if frequency is None
            else Frequency(
                frequency.per, frequency.times, frequency.in_principle, frequency.as_needed, frequency.regular
            ),
            quorum=quorum,
            leave_approver=None if for_leaders is None else for_leaders.approver,
            leave_approvers=FrozenMap({x.who: x.approver for x in leave if x is not for_leaders}),
            substitutes_allowed=spec.substitutes_allowed,
            agenda_proposed_by=merge(*(s.roles for s in steps if s.action == "propose")),
            agenda_approved_by=merge(*(s.roles for s in steps if s.action == "approve")),
            minutes=minutes,
            basis=profile.basis((*spec.basis, *(c for s in spec.agenda_steps() for c in s.basis))),
            rules=(spec.id,),
            chairs=chairs,
            leave=leave,
            agenda=steps,
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

    def agenda_chain(self, kind: str, *, chaired_by: str | None = None) -> AgendaChain:
        """The ordered steps an agenda item of the meeting ``kind`` goes through (who proposes, reviews,
        forwards and approves it), each with its basis; for a meeting chaired by ``chaired_by`` (a role
        id) only the steps that apply to that chair.

        Examples
        --------
        >>> import govrules
        >>> gov = govrules.load("tests/fixtures/valid/conditional_meetings.yaml")
        >>> [(s.action, s.roles) for s in gov.agenda_chain("executive").steps]
        [('propose', ('leader_in_charge',)), ('review', ('executive_vice_mayor',)), ('approve', ('mayor',))]
        >>> [(s.action, s.roles) for s in gov.agenda_chain("topical", chaired_by="mayor").steps]
        [('review', ('secretary_general',)), ('approve', ('mayor',))]
        >>> gov.agenda_chain("study")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        govrules.errors.NotCovered: profile `conditional_meetings` has no rule for the way an agenda item reaches ...
        """
        rule = self.meeting(kind)
        if chaired_by is not None and chaired_by not in self.profile.roles:
            _args.choice("chaired_by", chaired_by, self.profile.roles)
        if not rule.agenda:
            raise NotCovered(self.profile.id, f"the way an agenda item reaches the meeting `{kind}`")
        steps = tuple(
            s for s in rule.agenda if chaired_by is None or not s.chaired_by or _within(chaired_by, s.chaired_by)
        )
        basis = merge(*(s.basis for s in steps)) or rule.basis
        return AgendaChain(self.profile.id, kind, chaired_by, steps, basis, rule.rules, self.profile.labels)

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
        entrusted: bool | None = None,
        entrusted_by: str | None = None,
        invited: Iterable[str] = (),
        portfolios: Iterable[str] = (),
    ) -> MeetingCheck:
        """Is the meeting as held properly constituted?

        Parameters
        ----------
        kind
            The meeting kind.
        attendees
            The person ids present.
        roster
            Who holds which office.
        chair
            The person id who chairs, if it is to be checked.
        on, absences
            The day and its absences: a chair who may stand in only when the principal cannot attend
            (市长不能出席会议时) is checked against them.
        agenda
            :class:`~govrules.AgendaItem` values: compliance rules on agenda items, and, for items that
            state their ``steps``, the meeting's agenda chain.
        entrusted, entrusted_by
            Whether the chair was entrusted (受委托), and by whom (a person id); unknown unless stated.
        invited
            Person ids invited to sit in (列席) besides the text's standing attendees.
        portfolios
            The portfolios of the matters the meeting is about (for a chair 按照分工).

        Returns
        -------
        MeetingCheck
            Missing members and attendees, who approves their leave, non-members present, whether the
            chair may chair and why, quorum, violations.

        Examples
        --------
        >>> import govrules
        >>> gov = govrules.load("tests/fixtures/valid/conditional_meetings.yaml")
        >>> P = govrules.Person
        >>> roster = govrules.Roster([P("li", "mayor"), P("wang", "executive_vice_mayor"),
        ...                           P("zhao", "vice_mayor"), P("wu", "secretary_general")])
        >>> check = gov.check_meeting("executive", attendees=["li", "wang", "zhao", "wu"], roster=roster, chair="wang")
        >>> check.chair_valid, check.chair_reason  # doctest: +ELLIPSIS
        (False, '`wang` may chair only if the principal chair cannot attend and ...: `li` (mayor) attends')
        >>> check = gov.check_meeting("executive", attendees=["wang", "zhao", "wu"], roster=roster, chair="wang")
        >>> check.chair_valid, check.chair_reason  # doctest: +ELLIPSIS
        (None, '`wang` may chair only if ...: no entrustment is stated (`entrusted`, `entrusted_by`)')
        >>> check = gov.check_meeting("executive", attendees=["wang", "zhao", "wu"], roster=roster, chair="wang",
        ...                           entrusted_by="li")
        >>> check.chair_valid, dict(check.leave), check.leave_not_covered  # the mayor asks no one
        (True, {}, ('li',))
        """
        from govrules.documents import AgendaItem
        from govrules.roster import Roster

        profile = self.profile
        rule = self.meeting(kind)
        if not isinstance(roster, Roster):
            raise InvalidArgument(f"`roster`: expected a `govrules.Roster`, got `{roster!r}`")
        present = _args.ids("attendees", attendees)
        guests = _args.ids("invited", invited)
        for person in (*present, *guests):
            roster[person]
        matters = _args.ids("portfolios", portfolios)
        if chair is not None:
            roster[_args.person_id("chair", chair)]
        if entrusted is not None:
            _args.flag("entrusted", entrusted)
        if entrusted_by is not None:
            roster[_args.person_id("entrusted_by", entrusted_by)]
            if entrusted is False:
                raise InvalidArgument("`entrusted_by`: given with `entrusted=False`; an entrustment has an entruster")
            entrusted = True
        away_on: dict[str, str] = {}
        day = None
        absences = _args.items("absences", absences, "`govrules.Absence` values")
        if absences or on is not None:
            day = profile.day(on, roster, absences)
            away_on = {a.person: a.reason for a in absences if a.covers(day.on)}
            for person in present:
                if person in away_on:
                    raise InvalidArgument(f"`attendees`: `{person}` is away on {day.on} ({away_on[person]})")
        members = [p.id for p in roster if any(p.holds(role) for role in rule.members)]
        missing = tuple(p for p in members if p not in present)
        non_members = tuple(p for p in present if p not in members)
        standing = [r for a in rule.attendees if not a.as_needed for r in a.roles]
        expected = merge(
            (p.id for p in roster if p.id not in members and any(p.holds(r) for r in standing)),
            (g for g in guests if g not in members),
        )
        missing_attendees = tuple(p for p in expected if p not in present)
        judged = _judge_chair(
            rule,
            roster,
            chair,
            present=present,
            away_on=away_on,
            entrusted=entrusted,
            entrusted_by=entrusted_by,
            matters=matters,
        )
        quorum = None
        if rule.quorum is not None:
            attending = len(members) - len(missing)
            needed = rule.quorum.needed(len(members))
            quorum = Quorum(kind, attending >= needed, needed, len(members), attending, self._cited(rule, {"quorum"}))
        entruster = _entruster(roster, judged.option, entrusted, entrusted_by)
        leave: dict[str, str] = {}
        not_covered: list[str] = []
        for pid in (*missing, *missing_attendees):
            approver = _leave_approver(rule, roster[pid], roster, chair, entruster)
            if approver is None:
                not_covered.append(pid)
            else:
                leave[pid] = approver
        items = _args.items("agenda", agenda, "`govrules.AgendaItem` values")
        for item in items:
            if not isinstance(item, AgendaItem):
                raise InvalidArgument(f"`agenda`: expected `govrules.AgendaItem` values, got `{item!r}`")
        violations: tuple[Violation, ...] = ()
        if items:
            agenda_facts = [item.fact(kind, i) for i, item in enumerate(items)]
            violations = profile.family(Compliance).violations_of(profile.run(agenda_facts))
            violations += self._chains(rule, items, roster, chair, matters)
        if day is not None:
            violations += day.violations
        return MeetingCheck(
            kind,
            missing,
            non_members,
            judged.valid,
            quorum,
            FrozenMap(leave),
            violations,
            self._cited(rule, _asked(chair, quorum, leave)),
            chair_reason=judged.reason,
            missing_attendees=missing_attendees,
            leave_not_covered=tuple(not_covered),
            labels=profile.labels,
        )

    def _chains(
        self,
        rule: MeetingRule,
        items: Sequence[AgendaItem],
        roster: Roster,
        chair: str | None,
        matters: tuple[str, ...],
    ) -> tuple[Violation, ...]:
        """A violation for each step of the agenda chain an item that states its ``steps`` did not go through."""
        stated = [(i, item) for i, item in enumerate(items) if item.steps]
        if not stated:
            return ()
        if not rule.agenda:
            raise NotCovered(self.profile.id, f"the way an agenda item reaches the meeting `{rule.kind}`")
        chair_person = None if chair is None else roster[chair]
        chain = [s for s in rule.agenda if _chair_holds(s.chaired_by, chair_person, rule, "the agenda chain")]
        found: list[Violation] = []
        for i, item in stated:
            done = [(action, roster[person]) for action, person in item.steps]
            at = 0
            for step in chain:
                hit = next(
                    (
                        k
                        for k in range(at, len(done))
                        if done[k][0] == step.action
                        and any(_fits(r, done[k][1], rule, chair, matters) for r in step.roles)
                    ),
                    None,
                )
                if hit is not None:
                    at = hit + 1
                    continue
                who = " or ".join(english(r) for r in step.roles)
                found.append(
                    Violation(
                        "agenda_step_missing",
                        "error",
                        f"agenda item `{item.topic}`: no `{step.action}` by the {who} at its place in the chain",
                        step.basis or rule.basis,
                        rule.rules[0],
                        (f"{i}:{item.topic}",),
                    )
                )
        return tuple(found)


@dataclass(frozen=True, slots=True)
class _Judged:
    valid: bool | None
    reason: str | None
    option: ChairOption | None


def _and(values: Iterable[bool | None]) -> bool | None:
    """Three-valued conjunction: false if any is false, else unknown if any is unknown."""
    values = list(values)
    if any(x is False for x in values):
        return False
    return None if any(x is None for x in values) else True


def _judge_chair(
    rule: MeetingRule,
    roster: Roster,
    chair: str | None,
    *,
    present: tuple[str, ...],
    away_on: Mapping[str, str],
    entrusted: bool | None,
    entrusted_by: str | None,
    matters: tuple[str, ...],
) -> _Judged:
    """Whether ``chair`` may chair, why, and under which option of ``rule.chairs``."""
    if chair is None:
        return _Judged(None, None, None)
    if not rule.chairs:
        return _Judged(None, "the text names no one who chairs this meeting", None)
    person = roster[chair]
    own = [o.role for o in rule.chairs if not o.when]

    def conditions(option: ChairOption) -> tuple[bool | None, list[str]]:
        results: list[tuple[bool | None, str]] = []
        for cond in option.when:
            if cond == "principal_absent":
                principals = [p for p in roster if p.id != chair and any(p.holds(r) for r in own)]
                attending = [p for p in principals if p.id in present]
                if attending:
                    results.append((False, f"`{attending[0].id}` ({english(attending[0].office)}) attends"))
                else:
                    why = [f"`{p.id}` is away ({away_on[p.id]})" for p in principals if p.id in away_on]
                    results.append((True, "; ".join(why) or "no one who chairs in their own right attends"))
            elif cond == "entrusted":
                allowed = option.entrusted_by or tuple(own)
                if entrusted_by is not None:
                    ok = any(roster[entrusted_by].holds(r) for r in allowed)
                    who = " or ".join(english(r) for r in allowed)
                    results.append((ok, f"entrusted by `{entrusted_by}`" + ("" if ok else f", who is not the {who}")))
                elif entrusted is None:
                    results.append((None, "no entrustment is stated (`entrusted`, `entrusted_by`)"))
                else:
                    results.append((entrusted, "entrusted" if entrusted else "stated not entrusted"))
            elif cond == "in_charge":
                if not matters:
                    results.append((None, "the matter's portfolios are not given (`portfolios`)"))
                else:
                    ok = bool(set(person.portfolios) & set(matters))
                    results.append((ok, "the matter is " + ("" if ok else "not ") + "in their portfolio"))
        value = _and(r for r, _ in results)
        shown = [why for r, why in results if r is value] if value is not True else [why for _, why in results]
        return value, shown

    verdicts: list[tuple[bool | None, str, ChairOption]] = []
    for option in rule.chairs:
        if not person.holds(option.role):
            continue
        if not option.when:
            return _Judged(True, f"`{chair}` chairs as {english(option.role)}", option)
        value, shown = conditions(option)
        conds = " and ".join(v.CHAIR_CONDITIONS[c][1] for c in option.when)
        verdicts.append((value, f"`{chair}` may chair only if {conds}: {'; '.join(shown)}", option))
    for wanted in (True, None, False):
        for value, reason, option in verdicts:
            if value is wanted:
                return _Judged(value, reason, option)
    listed = " or ".join(merge(english(o.role) for o in rule.chairs))
    for option in rule.chairs:
        if option.open:
            value, shown = conditions(option)
            if value is not False:
                return _Judged(
                    None,
                    f"`{chair}` is a {english(person.office)}: the text lets the {listed} chair and leaves its "
                    "list open (等), so whether they may is not settled",
                    option,
                )
    return _Judged(False, f"`{chair}` is a {english(person.office)}; the text lets the {listed} chair", None)


def _entruster(
    roster: Roster, option: ChairOption | None, entrusted: bool | None, entrusted_by: str | None
) -> str | None:
    """The person who entrusted the chair: stated, or the only one who could have."""
    if entrusted_by is not None:
        return entrusted_by
    if option is None or "entrusted" not in option.when or not entrusted:
        return None
    could = [p.id for p in roster if any(p.holds(r) for r in option.entrusted_by)]
    return could[0] if len(could) == 1 else None


def _chair_holds(chaired_by: tuple[str, ...], chair: Person | None, rule: MeetingRule, what: str) -> bool:
    """Whether a rule limited to meetings ``chaired_by`` applies; with no chair given, only if every
    possible chair (or none) meets it."""
    if not chaired_by:
        return True
    if chair is not None:
        return any(chair.holds(r) for r in chaired_by)
    meets = [_within(o.role, chaired_by) for o in rule.chairs]
    if meets and all(meets):
        return True
    if not any(meets):
        return False
    raise InvalidArgument(f"`chair`: {what} of the {v.MEETINGS[rule.kind][1]} depends on who chairs it; give `chair`")


def _leave_approver(
    rule: MeetingRule, person: Person, roster: Roster, chair: str | None, entruster: str | None
) -> str | None:
    """The role that approves ``person``'s leave, or None where the text names none (nobody asks himself)."""
    chair_person = None if chair is None else roster[chair]
    for leave in rule.leave:
        if not (leave.everyone or any(person.holds(r) for r in leave.roles)):
            continue
        if not _chair_holds(leave.chaired_by, chair_person, rule, f"who approves the leave of `{person.id}`"):
            continue
        if leave.approver in v.OFFICES and person.holds(leave.approver):
            return None
        if leave.approver == "meeting_chair" and person.id in (chair, entruster):
            return None
        return leave.approver
    return None


def _leaders_rule(rule: LeaveRule, chairs: tuple[ChairOption, ...]) -> bool:
    """Whether ``rule`` is the rule for 市政府领导同志 whoever chairs (for `MeetingRule.leave_approver`)."""
    if "vice_mayor" not in rule.roles and not rule.everyone:
        return False
    return not rule.chaired_by or (bool(chairs) and all(_within(c.role, rule.chaired_by) for c in chairs))


def _fits(role: str, person: Person, rule: MeetingRule, chair: str | None, matters: tuple[str, ...]) -> bool:
    """Whether ``person`` fills ``role`` for this meeting (relational roles resolved against it)."""
    if role == "leader_in_charge":
        return person.office in v.LEADERS and (not matters or bool(set(person.portfolios) & set(matters)))
    if role == "meeting_chair":
        return person.id == chair if chair is not None else any(person.holds(o.role) for o in rule.chairs)
    if role == "counterpart_deputy_secretary_general":
        return person.holds("deputy_secretary_general") and (chair is None or person.counterpart == chair)
    if role == "lead_department_head":
        return person.holds("department_head")
    return person.holds(role)


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
        yield from ctx.roles_known((*where, "attendees", k, "roles"), attendee.roles)
        if attendee.role is not None and attendee.roles:
            yield doc.diagnostic((*where, "attendees", k), "GR012", "give `role` or `roles`, not both")
    yield from _check_chairs(ctx, where, meeting)
    yield from _check_leave(ctx, where, meeting)
    yield from _check_agenda(ctx, where, meeting)
    yield from _check_frequency(ctx, where, meeting.frequency)
    if meeting.quorum is not None:
        fractions = [f for f in (meeting.quorum.more_than, meeting.quorum.at_least) if f is not None]
        if len(fractions) != 1:
            yield doc.diagnostic((*where, "quorum"), "GR012", "a quorum gives exactly one of `more_than` or `at_least`")
        for num, den in fractions:
            if not 0 < num <= den:
                yield doc.diagnostic(
                    (*where, "quorum"), "GR012", f"a quorum fraction must be `[n, d]` with 0 < n ≤ d, not {[num, den]}"
                )


def _check_chairs(ctx: CheckContext, where: Path_, meeting: MeetingSpec) -> Iterator[Diagnostic]:
    doc = ctx.doc
    older = [k for k in ("convener", "chair", "chair_delegates") if getattr(meeting, k)]
    if meeting.chairs and older:
        yield doc.diagnostic(
            (*where, "chairs"),
            "GR012",
            f"`chairs` is given with the older {', '.join(f'`{k}`' for k in older)}",
            "describe who convenes and chairs in `chairs` alone",
        )
    if meeting.convener and meeting.chair and meeting.convener != meeting.chair:
        yield doc.diagnostic(
            (*where, "convener"),
            "GR012",
            f"the convener `{meeting.convener}` is not the chair `{meeting.chair}`",
            "describe them in `chairs`, with `convenes: false` for one who chairs without convening",
        )
    own = [c for c in meeting.chairs if not c.when]
    for k, option in enumerate(meeting.chairs):
        at = (*where, "chairs", k)
        yield from ctx.roles_known((*at, "role"), [option.role])
        yield from ctx.closed((*at, "when"), option.when, v.CHAIR_CONDITIONS, "chair condition")
        yield from ctx.roles_known((*at, "entrusted_by"), option.entrusted_by)
        if option.entrusted_by and "entrusted" not in option.when:
            yield doc.diagnostic(
                (*at, "entrusted_by"), "GR012", "`entrusted_by` is given but `when` has no `entrusted`"
            )
        if "entrusted" in option.when and not option.entrusted_by and not own:
            yield doc.diagnostic(
                (*at, "when"),
                "GR012",
                f"`{option.role}` chairs when entrusted, but no one chairs in their own right to entrust them",
                "name who may entrust in `entrusted_by`",
            )
        if "principal_absent" in option.when and not own:
            yield doc.diagnostic(
                (*at, "when"),
                "GR012",
                "`principal_absent` needs someone who chairs in their own right",
                "list the principal chair first, without `when`",
            )


def _check_leave(ctx: CheckContext, where: Path_, meeting: MeetingSpec) -> Iterator[Diagnostic]:
    doc = ctx.doc
    for k, leave in enumerate(meeting.leave_approvers):
        yield from ctx.roles_known((*where, "leave_approvers", k, "approver"), [leave.approver])
        yield from ctx.roles_known((*where, "leave_approvers", k, "roles"), leave.roles)
    if meeting.leave and (meeting.leave_approver or meeting.leave_approvers):
        yield doc.diagnostic(
            (*where, "leave"),
            "GR012",
            "`leave` is given with the older `leave_approver` / `leave_approvers`",
            "describe every category's approver in `leave` alone",
        )
    seen: dict[str, int] = {}
    for k, rule in enumerate(meeting.leave):
        at = (*where, "leave", k)
        yield from ctx.roles_known((*at, "roles"), rule.roles)
        yield from ctx.roles_known((*at, "approver"), [rule.approver])
        yield from ctx.roles_known((*at, "chaired_by"), rule.chaired_by)
        if not rule.roles and not rule.everyone:
            yield doc.diagnostic(
                at, "GR012", f"the leave rule for `{rule.who}` covers no one", "give `roles`, or `everyone: true`"
            )
        if rule.who in seen:
            yield doc.diagnostic((*at, "who"), "GR020", f"the leave category `{rule.who}` is described twice")
        seen.setdefault(rule.who, k)


def _check_agenda(ctx: CheckContext, where: Path_, meeting: MeetingSpec) -> Iterator[Diagnostic]:
    from govrules.validate import _citations

    agenda = meeting.agenda
    if agenda is None:
        return
    for key in ("proposed_by", "approved_by"):
        yield from ctx.roles_known((*where, "agenda", key), getattr(agenda, key))
    if agenda.steps and (agenda.proposed_by or agenda.approved_by):
        yield ctx.doc.diagnostic(
            (*where, "agenda", "steps"),
            "GR012",
            "`steps` is given with the older `proposed_by` / `approved_by`",
            "describe the whole chain in `steps` alone",
        )
    articles = ctx.spec.profile.articles
    listed = isinstance(_raw(ctx.doc.data, (*where, "agenda")), list)
    for k, step in enumerate(agenda.steps):
        at = (*where, "agenda", k) if listed else (*where, "agenda", "steps", k)
        yield from ctx.closed((*at, "action"), [step.action], v.AGENDA_ACTIONS, "agenda action")
        if not step.roles:
            yield ctx.doc.diagnostic((*at, "roles"), "GR011", "an agenda step names who takes it in `roles`")
        yield from ctx.roles_known((*at, "roles"), step.roles)
        yield from ctx.roles_known((*at, "chaired_by"), step.chaired_by)
        if step.basis:
            yield from _citations(ctx.doc, (*at, "basis"), step.basis, articles)


def _raw(data: Any, path: Path_) -> Any:
    """The value at ``path`` in the YAML as written (None if it is not there)."""
    for step in path:
        if isinstance(step, int) and isinstance(data, list) and 0 <= step < len(data):
            data = data[step]
        elif isinstance(step, str) and isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data


def _check_frequency(ctx: CheckContext, where: Path_, frequency: FrequencyEntry | None) -> Iterator[Diagnostic]:
    if frequency is None:
        return
    at = (*where, "frequency")
    if (frequency.per is None) != (frequency.times is None):
        yield ctx.doc.diagnostic(at, "GR012", "`per` and `times` go together")
    if frequency.times is not None:
        low, high = frequency.times
        if not 1 <= low <= high:
            yield ctx.doc.diagnostic(
                (*at, "times"), "GR012", f"`times` must be `[min, max]` with 1 ≤ min ≤ max, not {[low, high]}"
            )
    if frequency.per is None and frequency.as_needed == frequency.regular:
        yield ctx.doc.diagnostic(
            at,
            "GR012",
            "a frequency gives `per` and `times`, or `as_needed: true`, or `regular: true`",
            "leave `frequency` out where the text says nothing about it",
        )
    if frequency.per is not None and frequency.regular:
        yield ctx.doc.diagnostic((*at, "regular"), "GR012", "`regular` is for a text that states no period")
    if frequency.per is None and frequency.as_needed and frequency.in_principle:
        yield ctx.doc.diagnostic(
            (*at, "in_principle"), "GR012", "a meeting held as needed has no rule to keep in principle"
        )


# -- scenarios ------------------------------------------------------------------------------------------


def _ask_meeting(profile: Profile, given: ScenarioInput) -> MeetingRule:
    return profile.meeting(given["kind"])


def _actual_meeting(answer: MeetingRule) -> dict[str, Any]:
    frequency = answer.frequency
    return {
        "members": set(answer.members),
        "convener": answer.convener,
        "chair": answer.chair,
        "chair_delegates": set(answer.chair_delegates),
        "chairs": [
            {
                "role": c.role,
                **({"when": list(c.when)} if c.when else {}),
                **({"entrusted_by": list(c.entrusted_by)} if c.entrusted_by else {}),
                **({} if c.convenes else {"convenes": False}),
                **({"open": True} if c.open else {}),
            }
            for c in answer.chairs
        ],
        "frequency": None
        if frequency is None
        else {
            "per": frequency.per,
            "times": list(frequency.times or ()),
            "in_principle": frequency.in_principle,
            "as_needed": frequency.as_needed,
            "regular": frequency.regular,
        },
        "quorum": answer.quorum is not None,
        "leave_approver": answer.leave_approver,
        "leave_approvers": dict(answer.leave_approvers),
        "substitutes_allowed": answer.substitutes_allowed,
        "attendee_roles": {r for a in answer.attendees for r in a.roles},
        "minutes_signers": set(answer.minutes.signers) if answer.minutes else set(),
        "agenda_proposed_by": set(answer.agenda_proposed_by),
        "agenda_approved_by": set(answer.agenda_approved_by),
        "agenda_steps": _steps(answer.agenda),
        "articles": {c.article for c in answer.basis},
        "rules": set(answer.rules),
    }


def _steps(steps: Iterable[AgendaStep]) -> list[dict[str, Any]]:
    return [
        {"action": s.action, "roles": list(s.roles), **({"chaired_by": list(s.chaired_by)} if s.chaired_by else {})}
        for s in steps
    ]


def _ask_quorum(profile: Profile, given: ScenarioInput) -> Quorum:
    return profile.quorum(given["kind"], expected=given["expected"], present=given["present"])


def _actual_quorum(answer: Quorum) -> dict[str, Any]:
    return {"quorate": answer.quorate, "needed": answer.needed, "articles": {c.article for c in answer.basis}}


def _ask_check(profile: Profile, given: ScenarioInput) -> MeetingCheck:
    from govrules.documents import AgendaItem

    agenda = tuple(AgendaItem(**item) for item in given.get("agenda") or ())
    day = given.day() if "on" in given else {"roster": given.roster()}
    return profile.check_meeting(
        given["kind"],
        attendees=tuple(given["attendees"]),
        chair=given.get("chair"),
        agenda=agenda,
        entrusted=given.get("entrusted"),
        entrusted_by=given.get("entrusted_by"),
        invited=tuple(given.get("invited") or ()),
        portfolios=tuple(given.get("portfolios") or ()),
        **day,
    )


def _actual_check(answer: MeetingCheck) -> dict[str, Any]:
    return {
        "missing_members": set(answer.missing_members),
        "missing_attendees": set(answer.missing_attendees),
        "non_members": set(answer.non_members),
        "chair_valid": answer.chair_valid,
        "quorate": None if answer.quorum is None else answer.quorum.quorate,
        "leave": dict(answer.leave),
        "leave_not_covered": set(answer.leave_not_covered),
        "codes": sorted(x.code for x in answer.violations),
        "articles": {c.article for x in answer.violations for c in x.basis},
    }


def _ask_chain(profile: Profile, given: ScenarioInput) -> AgendaChain:
    chain: AgendaChain = profile.agenda_chain(given["kind"], chaired_by=given.get("chaired_by"))
    return chain


def _actual_chain(answer: AgendaChain) -> dict[str, Any]:
    return {"steps": _steps(answer.steps), "articles": {c.article for c in answer.basis}, "rules": set(answer.rules)}


def _ask_plan(profile: Profile, given: ScenarioInput) -> tuple[Violation, ...]:
    from govrules.meeting_plans import MeetingPlan

    return tuple(profile.check(MeetingPlan.from_mapping(given["plan"])))


def _actual_plan(answer: Sequence[Violation]) -> dict[str, Any]:
    return {
        "codes": sorted(x.code for x in answer),
        "severities": sorted(x.severity for x in answer),
        "articles": {c.article for x in answer for c in x.basis},
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
                    "agenda_steps",
                    "articles",
                    "attendee_roles",
                    "chair",
                    "chair_delegates",
                    "chairs",
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
            given=frozenset(
                {
                    "absences",
                    "agenda",
                    "attendees",
                    "chair",
                    "entrusted",
                    "entrusted_by",
                    "invited",
                    "kind",
                    "on",
                    "portfolios",
                }
            ),
            required=frozenset({"attendees", "kind"}),
            expect=frozenset(
                {
                    "articles",
                    "chair_valid",
                    "codes",
                    "leave",
                    "leave_not_covered",
                    "missing_attendees",
                    "missing_members",
                    "non_members",
                    "not_covered",
                    "quorate",
                }
            ),
            types=MappingProxyType(
                {
                    "entrusted": Optional[StrictBool],  # noqa: UP045 - runtime values
                    "entrusted_by": Optional[StrictStr],  # noqa: UP045
                    "invited": tuple[StrictStr, ...],
                    "portfolios": tuple[StrictStr, ...],
                }
            ),
        ),
        "agenda_chains": ScenarioArea(
            _ask_chain,
            _actual_chain,
            given=frozenset({"chaired_by", "kind"}),
            required=frozenset({"kind"}),
            expect=frozenset({"articles", "not_covered", "rules", "steps"}),
            types=MappingProxyType({"chaired_by": Optional[StrictStr]}),  # noqa: UP045
        ),
        "meeting_plans": ScenarioArea(
            _ask_plan,
            _actual_plan,
            given=frozenset({"plan"}),
            required=frozenset({"plan"}),
            expect=frozenset({"articles", "codes", "not_covered", "severities"}),
            types=MappingProxyType({"plan": dict[str, Any]}),
        ),
    }
)
