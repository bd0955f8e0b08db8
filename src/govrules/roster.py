"""Who holds which office, who is paired with whom, and who is away (design.md §4).

Person ids are checked wherever they enter (:func:`govrules._args.person_id`): letters of any
script, digits, ``_``, ``.`` and ``-``, at most 200 characters, never empty. Facts say "no AB
partner" and "no counterpart" with the empty string, which no id can be: the engine's rules join on
person ids, and a sentinel an id could take (the string ``none``) made a person called ``none``
everyone's partner and counterpart.

A roster holds at most :data:`MAX_PEOPLE` people: the engine identifies facts by a 32-bit hash, so
the chance that two facts of one query collide grows with the square of their number (docs/acting.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import StrictBool, StrictStr

from govrules import _args
from govrules import vocabulary as v
from govrules.errors import InvalidArgument
from govrules.inputs import IsoDate, Model, PersonId, Reader, one_of, read_yaml
from govrules.loader import Path_

__all__ = ["MAX_PEOPLE", "Absence", "Person", "Roster", "absences_from_mapping", "absences_from_yaml"]

#: The most people a roster may hold (see the module docstring and docs/acting.md).
MAX_PEOPLE = 2_000
_SIZE_HELP = (
    "the rule engine identifies facts by a 32-bit hash, so larger rosters risk two facts colliding; "
    "give the question only the officials it is about (docs/acting.md)"
)

# In facts, "no one": no AB partner, no counterpart. Person ids are never empty, so it joins with no one.
NO_ONE = ""


@dataclass(frozen=True, slots=True)
class Person:
    """One official: an office of the shared vocabulary, the portfolios they lead, and their pairings.

    ``ab_partner`` is the person paired with this one (AB角 / 工作互补 / 补位; pairs are mutual);
    ``counterpart`` is set on a deputy secretary-general or a general office deputy director to the
    leader they serve (对口; which of these offices a profile's counterpart role covers is the
    profile's to say). Ids are 1 to 200 letters (any script), digits, ``_``, ``.`` or ``-``.

    Examples
    --------
    >>> Person("vm_zhao", "vice_mayor", portfolios=["education"], ab_partner="vm_qian").ab_partner
    'vm_qian'
    >>> Person("vm zhao", "vice_mayor")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    govrules.errors.InvalidArgument: `id`: `vm zhao` is not a person id: it contains a space; use letters, ...
    """

    id: str
    office: str
    portfolios: tuple[str, ...] = ()
    ab_partner: str | None = None
    counterpart: str | None = None

    def __init__(
        self,
        id: str,
        office: str,
        *,
        portfolios: Iterable[str] = (),
        ab_partner: str | None = None,
        counterpart: str | None = None,
    ) -> None:
        _args.person_id("id", id)
        _args.choice("office", office, v.OFFICES)
        for name, value in (("ab_partner", ab_partner), ("counterpart", counterpart)):
            if value is not None:
                _args.person_id(name, value)
        if ab_partner == id:
            raise InvalidArgument(f"`ab_partner`: `{id}` cannot be paired with themselves")
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "office", office)
        object.__setattr__(self, "portfolios", _args.ids("portfolios", portfolios))
        object.__setattr__(self, "ab_partner", ab_partner)
        object.__setattr__(self, "counterpart", counterpart)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Person:
        """A person from plain data (``id``, ``office``, and optionally ``portfolios``, ``ab_partner``,
        ``counterpart``); :class:`~govrules.InvalidArgument` names every problem.

        >>> Person.from_mapping({"id": "li", "office": "mayr"})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
          ...
        govrules.errors.InvalidArgument: `office`: `mayr` is not an office of the shared ...; did you mean `mayor`?
        """
        reader = Reader(None, root="person")
        entry = reader.shape(_PersonEntry, data)
        person = None if entry is None else reader.build((), entry.make, _PERSON_FIELDS)
        reader.done()
        assert person is not None
        return person

    def holds(self, role: str) -> bool:
        """Whether this person fills the office ``role`` (an executive vice mayor is a vice mayor)."""
        return self.office in v.holders(role)

    def fact(self) -> dict[str, str]:
        # `pid`, never `id`: the engine takes an `id` property as the fact's identity
        return {
            "type": "person",
            "pid": self.id,
            "office": self.office,
            "ab_partner": self.ab_partner or NO_ONE,
            "counterpart": self.counterpart or NO_ONE,
        }


class Roster:
    """The officials a question is asked about. Validated as a whole: pairs are mutual, each person
    is paired at most once, counterparts are leaders, ids are unique, at most :data:`MAX_PEOPLE` people.

    Examples
    --------
    >>> roster = Roster.from_mapping({"people": [
    ...     {"id": "vm_zhao", "office": "vice_mayor", "ab_partner": "vm_qian"},
    ...     {"id": "vm_qian", "office": "vice_mayor", "ab_partner": "vm_zhao"},
    ... ]})
    >>> len(roster), roster["vm_qian"].ab_partner
    (2, 'vm_zhao')
    >>> Roster.from_mapping({"people": [{"id": "a", "office": "vice_mayor", "ab_partner": "b"}]})
    Traceback (most recent call last):
      ...
    govrules.errors.InvalidArgument: `people[0].ab_partner`: `a` is paired with `b`, who is not in the roster
    """

    __slots__ = ("_people",)

    def __init__(self, people: Iterable[Person]) -> None:
        if isinstance(people, str | bytes | Mapping) or not isinstance(people, Iterable):
            raise InvalidArgument(f"`people`: expected a list of `govrules.Person` values, got `{people!r}`")
        people = tuple(people)
        if len(people) > MAX_PEOPLE:
            raise InvalidArgument(f"`people`: {_too_many(len(people))}; {_SIZE_HELP}")
        for p in people:
            if not isinstance(p, Person):
                raise InvalidArgument(f"`people`: expected `govrules.Person` values, got `{p!r}`")
        by_id: dict[str, Person] = {}
        for p in people:
            if p.id in by_id:
                raise InvalidArgument(f"`people`: `{p.id}` is listed twice")
            by_id[p.id] = p
        for problem in _roster_problems(by_id):
            raise InvalidArgument(f"`people`: {problem}")
        self._people: Mapping[str, Person] = MappingProxyType(by_id)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Roster:
        """A roster from plain data shaped like a roster file (``{"people": [...]}``).

        Every problem is reported in one :class:`~govrules.InvalidArgument`, each naming its place in
        the data, e.g. ```people[3].office```.
        """
        return _read_roster(Reader(None), data)

    @classmethod
    def from_yaml(cls, path: str | PathLike[str]) -> Roster:
        """Read a roster file (``people:`` a list of persons); :class:`~govrules.ProfileError` with a
        located diagnostic for every problem."""
        doc = read_yaml(path)
        return _read_roster(Reader(doc), doc.data)

    def __iter__(self) -> Iterator[Person]:
        return iter(self._people.values())

    def __len__(self) -> int:
        return len(self._people)

    def __contains__(self, person_id: object) -> bool:
        return person_id in self._people

    def __getitem__(self, person_id: str) -> Person:
        try:
            return self._people[person_id]
        except (KeyError, TypeError):
            hint = _args.did_you_mean(str(person_id), self._people, list_all=False) or ""
            raise InvalidArgument(f"`{person_id}` is not in the roster; {hint}".rstrip("; ")) from None

    def holding(self, role: str) -> tuple[Person, ...]:
        """Everyone who fills the office ``role``, in roster order."""
        return tuple(p for p in self._people.values() if p.holds(role))

    def __repr__(self) -> str:
        return f"Roster({list(self._people)})"


def _too_many(count: int) -> str:
    return f"a roster holds at most {MAX_PEOPLE:,} people, got {count:,}"


def _roster_problems(by_id: Mapping[str, Person], keyed: bool = False) -> Iterator[Any]:
    paired_by: dict[str, str] = {}
    for p in by_id.values():
        if p.ab_partner is not None:
            partner = by_id.get(p.ab_partner)
            if partner is None:
                msg = f"`{p.id}` is paired with `{p.ab_partner}`, who is not in the roster"
            elif partner.ab_partner != p.id:
                other = f"`{partner.ab_partner}`" if partner.ab_partner else "no one"
                msg = f"`{p.id}` is paired with `{partner.id}`, but `{partner.id}` is paired with {other}"
            elif p.ab_partner in paired_by and paired_by[p.ab_partner] != p.id:
                msg = f"`{p.ab_partner}` is paired twice"
            else:
                paired_by[p.ab_partner] = p.id
                msg = ""
            if msg:
                yield (p.id, msg, "ab_partner") if keyed else msg
        if p.counterpart is not None:
            leader = by_id.get(p.counterpart)
            if leader is None:
                msg = f"`{p.id}` serves `{p.counterpart}`, who is not in the roster"
            elif leader.office not in v.LEADERS:
                msg = f"`{p.id}` serves `{leader.id}`, who is a `{leader.office}`, not a leader"
            elif p.office not in v.COUNTERPART_OFFICES:
                msg = (
                    f"`{p.id}` is a `{p.office}`; only a deputy secretary-general or a general office "
                    "deputy director serves a leader as counterpart"
                )
            else:
                msg = ""
            if msg:
                yield (p.id, msg, "counterpart") if keyed else msg


@dataclass(frozen=True, slots=True)
class Absence:
    """An official away from ``start`` to ``end`` (inclusive): why (``reason``) and where (``place``).

    The texts turn on both, separately: 出市、出省、出国 on where the official is, 出差 and 休假 on why.
    ``place`` is one of ``in_city``, ``out_of_city``, ``out_of_province``, ``abroad``, or ``None``
    (not known). When not given it is what the reason says of it — ``out_of_city``,
    ``out_of_province`` and ``abroad`` are reasons that say where — and otherwise unknown: a vacation
    says nothing of where it is spent. A rule that turns on the place then cannot be applied, and
    the question that needs it fails with :class:`~govrules.InvalidArgument` saying so, never a guess.
    ``entrusted`` means the absent official entrusted someone to act (受市长委托).

    Examples
    --------
    >>> away = Absence.from_mapping({"person": "li", "start": "2025-03-04", "end": "2025-03-05", "reason": "study"})
    >>> away.start, away.end, away.place, away.entrusted
    (datetime.date(2025, 3, 4), datetime.date(2025, 3, 5), None, False)
    >>> Absence("li", away.start, away.end, "vacation", place="out_of_province").place
    'out_of_province'
    >>> Absence("li", away.start, away.end, "out_of_city").place
    'out_of_city'
    >>> Absence("li", away.start, away.end, "out_of_city", place="in_city")
    Traceback (most recent call last):
      ...
    govrules.errors.InvalidArgument: `place`: `in_city` contradicts the reason `out_of_city`, which is out of the city
    """

    person: str
    start: dt.date
    end: dt.date
    reason: str
    entrusted: bool = False
    place: str | None = None

    def __init__(
        self,
        person: str,
        start: dt.date,
        end: dt.date,
        reason: str,
        *,
        place: str | None = None,
        entrusted: bool = False,
    ) -> None:
        _args.person_id("person", person)
        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise InvalidArgument(f"`{name}`: expected a `datetime.date`, got `{value!r}`")
        if end < start:
            raise InvalidArgument(f"`end`: `{end}` is before `start` `{start}`")
        _args.choice("reason", reason, v.REASONS)
        _args.choice("place", place, v.PLACES, optional=True)
        implied = v.PLACE_REASONS.get(reason)
        if place is None:
            place = implied
        elif implied is not None and _FARTHER.index(place) < _FARTHER.index(implied):
            raise InvalidArgument(
                f"`place`: `{place}` contradicts the reason `{reason}`, which is {v.PLACES[implied][1]}"
            )
        object.__setattr__(self, "person", person)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "entrusted", _args.flag("entrusted", entrusted))
        object.__setattr__(self, "place", place)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Absence:
        """One absence from plain data (``person``, ``start``, ``end``, ``reason``, optionally
        ``place`` and ``entrusted``; dates as ``YYYY-MM-DD`` text or :class:`datetime.date`)."""
        reader = Reader(None, root="absence")
        entry = reader.shape(_AbsenceEntry, data)
        absence = None if entry is None else reader.build((), entry.make, _ABSENCE_FIELDS)
        reader.done()
        assert absence is not None
        return absence

    @classmethod
    def list_from_mapping(cls, data: Mapping[str, Any]) -> tuple[Absence, ...]:
        """Absences from plain data shaped like an absences file (``{"absences": [...]}``)."""
        return _read_absences(Reader(None), data)

    @classmethod
    def list_from_yaml(cls, path: str | PathLike[str]) -> tuple[Absence, ...]:
        """Read an absences file (``absences:`` a list); :class:`~govrules.ProfileError` on any problem."""
        doc = read_yaml(path)
        return _read_absences(Reader(doc), doc.data)

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def fact(self) -> dict[str, str | bool]:
        return {
            "type": "absence",
            "person": self.person,
            "reason": self.reason,
            "place": self.place or UNKNOWN_PLACE,
            "entrusted": self.entrusted,
        }


# In facts, a place not given: no place id is this, so a rule that names places never matches it.
UNKNOWN_PLACE = "unknown"
#: Places from nearest to farthest: a reason that says "out of the city" allows any place beyond.
_FARTHER = ("in_city", "out_of_city", "out_of_province", "abroad")


def absences_from_mapping(data: Mapping[str, Any]) -> tuple[Absence, ...]:
    """Absences from plain data shaped like an absences file; see :meth:`Absence.list_from_mapping`."""
    return Absence.list_from_mapping(data)


def absences_from_yaml(path: str | PathLike[str]) -> tuple[Absence, ...]:
    """Read an absences file (``absences:`` a list); :class:`~govrules.ProfileError` on any problem.

    >>> [a.person for a in absences_from_yaml("examples/absences.yaml")]
    ['mayor_li', 'vm_zhao', 'dsg_zheng']
    """
    return Absence.list_from_yaml(path)


# -- the file formats ----------------------------------------------------------------------------


class _PersonEntry(Model):
    id: PersonId
    office: Annotated[str, one_of(v.OFFICES, "an office of the shared vocabulary")]
    portfolios: tuple[StrictStr, ...] = ()
    ab_partner: PersonId | None = None
    counterpart: PersonId | None = None

    def make(self) -> Person:
        return Person(
            self.id,
            self.office,
            portfolios=self.portfolios,
            ab_partner=self.ab_partner,
            counterpart=self.counterpart,
        )


class _RosterFile(Model):
    people: tuple[_PersonEntry, ...]


class _AbsenceEntry(Model):
    person: PersonId
    start: IsoDate
    end: IsoDate
    reason: Annotated[str, one_of(v.REASONS, "an absence reason")]
    place: Annotated[str, one_of(v.PLACES, "a place")] | None = None
    entrusted: StrictBool = False

    def make(self) -> Absence:
        return Absence(self.person, self.start, self.end, self.reason, place=self.place, entrusted=self.entrusted)


class _AbsencesFile(Model):
    absences: tuple[_AbsenceEntry, ...]


_PERSON_FIELDS = tuple(_PersonEntry.model_fields)
_ABSENCE_FIELDS = tuple(_AbsenceEntry.model_fields)


def _read_roster(reader: Reader, data: Any) -> Roster:
    if not isinstance(data, Mapping):
        reader.add((), "GR012", "a roster is a mapping with a `people:` list")
        reader.fail()
    people = data.get("people")
    if isinstance(people, list | tuple) and len(people) > MAX_PEOPLE:  # refused before reading them all
        reader.add(("people",), "GR012", _too_many(len(people)), _SIZE_HELP)
        reader.fail()
    shape = reader.shape(_RosterFile, data)
    roster = None if shape is None else roster_from_entries(reader, shape.people, ("people",))
    reader.done()
    assert roster is not None
    return roster


def roster_from_entries(reader: Reader, entries: Sequence[_PersonEntry], at: Path_) -> Roster | None:
    """The roster of already shape-checked ``entries`` found at ``at``; None with problems added to
    ``reader`` (their places inside the file or mapping) if it is not valid."""
    if len(entries) > MAX_PEOPLE:
        reader.add(at, "GR012", _too_many(len(entries)), _SIZE_HELP)
        return None
    people: list[tuple[int, Person]] = []
    for i, entry in enumerate(entries):
        person = reader.build((*at, i), entry.make, _PERSON_FIELDS)
        if person is not None:
            people.append((i, person))
    if len(people) < len(entries):
        return None
    index: dict[str, int] = {}
    for i, p in people:
        if p.id in index:
            first = reader.where((*at, index[p.id]))
            reader.add((*at, i, "id"), "GR020", f"person `{p.id}` is listed twice", f"first at {first}")
        else:
            index[p.id] = i
    if len(index) < len(people):
        return None
    by_id = {p.id: p for _i, p in people}
    found = False
    for pid, message, key in _roster_problems(by_id, keyed=True):
        reader.add((*at, index[pid], key), "GR013", message)
        found = True
    return None if found else Roster(by_id.values())


def _read_absences(reader: Reader, data: Any) -> tuple[Absence, ...]:
    if not isinstance(data, Mapping):
        reader.add((), "GR012", "an absences file is a mapping with an `absences:` list")
        reader.fail()
    shape = reader.shape(_AbsencesFile, data)
    out = () if shape is None else absences_from_entries(reader, shape.absences, ("absences",))
    reader.done()
    return out


def absences_from_entries(reader: Reader, entries: Sequence[_AbsenceEntry], at: Path_) -> tuple[Absence, ...]:
    """The absences of already shape-checked ``entries`` found at ``at`` (problems go to ``reader``)."""
    out = [reader.build((*at, i), entry.make, _ABSENCE_FIELDS) for i, entry in enumerate(entries)]
    return tuple(a for a in out if a is not None)


# -- kept for scenarios.run (the lead's half of scenarios.py), which still calls them -----------


def _absence(entry: Mapping[str, Any]) -> Absence:
    return Absence.from_mapping(entry)
