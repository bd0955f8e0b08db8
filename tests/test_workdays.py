"""Working-day arithmetic: worked examples from the State Council notices, errors, provisional mode.

Every expected date in EXAMPLES was written out by hand from the yearly notices and is re-derived
independently from the `holidays` package in `test_examples_agree_with_the_holidays_package`; no
expected value is computed with the code under test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.errors import CalendarError, GovrulesError, InvalidArgument, ProfileError
from govrules.workdays import MAX_N, Calendar, Count, Coverage, Holiday, Notice

D = date
CAL = Calendar()
LAST_YEAR = CAL.covered()[1].year
# Tests that name 2027 dates assume chinese-calendar still stops at 2026; a release with the 2027
# notice makes them moot, not wrong.
stops_in_2026 = pytest.mark.skipif(LAST_YEAR != 2026, reason="chinese-calendar now covers 2027")
CN = holidays.country_holidays("CN", years=range(2019, 2027))

# (function, start or event, n, due, what it crosses). "after"/"before": working days; "days": calendar
# days moved to the next working day (民法典 第二百零三条).
EXAMPLES: list[tuple[str, date, int, date, str]] = [
    ("after", D(2020, 1, 17), 1, D(2020, 1, 19), "Sun 19 Jan 2020 worked before Spring Festival"),
    ("after", D(2020, 1, 23), 1, D(2020, 2, 3), "Spring Festival 2020, extended to 2 Feb"),
    ("after", D(2020, 4, 30), 4, D(2020, 5, 9), "Labour Day 2020, Sat 9 May worked"),
    ("after", D(2020, 9, 30), 2, D(2020, 10, 10), "National Day 2020, Sat 10 Oct worked"),
    ("days", D(2020, 9, 25), 7, D(2020, 10, 9), "7 days end on 2 Oct 2020, holiday until 8 Oct"),
    ("after", D(2021, 2, 10), 3, D(2021, 2, 20), "Spring Festival 2021, Sat 20 Feb worked"),
    ("after", D(2021, 9, 17), 1, D(2021, 9, 18), "Sat 18 Sep 2021 worked before Mid-Autumn"),
    ("days", D(2021, 9, 24), 7, D(2021, 10, 8), "7 days end on 1 Oct 2021"),
    ("after", D(2021, 12, 30), 2, D(2022, 1, 4), "year end 2021, New Year 1-3 Jan 2022"),
    ("after", D(2022, 1, 28), 3, D(2022, 2, 7), "Sat 29 and Sun 30 Jan 2022 worked, then Spring Festival"),
    ("after", D(2022, 4, 29), 1, D(2022, 5, 5), "Labour Day 2022, 30 Apr to 4 May"),
    ("before", D(2022, 10, 10), 2, D(2022, 10, 8), "Sat 8 and Sun 9 Oct 2022 worked"),
    ("after", D(2022, 12, 30), 1, D(2023, 1, 3), "year end 2022, New Year 31 Dec to 2 Jan"),
    ("after", D(2023, 1, 20), 2, D(2023, 1, 29), "Spring Festival 2023, Sat 28 and Sun 29 Jan worked"),
    ("after", D(2023, 4, 28), 3, D(2023, 5, 6), "Labour Day 2023, Sat 6 May worked"),
    ("days", D(2023, 9, 27), 3, D(2023, 10, 7), "3 days end in the 2023 Golden Week, Sat 7 Oct worked"),
    ("after", D(2024, 2, 2), 1, D(2024, 2, 4), "Sun 4 Feb 2024 worked"),
    ("after", D(2024, 2, 8), 2, D(2024, 2, 18), "Spring Festival 2024, Sun 18 Feb worked"),
    ("after", D(2024, 4, 3), 1, D(2024, 4, 7), "Qingming 2024, Sun 7 Apr worked"),
    ("after", D(2024, 4, 26), 3, D(2024, 4, 30), "Sun 28 Apr 2024 worked"),
    ("after", D(2024, 4, 30), 6, D(2024, 5, 11), "Labour Day 2024, Sat 11 May worked"),
    ("after", D(2024, 9, 12), 2, D(2024, 9, 14), "Sat 14 Sep 2024 worked before Mid-Autumn"),
    ("before", D(2024, 9, 18), 1, D(2024, 9, 14), "back over Mid-Autumn 2024"),
    ("after", D(2024, 9, 27), 7, D(2024, 10, 12), "National Day 2024, Sun 29 Sep and Sat 12 Oct worked"),
    ("before", D(2024, 10, 8), 2, D(2024, 9, 29), "back over National Day 2024"),
    ("days", D(2024, 3, 1), 15, D(2024, 3, 18), "15 days end on an ordinary Saturday"),
    ("after", D(2024, 12, 31), 1, D(2025, 1, 2), "year end 2024"),
    ("days", D(2024, 12, 29), 3, D(2025, 1, 2), "3 days end on New Year's Day 2025"),
    ("after", D(2025, 1, 24), 3, D(2025, 2, 5), "Spring Festival 2025, Sun 26 Jan worked"),
    ("before", D(2025, 2, 5), 1, D(2025, 1, 27), "back over Spring Festival 2025"),
    ("after", D(2025, 2, 4), 4, D(2025, 2, 8), "start on a holiday, Sat 8 Feb 2025 worked"),
    ("after", D(2025, 4, 25), 2, D(2025, 4, 28), "Sun 27 Apr 2025 worked"),
    ("after", D(2025, 4, 30), 1, D(2025, 5, 6), "Labour Day 2025"),
    ("after", D(2025, 9, 29), 7, D(2025, 10, 15), "calendar.md worked example, Sat 11 Oct 2025 worked"),
    ("after", D(2025, 9, 26), 1, D(2025, 9, 28), "Sun 28 Sep 2025 worked"),
    ("before", D(2025, 10, 9), 3, D(2025, 9, 28), "back over National Day 2025"),
    ("days", D(2025, 9, 26), 5, D(2025, 10, 9), "5 days end on 1 Oct 2025, holiday until 8 Oct"),
    ("days", D(2025, 10, 1), 10, D(2025, 10, 11), "10 days end on a worked Saturday"),
    ("after", D(2025, 10, 4), 1, D(2025, 10, 9), "start on a holiday is not moved first"),
    ("after", D(2025, 12, 31), 1, D(2026, 1, 4), "New Year 2026, Sun 4 Jan worked"),
    ("after", D(2025, 12, 29), 4, D(2026, 1, 5), "year end 2025"),
    ("before", D(2026, 1, 5), 2, D(2025, 12, 31), "back over New Year 2026"),
    ("after", D(2026, 2, 12), 2, D(2026, 2, 14), "Sat 14 Feb 2026 worked"),
    ("after", D(2026, 2, 13), 2, D(2026, 2, 24), "Spring Festival 2026, 15-23 Feb"),
    ("after", D(2026, 2, 24), 4, D(2026, 2, 28), "Sat 28 Feb 2026 worked"),
    ("before", D(2026, 2, 24), 1, D(2026, 2, 14), "back over Spring Festival 2026"),
    ("after", D(2026, 4, 30), 5, D(2026, 5, 11), "Labour Day 2026, Sat 9 May worked"),
    ("days", D(2026, 4, 28), 3, D(2026, 5, 6), "3 days end on 1 May 2026"),
    ("after", D(2026, 6, 18), 1, D(2026, 6, 22), "Dragon Boat 2026, 19-21 Jun"),
    ("after", D(2026, 9, 18), 1, D(2026, 9, 20), "Sun 20 Sep 2026 worked"),
    ("after", D(2026, 9, 24), 1, D(2026, 9, 28), "Mid-Autumn 2026, 25-27 Sep"),
    ("after", D(2026, 9, 30), 3, D(2026, 10, 10), "National Day 2026, Sat 10 Oct worked"),
    ("before", D(2026, 10, 12), 1, D(2026, 10, 10), "back onto Sat 10 Oct 2026"),
    ("days", D(2026, 9, 29), 7, D(2026, 10, 8), "7 days end on 6 Oct 2026"),
    ("after", D(2026, 12, 24), 2, D(2026, 12, 28), "the last covered day"),
]

# Every Saturday or Sunday the notices made a working day (调休上班), 2024-2026.
WEEKEND_WORKDAYS = [
    *(D(2024, 2, 4), D(2024, 2, 18), D(2024, 4, 7), D(2024, 4, 28)),
    *(D(2024, 5, 11), D(2024, 9, 14), D(2024, 9, 29), D(2024, 10, 12)),
    *(D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)),
    *(D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)),
]


def _compute(cal: Calendar, kind: str, start: date | datetime, n: int) -> Count:
    if kind == "after":
        return cal.working_days_after(start, n)
    if kind == "before":
        return cal.working_days_before(start, n)
    return cal.days_after(start, n)


def _reference(kind: str, start: date, n: int) -> date:
    """The same count on the `holidays` package's data, counted here step by step."""
    if kind == "days":
        day = start + timedelta(days=n)
        while not CN.is_working_day(day):
            day += timedelta(days=1)
        return day
    step = timedelta(days=1 if kind == "after" else -1)
    day = start
    while n:
        day += step
        n -= CN.is_working_day(day)
    return day


