"""A second, deliberately simple evaluator of a profile, used only by tests to cross-check the library.

It answers the questions of ``Profile.sign`` (with and without a staffed day), ``Profile.acting`` and
the rule selection of ``Profile.deadline`` from the pydantic :class:`~govrules.model.ProfileSpec`
alone, in plain Python: no compiler, no engine, no networkx, none of ``profile.py`` or
``delegation.py``. It is written from the semantics (``shared/design.md`` §3–5 and the public
docstrings), so a bug in any of those layers shows up as a disagreement with it.

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
            triggered = any(
                a.person == pid and a.reason in rule.reasons and (a.entrusted or not rule.entrusted) for a in self.today
            )
            if not triggered:
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

    def _resolve(self, pid: str, duty: str, chain: tuple[str, ...], rules: tuple[str, ...]) -> Resolution:
        if pid not in self.away:
            return Resolution(pid, chain, rules, ())
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
            if len(found) == 1:
                return found[0]
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
    found = day.resolve(principal, duty)
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


def _holders(role: str, doc: Document, roster: Roster, seen: tuple[str, ...] = ()) -> list[Person]:
    """The people who fill ``role`` for ``doc``, in roster order."""
    if role == "leader_in_charge":
        return [p for p in roster if set(p.portfolios) & set(doc.portfolios)]
    if role == "meeting_chair":
        chair = doc.chaired_by
        if chair is None or chair in seen:  # a chair named as "the chair" names no one
            return []
        return _holders(chair, doc, roster, (*seen, role))
    if role == "counterpart_deputy_secretary_general":
        leaders = {p.id for p in _holders("leader_in_charge", doc, roster)}
        return [p for p in roster if p.counterpart in leaders]
    if role in v.OFFICES:
        return [p for p in roster if fills(p, role)]
    return []


def sign_on(spec: ProfileSpec, doc: Document, *, on: dt.date, roster: Roster, absences: Iterable[Absence]) -> Outcome:
    """``sign`` plus who may give the final signature that day, and for whom they stand in."""
    route = sign(spec, doc)
    if route.kind != "answer":
        return route
    fields = dict(route.fields)
    final = next((s for s in fields["steps"] if s[0] == "sign"), None)
    if final is None:
        return _answer(**fields, persons=(), acting_for={}, resolved=False)
    day = Day(spec, on, roster, absences)
    duty = "sign_urgent" if doc.urgency in ("urgent", "extra_urgent") else "sign"
    persons: list[str] = []
    acting_for: dict[str, str] = {}
    used: list[str] = []
    for role in fields["signers"]:
        for holder in _holders(role, doc, roster):
            found = day.resolve(holder.id, duty)
            if found.person is None:
                continue
            if found.person != holder.id:
                acting_for.setdefault(found.person, holder.id)
                used += found.rules
            persons.append(found.person)
    by_id = {r.id: r for r in spec.substitution}
    extra = [by_id[r] for r in _unique(used)]
    fields.update(
        persons=_unique(persons),
        acting_for=acting_for,
        resolved=bool(persons),
        basis=_unique([*fields["basis"], *cites(extra)]),
        rules=(*fields["rules"], *(r.id for r in extra)),
    )
    return _answer(["tied"] if day.tied else [], **fields)


# -- deadline rule selection ----------------------------------------------------------------------


def deadline(spec: ProfileSpec, kind: str, *, urgency: str | None, complex: bool) -> Outcome:
    """Which deadline rule decides ``kind``: its amount, unit, direction, basis and rule ids."""

    def fits(rule: DeadlineRule) -> bool:
        wanted = rule.when.urgency
        if wanted is not None and urgency not in ([wanted] if isinstance(wanted, str) else wanted):
            return False
        return rule.when.complex is None or rule.when.complex is complex

    of_kind = [r for r in spec.deadlines if r.kind == kind]
    winners = survivors([r for r in of_kind if fits(r)])
    if not winners:
        if urgency is None and any(r.when.urgency is not None for r in of_kind):
            return INVALID  # the profile sets this kind by urgency: the caller must say which
        return NOT_COVERED
    if len({(r.amount, r.unit, r.direction) for r in winners}) > 1:
        return _conflict(r.id for r in winners)
    first = winners[0]
    return _answer(
        amount=first.amount,
        unit=first.unit,
        direction=first.direction,
        starts=first.starts,
        on_expiry=first.on_expiry,
        in_principle=first.in_principle,
        basis=cites(winners),
        rules=tuple(r.id for r in winners),
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
