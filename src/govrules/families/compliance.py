"""Compliance (一文一事, 报告不得夹带请示, 不得直接向领导个人报送, 分管领导与对口副秘书长不能同时外出, …):
which rules a document, a meeting agenda or a day's absences break.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, StrictBool, StrictStr, field_validator

from govrules import _args, facts
from govrules import vocabulary as v
from govrules.answers import Answer, Citation, Lang, basis_lines, check_lang
from govrules.compile import RuleSink, absence_pattern, expression, ref
from govrules.diagnostics import Diagnostic
from govrules.errors import InvalidArgument, NotCovered
from govrules.families.base import CheckContext, Family, ScenarioArea, ScenarioInput, cited, fired
from govrules.families.signing import check_condition
from govrules.meeting_plans import MeetingPlan, MeetingPlanCondition
from govrules.model import Condition, Frozen, Ids, OneOrMany, RuleEntry, one_or_many

if TYPE_CHECKING:
    from govrules.documents import AgendaItem, Document
    from govrules.engine import Firing, Result
    from govrules.profile import Profile
    from govrules.roster import Absence, Roster


class AgendaCondition(Frozen):
    """Agenda item attributes that must all hold."""

    meeting: OneOrMany | None = None
    funding: StrictBool | None = None
    staffing: StrictBool | None = None
    cross_portfolio: StrictBool | None = None
    within_remit: StrictBool | None = None
    coordinated: StrictBool | None = None
    consulted: StrictBool | None = None
    leader_agreed: StrictBool | None = None
    legality_reviewed: StrictBool | None = None

    def terms(self) -> dict[str, tuple[str, ...] | bool]:
        return {
            k: ((v,) if isinstance(v, str) else tuple(v)) if not isinstance(v, bool) else v
            for k, v in self
            if v is not None
        }


class ComplianceRule(RuleEntry):
    """Something the text forbids; breaking it is a violation with a stable code."""

    code: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    severity: Literal["error", "warning"]
    message: StrictStr
    document: tuple[Condition, ...] | None = None
    agenda: tuple[AgendaCondition, ...] | None = None
    meeting_plan: tuple[MeetingPlanCondition, ...] | None = None
    absent_together: Literal["counterpart", "ab_partner"] | None = None
    reasons: Ids = ()

    _document_list = field_validator("document", "agenda", "meeting_plan", mode="before")(one_or_many)

    def alternatives(self) -> int:
        return len(self.document or self.agenda or self.meeting_plan or ()) or 1


#: The kinds of compliance rule: exactly one is given.
_KINDS = ("document", "agenda", "meeting_plan", "absent_together")


@dataclass(frozen=True, slots=True)
class Violation(Answer):
    """A rule of the profile that the facts break: a stable code, `error` or `warning` (原则上), why."""

    code: str
    severity: Literal["error", "warning"]
    message: str
    basis: tuple[Citation, ...]
    rule: str = ""
    subjects: tuple[str, ...] = ()

    def explain(self, lang: Lang = "zh") -> str:
        """The violation, what it concerns and its basis with the readings, in Chinese or English.

        The profile states the rule in the text's words (``message``, up to what the family adds
        about the subjects): an English reader sees them quoted.

        Examples
        --------
        >>> v = Violation("skips_level", "error", "未经批准不得越级行文", ())
        >>> print(v.explain("en"))
        error skips_level: “未经批准不得越级行文”
        """
        zh = check_lang(lang) == "zh"
        wording = self.message.split(": `", 1)[0] if self.subjects else self.message
        severity = {"error": "错误", "warning": "警告"}[self.severity] if zh else self.severity
        lines = [f"{severity} {self.code}：{wording}" if zh else f"{severity} {self.code}: “{wording}”"]
        if len(self.subjects) == 2:
            who = "、".join(f"`{s}`" for s in self.subjects) if zh else " and ".join(f"`{s}`" for s in self.subjects)
            lines.append(f"  同时外出：{who}" if zh else f"  both away: {who}")
        elif self.subjects and ":" in self.subjects[0]:
            topic = self.subjects[0].split(":", 1)[1]
            lines.append(f"  议题：{topic}" if zh else f"  agenda item: {topic}")
        lines += basis_lines(self.basis, lang)
        return "\n".join(lines)


class Compliance(Family[ComplianceRule]):
    """The rules a document, an agenda or a day's absences break."""

    section = "compliance"
    entry = ComplianceRule
    queries = ("check", "check_agenda")

    @classmethod
    def validate(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        for i, rule in enumerate(cls.entries(ctx.spec)):
            where = ("compliance", i)
            yield from ctx.closed((*where, "reasons"), rule.reasons, v.REASONS, "absence reason")
            given = [k for k in _KINDS if getattr(rule, k) is not None]
            if len(given) != 1:
                yield ctx.doc.diagnostic(
                    where,
                    "GR032",
                    f"compliance rule `{rule.id}` names {' and '.join(f'`{g}`' for g in given) or 'nothing'}",
                    "give exactly one of `document`, `agenda`, `meeting_plan` or `absent_together`",
                )
            if rule.reasons and rule.absent_together is None:
                yield ctx.doc.diagnostic((*where, "reasons"), "GR032", "`reasons` only qualify `absent_together`")
            for j, cond in enumerate(rule.document or ()):
                yield from check_condition(ctx, (*where, "document", j), cond)
            for j, item in enumerate(rule.agenda or ()):
                meetings = item.terms().get("meeting", ())
                if not isinstance(meetings, bool):
                    yield from ctx.closed((*where, "agenda", j, "meeting"), meetings, v.MEETINGS, "meeting kind")
            for j, plan in enumerate(rule.meeting_plan or ()):
                yield from plan.check(ctx, (*where, "meeting_plan", j))

    @classmethod
    def compile(cls, rules: Sequence[ComplianceRule], out: RuleSink) -> None:
        for check in rules:
            for i, plan in enumerate(check.meeting_plan or ()):
                out.add(
                    f"{check.id}#{i}",
                    [{"m": plan.pattern()}],
                    check.id,
                    facts.VIOLATION,
                    rule=check.id,
                    first=ref("m", "subject"),
                    second="",
                )
            if check.meeting_plan is not None:
                continue
            if check.document is not None or check.agenda is not None:
                fact_type = facts.DOCUMENT if check.document is not None else facts.AGENDA_ITEM
                conditions: tuple[Condition | AgendaCondition, ...] = check.document or check.agenda or ()
                for i, test in enumerate(conditions):
                    pattern = expression(fact_type, test)
                    if fact_type is facts.DOCUMENT:
                        # compliance is asked by `check`, not by `sign`: keep it off the signing hot path
                        pattern["$and"].insert(1, {"purpose": "check"})
                    out.add(
                        f"{check.id}#{i}",
                        [{"m": pattern}],
                        check.id,
                        facts.VIOLATION,
                        rule=check.id,
                        first=ref("m", "subject"),
                        second="",
                    )
                continue
            first = absence_pattern(check.reasons)
            person = facts.PERSON.name
            if check.absent_together == "counterpart":
                other = {"$and": [{"type": person}, {"counterpart": {"a": "person"}}]}
            else:
                other = {"$and": [{"type": person}, {"ab_partner": {"a": "person"}}]}
            second = absence_pattern(check.reasons, join=("person", "o", "pid"))
            out.add(
                f"{check.id}#0",
                [{"a": first}, {"o": other}, {"b": second}],
                check.id,
                facts.VIOLATION,
                rule=check.id,
                first=ref("a", "person"),
                second=ref("b", "person"),
            )

    # -- queries ------------------------------------------------------------------------------------

    def check(
        self,
        document: Document | MeetingPlan | None = None,
        *,
        absences: Iterable[Absence] = (),
        roster: Roster | None = None,
        on: dt.date | None = None,
    ) -> list[Violation]:
        """The rules a document (or a :class:`~govrules.MeetingPlan`) breaks, or a set of absences on
        ``on`` (or both).

        Each violation has a stable code, a severity (`warning` for 原则上 / 一般不得 rules) and its basis.
        A meeting plan asked of a profile with no rule on organising meetings raises `NotCovered`.
        """
        from govrules.documents import Document

        profile = self.profile
        found: list[Violation] = []
        if isinstance(document, MeetingPlan):
            if not any(rule.meeting_plan is not None for rule in self.rules):
                raise NotCovered(profile.id, "the organisation of meetings (a meeting plan)")
            found += self.violations_of(profile.run([document.fact()]))
        elif document is not None:
            if not isinstance(document, Document):
                wanted = "a `govrules.Document` or `govrules.MeetingPlan`"
                raise InvalidArgument(f"`document`: expected {wanted}, got `{type(document).__name__}`")
            if document.classified and document.classification is None:
                found += self._whatever_the_level(document)
            else:
                found += self.violations_of(profile.run([document.fact("check")]))
        if roster is not None or on is not None or absences:
            found += profile.day(on, roster, _args.items("absences", absences, "`govrules.Absence` values")).violations
        elif document is None:
            raise InvalidArgument("`check`: give a `document`, or `absences` with a `roster` and `on`")
        return found

    def _whatever_the_level(self, document: Document) -> tuple[Violation, ...]:
        """The violations of a document stated classified without a level: the same at every level,
        or the profile distinguishes levels and the caller must give one (never a guess)."""
        fact = document.fact("check")
        found = {
            level: self.violations_of(self.profile.run([{**fact, "classification": level}]))
            for level in v.CLASSIFICATIONS
        }
        first = next(iter(found.values()))
        if all(set(x) == set(first) for x in found.values()):
            return first
        applying = [frozenset(x.rule for x in xs) for xs in found.values()]
        differ = sorted(frozenset().union(*applying) - applying[0].intersection(*applying[1:]))
        levels = ", ".join(f"`{k}` ({zh})" for k, (zh, _en) in v.CLASSIFICATIONS.items())
        raise InvalidArgument(
            f"`classification`: profile `{self.profile.id}` treats classification levels differently "
            f"({', '.join(f'`{r}`' for r in differ)}); pass `classification=` {levels}"
        )

    def check_agenda(self, meeting: str, agenda: Iterable[AgendaItem]) -> list[Violation]:
        """The rules the items proposed for a meeting's agenda (议题) break, before the meeting is held.

        Examples
        --------
        >>> import govrules
        >>> gov = next(
        ...     g for g in map(govrules.load, govrules.profiles())
        ...     if any(r.code == "agenda_no_legality_review" for r in g.spec.compliance)
        ... )
        >>> item = govrules.AgendaItem("某规划", legality_reviewed=False)
        >>> [x.code for x in gov.check_agenda("executive", [item])]
        ['agenda_no_legality_review']
        >>> gov.check_agenda("executive", [govrules.AgendaItem("某规划")])  # unknown unless stated
        []
        """
        from govrules.documents import AgendaItem

        kind = _args.choice("meeting", meeting, v.MEETINGS)
        assert kind is not None
        what = "`govrules.AgendaItem` values"
        items = (agenda,) if isinstance(agenda, AgendaItem) else _args.items("agenda", agenda, what)
        for item in items:
            if not isinstance(item, AgendaItem):
                raise InvalidArgument(f"`agenda`: expected `govrules.AgendaItem` values, got `{item!r}`")
        if not items:
            return []
        return list(self.violations_of(self.profile.run([item.fact(kind, i) for i, item in enumerate(items)])))

    def violations_of(self, result: Result) -> tuple[Violation, ...]:
        """The violations of a query, each citing the clauses about the alternatives that fired."""
        return self.violations(result.derived, firings=result.firings)

    def violations(
        self, derived: Iterable[Mapping[str, Any]], *, on: dt.date | None = None, firings: Iterable[Firing] = ()
    ) -> tuple[Violation, ...]:
        """The violations among a query's derived facts, each once.

        With the query's ``firings``, each violation cites only the clauses about the alternatives
        of its rule that fired for its subject (the document, the agenda item or the meeting plan).
        """
        by_subject: dict[str, list[Firing]] = {}
        for firing in firings:
            by_subject.setdefault(str(firing.matched.get("m", {}).get("subject", "")), []).append(firing)
        alternatives = {subject: fired(found) for subject, found in by_subject.items()}
        out: list[Violation] = []
        seen: set[tuple[str, frozenset[str]]] = set()
        for f in facts.VIOLATION.of(derived):
            rule = self.by_id[str(f["rule"])]
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
            basis = self.profile.basis(cited(rule, fired=alternatives.get(str(f["first"]), {}).get(rule.id)))
            out.append(Violation(rule.code, rule.severity, message, basis, rule.id, subjects))
        return tuple(out)


def _actual(answer: Sequence[Violation]) -> dict[str, Any]:
    return {
        "codes": sorted(x.code for x in answer),
        "severities": sorted(x.severity for x in answer),
        "articles": {c.article for x in answer for c in x.basis},
    }


def _ask_day(profile: Profile, given: ScenarioInput) -> tuple[Violation, ...]:
    return tuple(profile.check(**given.day()))


def _ask_document(profile: Profile, given: ScenarioInput) -> tuple[Violation, ...]:
    return tuple(profile.check(given.document()))


def _ask_agenda(profile: Profile, given: ScenarioInput) -> tuple[Violation, ...]:
    from govrules.documents import AgendaItem

    items = tuple(AgendaItem(**item) for item in given["agenda"] or ())
    return tuple(profile.family(Compliance).check_agenda(given["meeting"], items))


Compliance.areas = MappingProxyType(
    {
        "checks": ScenarioArea(
            _ask_day,
            _actual,
            given=frozenset({"absences", "on"}),
            required=frozenset({"on"}),
            expect=frozenset({"articles", "codes", "severities"}),
        ),
        "compliance": ScenarioArea(
            _ask_document,
            _actual,
            given=frozenset({"document"}),
            required=frozenset({"document"}),
            expect=frozenset({"articles", "codes", "severities"}),
        ),
        "agenda": ScenarioArea(
            _ask_agenda,
            _actual,
            given=frozenset({"agenda", "meeting"}),
            required=frozenset({"agenda", "meeting"}),
            expect=frozenset({"articles", "codes", "severities"}),
            types=MappingProxyType({"meeting": StrictStr}),
        ),
    }
)
