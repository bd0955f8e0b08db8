"""A second, deliberately simple evaluator of a profile, used only by tests to cross-check the library.

It answers the questions of ``Profile.sign`` (with and without a staffed day: every step staffed,
reviewers included), ``Profile.acting`` (reasons and places, a place not given that the answer turns
on) and the rule selection of ``Profile.deadline`` (by urgency, complexity and ``for_office``; the
lead department's own limit) from the pydantic :class:`~govrules.model.ProfileSpec` alone, in plain
Python: no compiler, no engine, no networkx, none of ``profile.py``, ``delegation.py``,
``staffing.py`` or the families' query code. It is written from the semantics (``shared/design.md``
§3–5, ``docs/acting.md``, ``docs/deadlines.md`` and the public docstrings), so a bug in any of those
layers shows up as a disagreement with it.

Answers are plain tuples and dicts, so a test compares them field by field and prints the difference.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from govrules import vocabulary as v
from govrules.documents import Document
from govrules.model import Condition, DeadlineRule, ProfileSpec, SigningRule, SubstitutionRule
from govrules.roster import Absence, Person, Roster

Cite = tuple[int, int | None, str, str | None, str | None]  # article, item, quote, reading (en, else zh), zh
StepTuple = tuple[str, tuple[str, ...], str, str | None, tuple[str, ...], tuple[str, ...]]


# -- outcomes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a question gets: ``route`` / ``acting`` / ``deadline`` with ``fields``, or an error ``kind``.

    ``kind`` is one of ``answer``, ``not_covered``, ``conflict`` (``fields["rules"]``: the
    surviving rule ids, as a set) or ``invalid`` (an argument the profile cannot accept).
    """

    kind: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    #: ``tied``: the answer went through several equally ranked stand-ins who are all away (see ``Day``)
    notes: frozenset[str] = field(default=frozenset(), compare=False)


def _answer(notes: Iterable[str] = (), **fields: Any) -> Outcome:
    return Outcome("answer", fields, frozenset(notes))


NOT_COVERED = Outcome("not_covered")
INVALID = Outcome("invalid")


def _conflict(rules: Iterable[str]) -> Outcome:
    return Outcome("conflict", {"rules": frozenset(rules)})


def _unique(items: Iterable[Any]) -> tuple[Any, ...]:
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return tuple(out)


def cites(rules: Iterable[Any], holding: Mapping[str, set[int]] | None = None) -> tuple[Cite, ...]:
    """The citations of ``rules`` in order, each once; where ``holding`` gives the alternatives of a
    rule's conditions that hold, only the citations whose ``when`` names one of them (or none)."""
    found = holding or {}

    def about(rule: Any, c: Any) -> bool:
        return c.when is None or rule.id not in found or bool(found[rule.id] & set(c.when))

    return _unique(_cite(c) for r in rules for c in r.basis if about(r, c))


# -- conditions ------------------------------------------------------------------------------------

_COUNTS = {"none": (0,), "one": (1,), "several": (2, 3)}  # 3 stands for any count above 2

Term = tuple[str, bool | frozenset[Any]]


def terms(cond: Condition) -> tuple[Term, ...]:
    """The keys a condition sets: a bool, or the set of values any one of which will do.

    A document attribute that is not given (None) is the value ``none`` (``recipient: none`` means
    "no recipient"); ``portfolios`` and ``matters`` are counted (``none``, ``one``, ``several``).
    """
    out: list[Term] = []
    for key, wanted in cond:
        if wanted is None:
            continue
        if isinstance(wanted, bool):
            out.append((key, wanted))
            continue
        options = [wanted] if isinstance(wanted, str) else list(wanted)
        if key in ("portfolios", "matters"):
            out.append((key, frozenset(n for o in options for n in _COUNTS[o])))
        else:
            out.append((key, frozenset(None if o == "none" else o for o in options)))
    return tuple(out)


def term_holds(key: str, wanted: bool | frozenset[Any], value: Any) -> bool:
    """One term of a condition against the document's value of ``key``."""
    if isinstance(wanted, bool):
        return value is wanted  # an unknown (None) tri-state fact matches neither true nor false
    if key == "portfolios":
        return min(len(value), 3) in wanted
    if key == "matters":
        return min(value, 3) in wanted
    return value in wanted


def holds_terms(conds: tuple[Term, ...], doc: Document) -> bool:
    return all(term_holds(key, wanted, getattr(doc, key)) for key, wanted in conds)


