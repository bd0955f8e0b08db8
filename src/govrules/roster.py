"""Who holds which office, who is paired with whom, and who is away (design.md §4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from govrules import _args
from govrules import vocabulary as v
from govrules.diagnostics import Diagnostic
from govrules.errors import InvalidArgument, ProfileError
from govrules.loader import Document as YamlDocument
from govrules.loader import YamlProblem, read


@dataclass(frozen=True, slots=True)
class Person:
    """One official: an office of the shared vocabulary, the portfolios they lead, and their pairings.

    ``ab_partner`` is the person paired with this one (AB角 / 工作互补 / 补位; pairs are mutual);
    ``counterpart`` is set on a deputy secretary-general to the leader they serve (对口).
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
        if not isinstance(id, str) or not id:
            raise InvalidArgument(f"`id`: expected a non-empty string, got `{id!r}`")
        _args.choice("office", office, v.OFFICES)
        for name, value in (("ab_partner", ab_partner), ("counterpart", counterpart)):
            if value is not None and (not isinstance(value, str) or not value):
                raise InvalidArgument(f"`{name}`: expected a person id, got `{value!r}`")
        if ab_partner == id:
            raise InvalidArgument(f"`ab_partner`: `{id}` cannot be paired with themselves")
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "office", office)
        object.__setattr__(self, "portfolios", _args.ids("portfolios", portfolios))
        object.__setattr__(self, "ab_partner", ab_partner)
        object.__setattr__(self, "counterpart", counterpart)

    def holds(self, role: str) -> bool:
        """Whether this person fills the office ``role`` (an executive vice mayor is a vice mayor)."""
        return self.office in v.holders(role)

    def fact(self) -> dict[str, str]:
        # `pid`, never `id`: the engine takes an `id` property as the fact's identity
        return {
            "type": "person",
            "pid": self.id,
            "office": self.office,
            "ab_partner": self.ab_partner or "none",
            "counterpart": self.counterpart or "none",
        }


class Roster:
    """The officials a question is asked about. Validated as a whole: pairs are mutual, each person
    is paired at most once, counterparts are leaders, ids are unique."""

    __slots__ = ("_people",)

    def __init__(self, people: Iterable[Person]) -> None:
        people = tuple(people)
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
    def from_yaml(cls, path: str | Path) -> Roster:
        """Read a roster file (``people:`` a list of persons); :class:`ProfileError` on any problem."""
        doc = _read(path)
        problems: list[Diagnostic] = []
        entries = _list_section(doc, "people", problems)
        people: list[Person] = []
        for i, entry in enumerate(entries):
            person = _build(doc, ("people", i), entry, _PERSON_KEYS, problems, make=_person)
            if person is not None:
                people.append(person)
        if not problems:
            by_id: dict[str, tuple[int, Person]] = {}
            for i, p in enumerate(people):
                if p.id in by_id:
                    problems.append(doc.diagnostic(("people", i, "id"), "GR020", f"person `{p.id}` is listed twice"))
                by_id[p.id] = (i, p)
            index = {pid: i for pid, (i, _p) in by_id.items()}
            for pid, message, key in _roster_problems({k: p for k, (_i, p) in by_id.items()}, keyed=True):
                problems.append(doc.diagnostic(("people", index[pid], key), "GR013", message))
        if problems:
            raise ProfileError(problems)
        return cls(people)

    def __iter__(self) -> Iterator[Person]:
        return iter(self._people.values())

    def __len__(self) -> int:
        return len(self._people)

    def __contains__(self, person_id: object) -> bool:
        return person_id in self._people

    def __getitem__(self, person_id: str) -> Person:
        try:
            return self._people[person_id]
        except KeyError:
            hint = _args.did_you_mean(person_id, self._people, list_all=False) or ""
            raise InvalidArgument(f"`{person_id}` is not in the roster; {hint}".rstrip("; ")) from None

    def holding(self, role: str) -> tuple[Person, ...]:
        """Everyone who fills the office ``role``, in roster order."""
        return tuple(p for p in self._people.values() if p.holds(role))

    def __repr__(self) -> str:
        return f"Roster({list(self._people)})"


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
            elif p.office != "deputy_secretary_general":
                msg = f"`{p.id}` is a `{p.office}`; only a deputy secretary-general has a counterpart"
            else:
                msg = ""
            if msg:
                yield (p.id, msg, "counterpart") if keyed else msg


