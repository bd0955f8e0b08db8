"""Working-day arithmetic on the State Council's yearly holiday notices (design.md §5).

Counting follows the Civil Code: the start day is not counted (art. 201); a period in days whose
last day is not a working day ends on the next working day (art. 203); hours run from the stated
time. Working days come from ``chinese_calendar.is_workday``, which includes the weekend working
days (调休). Its ``find_workday`` is not used: it first moves a rest-day start to the next working
day, which disagrees with art. 201.

A date the data does not cover raises :class:`CalendarError` unless the calendar is provisional;
29–31 December of the last covered year count as uncovered because the next notice has moved
them before.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from os import PathLike
from pathlib import Path
from typing import Any

import chinese_calendar  # type: ignore[import-untyped,unused-ignore]

from govrules import _args
from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.errors import CalendarError, InvalidArgument, ProfileError
from govrules.loader import Document, Path_, YamlProblem, read

__all__ = ["Calendar", "Count"]

#: The largest count accepted: about forty years of working days, and it keeps every loop bounded.
MAX_N = 10_000

# The same year range chinese_calendar itself accepts (it raises outside it).
_FIRST = date(min(chinese_calendar.holidays).year, 1, 1)
_LAST = date(max(chinese_calendar.holidays).year, 12, 28)

_KEYS = ("rest_days", "work_days")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")  # fromisoformat alone also takes 20270101 and 2027-W01


@dataclass(frozen=True, slots=True)
class Count:
    """The result of one computation.

    ``provisional`` is true iff the result used an assumed date; ``assumed`` lists every such date
    the computation inspected, sorted.
    """

    due: date | datetime
    provisional: bool
    assumed: tuple[date, ...]


@functools.cache
def _official(day: date) -> bool:
    return bool(chinese_calendar.is_workday(day))


class Calendar:
    """Working days of mainland China, with optional local rest days and extra working days.

    ``rest_days`` and ``work_days`` override the official data (local holidays, a future year's
    调休). With ``provisional=True``, dates outside the data and not listed are assumed: Monday to
    Friday work, 1 January is a rest day; results that used them say so. Instances are immutable.
    """

    __slots__ = ("_provisional", "_rest", "_work")

    def __init__(
        self, *, rest_days: Iterable[date] = (), work_days: Iterable[date] = (), provisional: bool = False
    ) -> None:
        self._provisional = _args.flag("provisional", provisional)
        self._rest = _days("rest_days", rest_days)
        self._work = _days("work_days", work_days)
        both = sorted(self._rest & self._work)
        if both:
            raise InvalidArgument(
                f"`{both[0].isoformat()}` is in both `rest_days` and `work_days`; list each day in one of them"
            )

    @classmethod
    def from_yaml(cls, path: str | PathLike[str], *, provisional: bool = False) -> Calendar:
        """Read ``rest_days:`` and ``work_days:`` (lists of ``YYYY-MM-DD`` dates) from a YAML file.

        Problems raise :class:`ProfileError` with a diagnostic for each, at its line and column.
        """
        _args.flag("provisional", provisional)
        if not isinstance(path, str | PathLike):
            raise InvalidArgument(f"`path`: expected a file path, got `{path!r}`")
        try:
            doc = read(path if isinstance(path, str) else Path(path))
        except YamlProblem as problem:
            raise ProfileError(problem.diagnostics) from None
        data = {} if doc.data is None else doc.data
        if not isinstance(data, dict):
            shape = "a calendar file is a mapping with optional `rest_days:` and `work_days:` lists"
            raise ProfileError([doc.diagnostic((), "GR012", shape)])
        problems: list[Diagnostic] = []
        for key in data:
            if key not in _KEYS:
                help = did_you_mean(key, _KEYS)
                problems.append(doc.diagnostic((key,), "GR010", f"unknown key `{key}`", help, key=True))
        rest = _yaml_days(doc, "rest_days", data.get("rest_days"), problems)
        work = _yaml_days(doc, "work_days", data.get("work_days"), problems)
        for day, where in work.items():
            if day in rest:
                line = doc.position(rest[day])[0]
                message = f"`{day.isoformat()}` is also in `rest_days` (line {line})"
                problems.append(doc.diagnostic(where, "GR012", message, "list each day in one of them"))
        if problems:
            raise ProfileError(problems)
        return cls(rest_days=rest, work_days=work, provisional=provisional)

    def __repr__(self) -> str:
        rest = [d.isoformat() for d in sorted(self._rest)]
        work = [d.isoformat() for d in sorted(self._work)]
        return f"Calendar(rest_days={rest}, work_days={work}, provisional={self._provisional})"

    def covered(self) -> tuple[date, date]:
        """The first and last date the official data covers (29–31 December of its last year excluded)."""
        return _FIRST, _LAST

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` (the date part of a datetime) is a working day."""
        return self._status(_as_day("day", day), None)

    def working_days_after(self, start: date | datetime, n: int) -> Count:
        """The Nth working day after ``start``'s day, which is not counted."""
        return self._walk(_as_day("start", start), _count(n), 1)

    def working_days_before(self, event: date | datetime, n: int) -> Count:
        """The Nth working day before ``event``'s day, which is not counted (会前N个工作日)."""
        return self._walk(_as_day("event", event), _count(n), -1)

    def days_after(self, start: date | datetime, n: int) -> Count:
        """N calendar days after ``start``'s day; a last day that is not a working day moves to the next one."""
        assumed: set[date] = set()
        day = _shift(_as_day("start", start), _count(n))
        while not self._status(day, assumed):
            day = _shift(day, 1)
        return _result(day, assumed)

    def days_before(self, event: date | datetime, n: int) -> Count:
        """N calendar days before ``event``'s day (提前N天); a day that is not a working day moves to the
        working day before it, so that what must be done in advance can be done in time."""
        assumed: set[date] = set()
        day = _shift(_as_day("event", event), -_count(n))
        while not self._status(day, assumed):
            day = _shift(day, -1)
        return _result(day, assumed)

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
        while n:
            day = _shift(day, step)
            if self._status(day, assumed):
                n -= 1
        return _result(day, assumed)

    def _status(self, day: date, assumed: set[date] | None) -> bool:
        if day in self._work:
            return True
        if day in self._rest:
            return False
        if _FIRST <= day <= _LAST:
            return _official(day)
        if not self._provisional:
            raise CalendarError(_uncovered(day))
        if assumed is not None:
            assumed.add(day)
        return day.weekday() < 5 and (day.month, day.day) != (1, 1)