def holds(cond: Condition, doc: Document) -> bool:
    """Every key the condition sets holds for ``doc``; a list means any one of its values."""
    return holds_terms(terms(cond), doc)


class _Plan:
    """A profile's signing rules with their conditions pre-digested (the oracle is asked millions of times)."""

    def __init__(self, spec: ProfileSpec) -> None:
        self.spec = spec
        self.rules = [(rule, tuple(terms(c) for c in rule.when)) for rule in spec.signing]
        self.roles = known_roles(spec)


_PLANS: dict[int, _Plan] = {}


def _plan(spec: ProfileSpec) -> _Plan:
    plan = _PLANS.get(id(spec))
    if plan is None or plan.spec is not spec:
        plan = _PLANS[id(spec)] = _Plan(spec)
    return plan


def applies(rule: SigningRule, doc: Document) -> bool:
    return any(holds(c, doc) for c in rule.when)


def survivors(applying: Sequence[Any]) -> list[Any]:
    """Precedence among applying rules of one family.

    A rule named in the ``overrides`` of any applying rule is out. A ``fallback`` rule is out as soon
    as any rule that is not a fallback survives; among fallbacks, ``overrides`` still decide.
    """
    beaten = set()
    for rule in applying:
        beaten.update(rule.overrides)
    left = [r for r in applying if r.id not in beaten]
    firm = [r for r in left if not getattr(r, "fallback", False)]
    return firm if firm else left


# -- signing ---------------------------------------------------------------------------------------


def known_roles(spec: ProfileSpec) -> set[str]:
    return set(v.OFFICES) | set(v.RELATIONAL_ROLES) | {r.id for r in spec.roles}


def _step(step: Any) -> StepTuple:
    return (
        step.action,
        tuple(step.roles),
        step.mode,
        step.meeting,
        tuple(step.delegable_to),
        tuple(step.authorised_by),
    )


def sign(spec: ProfileSpec, doc: Document) -> Outcome:
    """The route for ``doc``: steps, signers, reviewers, delegable_to, basis and rule ids, in order."""
    plan = _plan(spec)
    roles = plan.roles
    if any(r not in roles for r in doc.authorised) or (doc.chaired_by is not None and doc.chaired_by not in roles):
        return INVALID
    holding = {rule.id: {i for i, c in enumerate(conds) if holds_terms(c, doc)} for rule, conds in plan.rules}
    applying = [rule for rule, _conds in plan.rules if holding[rule.id]]
    routes = [r for r in applying if r.steps is not None]
    extras = [r for r in applying if r.delegation is not None]
    winners = survivors(routes)
    if not winners:
        return NOT_COVERED
    if len({r.steps for r in winners}) > 1:
        return _conflict(r.id for r in winners)
    steps = [_step(s) for s in winners[0].steps or ()]
    used = list(winners)
    signing_at = [i for i, s in enumerate(steps) if s[0] == "sign"]
    if signing_at:
        i = signing_at[0]
        action, who, mode, meeting, delegable, authorisers = steps[i]
        for rule in extras:
            assert rule.delegation is not None
            delegable = _unique([*delegable, *rule.delegation.to])
            authorisers = _unique([*authorisers, *rule.delegation.authorised_by])
            used.append(rule)
        steps[i] = (action, who, mode, meeting, delegable, authorisers)
    final = steps[signing_at[0]] if signing_at else None
    delegable_to = final[4] if final else ()
    if any(r not in delegable_to for r in doc.authorised):
        return INVALID
    before = steps[: signing_at[0]] if signing_at else steps
    return _answer(
        steps=tuple(steps),
        signers=_unique([*(final[1] if final else ()), *doc.authorised]),
        reviewers=_unique(role for s in before if s[0] == "review" for role in s[1]),
        delegable_to=delegable_to,
        basis=cites(used, holding),
        rules=tuple(r.id for r in used),
    )


# -- who is away, who stands in ----------------------------------------------------------------------


def covers(duties: Iterable[str], duty: str) -> bool:
    """`all` covers every duty; signing every document covers urgent ones."""
    duties = set(duties)
    return duty in duties or "all" in duties or (duty == "sign_urgent" and "sign" in duties)


def fills(person: Person, office: str) -> bool:
    """The executive vice mayor is also a vice mayor; otherwise an office is itself."""
    return person.office == office or (office == "vice_mayor" and person.office == "executive_vice_mayor")


