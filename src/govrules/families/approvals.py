"""Absence approval (请销假): who approves, and who must be told, before an official leaves.

Each entry of a profile's ``approvals:`` section covers the absences of some offices — for some
reasons, at some places — and says whose consent they need (``approvers``), whether leave must be
asked at all (``leave``: the text may require 请假 without naming who grants it), who is told
(``informed``: 报告, 报备, 通报) and by when (``due``: a deadline kind of the profile, counted back
from the first day away). Every entry that applies contributes; with a roster, the roles are
staffed (:mod:`govrules.staffing`) and nobody approves, or is told of, their own absence.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import Field, StrictBool, StrictStr

from govrules import facts
from govrules import vocabulary as v
from govrules.answers import Answer, Citation, FrozenMap, Lang, Role, check_lang, english
from govrules.compile import RuleSink, one_of
from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.errors import InvalidArgument, NotCovered
from govrules.families.acting import absence_terms, principal, unplaced
from govrules.families.base import CheckContext, Family, ScenarioArea, ScenarioInput, check_date, merge
from govrules.families.deadlines import Deadline, Deadlines
from govrules.model import Ids, RuleEntry
from govrules.roster import UNKNOWN_PLACE, Absence, Roster
from govrules.staffing import Staffer, Subject

if TYPE_CHECKING:
    from govrules.profile import Profile


class ApprovalRule(RuleEntry):
    """Who approves and who is told before an official holding one of ``absent`` leaves.

    ``reasons`` and ``places`` restrict the absences it covers (an empty list restricts nothing; a
    rule gives at least one). ``approvers`` must all consent; ``leave: true`` says leave must be
    asked even where the text names no approver; ``informed`` are told; ``due`` names a deadline
    kind of the profile's ``deadlines:`` counted back from the first day away.
    """

    absent: Ids = Field(min_length=1)
    reasons: Ids = ()
    places: Ids = ()
    leave: StrictBool = False
    approvers: Ids = ()
    informed: Ids = ()
    due: StrictStr | None = None


@dataclass(frozen=True, slots=True)
class AbsenceApproval(Answer):
    """Who approves an absence and who must be told of it before the official leaves, and why.

    ``approvers`` are role ids whose consent the absence needs (every one of them); ``leave`` says
    whether leave must be asked at all (a text may require 请假 without naming who grants it: then
    ``approvers`` is empty and ``unresolved`` says so). ``informed`` are role ids to be told
    beforehand. ``due`` is the latest day to ask (a :class:`~govrules.Deadline`), or None where the
    text says only 事先 (beforehand). With a roster, ``approver_persons`` and ``informed_persons``
    name the persons — never the absent official — and ``unstaffed`` says, for each role that
    names no person (a body such as 市委, or a role the roster does not fill), why.
    """

    profile: str
    person: str
    approvers: tuple[Role, ...]
    informed: tuple[Role, ...]
    due: Deadline | None
    basis: tuple[Citation, ...]
    rules: tuple[str, ...]
    leave: bool = False
    approver_persons: tuple[str, ...] = ()
    informed_persons: tuple[str, ...] = ()
    unresolved: str | None = None
    unstaffed: Mapping[str, str] = FrozenMap()
    labels: Mapping[str, str] = field(default=FrozenMap(), repr=False, compare=False)

    def explain(self, lang: Lang = "zh") -> str:
        """A readable account, in Chinese (``zh``) or English (``en``)."""
        zh = check_lang(lang) == "zh"

        def names(roles: tuple[str, ...]) -> str:
            shown = [(self.labels.get(r) if zh else english(r, None)) or r for r in roles]
            return ("、" if zh else ", ").join(shown) or ("无" if zh else "no one")

        if self.approvers:
            head = f"经{names(self.approvers)}同意" if zh else f"approved by {names(self.approvers)}"
        elif self.leave:
            head = "须请假，但未规定由谁批准" if zh else "leave must be asked, but the text does not say of whom"
        else:
            head = "无须批准" if zh else "no approval needed"
        lines = [f"{self.person}：{head}" if zh else f"{self.person}: {head}"]
        if self.informed:
            lines.append(("  事先告知：" if zh else "  told beforehand: ") + names(self.informed))
        if self.due is not None:
            lines.append(("  最迟：" if zh else "  at the latest: ") + self.due.due.isoformat())
        if self.approver_persons:
            lines.append(("  批准人：" if zh else "  approved by: ") + ", ".join(self.approver_persons))
        if self.informed_persons:
            lines.append(("  告知：" if zh else "  tell: ") + ", ".join(self.informed_persons))
        if self.unresolved:
            lines.append(("  无法确定：" if zh else "  unresolved: ") + self.unresolved)
        lines += [("  依据：" if zh else "  basis: ") + c.label(lang) for c in self.basis]
        return "\n".join(lines)


class Approvals(Family[ApprovalRule]):
    """Who approves an official's absence, and who must be told before they leave."""

    section = "approvals"
    entry = ApprovalRule
    queries = ("absence_approval",)

    @classmethod
    def validate(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        kinds = {r.kind for r in getattr(ctx.spec, "deadlines", ())}
        for i, rule in enumerate(cls.entries(ctx.spec)):
            where = ("approvals", i)
            for k, office in enumerate(rule.absent):
                if office not in v.OFFICES:
                    yield ctx.doc.diagnostic(
                        (*where, "absent", k),
                        "GR022",
                        f"`absent` must name offices of the shared vocabulary, not `{office}`",
                        did_you_mean(office, v.OFFICES, list_all=False),
                    )
            yield from absence_terms(ctx, where, rule.reasons, rule.places)
            yield from ctx.roles_known((*where, "approvers"), rule.approvers)
            yield from ctx.roles_known((*where, "informed"), rule.informed)
            if rule.due is not None and rule.due not in kinds:
                yield ctx.doc.diagnostic(
                    (*where, "due"),
                    "GR013",
                    f"`due` names `{rule.due}`, which is not a deadline kind this profile sets",
                    did_you_mean(rule.due, kinds) if kinds else "add the deadline under `deadlines:`",
                )
            if not (rule.approvers or rule.informed or rule.leave or rule.due):
                yield ctx.doc.diagnostic(
                    where,
                    "GR011",
                    f"approvals rule `{rule.id}` says nothing about the absence",
                    "give `approvers`, `informed`, `leave: true` or `due`",
                )

    @classmethod
    def compile(cls, rules: Sequence[ApprovalRule], out: RuleSink) -> None:
        for rule in rules:
            offices = {o for role in rule.absent for o in v.holders(role)}
            terms: list[dict[str, Any]] = [{"type": facts.APPROVAL_REQUEST.name}, *one_of("office", offices)]
            if rule.reasons:
                terms += one_of("reason", rule.reasons)
            if rule.places:
                terms += one_of("place", rule.places)
            out.add(f"{rule.id}#0", [{"m": {"$and": terms}}], rule.id, facts.APPROVAL, rule=rule.id)

    def __init__(self, profile: Profile) -> None:
        super().__init__(profile)
        self._staffer = Staffer(profile.spec.roles)

    def absence_approval(self, person: str, absence: Absence, *, roster: Roster | None = None) -> AbsenceApproval:
        """Who approves ``absence`` and who must be told before the official leaves, with the articles.

        ``person`` is the absent official: a person id of ``roster`` (or an office held by one person
        there), or, without a roster, an office. With a roster the roles are staffed: the answer names
        the persons, never the absent official themselves.

        Raises :class:`~govrules.NotCovered` when no rule of the profile covers the absence (the
        mayor's own leave, say, where the text regulates only the vice mayors'), and
        :class:`~govrules.InvalidArgument` when a rule turns on where the official goes and the
        absence does not say (``place``).

        Examples
        --------
        >>> import datetime as dt, govrules
        >>> gov = govrules.load("tests/fixtures/valid/approvals.yaml")  # a fictional profile
        >>> roster = govrules.Roster([govrules.Person("li", "mayor"), govrules.Person("zhao", "vice_mayor"),
        ...                           govrules.Person("qian", "vice_mayor")])
        >>> trip = govrules.Absence("zhao", dt.date(2025, 3, 3), dt.date(2025, 3, 5), "vacation", place="abroad")
        >>> answer = gov.absence_approval("zhao", trip, roster=roster)
        >>> answer.approvers, answer.approver_persons, answer.informed_persons
        (('mayor',), ('li',), ('qian',))
        >>> answer.unstaffed["party_committee"]
        '`party_committee` (市委) is a body, not a person a roster names'
        >>> at_home = govrules.Absence("zhao", dt.date(2025, 3, 3), dt.date(2025, 3, 5), "vacation")
        >>> gov.absence_approval("zhao", at_home, roster=roster)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
          ...
        govrules.errors.InvalidArgument: `absence`: the absence of `zhao` (vacation, ...) does not say where ...
        """
        profile = self.profile
        if not isinstance(absence, Absence):
            raise InvalidArgument(f"`absence`: expected a `govrules.Absence`, got `{absence!r}`")
        check_date(profile, "absence", absence.start)
        if roster is not None:
            if not isinstance(roster, Roster):
                raise InvalidArgument(f"`roster`: expected a `govrules.Roster`, got `{roster!r}`")
            pid: str | None = principal(person, roster)
            office = roster[pid or ""].office
            if absence.person != pid:
                raise InvalidArgument(f"`absence`: it is the absence of `{absence.person}`, not of `{pid}`")
        else:
            if not isinstance(person, str) or person not in v.OFFICES:
                hint = did_you_mean(person, v.OFFICES) if isinstance(person, str) else None
                raise InvalidArgument(
                    f"`person`: without a roster, name the absent official's office, not `{person!r}`"
                    + (f"; {hint}" if hint else "")
                )
            pid, office = None, person
        request = facts.APPROVAL_REQUEST.make(
            office=office, reason=absence.reason, place=absence.place or UNKNOWN_PLACE
        )
        found = [self.by_id[f["rule"]] for f in facts.APPROVAL.of(profile.run([request]).derived)]
        found.sort(key=self.rules.index)
        if absence.place is None:  # a rule that needs the place matters unless what it says is said anyway
            for rule in self.rules:
                if (
                    rule not in found
                    and rule.places
                    and office in {o for role in rule.absent for o in v.holders(role)}
                    and (not rule.reasons or absence.reason in rule.reasons)
                    and not _said(rule, found)
                ):
                    raise InvalidArgument(unplaced(absence, rule, profile, "absence"))
        who = f"`{pid}` (`{office}`)" if pid else f"a `{office}`"
        if not found:
            raise NotCovered(profile.id, f"who approves the absence of {who} ({_absence_words(absence)})")
        approvers = merge(*(r.approvers for r in found))
        informed = merge(*(r.informed for r in found))
        leave = any(r.leave or r.approvers for r in found)
        due = self._due(found, absence, office)
        unresolved = None
        if leave and not approvers:
            unresolved = "the text requires leave to be asked (请假) but does not say who grants it"
        answer = AbsenceApproval(
            profile=profile.id,
            person=pid or office,
            approvers=approvers,
            informed=informed,
            due=due,
            basis=profile.basis(c for r in found for c in r.basis),
            rules=tuple(r.id for r in found),
            leave=leave,
            unresolved=unresolved,
            labels=profile.labels,
        )
        if roster is None or pid is None:
            return answer
        return self._staff(answer, pid, roster)

    def _due(self, rules: Sequence[ApprovalRule], absence: Absence, office: str) -> Deadline | None:
        kinds = merge(*((r.due,) for r in rules if r.due is not None))
        family = self.profile.family(Deadlines)
        # whose leave it is decides the limit where a text sets it for some offices only
        deadlines = [family.deadline(kind, absence.start, for_office=office) for kind in kinds]
        return min(deadlines, key=lambda d: d.due, default=None)

    def _staff(self, answer: AbsenceApproval, pid: str, roster: Roster) -> AbsenceApproval:
        subject = Subject(official=pid)
        unstaffed: dict[str, str] = {}

        def staff(roles: tuple[str, ...]) -> tuple[str, ...]:
            persons: list[str] = []
            for role in roles:
                holders, why = self._staffer.holders(role, subject, roster)
                persons += [p.id for p in holders]
                if not holders:
                    unstaffed[role] = why or f"no one in the roster is `{role}`"
            return merge(persons)

        approver_persons = staff(answer.approvers)
        informed_persons = staff(answer.informed)
        unresolved = answer.unresolved
        missing = [r for r in answer.approvers if r in unstaffed]
        if missing and unresolved is None:
            unresolved = "; ".join(f"`{r}`: {unstaffed[r]}" for r in missing)
        return AbsenceApproval(
            profile=answer.profile,
            person=answer.person,
            approvers=answer.approvers,
            informed=answer.informed,
            due=answer.due,
            basis=answer.basis,
            rules=answer.rules,
            leave=answer.leave,
            approver_persons=approver_persons,
            informed_persons=informed_persons,
            unresolved=unresolved,
            unstaffed=FrozenMap(unstaffed),
            labels=answer.labels,
        )


def _said(rule: ApprovalRule, found: Sequence[ApprovalRule]) -> bool:
    """Whether the rules ``found`` already say everything ``rule`` would add to the answer."""
    roles = {x for r in found for x in (*r.approvers, *r.informed)}
    return (
        {*rule.approvers, *rule.informed} <= roles
        and (rule.due is None or rule.due in {r.due for r in found})
        and (not rule.leave or any(r.leave or r.approvers for r in found))
    )


def _absence_words(absence: Absence) -> str:
    return f"`{absence.reason}`" + (f" at `{absence.place}`" if absence.place else "")


# -- scenarios ------------------------------------------------------------------------------------------


def _ask(profile: Profile, given: ScenarioInput) -> AbsenceApproval:
    data = dict(given["absence"])
    who = given["who"]
    try:
        roster: Roster | None = given.roster()
    except InvalidArgument:  # a file without `people:` asks by office
        roster = None
    person = principal(who, roster) if roster is not None else who
    return profile.absence_approval(who, Absence.from_mapping({**data, "person": person}), roster=roster)


def _actual(answer: AbsenceApproval) -> dict[str, Any]:
    return {
        "approvers": set(answer.approvers),
        "informed": set(answer.informed),
        "leave": answer.leave,
        "due": None if answer.due is None else answer.due.due.isoformat(),
        "due_kind": None if answer.due is None else answer.due.kind,
        "approver_persons": set(answer.approver_persons),
        "informed_persons": set(answer.informed_persons),
        "unstaffed": set(answer.unstaffed),
        "unresolved": answer.unresolved is not None,
        "articles": {c.article for c in answer.basis},
        "rules": set(answer.rules),
    }


Approvals.areas = MappingProxyType(
    {
        "approvals": ScenarioArea(
            _ask,
            _actual,
            given=frozenset({"absence", "who"}),
            required=frozenset({"absence", "who"}),
            expect=frozenset(
                {
                    "approver_persons",
                    "approvers",
                    "articles",
                    "due",
                    "due_kind",
                    "informed",
                    "informed_persons",
                    "leave",
                    "not_covered",
                    "rules",
                    "unresolved",
                    "unstaffed",
                }
            ),
            types=MappingProxyType({"absence": dict[str, Any]}),
        )
    }
)

__all__ = ["AbsenceApproval", "ApprovalRule", "Approvals"]