@pytest.mark.parametrize(
    ("kind", "start", "n", "due", "why"), EXAMPLES, ids=[f"{e[0]}-{e[1]}-{e[2]}" for e in EXAMPLES]
)
def test_worked_example(kind: str, start: date, n: int, due: date, why: str) -> None:
    assert _compute(CAL, kind, start, n) == Count(due, False, ()), why


def test_examples_agree_with_the_holidays_package() -> None:
    assert len(EXAMPLES) >= 40
    assert {start.year for _, start, *_ in EXAMPLES} >= set(range(2020, 2027))
    wrong = [(kind, start, n, due) for kind, start, n, due, _ in EXAMPLES if _reference(kind, start, n) != due]
    assert wrong == []


def test_every_weekend_working_day_of_2024_to_2026_is_exercised() -> None:
    listed = sorted(d for d in CN.weekend_workdays if 2024 <= d.year <= 2026)
    assert listed == WEEKEND_WORKDAYS
    assert all(d.weekday() >= 5 for d in WEEKEND_WORKDAYS)

    def exercised(day: date) -> bool:
        for kind, start, _n, due, _ in EXAMPLES:
            if (kind == "after" and start < day <= due) or (kind == "before" and due <= day < start) or due == day:
                return True
        return False

    assert [d for d in WEEKEND_WORKDAYS if not exercised(d)] == []