def absence_fits(rule: SubstitutionRule, absence: Absence, *, any_place: bool = False) -> bool:
    """The rule applies to the absence: its reason and its place are among those the rule lists (an
    empty list restricts nothing), and it was entrusted if the rule asks for that. A place not given
    (None) is none of the places a rule lists; ``any_place`` ignores the place."""
    return (
        (not rule.reasons or absence.reason in rule.reasons)
        and (any_place or not rule.places or absence.place in rule.places)
        and (absence.entrusted or not rule.entrusted)
    )


class Unplaced(Exception):
    """The answer turns on where an official is, and their absence does not say."""


@dataclass(frozen=True)
class _Grant:
    order: int  # the rule's place in the profile
    rank: int  # the place of the stand-in among the rule's `acting` alternatives
    rule: SubstitutionRule
    target: str


class Day:
    """One day: who is away, and which substitution rule lets whom stand in for whom.

    Resolution, for one duty: a present official acts themselves. For an absent one, the rules that
    pass the duty are tried in profile order, and within a rule its ``acting`` alternatives in rank
    order; the first rank with anyone available decides: one person acts, several are candidates the
    text does not choose among. If everyone of that rank is away too, a ``transitive`` rule follows
    their own stand-ins; if several of them lead somewhere, those they lead to are equally entitled
    (candidates), not a guess. Nobody is used twice in a chain.
    """

    def __init__(self, spec: ProfileSpec, on: dt.date, roster: Roster, absences: Iterable[Absence]) -> None:
        self.spec = spec
        self.roster = roster
        self.people = {p.id: p for p in roster}
        self.today = [a for a in absences if a.start <= on <= a.end]
        self.away = {a.person for a in self.today}
        self.tied = False

    def grants(self, pid: str) -> list[_Grant]:
        """The stand-ins substitution rules name for the absent ``pid``."""
        me = self.people[pid]
        out = []
        for order, rule in enumerate(self.spec.substitution):
            if not fills(me, rule.absent):
                continue
            if not any(a.person == pid and absence_fits(rule, a) for a in self.today):
                continue
            for rank, who in enumerate(rule.acting):
                if who == "ab_partner":
                    targets = [me.ab_partner] if me.ab_partner is not None else []
                else:
                    targets = [p.id for p in self.roster if fills(p, who)]
                out += [_Grant(order, rank, rule, t) for t in targets if t != pid]
        return out

    def resolve(self, pid: str, duty: str) -> Resolution:
        return self._resolve(pid, duty, (pid,), ())

    def check_place(self, pid: str, duty: str) -> None:
        """Raise :class:`Unplaced` when who stands in for the absent ``pid`` turns on a place not given.

        A rule for their office that passes ``duty`` and names places matters when the absence meets
        its other conditions and the rule does not apply already, unless a rule that does apply comes
        before it in the profile or names the same stand-ins (then the place changes no one's answer:
        "出市 or 休假" covers a vacation wherever it is spent).
        """
        me = self.people[pid]
        order = {r.id: i for i, r in enumerate(self.spec.substitution)}
        mine = [r for r in self.spec.substitution if fills(me, r.absent) and covers(r.duties, duty)]
        theirs = [a for a in self.today if a.person == pid]
        applying = [r for r in mine if any(absence_fits(r, a) for a in theirs)]
        for absence in theirs:
            if absence.place is not None:
                continue
            for rule in mine:
                if rule in applying or not rule.places or not absence_fits(rule, absence, any_place=True):
                    continue
                if not any(order[o.id] < order[rule.id] or o.acting == rule.acting for o in applying):
                    raise Unplaced(pid, rule.id)

    def _resolve(self, pid: str, duty: str, chain: tuple[str, ...], rules: tuple[str, ...]) -> Resolution:
        if pid not in self.away:
            return Resolution(pid, chain, rules, ())
        self.check_place(pid, duty)
        usable = [g for g in self.grants(pid) if covers(g.rule.duties, duty)]
        keys = sorted({(g.order, g.rank) for g in usable})
        for key in keys:
            group = [g for g in usable if (g.order, g.rank) == key]
            rule_id = group[0].rule.id
            free = sorted({g.target for g in group if g.target not in self.away and g.target not in chain})
            if len(free) == 1:
                return Resolution(free[0], (*chain, free[0]), (*rules, rule_id), ())
            if len(free) > 1:
                return Resolution(None, chain, (*rules, rule_id), tuple(free))
            if not group[0].rule.transitive:
                continue
            found = []
            for target in sorted({g.target for g in group if g.target not in chain}):
                deeper = self._resolve(target, duty, (*chain, target), (*rules, rule_id))
                if deeper.person is not None or deeper.candidates:
                    found.append(deeper)
            reached = {d.person for d in found}
            if len(found) == 1 or (len(reached) == 1 and None not in reached):
                return found[0]  # one way on, or several to the same person: the first by stand-in id
            if found:
                self.tied = True
                people = sorted({p for d in found for p in ((d.person,) if d.person else d.candidates)})
                return Resolution(None, chain, (*rules, rule_id), tuple(people))
        return Resolution(None, chain, rules, ())