def _uncovered(day: date) -> str:
    why = ""
    if day.year == _LAST.year:
        why = " (29–31 December of the last year are left out: the next notice has moved them before)"
    return (
        f"`{day.isoformat()}` is outside the published holiday calendar "
        f"(covered: {_FIRST.isoformat()} to {_LAST.isoformat()}){why}; pass provisional=True to assume "
        "Mon–Fri plus 1 January, or list the date in `rest_days` or `work_days`"
    )


def _result(day: date, assumed: set[date]) -> Count:
    return Count(day, bool(assumed), tuple(sorted(assumed)))


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


def _yaml_days(doc: Document, key: str, value: Any, problems: list[Diagnostic]) -> dict[date, Path_]:
    """The dates listed under ``key``, each with where it was written (the first place, if repeated)."""
    if value is None:
        return {}
    if not isinstance(value, list):
        problems.append(doc.diagnostic((key,), "GR012", f"`{key}` must be a list of dates such as `2027-01-01`"))
        return {}
    found: dict[date, Path_] = {}
    for i, item in enumerate(value):
        where: Path_ = (key, i)
        day = None
        if isinstance(item, str) and _ISO.match(item):
            try:
                day = date.fromisoformat(item)
            except ValueError:
                problems.append(doc.diagnostic(where, "GR012", f"`{item}` is not a calendar date"))
                continue
        if day is None:
            problems.append(doc.diagnostic(where, "GR012", f"`{item}` is not a date; write it as `YYYY-MM-DD`"))
            continue
        found.setdefault(day, where)
    return found