def test_every_day_agrees_with_the_holidays_package() -> None:
    day, last, wrong = D(2020, 1, 1), D(2026, 12, 28), []
    while day <= last:
        if CAL.is_workday(day) != CN.is_working_day(day):
            wrong.append(day)
        day += timedelta(days=1)
    assert wrong == []


def test_datetime_inputs_use_their_date_and_return_a_date() -> None:
    count = CAL.working_days_after(datetime(2025, 9, 29, 23, 59), 7)
    assert count.due == D(2025, 10, 15) and type(count.due) is date
    assert CAL.working_days_before(datetime(2026, 2, 24, 8, 30, tzinfo=UTC), 1).due == D(2026, 2, 14)
    assert type(CAL.days_after(datetime(2025, 9, 26, 12), 5).due) is date
    assert CAL.is_workday(datetime(2025, 10, 11, 9)) is True


def test_covered() -> None:
    first, last = CAL.covered()
    assert first == D(2004, 1, 1)
    assert last == D(LAST_YEAR, 12, 28) and LAST_YEAR >= 2026
    CAL.is_workday(first)  # both ends are usable without an error
    CAL.is_workday(last)


# --- outside the data ---------------------------------------------------------------------------


@stops_in_2026
def test_a_date_in_2027_is_an_error() -> None:
    with pytest.raises(CalendarError) as info:
        CAL.working_days_after(D(2027, 1, 4), 1)
    message = str(info.value)
    assert message.startswith("`2027-01-05` is outside the published holiday calendar")
    assert "(covered: 2004-01-01 to 2026-12-28)" in message and "provisional=True" in message
    assert isinstance(info.value, GovrulesError)
    with pytest.raises(CalendarError, match="`2027-03-01`"):
        CAL.is_workday(D(2027, 3, 1))


@stops_in_2026
def test_the_last_days_of_the_last_year_are_not_covered() -> None:
    with pytest.raises(CalendarError, match=r"`2026-12-30`.*29–31 December"):
        CAL.is_workday(D(2026, 12, 30))
    # the count stops at the first uncovered day it touches
    with pytest.raises(CalendarError, match=r"^`2026-12-29`"):
        CAL.working_days_after(D(2026, 12, 24), 3)
    assert CAL.days_after(D(2026, 12, 1), 27).due == D(2026, 12, 28)
    with pytest.raises(CalendarError, match=r"^`2026-12-29`"):
        CAL.days_after(D(2026, 12, 1), 28)


def test_before_the_first_covered_year_is_an_error() -> None:
    assert CAL.working_days_before(D(2004, 1, 5), 1).due == D(2004, 1, 2)
    with pytest.raises(CalendarError, match=r"^`2003-12-31`"):
        CAL.working_days_before(D(2004, 1, 5), 2)


@stops_in_2026
def test_provisional_marks_and_lists_every_assumed_date() -> None:
    cal = Calendar(provisional=True)
    count = cal.working_days_after(D(2026, 12, 24), 6)
    # 25 Dec (1), 28 Dec (2), 29-31 Dec (3-5) assumed, 1 Jan rest, 2-3 Jan weekend, 4 Jan (6)
    assumed = (D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31), D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3))
    assert count == Count(D(2027, 1, 4), True, (*assumed, D(2027, 1, 4)))
    # only the last day and the days after it are looked at in a calendar-day count
    days = cal.days_after(D(2026, 12, 30), 2)
    assert days == Count(D(2027, 1, 4), True, (D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3), D(2027, 1, 4)))
    assert cal.is_workday(D(2027, 1, 1)) is False
    assert cal.is_workday(D(2027, 1, 4)) is True
    assert cal.is_workday(D(2027, 1, 9)) is False


def test_provisional_far_future_and_past() -> None:
    cal = Calendar(provisional=True)
    count = cal.working_days_after(D(2039, 12, 29), 2)  # Thu; Fri 30 Dec, Sat, Sun, 1 Jan 2040 is a Sunday
    assert count.due == D(2040, 1, 2) and count.provisional
    assert count.assumed == (D(2039, 12, 30), D(2039, 12, 31), D(2040, 1, 1), D(2040, 1, 2))
    back = cal.working_days_before(D(2004, 1, 5), 2)  # 2 Jan 2004 from the data, then 31 Dec 2003 assumed
    assert back == Count(D(2003, 12, 31), True, (D(2003, 12, 31),))


def test_provisional_inside_the_data_is_not_provisional() -> None:
    count = Calendar(provisional=True).working_days_after(D(2025, 9, 29), 7)
    assert count == Count(D(2025, 10, 15), False, ())