@dataclass(frozen=True)
class Resolution:
    person: str | None
    chain: tuple[str, ...]
    rules: tuple[str, ...]
    candidates: tuple[str, ...]


def acting(
    spec: ProfileSpec, who: str, *, on: dt.date, roster: Roster, absences: Iterable[Absence], duty: str
) -> Outcome:
    """Who performs ``duty`` for ``who`` (a person id, or an office exactly one person holds) on ``on``."""
    day = Day(spec, on, roster, absences)
    if who in day.people:
        principal = who
    else:
        holders = [p.id for p in roster if fills(p, who)]
        if who not in v.OFFICES or len(holders) != 1:
            return INVALID
        principal = holders[0]
    me = day.people[principal]
    if principal in day.away and not any(fills(me, r.absent) for r in spec.substitution):
        return NOT_COVERED
    try:
        found = day.resolve(principal, duty)
    except Unplaced:
        return INVALID
    by_id = {r.id: r for r in spec.substitution}
    return _answer(
        ["tied"] if day.tied else [],
        person=found.person,
        chain=found.chain,
        rules=found.rules,
        candidates=found.candidates,
        resolved=found.person is not None,
        basis=cites(by_id[r] for r in found.rules),
    )


# -- signing on a day ------------------------------------------------------------------------------


_COUNTERPART = "counterpart_deputy_secretary_general"


def holders(spec: ProfileSpec, role: str, doc: Document, roster: Roster, depth: int = 0) -> list[Person]:
    """The people who fill ``role`` for ``doc``, in roster order; none where no one can be named.

    Offices: their holders (an office the profile adds: the holders of the offices it lists).
    ``leader_in_charge``: the leaders (mayor, vice mayors, secretary-general) of the document's
    portfolios. ``meeting_chair``: the person who chaired the meeting, else the one holder of the
    office that did (several holders name no one). The counterpart deputy secretary-general: whoever
    serves (对口) a leader in charge in an office that serves (the profile may list them).
    ``lead_department_head``: the department heads of the portfolios. A relational role the profile
    adds narrows the shared one it names to holders of the offices it lists. A body is no person.
    """
    decls = {d.id: d for d in spec.roles}
    decl = decls.get(role)
    if role in v.OFFICES:
        return [p for p in roster if fills(p, role)]
    if role not in v.RELATIONAL_ROLES:
        if decl is None or decl.kind == "body":
            return []
        if decl.kind == "office":
            return [p for p in roster if any(fills(p, o) for o in decl.offices)]
    base = role if role in v.RELATIONAL_ROLES else decl.relation if decl is not None else None
    if base is None or depth > 2:
        return []
    leaders = [p for p in roster if p.office in v.LEADERS and set(p.portfolios) & set(doc.portfolios)]
    if base == "leader_in_charge":
        found = leaders
    elif base == "meeting_chair":
        if doc.chaired_by_person is not None:
            found = [roster[doc.chaired_by_person]]
        elif doc.chaired_by is None:
            found = []
        else:
            chairs = holders(spec, doc.chaired_by, doc, roster, depth + 1)
            found = chairs if len(chairs) == 1 else []
    elif base == _COUNTERPART:
        serving = decls[_COUNTERPART].offices if _COUNTERPART in decls and decls[_COUNTERPART].offices else None
        offices = serving or ("deputy_secretary_general",)
        ids = {p.id for p in leaders}
        return [p for p in roster if p.counterpart in ids and p.office in offices]
    elif base == "lead_department_head":
        found = [p for p in roster if p.office == "department_head" and set(p.portfolios) & set(doc.portfolios)]
    else:
        return []
    if decl is not None and decl.offices:
        found = [p for p in found if any(fills(p, o) for o in decl.offices)]
    return found


