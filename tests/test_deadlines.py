"""Deadlines through the public API and the CLI (the calendar itself: test_workdays.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govrules
from govrules.cli import main

D = dt.date


def test_the_design_example_crosses_the_national_day_adjustment() -> None:
    # 7 working days from Monday 2025-09-29: 30 Sep, 9 Oct, 10 Oct, Sat 11 Oct (调休), 13, 14, 15 Oct.
    d = govrules.load("zhengzhou").deadline("countersign_reply", D(2025, 9, 29))
    assert (d.due, d.unit, d.amount, d.direction) == (D(2025, 10, 15), "working_days", 7, "after")
    assert d.on_expiry == "逾期不回复视为无不同意见"
    assert [c.article for c in d.basis] == [50, 50]
    assert not d.provisional


def test_before_an_event_counts_back_over_a_weekend_working_day() -> None:
    # 5 working days before Friday 2025-10-17: 16, 15, 14, 13 Oct, Saturday 11 Oct (调休).
    d = govrules.load("jining").deadline("meeting_materials", D(2025, 10, 17))
    assert (d.due, d.direction) == (D(2025, 10, 11), "before")


def test_hours_need_a_datetime_and_run_across_midnight() -> None:
    zz = govrules.load("zhengzhou")
    d = zz.deadline("public_opinion_release", dt.datetime(2025, 10, 1, 22, 30))
    assert d.due == dt.datetime(2025, 10, 2, 3, 30)
    with pytest.raises(govrules.InvalidArgument, match="counted in hours"):
        zz.deadline("public_opinion_release", D(2025, 10, 1))


def test_silence_is_not_a_rule() -> None:
    with pytest.raises(govrules.NotCovered, match="`quzhou`"):
        govrules.load("quzhou").deadline("countersign_reply", D(2025, 3, 3))
    assert govrules.load("quzhou").deadlines() == ["post_meeting_issuance"]


def test_urgency_and_complexity_select_the_rule() -> None:
    ly = govrules.load("luoyang")
    with pytest.raises(govrules.InvalidArgument, match="pass one of"):
        ly.deadline("request_processing", D(2025, 3, 3))
    assert ly.deadline("request_processing", D(2025, 3, 3), urgency="extra_urgent").due == D(2025, 3, 4)
    jn = govrules.load("jining")
    assert jn.deadline("countersign_reply", D(2025, 3, 3)).due == D(2025, 3, 6)
    complex_ = jn.deadline("countersign_reply", D(2025, 3, 3), complex=True)
    assert (complex_.due, complex_.unit) == (D(2025, 3, 10), "days")


def test_effective_date_and_argument_errors() -> None:
    zz = govrules.load("zhengzhou")
    with pytest.raises(govrules.InvalidArgument, match="before profile `zhengzhou` took effect"):
        zz.deadline("countersign_reply", D(2020, 3, 1))
    with pytest.raises(govrules.InvalidArgument, match="did you mean `countersign_reply`"):
        zz.deadline("countersign", D(2025, 3, 3))
    with pytest.raises(govrules.InvalidArgument, match="`at`"):
        zz.deadline("countersign_reply", "2025-03-03")  # type: ignore[arg-type]


def test_unknown_years_raise_or_are_provisional() -> None:
    # relative to the data's end, so that a chinese-calendar release with a new year keeps this true
    last = govrules.Calendar().covered()[1]  # 28 December of the last covered year
    start = last - dt.timedelta(days=8)
    zz = govrules.load("zhengzhou")
    with pytest.raises(govrules.CalendarError, match=str(last + dt.timedelta(days=1))):
        for n in range(1, 8):  # some count of working days from `start` runs past the 28th
            zz.deadline("countersign_reply", start + dt.timedelta(days=n))
    d = zz.deadline("countersign_reply", D(2039, 3, 1), provisional=True)
    assert (d.due, d.provisional) == (D(2039, 3, 10), True)
    assert d.assumed == tuple(D(2039, 3, day) for day in range(2, 11))


def test_local_rest_days() -> None:
    cal = govrules.Calendar(rest_days=[D(2025, 3, 4)])
    d = govrules.load("zhengzhou").deadline("countersign_reply", D(2025, 3, 3), calendar=cal)
    assert d.due == D(2025, 3, 13)  # one day later than on the official calendar (12 March)


def test_status() -> None:
    d = govrules.load("zhengzhou").deadline("countersign_reply", D(2025, 9, 29))
    assert d.status(D(2025, 10, 14)) == govrules.DeadlineStatus("open", None)
    assert d.status(D(2025, 10, 15)).state == "due"
    assert d.status(D(2025, 10, 16)) == govrules.DeadlineStatus("expired", "逾期不回复视为无不同意见")
    hours = govrules.load("zhengzhou").deadline("press_conference", dt.datetime(2025, 3, 3, 9))
    assert hours.status(dt.datetime(2025, 3, 4, 9, 1)).state == "expired"
    with pytest.raises(govrules.InvalidArgument):
        hours.status(D(2025, 3, 4))


starts = st.dates(min_value=D(2024, 2, 1), max_value=D(2026, 10, 31))


@settings(max_examples=200, deadline=None)
@given(
    a=starts,
    b=starts,
    pid_kind=st.sampled_from(
        [
            ("zhengzhou", "countersign_reply", None, None),
            ("luoyang", "request_processing", "urgent", None),
            ("jining", "leave_request", None, "county_head"),
            ("jining", "meeting_materials", None, None),
            ("chaoyang", "meeting_request", None, None),
        ]
    ),
)
def test_due_dates_never_move_earlier_when_the_start_moves_later(
    a: D, b: D, pid_kind: tuple[str, str, str | None, str | None]
) -> None:
    pid, kind, urgency, office = pid_kind
    gov = govrules.load(pid)
    first, second = sorted((a, b))
    da = gov.deadline(kind, first, urgency=urgency, for_office=office)
    db = gov.deadline(kind, second, urgency=urgency, for_office=office)
    assert da.due <= db.due
    cal = govrules.Calendar()
    if da.unit == "working_days":
        assert cal.is_workday(da.due)  # type: ignore[arg-type]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_cli_deadline() -> None:
    code, out, _ = run("deadline", "zhengzhou", "countersign_reply", "--at", "2025-09-29")
    assert code == 0
    assert "截止 2025-10-15" in out
    code, out, _ = run("deadline", "zhengzhou", "press_conference", "--at", "2025-10-01T22:30", "--json")
    assert json.loads(out)["due"] == "2025-10-02T22:30:00"
    code, _out, err = run("deadline", "zhengzhou", "countersign_reply", "--at", "2039-03-01")
    assert code == 3  # the calendar does not cover the date: exit 3, not covered
    assert "--provisional" in err
    code, out, _ = run("deadline", "zhengzhou", "countersign_reply", "--at", "2039-03-01", "--provisional", "--json")
    assert code == 0
    assert json.loads(out)["provisional"] is True
    code, _out, err = run("deadline", "quzhou", "countersign_reply", "--at", "2025-03-03")
    assert code == 3
    assert "has no rule" in err
    code, _out, err = run("deadline", "luoyang", "request_processing", "--at", "yesterday")
    assert code == 2


NOTICE_2027 = Path(__file__).parent / "fixtures" / "notices" / "2027.yaml"


def test_a_notice_makes_a_provisional_deadline_official_and_is_cited() -> None:
    gov = govrules.load("zhengzhou")
    start = dt.date(2026, 12, 25)
    with pytest.raises(govrules.CalendarError):
        gov.deadline("countersign_reply", start)
    assert gov.deadline("countersign_reply", start, provisional=True).provisional
    official = gov.deadline("countersign_reply", start, calendar=govrules.Calendar.from_notice(NOTICE_2027))
    assert not official.provisional and not official.assumed
    assert official.notices == ("虚构〔2026〕1号",)
    assert "虚构〔2026〕1号" in official.explain("zh") and official.as_dict()["notices"] == ["虚构〔2026〕1号"]


def test_cli_deadline_and_calendar_take_notices() -> None:
    args = ("deadline", "zhengzhou", "countersign_reply", "--at", "2026-12-25")
    assert run(*args)[0] == 3
    code, out, _ = run(*args, "--notice", str(NOTICE_2027), "--format", "json")
    assert code == 0 and json.loads(out)["notices"] == ["虚构〔2026〕1号"]
    code, out, _ = run("calendar", "--notice", str(NOTICE_2027), "--year", "2027", "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["coverage"][-1] == {
        "year": 2027,
        "source": "notice",
        "notice": "虚构〔2026〕1号",
        "start": "2027-01-01",
        "end": "2027-12-28",
    }
    assert "2027-02-20" in report["working_days"] and "2027-02-08" in report["rest_days"]
    code, out, _ = run("calendar")
    assert code == 0 and out.startswith("covered: 2004-01-01 to 2026-12-28")