def test_hours_do_not_touch_the_calendar() -> None:
    start = datetime(2026, 12, 31, 18)
    assert CAL.hours_after(start, 24) == Count(datetime(2027, 1, 1, 18), False, ())
    assert CAL.hours_after(datetime(2025, 9, 30, 17, 30), 72).due == datetime(2025, 10, 3, 17, 30)


def test_hours_are_elapsed_time_in_aware_datetimes() -> None:
    beijing = timezone(timedelta(hours=8))
    due = CAL.hours_after(datetime(2025, 9, 30, 18, tzinfo=beijing), 2).due
    assert isinstance(due, datetime)
    assert due == datetime(2025, 9, 30, 20, tzinfo=beijing) and due.tzinfo is beijing
    try:
        berlin = ZoneInfo("Europe/Berlin")
    except ZoneInfoNotFoundError:  # pragma: no cover - no tz database
        pytest.skip("no time zone database")
    # 24 elapsed hours across the end of summer time are 23:00 on the wall clock
    due = CAL.hours_after(datetime(2025, 10, 25, 12, tzinfo=berlin), 24).due
    assert isinstance(due, datetime)
    assert due.replace(tzinfo=None) == datetime(2025, 10, 26, 11)


# --- local days ---------------------------------------------------------------------------------


def test_local_rest_and_work_days_override_the_data() -> None:
    local_holiday = Calendar(rest_days=[D(2025, 10, 9)])
    assert local_holiday.working_days_after(D(2025, 9, 29), 7).due == D(2025, 10, 16)
    extra_work = Calendar(work_days=[D(2025, 10, 8)])
    assert extra_work.working_days_after(D(2025, 9, 29), 7).due == D(2025, 10, 14)
    assert extra_work.is_workday(datetime(2025, 10, 8, 9)) is True
    # a datetime in the list counts by its date
    assert Calendar(rest_days=[datetime(2025, 10, 9, 8)]).is_workday(D(2025, 10, 9)) is False


@stops_in_2026
def test_listed_days_outside_the_data_are_known_not_assumed() -> None:
    cal = Calendar(work_days=[D(2027, 1, 2)])
    assert cal.working_days_after(D(2027, 1, 1), 1) == Count(D(2027, 1, 2), False, ())
    with pytest.raises(CalendarError, match="`2027-01-03`"):
        cal.working_days_after(D(2027, 1, 1), 2)
    mixed = Calendar(rest_days=[D(2027, 1, 1)], work_days=[D(2027, 1, 2)], provisional=True)
    assert mixed.working_days_after(D(2026, 12, 28), 4) == Count(
        D(2027, 1, 2), True, (D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31))
    )


def test_a_day_in_both_lists_is_an_error() -> None:
    with pytest.raises(InvalidArgument, match="`2025-10-09` is in both `rest_days` and `work_days`"):
        Calendar(rest_days=[D(2025, 10, 9), D(2025, 10, 10)], work_days=[D(2025, 10, 9)])


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "local.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_from_yaml(tmp_path: Path) -> None:
    path = _write(tmp_path, "# local days\nrest_days:\n  - 2025-10-09\nwork_days: ['2027-01-02']\n")
    cal = Calendar.from_yaml(path)
    assert cal.working_days_after(D(2025, 9, 29), 7).due == D(2025, 10, 16)
    assert cal.is_workday(D(2027, 1, 2)) is True
    assert repr(cal) == "Calendar(rest_days=['2025-10-09'], work_days=['2027-01-02'], provisional=False)"
    provisional = Calendar.from_yaml(str(path), provisional=True)
    assert provisional.working_days_after(D(2040, 1, 1), 1) == Count(D(2040, 1, 2), True, (D(2040, 1, 2),))


def test_from_yaml_accepts_an_empty_file_and_empty_lists(tmp_path: Path) -> None:
    assert repr(Calendar.from_yaml(_write(tmp_path, ""))) == repr(CAL)
    assert repr(Calendar.from_yaml(_write(tmp_path, "rest_days:\nwork_days: []\n"))) == repr(CAL)


def test_from_yaml_reports_every_problem_with_its_position(tmp_path: Path) -> None:
    text = "rest_day:\n  - 2025-10-09\nwork_days:\n  - 2025-02-30\n  - tomorrow\n  - 20251009\n  - 2025-10-08\n"
    path = _write(tmp_path, text)
    with pytest.raises(ProfileError) as info:
        Calendar.from_yaml(path)
    found = [(d.code, d.line, d.column) for d in info.value.diagnostics]
    assert found == [("GR010", 1, 1), ("GR012", 4, 5), ("GR012", 5, 5), ("GR012", 6, 5)]
    first = info.value.diagnostics[0]
    assert first.message == "unknown key `rest_day`" and first.help == "did you mean `rest_days`?"
    assert info.value.diagnostics[1].message == "`2025-02-30` is not a calendar date"
    assert info.value.diagnostics[2].message == "`tomorrow` is not a date; write it as `YYYY-MM-DD`"
    assert f"{path}:5:5: GR012" in str(info.value)