def sign_on(spec: ProfileSpec, doc: Document, *, on: dt.date, roster: Roster, absences: Iterable[Absence]) -> Outcome:
    """``sign`` plus who may perform each step that day, and for whom they stand in.

    Every step but a deliberation is staffed: each holder of each of its roles (the final signature's:
    the signers) acts, or whoever a substitution rule passing the signing duty (``sign_urgent`` for
    urgent documents) names; the rules so used join the route's rules and citations. ``persons`` and
    ``acting_for`` are the final signature's; it is resolved when someone may sign (a step whose
    ``mode`` is ``all``: when everyone it names can be staffed).
    """
    route = sign(spec, doc)
    if route.kind != "answer":
        return route
    if doc.chaired_by_person is not None:
        if doc.chaired_by_person not in roster:
            return INVALID
        chair = roster[doc.chaired_by_person]
        if doc.chaired_by in v.OFFICES and not fills(chair, doc.chaired_by):
            return INVALID
    fields = dict(route.fields)
    day = Day(spec, on, roster, absences)
    duty = "sign_urgent" if doc.urgency in ("urgent", "extra_urgent") else "sign"
    final_at = next((i for i, s in enumerate(fields["steps"]) if s[0] == "sign"), None)
    used: list[str] = []
    staffed: list[tuple[tuple[str, ...], dict[str, str], bool]] = []
    try:
        for i, (action, roles, mode, *_rest) in enumerate(fields["steps"]):
            if action == "deliberate":
                staffed.append(((), {}, True))
                continue
            persons: list[str] = []
            acting_for: dict[str, str] = {}
            complete = True
            for role in fields["signers"] if i == final_at else roles:
                found_any = holders(spec, role, doc, roster)
                complete = complete and bool(found_any)
                for holder in found_any:
                    found = day.resolve(holder.id, duty)
                    if found.person is None:
                        complete = False
                        continue
                    if found.person != holder.id:
                        acting_for.setdefault(found.person, holder.id)
                        used += found.rules
                    persons.append(found.person)
            staffed.append((_unique(persons), acting_for, complete if mode == "all" else bool(persons)))
    except Unplaced:
        return INVALID
    by_id = {r.id: r for r in spec.substitution}
    extra = [by_id[r] for r in _unique(used) if r not in fields["rules"]]
    persons_, acting_for_, resolved = staffed[final_at] if final_at is not None else ((), {}, False)
    fields.update(
        persons=persons_,
        acting_for=acting_for_,
        resolved=resolved,
        basis=_unique([*fields["basis"], *cites(extra)]),
        rules=(*fields["rules"], *(r.id for r in extra)),
    )
    return _answer(["tied"] if day.tied else [], **fields)


# -- deadline rule selection ----------------------------------------------------------------------


def deadline_offices(spec: ProfileSpec) -> list[str]:
    """The offices a deadline may be asked for: the shared vocabulary's and those the profile adds."""
    return sorted({*v.OFFICES, *(r.id for r in spec.roles if r.kind == "office")})


def _listed(value: Any) -> list[Any]:
    return [value] if isinstance(value, str) else list(value)


def deadline(
    spec: ProfileSpec,
    kind: str,
    *,
    urgency: str | None,
    complex: bool,
    for_office: str | None = None,
    lead: tuple[int, str] | None = None,
) -> Outcome:
    """Which deadline rule decides ``kind``: its amount, unit, direction, basis and rule ids.

    ``for_office`` says whose time limit it is: a rule that names offices binds those offices only
    (a limit for vice mayors binds the executive vice mayor too), and a profile that sets the kind
    for some offices only cannot answer without it. ``lead`` is the lead department's own limit
    ``(amount, unit)``: it prevails, cited first, only where every deciding rule cites the words
    that let it (``lead_limit``); elsewhere the question is not covered.
    """
    if for_office is not None and for_office not in deadline_offices(spec):
        return INVALID

    def fits(rule: DeadlineRule) -> bool:
        wanted = rule.when.urgency
        if wanted is not None and urgency not in _listed(wanted):
            return False
        office = rule.when.office
        if office is not None:
            named = _listed(office)
            if for_office not in named and not ("vice_mayor" in named and for_office == "executive_vice_mayor"):
                return False
        return rule.when.complex is None or rule.when.complex is complex

    of_kind = [r for r in spec.deadlines if r.kind == kind]
    winners = survivors([r for r in of_kind if fits(r)])
    if not winners:
        if urgency is None and any(r.when.urgency is not None for r in of_kind):
            return INVALID  # the profile sets this kind by urgency: the caller must say which
        if for_office is None and any(r.when.office is not None for r in of_kind):
            return INVALID  # the profile sets this kind for some offices only: the caller must say whose
        return NOT_COVERED
    if len({(r.amount, r.unit, r.direction) for r in winners}) > 1:
        return _conflict(r.id for r in winners)
    first = winners[0]
    if lead is not None and any(r.lead_limit is None for r in winners):
        return NOT_COVERED
    leads = [r.lead_limit for r in winners if r.lead_limit is not None] if lead is not None else []
    amount, unit = lead if lead is not None else (first.amount, first.unit)
    return _answer(
        amount=amount,
        unit=unit,
        direction=first.direction,
        starts=first.starts,
        on_expiry=first.on_expiry,
        in_principle=first.in_principle,
        basis=_unique([*(_cite(c) for c in leads), *cites(winners)]),
        rules=tuple(r.id for r in winners),
        set_by="lead_department" if lead is not None else "profile",
    )


