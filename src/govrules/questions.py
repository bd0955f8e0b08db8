"""The questions a :class:`~govrules.Profile` answers, each delegated to its rule family.

Kept apart from :mod:`govrules.profile` (what the families share) so that both stay small: every
method here is a typed, documented doorway to one family's query (or to the decision tables and
memos of :mod:`govrules.tables` that answer from the engine's own answers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from govrules import _args
from govrules.day import Day
from govrules.documents import AgendaItem, Document
from govrules.errors import GovrulesError
from govrules.families import Family
from govrules.families.acting import Acting, ActingFamily
from govrules.families.approvals import AbsenceApproval, Approvals
from govrules.families.compliance import Compliance, Violation
from govrules.families.deadlines import Deadline, Deadlines
from govrules.families.meetings import AgendaChain, MeetingCheck, MeetingRule, Meetings, Quorum
from govrules.families.seals import Seals
from govrules.families.signing import Route
from govrules.meeting_plans import MeetingPlan
from govrules.roster import Absence, Roster
from govrules.tables import Tables
from govrules.workdays import Calendar

if TYPE_CHECKING:
    from govrules.profile import Profile

F = TypeVar("F", bound=Family[Any])


class Questions:
    """The public questions of a profile; :class:`~govrules.Profile` provides what they use."""

    __slots__ = ()

    if TYPE_CHECKING:  # provided by Profile
        labels: Mapping[str, str]

        _tables: Tables

        def family(self, cls: type[F]) -> F: ...
        def day(self, on: dt.date | None, roster: Roster | None, absences: tuple[Absence, ...]) -> Day: ...

    def _profile(self) -> Profile:
        from govrules.profile import Profile

        assert isinstance(self, Profile)
        return self

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

        return sweep(self._profile(), topic)

    def gaps(
        self, *, roster: Roster, on: dt.date, duty: str = "sign", max_absent: int = 2, reason: str = "out_of_city"
    ) -> tuple[Any, ...]:
        """The minimal sets of at most ``max_absent`` absences that leave a covered question with no
        one allowed to act, as ``Gap`` values (see ``govrules.analysis.gaps.gaps``)."""
        from govrules.analysis.gaps import gaps

        return gaps(self._profile(), roster=roster, on=on, duty=duty, max_absent=max_absent, reason=reason)

    def verify(self) -> Any:
        """Every family's whole domain: one answer or ``NotCovered`` per question, no conflict, no rule
        that decides nothing; a ``VerifyReport`` (``.ok``, ``.counterexamples``)."""
        from govrules.analysis.verify import verify

        return verify(self._profile())

    def _repr_html_(self) -> str:
        from govrules.analysis.display import profile_html

        return profile_html(self._profile())