def test_from_yaml_day_in_both_lists(tmp_path: Path) -> None:
    path = _write(tmp_path, "rest_days:\n  - 2025-10-09\nwork_days:\n  - 2025-10-09\n")
    with pytest.raises(ProfileError) as info:
        Calendar.from_yaml(path)
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.line, diag.column) == ("GR012", 4, 5)
    assert diag.message == "`2025-10-09` is also in `rest_days` (line 2)"


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("rest_days: 2025-10-09\n", "GR012", 1),
        ("- 2025-10-09\n", "GR012", 1),
        ("rest_days:\n  - [2025-10-09\n", "GR002", 3),
    ],
)
def test_from_yaml_bad_shapes(tmp_path: Path, text: str, code: str, line: int) -> None:
    with pytest.raises(ProfileError) as info:
        Calendar.from_yaml(_write(tmp_path, text))
    assert [(d.code, d.line) for d in info.value.diagnostics] == [(code, line)]


def test_from_yaml_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as info:
        Calendar.from_yaml(tmp_path / "missing.yaml")
    assert [d.code for d in info.value.diagnostics] == ["GR001"]


# --- arguments ----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, -1, True, False, 1.5, "3", None, MAX_N + 1])
def test_bad_counts(n: object) -> None:
    for kind in ("after", "before", "days"):
        with pytest.raises(InvalidArgument, match=rf"^`n`: expected a whole number from 1 to {MAX_N}, got `"):
            _compute(CAL, kind, D(2025, 9, 29), n)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"^`n`"):
        CAL.hours_after(datetime(2025, 9, 29, 9), n)  # type: ignore[arg-type]


def test_bad_dates() -> None:
    with pytest.raises(InvalidArgument, match=r"^`start`: expected a `datetime.date` or `datetime.datetime`, got `'2"):
        CAL.working_days_after("2025-09-29", 7)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"^`event`"):
        CAL.working_days_before(None, 1)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"^`day`"):
        CAL.is_workday("2025-01-01")  # type: ignore[arg-type]
    with pytest.raises(
        InvalidArgument, match=r"^`start`: expected a `datetime.datetime`.*datetime.date\(2025, 9, 30\)"
    ):
        CAL.hours_after(D(2025, 9, 30), 24)  # type: ignore[arg-type]


def test_bad_constructor_arguments() -> None:
    with pytest.raises(InvalidArgument, match=r"^`rest_days`: expected a list"):
        Calendar(rest_days="2025-10-09")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"^`work_days`: expected `datetime.date` values, got `'2025-10-09'`"):
        Calendar(work_days=["2025-10-09"])  # type: ignore[list-item]
    with pytest.raises(InvalidArgument, match=r"^`provisional`"):
        Calendar(provisional="yes")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"^`path`"):
        Calendar.from_yaml(42)  # type: ignore[arg-type]


def test_counting_past_year_9999_is_an_argument_error() -> None:
    cal = Calendar(provisional=True)
    with pytest.raises(InvalidArgument, match="9999"):
        cal.working_days_after(D(9999, 12, 30), 5)
    with pytest.raises(InvalidArgument, match="9999"):
        cal.hours_after(datetime(9999, 12, 31, 12), 24)


# --- properties ---------------------------------------------------------------------------------

# Starts late in 2026 run past the covered end with n up to 30, so forward counts start by October.
forward = st.dates(D(2020, 1, 1), D(2026, 10, 31))
anywhere = st.dates(D(2020, 1, 1), D(2026, 11, 30))
counts = st.integers(1, 30)
kinds = st.sampled_from(["after", "before", "days"])


def _kind_start(kind: str, start: date) -> date:
    return min(start, D(2026, 10, 31)) if kind != "before" else start


@settings(deadline=None)
@given(anywhere, counts)
def test_a_working_day_count_ends_on_a_working_day(start: date, n: int) -> None:
    assert CAL.is_workday(CAL.working_days_before(start, n).due)
    assert CAL.is_workday(CAL.working_days_after(_kind_start("after", start), n).due)
    assert CAL.is_workday(CAL.days_after(_kind_start("days", start), n).due)


@settings(deadline=None)
@given(kinds, anywhere, anywhere, counts)
def test_a_later_start_never_gives_an_earlier_date(kind: str, a: date, b: date, n: int) -> None:
    a, b = sorted((_kind_start(kind, a), _kind_start(kind, b)))
    assert _compute(CAL, kind, a, n).due <= _compute(CAL, kind, b, n).due


@settings(deadline=None)
@given(forward, counts, counts)
def test_more_days_never_give_an_earlier_date(start: date, n: int, m: int) -> None:
    n, m = sorted((n, m))
    assert CAL.working_days_after(start, n).due <= CAL.working_days_after(start, m).due
    assert CAL.working_days_before(start, n).due >= CAL.working_days_before(start, m).due
    assert CAL.days_after(start, n).due <= CAL.days_after(start, m).due