# -- the signing domain ----------------------------------------------------------------------------

_VOCAB: dict[str, Sequence[str]] = {
    "recipient": sorted(v.RECIPIENTS),
    "decided_at": sorted(v.MEETINGS),
    "meeting": sorted(v.MEETINGS),
    "sender_kind": sorted(v.SENDER_KINDS),
    "urgency": sorted(v.URGENCIES),
}
_PORTFOLIO_VALUES = {"none": (), "one": ("p1",), "several": ("p1", "p2")}


def domain(spec: ProfileSpec) -> dict[str, list[Any]]:
    """For each Document attribute that matters to the signing rules, the values to try.

    ``kind`` and ``issuer`` take every value of the vocabulary. Every other attribute some signing
    condition tests takes the values conditions name, "not given" where the attribute is optional,
    and one value no condition names (so a rule that matches too much shows up); tri-states take
    unknown, false and true; portfolios none, one and several; matters one and several. Attributes
    no condition tests keep their default (the sampled tests vary them).
    """
    named: dict[str, set[Any]] = {}
    for rule in spec.signing:
        for cond in rule.when:
            for key, value in cond:
                if value is not None:
                    named.setdefault(key, set()).update([value] if isinstance(value, (str, bool)) else value)
    out: dict[str, list[Any]] = {"kind": sorted(v.KINDS), "issuer": sorted(v.ISSUERS)}
    roles = sorted(known_roles(spec) - {"meeting_chair"})
    for key, values in sorted(named.items()):
        if key in ("kind", "issuer"):
            continue
        if key in v.TRISTATE:
            out[key] = [None, False, True]
        elif key in v.FLAGS:
            out[key] = [False, True]
        elif key == "portfolios":
            out[key] = list(_PORTFOLIO_VALUES.values())
        elif key == "matters":
            out[key] = [1, 2]
        else:
            vocab = roles if key == "chaired_by" else _VOCAB[key]
            mentioned = sorted(x for x in values if x != "none")
            other = [x for x in vocab if x not in values][:1]
            optional = [] if key == "urgency" else [None]
            out[key] = [*optional, *mentioned, *other]
    return out


def domain_size(spec: ProfileSpec) -> int:
    size = 1
    for values in domain(spec).values():
        size *= len(values)
    return size


def documents(spec: ProfileSpec) -> Iterator[Document]:
    """Every point of :func:`domain`, in a fixed order."""
    space = domain(spec)
    keys = list(space)
    for values in itertools.product(*(space[k] for k in keys)):
        attrs = dict(zip(keys, values, strict=True))
        yield Document(attrs.pop("kind"), **attrs)


def nth_documents(spec: ProfileSpec, indices: Iterable[int]) -> Iterator[Document]:
    """The points of :func:`domain` at ``indices`` (mixed-radix), for a sample without enumerating."""
    space = domain(spec)
    keys = list(space)
    for point in indices:
        attrs: dict[str, Any] = {}
        rest = point
        for key in reversed(keys):
            rest, digit = divmod(rest, len(space[key]))
            attrs[key] = space[key][digit]
        yield Document(attrs.pop("kind"), **attrs)


def _cite(c: Any) -> Cite:
    """A citation as an answer shows it: the reading in English where given, else in Chinese, and in Chinese."""
    reading = c.reading()
    if reading is None:
        return (c.article, c.item, c.quote, None, None)
    return (c.article, c.item, c.quote, reading.en or reading.zh, reading.zh)
