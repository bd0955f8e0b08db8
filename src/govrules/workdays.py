"""Working-day arithmetic on the State Council's yearly holiday notices (design.md §5).

Counting follows the Civil Code: the start day is not counted (art. 201); a period in days whose
last day is not a working day ends on the next working day (art. 203); hours run from the stated
time. Working days come from ``chinese_calendar.is_workday``, which includes the weekend working
days (调休), and from holiday notices given as data (:class:`Notice`) for years it does not have.
Its ``find_workday`` is not used: it first moves a rest-day start to the next working day, which
disagrees with art. 201.

A date the data does not cover raises :class:`CalendarError` unless the calendar is provisional.
29–31 December of a year count as covered only once the next year is covered too, because the
next year's notice has moved them before (docs/calendar.md).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from os import PathLike
from typing import Annotated, Any, Literal

import chinese_calendar  # type: ignore[import-untyped,unused-ignore]
from pydantic import Field, StrictInt

from govrules import _args
from govrules.errors import CalendarError, InvalidArgument
from govrules.inputs import IsoDate, Label, Model, Reader, read_yaml
from govrules.loader import Path_

__all__ = ["Calendar", "Count", "Coverage", "Holiday", "Notice"]

#: The largest count accepted: about forty years of working days, and it keeps every loop bounded.
MAX_N = 10_000

# The same year range chinese_calendar itself accepts (it raises outside it).
_FIRST = date(min(chinese_calendar.holidays).year, 1, 1)
_LAST_YEAR = max(chinese_calendar.holidays).year
_LAST = date(_LAST_YEAR, 12, 28)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Count:
    """The result of one computation.

    ``provisional`` is true iff the result used an assumed date; ``assumed`` lists every such date
    the computation inspected, sorted. ``notices`` gives the document numbers of the holiday notices
    (:class:`Notice`) that settled a day it inspected, in the order of their years: a deadline
    counted on them cites them.
    """

    due: date | datetime
    provisional: bool
    assumed: tuple[date, ...]
    notices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Coverage:
    """One covered year of a calendar: where its days come from and which of them are settled.

    ``source`` is ``"bundled"`` (the ``chinese-calendar`` data) or ``"notice"`` (then ``notice`` is
    the notice's document number). ``end`` is 31 December, or 28 December while the next year is
    not covered (its notice may still move 29–31 December).
    """

    year: int
    source: Literal["bundled", "notice"]
    notice: str | None
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Holiday:
    """One 放假调休 period of a holiday notice: ``name`` (元旦, 春节 …) from ``start`` to ``end``, inclusive."""

    name: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidArgument(f"`name`: expected the holiday's name, got `{self.name!r}`")
        for field, value in (("start", self.start), ("end", self.end)):
            if not isinstance(value, date) or isinstance(value, datetime):
                raise InvalidArgument(f"`{field}`: expected a `datetime.date`, got `{value!r}`")
        if self.end < self.start:
            raise InvalidArgument(f"`end`: `{self.end}` is before `start` `{self.start}`")

    def days(self) -> tuple[date, ...]:
        """Every day of the period."""
        return tuple(self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1))


@dataclass(frozen=True, slots=True)
class Notice:
    """A State Council holiday notice (国务院办公厅关于X年部分节假日安排的通知) as data.

    ``number`` is the notice's document number; ``year`` the year it arranges; ``holidays`` its
    放假调休 periods (rest days, inclusive); ``workdays`` the Saturdays and Sundays it makes working
    days (上班). Every other day of ``year`` is a working day from Monday to Friday and a rest day
    on Saturday and Sunday. A notice may reach back to 29–31 December of the year before (the
    notice for 2019 did), and names no other day outside its year.

    A notice that contradicts itself is refused: a period ending before it starts, periods that
    overlap, a day outside the year, a weekday listed as a weekend working day, a day that is both
    a rest day and a working day.

    Examples
    --------
    >>> notice = Notice.from_yaml("tests/fixtures/notices/2027.yaml")
    >>> notice.year, notice.holidays[0]
    (2027, Holiday(name='元旦', start=datetime.date(2027, 1, 1), end=datetime.date(2027, 1, 3)))
    >>> Notice("虚构〔2026〕1号", 2027, workdays=[date(2027, 2, 8)])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    govrules.errors.InvalidArgument: `workdays[0]`: `2027-02-08` is a Monday, not a Saturday or Sunday; ...
    """

    number: str
    year: int
    holidays: tuple[Holiday, ...]
    workdays: tuple[date, ...]

    def __init__(self, number: str, year: int, holidays: Iterable[Holiday] = (), workdays: Iterable[date] = ()) -> None:
        if not isinstance(number, str) or not number.strip():
            raise InvalidArgument(f"`number`: expected the notice's document number, got `{number!r}`")
        if isinstance(year, bool) or not isinstance(year, int) or not _MIN_YEAR <= year <= _MAX_YEAR:
            raise InvalidArgument(f"`year`: expected a year from {_MIN_YEAR} to {_MAX_YEAR}, got `{year!r}`")
        periods = _sequence("holidays", holidays)
        for period in periods:
            if not isinstance(period, Holiday):
                raise InvalidArgument(f"`holidays`: expected `Holiday` values, got `{period!r}`")
        days = _sequence("workdays", workdays)
        for day in days:
            if not isinstance(day, date) or isinstance(day, datetime):
                raise InvalidArgument(f"`workdays`: expected `datetime.date` values, got `{day!r}`")
        reader = Reader(None, root="notice")
        _check_notice(reader, year, periods, days)
        reader.done()
        object.__setattr__(self, "number", number)
        object.__setattr__(self, "year", year)
        object.__setattr__(self, "holidays", tuple(periods))
        object.__setattr__(self, "workdays", tuple(days))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Notice:
        """A notice from plain data shaped like a notice file (``notice``, ``year``, ``holidays``,
        ``workdays``); :class:`~govrules.InvalidArgument` names the place of every problem."""
        return _read_notice(Reader(None, root="notice"), data)

    @classmethod
    def from_yaml(cls, path: str | PathLike[str]) -> Notice:
        """Read a notice file; :class:`~govrules.ProfileError` with a located diagnostic for every problem.

        The file::

            notice: 国办发明电〔2026〕N号      # the notice's document number
            year: 2027
            holidays:                           # 放假调休 periods, inclusive
              - {name: 元旦, start: 2027-01-01, end: 2027-01-01}
            workdays: [2027-02-06]              # weekend days that are working days (上班)
        """
        doc = read_yaml(path)
        return _read_notice(Reader(doc), doc.data)

    def named(self) -> dict[date, bool]:
        """Every day the notice names, with whether it is a working day (rest days of its periods,
        its weekend working days)."""
        out = {day: False for period in self.holidays for day in period.days()}
        out.update(dict.fromkeys(self.workdays, True))
        return out


_MIN_YEAR = 1950
_MAX_YEAR = 9999


class _HolidayEntry(Model):
    name: Label
    start: IsoDate
    end: IsoDate


class _NoticeFile(Model):
    notice: Label
    year: Annotated[StrictInt, Field(ge=_MIN_YEAR, le=_MAX_YEAR)]
    holidays: tuple[_HolidayEntry, ...]
    workdays: tuple[IsoDate, ...] = ()


def _read_notice(reader: Reader, data: Any) -> Notice:
    if not isinstance(data, Mapping):
        reader.add((), "GR012", "a holiday notice is a mapping with `notice`, `year`, `holidays` and `workdays`")
        reader.fail()
    shape = reader.shape(_NoticeFile, data)
    if shape is not None:
        _check_notice(reader, shape.year, shape.holidays, shape.workdays)
    reader.done()
    assert shape is not None
    periods = [Holiday(h.name, h.start, h.end) for h in shape.holidays]
    return Notice(shape.notice, shape.year, periods, shape.workdays)


def _check_notice(
    reader: Reader, year: int, holidays: Sequence[Holiday | _HolidayEntry], workdays: Sequence[date]
) -> None:
    """Everything that makes a notice contradict itself, each at its place."""
    first, last = date(year - 1, 12, 29), date(year, 12, 31)
    outside_help = (
        f"a notice for {year} lists days of {year}; it may reach back to 29–31 December {year - 1}, no further"
    )

    def inside(day: date, where: Path_) -> bool:
        if first <= day <= last:
            return True
        reader.add(where, "GR012", f"`{day}` is outside the notice's year {year}", outside_help)
        return False

    periods: list[tuple[int, Holiday | _HolidayEntry]] = []
    for i, period in enumerate(holidays):
        ok = inside(period.start, ("holidays", i, "start")) & inside(period.end, ("holidays", i, "end"))
        if period.end < period.start:
            reader.add(("holidays", i, "end"), "GR012", f"`{period.end}` is before `start` `{period.start}`")
        elif ok:
            periods.append((i, period))
    periods.sort(key=lambda item: item[1].start)
    kept = periods[:1]  # the periods that overlap none before them: at most a year of days in all
    for j, later in periods[1:]:
        i, earlier = kept[-1]
        if later.start <= earlier.end:
            reader.add(
                ("holidays", j),
                "GR012",
                f"`{later.name}` ({later.start} to {later.end}) overlaps `{earlier.name}` "
                f"({reader.where(('holidays', i))})",
                "periods of one notice do not overlap; a combined holiday is one period (e.g. 国庆节、中秋节)",
            )
        else:
            kept.append((j, later))
    rest = {day: i for i, period in kept for day in _span(period.start, period.end)}
    seen: dict[date, int] = {}
    for k, day in enumerate(workdays):
        where: Path_ = ("workdays", k)
        if not inside(day, where):
            continue
        if day in seen:
            reader.add(where, "GR012", f"`{day}` is listed twice", f"first at {reader.where(('workdays', seen[day]))}")
            continue
        seen[day] = k
        if day.weekday() < 5:
            reader.add(
                where,
                "GR012",
                f"`{day}` is a {_WEEKDAYS[day.weekday()]}, not a Saturday or Sunday",
                "`workdays` lists the weekend days that become working days (调休上班)",
            )
        if day in rest:
            i = rest[day]
            name = holidays[i].name
            reader.add(
                where,
                "GR012",
                f"`{day}` is also a rest day of `{name}` ({reader.where(('holidays', i))})",
                "a day is a rest day or a working day; list it in one place",
            )


def _span(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _sequence(name: str, values: Any) -> list[Any]:
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise InvalidArgument(f"`{name}`: expected a list, got `{values!r}`")
    return list(values)


@functools.cache
def _official(day: date) -> bool:
    return bool(chinese_calendar.is_workday(day))


class _CalendarFile(Model):
    rest_days: tuple[IsoDate, ...] | None = None
    work_days: tuple[IsoDate, ...] | None = None


NoticeSource = Notice | str | PathLike[str]


class Calendar:
    """Working days of mainland China: the bundled notices, notices given as data, and local days.

    ``notices`` adds State Council holiday notices (:class:`Notice` values or notice files) for
    years the bundled ``chinese-calendar`` data does not have; a notice's year is then covered
    officially, and counts that rely on it name it (:attr:`Count.notices`). For its year a notice
    takes precedence over the bundled data. ``rest_days`` and ``work_days`` override both (local
    holidays, a day the data does not have yet). With ``provisional=True``, dates that nothing
    covers are assumed: Monday to Friday work, 1 January is a rest day; results that used them
    say so. Instances are immutable.

    Examples
    --------
    >>> cal = Calendar.from_notice("tests/fixtures/notices/2027.yaml")
    >>> count = cal.working_days_after(date(2027, 2, 3), 3)   # 春节 6–14 Feb, Saturday 20 Feb worked
    >>> count.due, count.notices
    (datetime.date(2027, 2, 15), ('虚构〔2026〕1号',))
    """

    __slots__ = ("_by_year", "_named", "_notices", "_provisional", "_rest", "_work")

    def __init__(
        self,
        *,
        rest_days: Iterable[date] = (),
        work_days: Iterable[date] = (),
        provisional: bool = False,
        notices: Iterable[NoticeSource] = (),
    ) -> None:
        self._provisional = _args.flag("provisional", provisional)
        self._rest = _days("rest_days", rest_days)
        self._work = _days("work_days", work_days)
        both = sorted(self._rest & self._work)
        if both:
            raise InvalidArgument(
                f"`{both[0].isoformat()}` is in both `rest_days` and `work_days`; list each day in one of them"
            )
        given = [_notice(n) for n in _sequence("notices", notices)]
        self._notices: tuple[Notice, ...] = tuple(sorted(given, key=lambda n: n.year))
        self._by_year: dict[int, Notice] = {}
        for notice in self._notices:
            other = self._by_year.setdefault(notice.year, notice)
            if other is not notice:
                raise InvalidArgument(
                    f"`notices`: `{other.number}` and `{notice.number}` both arrange {notice.year}; "
                    "give one notice per year"
                )
        self._named: dict[date, tuple[bool, tuple[str, ...]]] = {}
        for notice in self._notices:
            for day, works in notice.named().items():
                before = self._named.get(day)
                if before is not None and before[0] != works:
                    raise InvalidArgument(
                        f"`notices`: `{day}` is a {_kind(before[0])} in `{before[1][0]}` "
                        f"but a {_kind(works)} in `{notice.number}`"
                    )
                self._named[day] = (works, (*(before[1] if before else ()), notice.number))

    @classmethod
    def from_notice(cls, path: NoticeSource, *, provisional: bool = False) -> Calendar:
        """The official calendar with one holiday notice added (a notice file or a :class:`Notice`)."""
        return cls(notices=[path], provisional=provisional)

    @classmethod
    def from_notices(cls, paths: Iterable[NoticeSource], *, provisional: bool = False) -> Calendar:
        """The official calendar with several holiday notices added, one per year."""
        return cls(notices=paths, provisional=provisional)

    def with_notices(self, *notices: NoticeSource) -> Calendar:
        """This calendar with more holiday notices (local days and the provisional flag kept)."""
        return Calendar(
            rest_days=self._rest,
            work_days=self._work,
            provisional=self._provisional,
            notices=(*self._notices, *notices),
        )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, *, provisional: bool = False) -> Calendar:
        """Local days from plain data: ``rest_days`` and ``work_days``, lists of ``YYYY-MM-DD`` dates."""
        _args.flag("provisional", provisional)
        return _read_calendar(Reader(None), {} if data is None else data, provisional)

    @classmethod
    def from_yaml(cls, path: str | PathLike[str], *, provisional: bool = False) -> Calendar:
        """Read ``rest_days:`` and ``work_days:`` (lists of ``YYYY-MM-DD`` dates) from a YAML file.

        Problems raise :class:`~govrules.ProfileError` with a diagnostic for each, at its line and column.
        """
        _args.flag("provisional", provisional)
        doc = read_yaml(path)
        return _read_calendar(Reader(doc), {} if doc.data is None else doc.data, provisional)

    def __repr__(self) -> str:
        rest = [d.isoformat() for d in sorted(self._rest)]
        work = [d.isoformat() for d in sorted(self._work)]
        notices = f", notices={[n.number for n in self._notices]}" if self._notices else ""
        return f"Calendar(rest_days={rest}, work_days={work}, provisional={self._provisional}{notices})"

    @property
    def notices(self) -> tuple[Notice, ...]:
        """The holiday notices given to this calendar, by year."""
        return self._notices

    def covered(self) -> tuple[date, date]:
        """The first and last date of the unbroken covered span that holds the bundled data.

        Notices for the years right after the bundled data extend it; 29–31 December of its last
        year are left out (the next year's notice may move them). See :meth:`coverage` for every
        covered year, including notices for later years with a gap between.

        >>> Calendar().covered()[0]
        datetime.date(2004, 1, 1)
        """
        first, last = _FIRST.year, _LAST_YEAR
        while self._year_source(first - 1) is not None:
            first -= 1
        while self._year_source(last + 1) is not None:
            last += 1
        return date(first, 1, 1), date(last, 12, 28)

    def coverage(self) -> tuple[Coverage, ...]:
        """Every covered year, in order, with what covers it (the bundled data or a notice).

        >>> cal = Calendar.from_notice("tests/fixtures/notices/2027.yaml")
        >>> [(c.year, c.source, c.notice, c.end.isoformat()) for c in cal.coverage()[-2:]]
        [(2026, 'bundled', None, '2026-12-31'), (2027, 'notice', '虚构〔2026〕1号', '2027-12-28')]
        """
        years = sorted({*range(_FIRST.year, _LAST_YEAR + 1), *self._by_year})
        out = []
        for year in years:
            notice = self._by_year.get(year)
            last_day = 31 if self._year_source(year + 1) is not None else 28
            out.append(
                Coverage(
                    year,
                    "bundled" if notice is None else "notice",
                    None if notice is None else notice.number,
                    date(year, 1, 1),
                    date(year, 12, last_day),
                )
            )
        return tuple(out)

    def rest_days_in(self, year: int) -> tuple[date, ...]:
        """The rest days of ``year`` (weekends and holidays) that the calendar settles, in order.

        Days it does not cover (29–31 December while the next year is not covered) are left out;
        assumed days are never listed. :class:`CalendarError` if it settles no day of the year.

        >>> cal = Calendar()
        >>> [d.isoformat() for d in cal.rest_days_in(2025) if d.weekday() < 5][:3]   # holidays on weekdays
        ['2025-01-01', '2025-01-28', '2025-01-29']
        """
        return tuple(day for day, works in self._year(year) if not works)

    def working_days_in(self, year: int) -> tuple[date, ...]:
        """The working days of ``year`` (weekend working days included) that the calendar settles.

        >>> [d.isoformat() for d in Calendar().working_days_in(2025) if d.weekday() >= 5][:2]  # 调休上班
        ['2025-01-26', '2025-02-08']
        """
        return tuple(day for day, works in self._year(year) if works)

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` (the date part of a datetime) is a working day."""
        return self._status(_as_day("day", day), None, None)

    def working_days_after(self, start: date | datetime, n: int) -> Count:
        """The Nth working day after ``start``'s day, which is not counted."""
        return self._walk(_as_day("start", start), _count(n), 1)

    def working_days_before(self, event: date | datetime, n: int) -> Count:
        """The Nth working day before ``event``'s day, which is not counted (会前N个工作日)."""
        return self._walk(_as_day("event", event), _count(n), -1)

    def days_after(self, start: date | datetime, n: int) -> Count:
        """N calendar days after ``start``'s day; a last day that is not a working day moves to the next one."""
        assumed: set[date] = set()
        used: set[str] = set()
        day = _shift(_as_day("start", start), _count(n))
        while not self._status(day, assumed, used):
            day = _shift(day, 1)
        return self._result(day, assumed, used)

    def days_before(self, event: date | datetime, n: int) -> Count:
        """N calendar days before ``event``'s day (提前N天); a day that is not a working day moves to the
        working day before it, so that what must be done in advance can be done in time."""
        assumed: set[date] = set()
        used: set[str] = set()
        day = _shift(_as_day("event", event), -_count(n))
        while not self._status(day, assumed, used):
            day = _shift(day, -1)
        return self._result(day, assumed, used)

    def hours_after(self, start: datetime, n: int) -> Count:
        """N elapsed hours after ``start``; rest days do not stop the clock."""
        if not isinstance(start, datetime):
            raise InvalidArgument(
                f"`start`: expected a `datetime.datetime` (hours run from a time of day), got `{start!r}`"
            )
        delta = timedelta(hours=_count(n))
        try:
            if start.utcoffset() is None:
                due = start + delta
            else:  # elapsed time, even across a daylight-saving change in the caller's zone
                due = (start.astimezone(UTC) + delta).astimezone(start.tzinfo)
        except OverflowError:
            raise InvalidArgument(f"`n`: `{n}` hours after `{start.isoformat()}` is past year 9999") from None
        return Count(due, False, ())

    def _walk(self, day: date, n: int, step: int) -> Count:
        assumed: set[date] = set()
        used: set[str] = set()
        while n:
            day = _shift(day, step)
            if self._status(day, assumed, used):
                n -= 1
        return self._result(day, assumed, used)

    def _result(self, day: date, assumed: set[date], used: set[str]) -> Count:
        notices = tuple(n.number for n in self._notices if n.number in used)
        return Count(day, bool(assumed), tuple(sorted(assumed)), notices)

    def _status(self, day: date, assumed: set[date] | None, used: set[str] | None) -> bool:
        known = self._known(day, used)
        if known is not None:
            return known
        if not self._provisional:
            raise CalendarError(self._uncovered(day))
        if assumed is not None:
            assumed.add(day)
        return day.weekday() < 5 and (day.month, day.day) != (1, 1)

    def _known(self, day: date, used: set[str] | None) -> bool | None:
        """Whether ``day`` is a working day, or None if nothing settles it; notices relied on go to ``used``."""
        if day in self._work:
            return True
        if day in self._rest:
            return False
        named = self._named.get(day)
        if named is not None:
            if used is not None:
                used.update(named[1])
            return named[0]
        source = self._year_source(day.year)
        if source is None:
            return None
        if (day.month, day.day) >= (12, 29):
            # settled only once the next year is known: its notice may move them (and names them if it does)
            following = self._year_source(day.year + 1)
            if following is None:
                return None
            if isinstance(following, Notice) and used is not None:
                used.add(following.number)
        if isinstance(source, Notice):
            if used is not None:
                used.add(source.number)
            return day.weekday() < 5
        return _official(day)

    def _year_source(self, year: int) -> Notice | Literal["bundled"] | None:
        notice = self._by_year.get(year)
        if notice is not None:
            return notice
        return "bundled" if _FIRST.year <= year <= _LAST_YEAR else None

    def _year(self, year: int) -> list[tuple[date, bool]]:
        if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
            raise InvalidArgument(f"`year`: expected a year from 1 to 9999, got `{year!r}`")
        out = []
        for day in _span(date(year, 1, 1), date(year, 12, 31)):
            works = self._known(day, None)
            if works is not None:
                out.append((day, works))
        if not out:
            raise CalendarError(
                f"no day of {year} is covered{self._covered_text()}; give the year's holiday notice (`notices=`)"
            )
        return out

    def _covered_text(self) -> str:
        first, last = self.covered()
        others = sorted(y for y in self._by_year if not first.year <= y <= last.year)
        more = f"; notices also cover {', '.join(map(str, others))}" if others else ""
        return f" (covered: {first.isoformat()} to {last.isoformat()}{more})"

    def _uncovered(self, day: date) -> str:
        why = ""
        if (day.month, day.day) >= (12, 29) and self._year_source(day.year) is not None:
            why = (
                f" (29–31 December stay open until the notice for {day.year + 1} is known: "
                "the next notice has moved them before)"
            )
        return (
            f"`{day.isoformat()}` is outside the published holiday calendar{self._covered_text()}{why}; "
            "pass provisional=True to assume Mon–Fri plus 1 January, give the year's holiday notice "
            "(`notices=`), or list the date in `rest_days` or `work_days`"
        )


def _kind(works: bool) -> str:
    return "working day" if works else "rest day"


def _notice(value: Any) -> Notice:
    if isinstance(value, Notice):
        return value
    if isinstance(value, str | PathLike):
        return Notice.from_yaml(value)
    raise InvalidArgument(f"`notices`: expected `Notice` values or notice files, got `{value!r}`")


def _read_calendar(reader: Reader, data: Any, provisional: bool) -> Calendar:
    if not isinstance(data, Mapping):
        reader.add((), "GR012", "a calendar file is a mapping with optional `rest_days:` and `work_days:` lists")
        reader.fail()
    shape = reader.shape(_CalendarFile, data)
    if shape is None:
        reader.fail()
    first: dict[date, Path_] = {}
    for i, day in enumerate(shape.rest_days or ()):
        first.setdefault(day, ("rest_days", i))
    for i, day in enumerate(shape.work_days or ()):
        if day in first:
            message = f"`{day.isoformat()}` is also in `rest_days` ({reader.where(first[day])})"
            reader.add(("work_days", i), "GR012", message, "list each day in one of them")
    reader.done()
    return Calendar(rest_days=shape.rest_days or (), work_days=shape.work_days or (), provisional=provisional)


def _shift(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise InvalidArgument(f"counting {days:+} days from `{day.isoformat()}` leaves the years 1 to 9999") from None


def _as_day(name: str, value: Any) -> date:
    # datetime first: it is a subclass of date, and the day-based counts use its date part.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise InvalidArgument(f"`{name}`: expected a `datetime.date` or `datetime.datetime`, got `{value!r}`")


def _count(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_N:
        raise InvalidArgument(f"`n`: expected a whole number from 1 to {MAX_N}, got `{n!r}`")
    return n


def _days(name: str, values: Any) -> frozenset[date]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidArgument(f"`{name}`: expected a list of `datetime.date` values, got `{values!r}`")
    days = set()
    for value in values:
        if not isinstance(value, date):
            raise InvalidArgument(
                f"`{name}`: expected `datetime.date` values, got `{value!r}`; "
                "use `datetime.date(2027, 1, 1)` or `Calendar.from_yaml` for text dates"
            )
        days.add(value.date() if isinstance(value, datetime) else value)
    return frozenset(days)