@settings(deadline=None)
@given(forward, counts)
def test_before_undoes_after(start: date, n: int) -> None:
    # N working days back from the due date lands on the start, or on the last working day before
    # it when the start is a rest day.
    back = CAL.working_days_before(CAL.working_days_after(start, n).due, n).due
    assert back == (start if CAL.is_workday(start) else CAL.working_days_before(start, 1).due)


@settings(deadline=None)
@given(forward, counts)
def test_days_after_stops_at_the_first_working_day(start: date, n: int) -> None:
    due = CAL.days_after(start, n).due
    assert due >= start + timedelta(days=n)
    day = start + timedelta(days=n)
    while day < due:
        assert not CAL.is_workday(day)
        day += timedelta(days=1)


@settings(deadline=None)
@given(kinds, forward, counts)
def test_counts_agree_with_the_holidays_package(kind: str, start: date, n: int) -> None:
    assert _compute(CAL, kind, start, n).due == _reference(kind, start, n)


@stops_in_2026
@settings(deadline=None)
@given(st.dates(D(2026, 11, 1), D(2026, 12, 28)), counts)
def test_near_the_end_a_count_either_fits_or_names_the_first_uncovered_day(start: date, n: int) -> None:
    reach = _reference("after", start, n)  # the holidays package invents nothing before 2027
    if reach <= D(2026, 12, 28):
        assert CAL.working_days_after(start, n).due == reach
    else:
        with pytest.raises(CalendarError, match=r"^`2026-12-29`"):
            CAL.working_days_after(start, n)


@pytest.mark.parametrize(
    ("event", "n", "due"),
    [
        # 提前3天 before Thursday 2025-10-09: Monday 6 October is in the National Day holiday (1–8
        # October), so the deadline moves back to the last working day before it, Tuesday 30 September.
        (date(2025, 10, 9), 3, date(2025, 9, 30)),
        # 7 days before Wednesday 2025-03-12 is Wednesday 2025-03-05, a working day.
        (date(2025, 3, 12), 7, date(2025, 3, 5)),
        # 7 days before Monday 2026-02-23 is Monday 16 February (Spring Festival 15–23 February):
        # the working day before is Saturday 14 February (调休).
        (date(2026, 2, 23), 7, date(2026, 2, 14)),
    ],
)
def test_days_before_moves_back_to_a_working_day(event: date, n: int, due: date) -> None:
    assert Calendar().days_before(event, n).due == due


# --- holiday notices as data ---------------------------------------------------------------------

NOTICE_2027 = Path(__file__).parent / "fixtures" / "notices" / "2027.yaml"
FICTIONAL = "虚构〔2026〕1号"


def _oracle_2027() -> dict[date, bool]:
    """Working days of 2027 straight from the fixture's text, without the code under test."""
    import yaml

    raw = yaml.safe_load(NOTICE_2027.read_text(encoding="utf-8"))
    rest = {h["start"] + timedelta(days=i) for h in raw["holidays"] for i in range((h["end"] - h["start"]).days + 1)}
    work = set(raw["workdays"])
    days = (D(2027, 1, 1) + timedelta(days=i) for i in range(362))  # to 28 December
    return {d: d in work or (d.weekday() < 5 and d not in rest) for d in days}


ORACLE_2027 = _oracle_2027()


def test_a_notice_covers_its_year_officially() -> None:
    cal = Calendar.from_notice(NOTICE_2027)
    # 春节 6–14 February, Saturday 20 February worked: 3 working days after Wednesday 3 February
    assert cal.working_days_after(D(2027, 2, 3), 3) == Count(D(2027, 2, 15), False, (), (FICTIONAL,))
    assert cal.working_days_after(D(2027, 2, 15), 5).due == D(2027, 2, 20)
    assert cal.working_days_before(D(2027, 10, 11), 2) == Count(D(2027, 10, 8), False, (), (FICTIONAL,))
    assert cal.days_after(D(2027, 9, 28), 3).due == D(2027, 10, 8)  # 1 October is a rest day
    assert cal.days_before(D(2027, 10, 8), 2).due == D(2027, 9, 30)
    # counts that do not reach the notice's days do not cite it
    assert cal.working_days_after(D(2025, 9, 29), 7) == Count(D(2025, 10, 15), False, ())
    assert cal.hours_after(datetime(2027, 2, 6, 9), 24).notices == ()


@settings(deadline=None)
@given(st.dates(D(2027, 1, 1), D(2027, 11, 15)), st.integers(1, 25))
def test_counts_on_a_notice_agree_with_the_notice_text(start: date, n: int) -> None:
    cal = Calendar.from_notice(NOTICE_2027)
    later = sorted(d for d, works in ORACLE_2027.items() if works and d > start)
    assert cal.working_days_after(start, n).due == later[n - 1]
    assert all(cal.is_workday(d) == works for d, works in ORACLE_2027.items() if d.month == start.month)


