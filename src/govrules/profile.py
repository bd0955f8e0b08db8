"""A loaded, validated and compiled profile: the object users ask questions of."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, TypeVar

from govrules import _args
from govrules import vocabulary as v
from govrules.answers import (
    Acting,
    Attendee,
    Citation,
    Deadline,
    Frequency,
    MeetingCheck,
    MeetingRule,
    Quorum,
    QuorumRule,
    Route,
    Step,
    Violation,
)
from govrules.compile import CompiledRuleset, compile_profile
from govrules.delegation import build, resolve
from govrules.documents import AgendaItem, Document
from govrules.engine import Engine
from govrules.errors import ConflictError, InvalidArgument, NotCovered
from govrules.model import Citation as CitationSpec
from govrules.model import (
    ComplianceRule,
    DeadlineRule,
    MeetingSpec,
    ProfileSpec,
    SealRule,
    SigningRule,
    SubstitutionRule,
)
from govrules.model import Step as StepSpec
from govrules.roster import Absence, Person, Roster
from govrules.workdays import Calendar


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

    __slots__ = (
        "_compliance",
        "_deadline_rules",
        "_engine",
        "_labels",
        "_meetings",
        "_roles",
        "_seals",
        "_signing",
        "_sub_order",
        "_substitution",
        "compiled",
        "source",
        "spec",
    )

    def __init__(self, spec: ProfileSpec, *, source: str) -> None:
        self.spec = spec
        self.source = source
        self.compiled: CompiledRuleset = compile_profile(spec)
        self._engine = Engine(self.compiled)
        self._signing: dict[str, SigningRule] = {r.id: r for r in spec.signing}
        self._seals: dict[str, SealRule] = {r.id: r for r in spec.seals}
        self._substitution: dict[str, SubstitutionRule] = {r.id: r for r in spec.substitution}
        self._sub_order = {r.id: i for i, r in enumerate(spec.substitution)}
        self._compliance: dict[str, ComplianceRule] = {r.id: r for r in spec.compliance}
        self._deadline_rules: dict[str, DeadlineRule] = {r.id: r for r in spec.deadlines}
        self._meetings: dict[str, MeetingSpec] = {m.id: m for m in spec.meetings}
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
        ``acting_for`` (stand-in → absent official) and ``unresolved`` when no one available may.
        An absent signer is replaced only where a substitution rule passes the signing duty.

        Raises :class:`~govrules.NotCovered` when no rule of the profile covers the document, and
        :class:`~govrules.ConflictError` when two rules without stated precedence disagree.
        """
        absences = tuple(absences)
        day = self._day(on, roster, absences) if roster is not None or on is not None or absences else None
        if not isinstance(document, Document):
            raise InvalidArgument(f"`document`: expected a `govrules.Document`, got `{type(document).__name__}`")
        for role in (*document.authorised, *([document.chaired_by] if document.chaired_by else [])):
            _args.choice("authorised" if role in document.authorised else "chaired_by", role, self._roles)
        result = self._engine.run([document.fact()])
        routes = [self._signing[f["rule"]] for f in result.derived if f["type"] == "signing" and f["effect"] == "route"]
        delegations = [
            self._signing[f["rule"]] for f in result.derived if f["type"] == "signing" and f["effect"] == "delegation"
        ]
        survivors = _survivors(routes)
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
        route = self._route(tuple(steps), signers, reviewers, applied, question)
        if day is None:
            return route
        return self._staff(route, document, day)

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

    # -- deadlines ------------------------------------------------------------------------------

    def deadlines(self) -> list[str]:
        """The deadline kinds this profile sets, sorted."""
        return sorted({r.kind for r in self.spec.deadlines})

    def deadline(
        self,
        kind: str,
        at: dt.date | dt.datetime,
        *,
        urgency: str | None = None,
        complex: bool = False,
        provisional: bool = False,
        calendar: Calendar | None = None,
    ) -> Deadline:
        """When ``kind`` falls due for something that starts (or an event that happens) at ``at``.

        Working days follow the State Council calendar (调休 included); a date the published
        calendar does not cover raises :class:`~govrules.CalendarError` unless ``provisional``.
        Pass a :class:`~govrules.Calendar` for local rest and working days.
        """
        _args.choice("kind", kind, v.DEADLINE_KINDS)
        _args.choice("urgency", urgency, v.URGENCIES, optional=True)
        _args.flag("complex", complex)
        _args.flag("provisional", provisional)
        if not isinstance(at, dt.date):
            raise InvalidArgument(f"`at`: expected a `datetime.date` or `datetime.datetime`, got `{at!r}`")
        if (at.date() if isinstance(at, dt.datetime) else at) < self.effective:
            raise InvalidArgument(f"`at`: {at} is before profile `{self.id}` took effect ({self.effective})")
        if calendar is not None and (not isinstance(calendar, Calendar) or provisional):
            raise InvalidArgument("`calendar`: pass a `govrules.Calendar` (and set `provisional` on it, not here)")
        fact = {"type": "deadline_request", "kind": kind, "urgency": urgency or "none", "complex": complex}
        result = self._engine.run([fact])
        applying = [self._deadline_rules[f["rule"]] for f in result.derived if f["type"] == "deadline"]
        survivors = _survivors(applying)
        question = f"the deadline `{kind}`" + (f" for urgency `{urgency}`" if urgency else "")
        if not survivors:
            of_kind = [r for r in self.spec.deadlines if r.kind == kind]
            if urgency is None and any(r.when.urgency is not None for r in of_kind):
                raise InvalidArgument(
                    f"`urgency`: profile `{self.id}` sets `{kind}` by urgency; pass one of "
                    + ", ".join(f"`{u}`" for u in v.URGENCIES)
                )
            raise NotCovered(self.id, question + (" with these conditions" if of_kind else ""))
        terms = {(r.amount, r.unit, r.direction) for r in survivors}
        if len(terms) > 1:
            raise ConflictError(self.id, question, [r.id for r in survivors])
        rule = survivors[0]
        cal = calendar or Calendar(provisional=provisional)
        count = {
            ("working_days", "after"): cal.working_days_after,
            ("working_days", "before"): cal.working_days_before,
            ("days", "after"): cal.days_after,
            ("days", "before"): cal.days_before,
        }.get((rule.unit, rule.direction))
        if rule.unit == "hours":
            if not isinstance(at, dt.datetime):
                raise InvalidArgument(f"`at`: `{kind}` is counted in hours; pass a `datetime`, got `{at!r}`")
            counted = cal.hours_after(at, rule.amount)
        else:
            assert count is not None
            counted = count(at, rule.amount)
        return Deadline(
            profile=self.id,
            kind=kind,
            start=at,
            due=counted.due,
            unit=rule.unit,
            amount=rule.amount,
            direction=rule.direction,
            starts=rule.starts,
            on_expiry=rule.on_expiry,
            in_principle=rule.in_principle,
            provisional=counted.provisional,
            assumed=counted.assumed,
            basis=self._basis(c for r in survivors for c in r.basis),
            rules=tuple(r.id for r in survivors),
        )

    # -- who acts for whom -----------------------------------------------------------------------

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
        day = self._day(on, roster, tuple(absences))
        principal = self._principal(role_or_person, day.roster)
        office = day.roster[principal].office
        if principal in day.away and not any(office in v.holders(r.absent) for r in self.spec.substitution):
            raise NotCovered(self.id, f"who acts for `{principal}` (`{office}`) while they are away")
        found = resolve(day.graph, principal, duty)
        rules = [self._substitution[r] for r in found.rules]
        return Acting(
            profile=self.id,
            principal=principal,
            duty=duty,
            person=found.person,
            chain=found.chain,
            basis=self._basis(c for r in rules for c in r.basis),
            rules=found.rules,
            unresolved=found.unresolved,
            candidates=found.candidates,
        )

    def delegation_graph(self, *, on: dt.date, roster: Roster, absences: Iterable[Absence] = ()) -> Any:
        """The day's ``networkx.MultiDiGraph`` of who may act for whom (``govrules.to_dot`` draws it)."""
        return self._day(on, roster, tuple(absences)).graph

    def check(
        self,
        document: Document | None = None,
        *,
        absences: Iterable[Absence] = (),
        roster: Roster | None = None,
        on: dt.date | None = None,
    ) -> list[Violation]:
        """The rules a document breaks, or a set of absences on ``on`` (or both).

        Each violation has a stable code, a severity (`warning` for 原则上 / 一般不得 rules) and its basis.
        """
        found: list[Violation] = []
        if document is not None:
            if not isinstance(document, Document):
                raise InvalidArgument(f"`document`: expected a `govrules.Document`, got `{type(document).__name__}`")
            found += self._violations(self._engine.run([document.fact("check")]).derived)
        if roster is not None or on is not None or absences:
            found += self._day(on, roster, tuple(absences)).violations
        elif document is None:
            raise InvalidArgument("`check`: give a `document`, or `absences` with a `roster` and `on`")
        return found

    def _violations(self, derived: Iterable[Mapping[str, Any]], *, on: dt.date | None = None) -> tuple[Violation, ...]:
        out: list[Violation] = []
        seen: set[tuple[str, frozenset[str]]] = set()
        for f in derived:
            if f["type"] != "violation":
                continue
            rule = self._compliance[str(f["rule"])]
            subjects = tuple(str(x) for x in (f["first"], f["second"]) if x)
            key = (rule.id, frozenset(subjects))
            if key in seen:
                continue
            seen.add(key)
            message = rule.message
            if rule.absent_together is not None and len(subjects) == 2:
                message += f": `{subjects[0]}` and `{subjects[1]}` are both away on {on}"
            elif rule.agenda is not None and subjects:
                message += f": agenda item `{subjects[0].split(':', 1)[1]}`"
            out.append(Violation(rule.code, rule.severity, message, self._basis(rule.basis), rule.id, subjects))
        return tuple(out)

    # -- meetings -------------------------------------------------------------------------------

    def meetings(self) -> list[str]:
        """The meeting kinds this profile describes, sorted."""
        return sorted(m.kind for m in self.spec.meetings)

    def meeting(self, kind: str) -> MeetingRule:
        """How the meeting ``kind`` is constituted, chaired, held and attended, with its basis."""
        _args.choice("kind", kind, v.MEETINGS)
        result = self._engine.run([{"type": "meeting_request", "kind": kind}])
        found = [self._meetings[f["rule"]] for f in result.derived if f["type"] == "meeting"]
        if not found:
            raise NotCovered(self.id, f"the meeting `{kind}`")
        spec = found[0]
        try:
            minutes: Route | None = self.sign(Document("minutes", meeting=kind))
        except NotCovered:
            minutes = None
        quorum = None
        if spec.quorum is not None:
            more = spec.quorum.more_than
            quorum = QuorumRule(more or spec.quorum.at_least or (1, 1), more is not None)
        return MeetingRule(
            profile=self.id,
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
            basis=self._basis(spec.basis),
            rules=(spec.id,),
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
            raise NotCovered(self.id, f"a quorum for the meeting `{kind}`")
        needed = rule.quorum.needed(expected)
        return Quorum(kind, present >= needed, needed, expected, present, rule.basis)

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
            quorum = Quorum(kind, attending >= needed, needed, len(members), attending, rule.basis)
        # `leave_approver` is for 市政府领导同志; other categories (`leave_approvers`) by the offices they cover
        leave: dict[str, str] = {}
        for pid in missing:
            official = roster[pid]
            if official.office in v.LEADERS and rule.leave_approver:
                leave[pid] = rule.leave_approver
                continue
            for category in self._meetings[rule.rules[0]].leave_approvers:
                if any(official.holds(r) for r in category.roles):
                    leave[pid] = category.approver
                    break
        items = tuple(agenda)
        for item in items:
            if not isinstance(item, AgendaItem):
                raise InvalidArgument(f"`agenda`: expected `govrules.AgendaItem` values, got `{item!r}`")
        violations: tuple[Violation, ...] = ()
        if items:
            facts = [item.fact(kind, i) for i, item in enumerate(items)]
            violations = self._violations(self._engine.run(facts).derived)
        if absences or on is not None:
            violations += self._day(on, roster, tuple(absences)).violations
        return MeetingCheck(
            kind, missing, non_members, chair_valid, quorum, MappingProxyType(leave), violations, rule.basis
        )

    # -- who acts for whom ----

    def _principal(self, role_or_person: str, roster: Roster) -> str:
        if not isinstance(role_or_person, str):
            raise InvalidArgument(f"`role_or_person`: expected a person id or an office, got `{role_or_person!r}`")
        if role_or_person in roster:
            return role_or_person
        if role_or_person not in v.OFFICES:
            known = [p.id for p in roster] + list(v.OFFICES)
            hint = _args.did_you_mean(role_or_person, known, list_all=False) or ""
            raise InvalidArgument(
                f"`role_or_person`: `{role_or_person}` is neither a person in the roster nor an office; {hint}".rstrip(
                    "; "
                )
            )
        holders = roster.holding(role_or_person)
        if len(holders) != 1:
            who = ", ".join(f"`{p.id}`" for p in holders) or "no one"
            raise InvalidArgument(
                f"`role_or_person`: the roster has {who} as `{role_or_person}`; name one person by id"
            )
        return holders[0].id

    def _day(self, on: dt.date | None, roster: Roster | None, absences: tuple[Absence, ...]) -> _Day:
        if on is None:
            raise InvalidArgument(
                "`on`: a date is required when a roster or absences are given; nothing reads the clock"
            )
        if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
            raise InvalidArgument(f"`on`: expected a `datetime.date`, got `{on!r}`")
        if on < self.effective:
            raise InvalidArgument(f"`on`: {on} is before profile `{self.id}` took effect ({self.effective})")
        if not isinstance(roster, Roster):
            raise InvalidArgument(f"`roster`: expected a `govrules.Roster`, got `{roster!r}`")
        for absence in absences:
            if not isinstance(absence, Absence):
                raise InvalidArgument(f"`absences`: expected `govrules.Absence` values, got `{absence!r}`")
            if absence.person not in roster:
                roster[absence.person]  # raises with a suggestion
        today = [a for a in absences if a.covers(on)]
        facts: list[Mapping[str, Any]] = [p.fact() for p in roster]
        facts += [a.fact() for a in today]
        result = self._engine.run(facts)
        grants = [f for f in result.derived if f["type"] == "grant"]
        away = {a.person for a in today}
        graph = build(grants, self._substitution, self._sub_order, away, [p.id for p in roster])
        violations = self._violations(result.derived, on=on)
        return _Day(on, roster, frozenset(away), graph, tuple(violations))

    def _staff(self, route: Route, document: Document, day: _Day) -> Route:
        """Fill in who may sign on the day, replacing absent signers only where a rule passes signing."""
        final = route.final_step
        if final is None:
            return dataclasses.replace(route, unresolved="the route has no signature")
        duty = "sign_urgent" if document.urgency in ("urgent", "extra_urgent") else "sign"
        persons: list[str] = []
        acting_for: dict[str, str] = {}
        reasons: list[str] = []
        used: list[str] = []
        for role in route.signers:
            holders, why = self._holders(role, document, day.roster)
            if why:
                reasons.append(why)
            for person in holders:
                found = resolve(day.graph, person.id, duty)
                if found.person is None:
                    reasons.append(found.unresolved or f"`{person.id}` cannot sign")
                    continue
                if found.person != person.id:
                    acting_for.setdefault(found.person, person.id)
                    used += found.rules
                persons.append(found.person)
        persons = list(dict.fromkeys(persons))
        extra = [self._substitution[r] for r in dict.fromkeys(used)]
        return dataclasses.replace(
            route,
            persons=tuple(persons),
            acting_for=MappingProxyType(acting_for),
            unresolved=None if persons else "; ".join(dict.fromkeys(reasons)) or "no one in the roster may sign",
            basis=tuple(dict.fromkeys((*route.basis, *self._basis(c for r in extra for c in r.basis)))),
            rules=(*route.rules, *(r.id for r in extra)),
        )

    def _holders(self, role: str, document: Document, roster: Roster) -> tuple[tuple[Person, ...], str | None]:
        if role == "leader_in_charge":
            if not document.portfolios:
                return (), "the document names no portfolio, so its leader in charge is unknown"
            found = tuple(p for p in roster if set(p.portfolios) & set(document.portfolios))
            missing = "" if found else f"no one in the roster leads {list(document.portfolios)}"
            return found, missing or None
        if role == "meeting_chair":
            if document.chaired_by is None:
                return (), "the document does not say who chaired the meeting (`chaired_by`)"
            return self._holders(document.chaired_by, document, roster)
        if role == "counterpart_deputy_secretary_general":
            leaders, why = self._holders("leader_in_charge", document, roster)
            ids = {p.id for p in leaders}
            found = tuple(p for p in roster if p.counterpart in ids)
            return found, why or (
                None if found else "no deputy secretary-general in the roster serves the leader in charge"
            )
        if role not in v.OFFICES:
            return (), f"`{role}` is not an office a roster can name"
        found = roster.holding(role)
        return found, None if found else f"no one in the roster is `{role}`"

    def _basis(self, cites: Iterable[CitationSpec]) -> tuple[Citation, ...]:
        out = (Citation(self.id, c.article, c.item, c.quote, c.interpretation) for c in cites)
        return tuple(dict.fromkeys(out))


@dataclasses.dataclass(frozen=True, slots=True)
class _Day:
    on: dt.date
    roster: Roster
    away: frozenset[str]
    graph: Any
    violations: tuple[Violation, ...]


_R = TypeVar("_R", SigningRule, DeadlineRule)


def _survivors(applying: Sequence[_R]) -> list[_R]:
    """The applying rules that no other applying rule overrides (precedence is stated in the profile)."""
    overridden = {target for rule in applying for target in rule.overrides}
    return [r for r in applying if r.id not in overridden]


def _step(spec: StepSpec) -> Step:
    return Step(spec.action, spec.roles, spec.mode, spec.meeting, spec.delegable_to, spec.authorised_by)


def _merge(*groups: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(x for g in groups for x in g))
