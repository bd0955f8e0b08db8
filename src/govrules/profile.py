"""A loaded profile: a thin front whose questions are answered by the rule families
(:mod:`govrules.families`); it holds what they share: spec, compiled ruleset, labels, citations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeVar

from govrules import _args
from govrules import vocabulary as v
from govrules.answers import Citation, FrozenMap
from govrules.compile import CompiledRuleset, compile_profile
from govrules.day import Day
from govrules.documents import AgendaItem, Document
from govrules.engine import Engine, Fact, Result
from govrules.errors import GovrulesError
from govrules.families import FAMILIES, Family
from govrules.families.acting import Acting, ActingFamily
from govrules.families.approvals import AbsenceApproval, Approvals
from govrules.families.compliance import Compliance, Violation
from govrules.families.deadlines import Deadline, Deadlines
from govrules.families.meetings import AgendaChain, MeetingCheck, MeetingRule, Meetings, Quorum
from govrules.families.seals import Seals
from govrules.families.signing import Route
from govrules.meeting_plans import MeetingPlan
from govrules.model import Citation as CitationSpec
from govrules.model import ProfileSpec
from govrules.roster import Absence, Roster
from govrules.tables import Tables
from govrules.workdays import Calendar

F = TypeVar("F", bound=Family[Any])


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

    __slots__ = ("_citations", "_engine", "_families", "_roles", "_tables", "compiled", "labels", "source", "spec")

    def __init__(self, spec: ProfileSpec, *, source: str) -> None:
        self.spec = spec
        self.source = source
        self.compiled: CompiledRuleset = compile_profile(spec, FAMILIES)
        self._engine = Engine(self.compiled)
        labels = {role: zh for role, (zh, _en) in (*v.OFFICES.items(), *v.RELATIONAL_ROLES.items())}
        labels.update({r.id: r.name for r in spec.roles})
        self.labels: Mapping[str, str] = FrozenMap(labels)  # answers keep it: it must pickle
        self._roles = frozenset(labels)
        self._citations: dict[int, tuple[CitationSpec, Citation]] = {}  # see `basis`
        self._families: dict[type[Family[Any]], Family[Any]] = {f: f(self) for f in FAMILIES}
        self._tables = Tables(self)

    # -- what the families share ---------------------------------------------------------------------

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
        return self.labels.get(role, role)

    def family(self, cls: type[F]) -> F:
        """This profile's instance of a rule family (e.g. ``family(Signing)``)."""
        found = self._families[cls]
        assert isinstance(found, cls)
        return found

    def run(self, facts: Iterable[Fact]) -> Result:
        """Run the profile's rules on ``facts`` in a fresh engine session."""
        return self._engine.run(facts)

    def basis(self, cites: Iterable[CitationSpec]) -> tuple[Citation, ...]:
        """Answer citations for a profile's citation entries, each once, in order.

        Each entry's citation is made once (reading a plain-string reading's language looks at every
        character): the entries belong to the immutable spec, so they are kept by identity."""
        out = []
        made = self._citations
        for c in cites:
            found = made.get(id(c))
            if found is None or found[0] is not c:
                if len(made) > 4096:  # entries made on the fly rather than the spec's: keep it bounded
                    made.clear()
                reading = c.reading()
                en = reading.en or reading.zh if reading else None
                zh = reading.zh if reading else None
                found = made[id(c)] = (c, Citation(self.id, c.article, c.item, c.quote, en, zh))
            out.append(found[1])
        return tuple(dict.fromkeys(out))

    def day(self, on: dt.date | None, roster: Roster | None, absences: tuple[Absence, ...]) -> Day:
        """The state of a day: who is away, who may act for whom, what the absences break.

        Built once per (date, roster, absences) and shared by every question about that day (a
        bounded number of days is kept); the day and its graph are immutable.
        """
        return self._tables.day(on, roster, absences)

    @property
    def tables(self) -> Tables:
        """The profile's decision tables and memos (see :mod:`govrules.tables`)."""
        return self._tables

    def warm(self) -> int:
        """Build the profile's decision tables completely now, instead of a branch at a time as
        questions arrive (e.g. before forking workers); returns the number of engine questions asked.

        Examples
        --------
        >>> import govrules
        >>> gov = govrules.load(govrules.profiles()[0])
        >>> gov.warm() >= 0
        True
        """
        return self._tables.warm()

    def __repr__(self) -> str:
        return f"<govrules.Profile {self.id!r}: {self.name}>"

    def __getattr__(self, name: str) -> Any:
        # a family's queries are the profile's even before they get a typed method below
        if not name.startswith("_"):
            for family in self._families.values():
                if name in family.queries:
                    return getattr(family, name)
        raise AttributeError(f"`govrules.Profile` has no attribute `{name}`")

    # -- the questions (each answered by its family) ---------------------------------------------

    def sign(
        self,
        document: Document,
        *,
        on: dt.date | None = None,
        roster: Roster | None = None,
        absences: Iterable[Absence] = (),
    ) -> Route:
        """Who reviews and who signs ``document``, with the articles that say so; with ``on`` and a
        ``roster`` (and ``absences``), who may sign that day (see ``families.signing.Signing.sign``).

        Answered from the profile's decision table (:mod:`govrules.tables`): the engine's own answer
        for the document's class of documents, asked once; documents the table cannot key are asked
        of the engine."""
        return self._tables.sign(document, on, roster, absences)

    def sign_many(
        self,
        documents: Iterable[Document],
        *,
        on: dt.date | None = None,
        roster: Roster | None = None,
        absences: Iterable[Absence] = (),
        errors: Literal["raise", "return"] = "raise",
    ) -> list[Route | GovrulesError]:
        """:meth:`sign` for each of ``documents``, in order, in one call.

        With ``errors="raise"`` the first error is raised (as a loop of :meth:`sign` would); with
        ``errors="return"`` it takes the document's place in the list (e.g. :class:`~govrules.NotCovered`).

        Examples
        --------
        >>> import govrules
        >>> gov = govrules.load(govrules.profiles()[0])
        >>> docs = [govrules.Document("request", recipient="provincial_government"), govrules.Document("minutes")]
        >>> [type(answer).__name__ for answer in gov.sign_many(docs, errors="return")][0]
        'Route'
        """
        return self._tables.sign_many(documents, on, roster, absences, errors)

    def check_many(
        self, documents: Iterable[Document], *, errors: Literal["raise", "return"] = "raise"
    ) -> list[list[Violation] | GovrulesError]:
        """:meth:`check` of each of ``documents`` (no day), in order, in one call; ``errors`` as in :meth:`sign_many`.

        Examples
        --------
        >>> import govrules
        >>> gov = govrules.load(govrules.profiles()[0])
        >>> gov.check_many([govrules.Document("report", contains_request=True)])[0] == gov.check(
        ...     govrules.Document("report", contains_request=True))
        True
        """
        return self._tables.check_many(documents, errors)

    def seal(self, seal: str) -> Route:
        """Whose consent the use of a seal needs (用印), with the articles that say so."""
        return self._tables.seal(seal, self.family(Seals).seal)

    def deadlines(self) -> list[str]:
        """The deadline kinds this profile sets, sorted."""
        return self.family(Deadlines).kinds()

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
        """When ``kind`` falls due for something that starts (or an event that happens) at ``at``,
        on the State Council calendar; ``for_office`` says whose limit it is, ``lead_limit`` gives the
        lead department's own (see ``families.deadlines.Deadlines.deadline``)."""
        return self.family(Deadlines).deadline(
            kind,
            at,
            urgency=urgency,
            complex=complex,
            for_office=for_office,
            lead_limit=lead_limit,
            provisional=provisional,
            calendar=calendar,
        )

    def acting(
        self, role_or_person: str, *, on: dt.date, roster: Roster, absences: Iterable[Absence] = (), duty: str
    ) -> Acting:
        """Who performs ``duty`` for an official (a person id, or an office held by one person) on ``on``."""
        return self.family(ActingFamily).acting(role_or_person, on=on, roster=roster, absences=absences, duty=duty)

    def absence_approval(self, person: str, absence: Absence, *, roster: Roster | None = None) -> AbsenceApproval:
        """Who approves ``absence`` and who must be told before the official leaves (请销假), with the
        articles that say so (see ``families.approvals.Approvals.absence_approval``)."""
        return self.family(Approvals).absence_approval(person, absence, roster=roster)

    def delegation_graph(self, *, on: dt.date, roster: Roster, absences: Iterable[Absence] = ()) -> Any:
        """The day's ``networkx.MultiDiGraph`` of who may act for whom: a notebook shows it as SVG
        (``govrules.draw`` returns the picture, ``govrules.to_dot`` Graphviz DOT). The caller's own
        copy: the day's graph itself is shared between questions, and frozen."""
        from govrules.delegation import DelegationGraph

        return DelegationGraph(
            self.day(on, roster, _args.items("absences", absences, "`govrules.Absence` values")).graph,
            roster=roster,
            labels=self.labels,
        )

    def check(
        self,
        document: Document | MeetingPlan | None = None,
        *,
        absences: Iterable[Absence] = (),
        roster: Roster | None = None,
        on: dt.date | None = None,
    ) -> list[Violation]:
        """The rules a document or a :class:`~govrules.MeetingPlan` breaks, or a set of absences on ``on``
        (or both), each cited. A document alone is answered from the profile's compliance table.

        >>> import govrules
        >>> gov = govrules.load("tests/fixtures/valid/conditional_meetings.yaml")
        >>> plan = govrules.MeetingPlan(organiser="department", scope="system_wide", count_this_year=2)
        >>> [(x.code, x.severity) for x in gov.check(plan)]
        [('department_meetings_per_year', 'warning')]
        >>> [x.code for x in gov.check(govrules.MeetingPlan(organiser="department", scope="city_wide", approved_by=[]))]
        ['city_wide_meeting_not_approved']
        """
        if roster is None and on is None and document is not None and absences == ():
            return self._tables.check(document)  # a meeting plan goes on to the family
        return self.family(Compliance).check(document, absences=absences, roster=roster, on=on)

    def meetings(self) -> list[str]:
        """The meeting kinds this profile describes, sorted."""
        return self.family(Meetings).kinds()

    def meeting(self, kind: str) -> MeetingRule:
        """How the meeting ``kind`` is constituted, chaired, held and attended, with its basis."""
        return self._tables.meeting(kind, self.family(Meetings).meeting)

    def quorum(self, kind: str, *, expected: int, present: int) -> Quorum:
        """Whether ``present`` of ``expected`` members make the meeting quorate, where the text sets a quorum."""
        return self.family(Meetings).quorum(kind, expected=expected, present=present)

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
        """Is the meeting as held properly constituted? Missing members and attendees (and who approves
        their leave), attendees who are not members, whether the chair may chair and why, quorum, agenda
        violations (see ``families.meetings.Meetings.check_meeting``)."""
        return self.family(Meetings).check_meeting(
            kind,
            attendees=attendees,
            roster=roster,
            chair=chair,
            on=on,
            absences=absences,
            agenda=agenda,
            entrusted=entrusted,
            entrusted_by=entrusted_by,
            invited=invited,
            portfolios=portfolios,
        )

    def agenda_chain(self, kind: str, *, chaired_by: str | None = None) -> AgendaChain:
        """Who proposes, reviews, forwards and approves an agenda item of the meeting ``kind``, in order,
        each step cited (see ``families.meetings.Meetings.agenda_chain``)."""
        return self.family(Meetings).agenda_chain(kind, chaired_by=chaired_by)

    # -- analysis (govrules.analysis; tables need pandas: pip install 'govrules[notebook]') -----------

    def sweep(self, topic: str = "signing") -> Any:
        """A ``pandas.DataFrame`` with one row per point of ``topic``'s finite domain (see
        ``govrules.analysis.sweep.sweep``)."""
        from govrules.analysis.sweep import sweep

        return sweep(self, topic)

    def gaps(
        self, *, roster: Roster, on: dt.date, duty: str = "sign", max_absent: int = 2, reason: str = "out_of_city"
    ) -> tuple[Any, ...]:
        """The minimal sets of at most ``max_absent`` absences that leave a covered question with no
        one allowed to act, as ``Gap`` values (see ``govrules.analysis.gaps.gaps``)."""
        from govrules.analysis.gaps import gaps

        return gaps(self, roster=roster, on=on, duty=duty, max_absent=max_absent, reason=reason)

    def verify(self) -> Any:
        """Every family's whole domain: one answer or ``NotCovered`` per question, no conflict, no rule
        that decides nothing; a ``VerifyReport`` (``.ok``, ``.counterexamples``)."""
        from govrules.analysis.verify import verify

        return verify(self)

    def _repr_html_(self) -> str:
        from govrules.analysis.display import profile_html

        return profile_html(self)