def test_a_deadline_counted_on_a_notice() -> None:
    import govrules

    cal = Calendar.from_notice(NOTICE_2027)
    zz = govrules.load("zhengzhou")
    # 7 working days from Tuesday 28 September 2027: 29, 30 Sep, 8, Saturday 9, 11, 12, 13 Oct
    deadline = zz.deadline("countersign_reply", D(2027, 9, 28), calendar=cal)
    assert (deadline.due, deadline.provisional) == (D(2027, 10, 13), False)
    with pytest.raises(CalendarError, match=r"^`2026-12-29`"):
        zz.deadline("countersign_reply", D(2026, 12, 28))  # without the notice, not even late December


def test_29_to_31_december_wait_for_the_next_year() -> None:
    cal = Calendar.from_notice(NOTICE_2027)
    # 29–31 December 2026 are settled by the notice for 2027, which does not move them: it is cited
    assert cal.working_days_after(D(2026, 12, 28), 1) == Count(D(2026, 12, 29), False, (), (FICTIONAL,))
    assert cal.is_workday(D(2026, 12, 31)) is True
    # 29–31 December 2027 wait for the notice for 2028
    with pytest.raises(CalendarError, match=r"^`2027-12-29`.*notice for 2028 is known"):
        cal.working_days_after(D(2027, 12, 28), 1)
    moving = Notice.from_mapping(
        {
            "notice": "虚构〔2027〕1号",
            "year": 2028,
            "holidays": [{"name": "元旦", "start": "2027-12-31", "end": "2028-01-02"}],
            "workdays": [],
        }
    )
    both = cal.with_notices(moving)
    count = both.working_days_after(D(2027, 12, 28), 3)  # 29, 30, then Monday 3 January 2028
    assert count == Count(D(2028, 1, 3), False, (), (FICTIONAL, "虚构〔2027〕1号"))
    assert both.coverage()[-2].end == D(2027, 12, 31)


def test_a_notice_may_settle_late_december_of_a_year_nothing_else_covers() -> None:
    notice = Notice.from_mapping(
        {
            "notice": "虚构〔2054〕1号",
            "year": 2055,
            "holidays": [{"name": "元旦", "start": "2054-12-31", "end": "2055-01-01"}],
        }
    )
    cal = Calendar(notices=[notice])
    assert cal.is_workday(D(2054, 12, 31)) is False  # named by the notice
    with pytest.raises(CalendarError, match="`2054-12-30`"):
        cal.is_workday(D(2054, 12, 30))  # not named, and 2054 is not covered
    # Thursday 31 December named, Friday 1 January named, the weekend, Monday 4 January
    assert cal.working_days_after(D(2054, 12, 30), 1) == Count(D(2055, 1, 4), False, (), ("虚构〔2054〕1号",))


def test_coverage_and_the_days_of_a_year() -> None:
    cal = Calendar.from_notice(NOTICE_2027)
    coverage = cal.coverage()
    assert [c.year for c in coverage] == list(range(2004, LAST_YEAR + 1)) + ([2027] if LAST_YEAR < 2027 else [])
    last = coverage[-1]
    assert (last.year, last.source, last.notice, last.start, last.end) == (
        2027,
        "notice",
        FICTIONAL,
        D(2027, 1, 1),
        D(2027, 12, 28),
    )
    assert coverage[0] == Coverage(2004, "bundled", None, D(2004, 1, 1), D(2004, 12, 31))
    assert cal.covered() == (D(2004, 1, 1), D(2027, 12, 28))
    assert cal.notices == (Notice.from_yaml(NOTICE_2027),)
    rest, work = cal.rest_days_in(2027), cal.working_days_in(2027)
    assert set(work) == {d for d, works in ORACLE_2027.items() if works}
    assert set(rest) == {d for d, works in ORACLE_2027.items() if not works}
    assert [d for d in work if d.weekday() >= 5] == [
        D(2027, 2, 20),
        D(2027, 4, 25),
        D(2027, 5, 8),
        D(2027, 9, 26),
        D(2027, 10, 9),
    ]
    # the bundled years, checked against the holidays package
    assert {d for d in CAL.rest_days_in(2025) if d.weekday() < 5} == {
        d for d in CN if d.year == 2025 and d.weekday() < 5
    } - {d for d in CN if d.year == 2025 and CAL.is_workday(d)}
    assert len(CAL.rest_days_in(2025)) + len(CAL.working_days_in(2025)) == 365


@stops_in_2026
def test_the_days_of_an_uncovered_year() -> None:
    assert len(CAL.working_days_in(2026)) + len(CAL.rest_days_in(2026)) == 362  # 29–31 December open
    with pytest.raises(CalendarError, match=r"^no day of 2027 is covered \(covered: 2004-01-01 to 2026-12-28\)"):
        CAL.rest_days_in(2027)
    for bad in (True, "2027", 0, 10_000):
        with pytest.raises(InvalidArgument, match=r"^`year`"):
            CAL.working_days_in(bad)  # type: ignore[arg-type]


