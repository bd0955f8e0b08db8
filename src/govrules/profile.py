"""A loaded profile: what the rule families share (spec, compiled ruleset, labels, citations, the
day's state, decision tables); its questions (:mod:`govrules.questions`) each delegate to a family."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from govrules import vocabulary as v
from govrules.answers import Citation, FrozenMap
from govrules.compile import CompiledRuleset, compile_profile
from govrules.day import Day
from govrules.engine import Engine, Fact, Result
from govrules.families import FAMILIES, Family
from govrules.model import Citation as CitationSpec
from govrules.model import ProfileSpec
from govrules.questions import Questions
from govrules.roster import Absence, Roster
from govrules.tables import Tables

F = TypeVar("F", bound=Family[Any])


class Profile(Questions):
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