@dataclass(frozen=True, slots=True)
class Absence:
    """An official away from ``start`` to ``end`` (inclusive) for ``reason``.

    ``entrusted`` means the absent official entrusted someone to act (受市长委托).
    """

    person: str
    start: dt.date
    end: dt.date
    reason: str
    entrusted: bool = False

    def __init__(self, person: str, start: dt.date, end: dt.date, reason: str, *, entrusted: bool = False) -> None:
        if not isinstance(person, str) or not person:
            raise InvalidArgument(f"`person`: expected a person id, got `{person!r}`")
        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise InvalidArgument(f"`{name}`: expected a `datetime.date`, got `{value!r}`")
        if end < start:
            raise InvalidArgument(f"`end`: {end} is before `start` {start}")
        _args.choice("reason", reason, v.REASONS)
        object.__setattr__(self, "person", person)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "entrusted", _args.flag("entrusted", entrusted))

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def fact(self) -> dict[str, str | bool]:
        return {"type": "absence", "person": self.person, "reason": self.reason, "entrusted": self.entrusted}


def absences_from_yaml(path: str | Path) -> tuple[Absence, ...]:
    """Read an absences file (``absences:`` a list); :class:`ProfileError` on any problem."""
    doc = _read(path)
    problems: list[Diagnostic] = []
    out: list[Absence] = []
    for i, entry in enumerate(_list_section(doc, "absences", problems)):
        absence = _build(doc, ("absences", i), entry, _ABSENCE_KEYS, problems, make=_absence)
        if absence is not None:
            out.append(absence)
    if problems:
        raise ProfileError(problems)
    return tuple(out)


# -- YAML helpers ------------------------------------------------------------------------------

_PERSON_KEYS = {"id": True, "office": True, "portfolios": False, "ab_partner": False, "counterpart": False}
_ABSENCE_KEYS = {"person": True, "start": True, "end": True, "reason": True, "entrusted": False}


def _read(path: str | Path) -> YamlDocument:
    try:
        return read(path)
    except YamlProblem as problem:
        raise ProfileError(problem.diagnostics) from None


def _list_section(doc: YamlDocument, name: str, problems: list[Diagnostic]) -> list[Any]:
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get(name), list):
        problems.append(doc.diagnostic((), "GR011", f"the file must be a mapping with a `{name}:` list"))
        return []
    for key in data:
        if key != name:
            problems.append(doc.diagnostic((key,), "GR010", f"unknown key `{key}`", key=True))
    items: list[Any] = data[name]
    return items


def _build(
    doc: YamlDocument,
    where: tuple[str | int, ...],
    entry: Any,
    keys: Mapping[str, bool],
    problems: list[Diagnostic],
    *,
    make: Any,
) -> Any:
    if not isinstance(entry, dict):
        problems.append(doc.diagnostic(where, "GR012", "expected a mapping"))
        return None
    ok = True
    for key in entry:
        if key not in keys:
            problems.append(
                doc.diagnostic((*where, key), "GR010", f"unknown key `{key}`", _args.did_you_mean(key, keys), key=True)
            )
            ok = False
    for key, required in keys.items():
        if required and key not in entry:
            problems.append(doc.diagnostic(where, "GR011", f"missing required key `{key}`"))
            ok = False
    if not ok:
        return None
    try:
        return make(entry)
    except (InvalidArgument, ValueError, TypeError) as exc:
        field = next((k for k in keys if f"`{k}`" in str(exc)), None)
        path = (*where, field) if field else where
        problems.append(doc.diagnostic(path, "GR012" if "expected" in str(exc) else "GR013", _lower(str(exc))))
        return None


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _person(entry: Mapping[str, Any]) -> Person:
    return Person(
        entry["id"],
        entry["office"],
        portfolios=tuple(entry.get("portfolios") or ()),
        ab_partner=entry.get("ab_partner"),
        counterpart=entry.get("counterpart"),
    )


def _date(name: str, value: Any) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidArgument(f"`{name}`: expected a date written YYYY-MM-DD, got `{value!r}`")


def _absence(entry: Mapping[str, Any]) -> Absence:
    return Absence(
        entry["person"],
        _date("start", entry["start"]),
        _date("end", entry["end"]),
        entry["reason"],
        entrusted=entry.get("entrusted", False),
    )