def test_a_notice_takes_precedence_over_the_bundled_data_for_its_year() -> None:
    # a made-up notice for 2025 with no holidays at all: every weekday works
    cal = Calendar(notices=[Notice("虚构〔2024〕1号", 2025)])
    assert cal.is_workday(D(2025, 10, 1)) is True and CAL.is_workday(D(2025, 10, 1)) is False
    assert cal.coverage()[2025 - 2004].source == "notice"
    # local days still override a notice
    assert Calendar(rest_days=[D(2027, 2, 20)], notices=[NOTICE_2027]).is_workday(D(2027, 2, 20)) is False


def test_ways_to_give_notices_agree() -> None:
    notice = Notice.from_yaml(NOTICE_2027)
    calendars = [
        Calendar.from_notice(NOTICE_2027),
        Calendar.from_notice(str(NOTICE_2027)),
        Calendar.from_notices([notice]),
        Calendar(notices=[notice]),
        Calendar().with_notices(NOTICE_2027),
    ]
    assert {repr(c) for c in calendars} == {
        f"Calendar(rest_days=[], work_days=[], provisional=False, notices=['{FICTIONAL}'])"
    }
    assert {c.working_days_after(D(2027, 2, 3), 3) for c in calendars} == {
        Count(D(2027, 2, 15), False, (), (FICTIONAL,))
    }
    kept = Calendar(rest_days=[D(2040, 1, 2)], provisional=True).with_notices(notice)
    assert repr(kept).startswith("Calendar(rest_days=['2040-01-02'], work_days=[], provisional=True, notices=")


def test_notices_that_contradict_each_other() -> None:
    with pytest.raises(InvalidArgument, match=r"^`notices`: `a` and `b` both arrange 2027; give one notice per year"):
        Calendar(notices=[Notice("a", 2027), Notice("b", 2027)])
    settles = Notice("c", 2027, [Holiday("元旦", D(2026, 12, 31), D(2027, 1, 1))])
    sat = Notice("e", 2033, workdays=[D(2033, 12, 31)])  # a Saturday worked, says the notice for 2033
    off = Notice("f", 2034, [Holiday("元旦", D(2033, 12, 31), D(2034, 1, 2))])
    with pytest.raises(
        InvalidArgument, match=r"^`notices`: `2033-12-31` is a working day in `e` but a rest day in `f`"
    ):
        Calendar(notices=[off, sat])
    assert Calendar(notices=[settles]).is_workday(D(2026, 12, 31)) is False
    with pytest.raises(InvalidArgument, match=r"^`notices`: expected `Notice` values or notice files, got `2027`"):
        Calendar(notices=[2027])  # type: ignore[list-item]
    with pytest.raises(InvalidArgument, match=r"^`notices`: expected a list"):
        Calendar(notices="2027.yaml")  # type: ignore[arg-type]


def test_notice_arguments() -> None:
    with pytest.raises(InvalidArgument, match=r"^`number`"):
        Notice("", 2027)
    with pytest.raises(InvalidArgument, match=r"^`year`: expected a year from 1950 to 9999, got `'2027'`"):
        Notice("a", "2027")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"^`holidays`: expected `Holiday` values"):
        Notice("a", 2027, [("元旦", D(2027, 1, 1), D(2027, 1, 1))])  # type: ignore[list-item]
    with pytest.raises(InvalidArgument, match=r"^`workdays`: expected `datetime.date` values"):
        Notice("a", 2027, workdays=["2027-02-20"])  # type: ignore[list-item]
    with pytest.raises(InvalidArgument, match=r"^`end`: `2027-01-01` is before `start` `2027-01-03`"):
        Holiday("元旦", D(2027, 1, 3), D(2027, 1, 1))
    with pytest.raises(InvalidArgument, match=r"^`name`"):
        Holiday(" ", D(2027, 1, 1), D(2027, 1, 1))
    overlap = [Holiday("国庆节", D(2027, 10, 1), D(2027, 10, 7)), Holiday("中秋节", D(2027, 10, 7), D(2027, 10, 8))]
    with pytest.raises(
        InvalidArgument,
        match=r"^`holidays\[1\]`: `中秋节` \(2027-10-07 to 2027-10-08\) overlaps `国庆节` \(`holidays\[0\]`\)",
    ):
        Notice("a", 2027, overlap)
    with pytest.raises(InvalidArgument) as info:
        Notice(
            "a", 2027, [Holiday("春节", D(2027, 2, 6), D(2027, 2, 14))], [D(2027, 2, 6), D(2028, 1, 1), D(2027, 2, 6)]
        )
    assert str(info.value).splitlines() == [
        "3 problems in `notice`:",
        "`workdays[0]`: `2027-02-06` is also a rest day of `春节` (`holidays[0]`); "
        "a day is a rest day or a working day; list it in one place",
        "`workdays[1]`: `2028-01-01` is outside the notice's year 2027; a notice for 2027 lists days of 2027; it may "
        "reach back to 29–31 December 2026, no further",
        "`workdays[2]`: `2027-02-06` is listed twice; first at `workdays[0]`",
    ]
    assert Holiday("春节", D(2027, 2, 6), D(2027, 2, 8)).days() == (D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8))
    assert Notice.from_yaml(NOTICE_2027).named()[D(2027, 2, 20)] is True
