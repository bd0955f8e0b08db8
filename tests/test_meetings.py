"""Meetings, quorum, meeting checks and document compliance through the public API and the CLI."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govrules
from govrules import AgendaItem, Document, Person, Roster
from govrules.cli import main

from .conftest import FIXTURES

PROFILE = FIXTURES / "valid" / "meetings.yaml"


@pytest.fixture(scope="module")
def gov() -> govrules.Profile:
    return govrules.load(PROFILE)


def roster() -> Roster:
    return Roster(
        [
            Person("m", "mayor"),
            Person("e", "executive_vice_mayor"),
            Person("a", "vice_mayor"),
            Person("b", "vice_mayor"),
            Person("s", "secretary_general"),
            Person("h", "department_head"),
        ]
    )


def test_meeting_rule(gov: govrules.Profile) -> None:
    rule = gov.meeting("executive")
    assert rule.members == ("mayor", "vice_mayor", "secretary_general")
    assert (rule.convener, rule.chair, rule.chair_delegates) == ("mayor", "mayor", ("executive_vice_mayor",))
    assert rule.frequency == govrules.Frequency("month", (1, 1), True)
    assert rule.quorum == govrules.QuorumRule((1, 2), True)
    assert rule.leave_approver == "mayor"
    assert rule.substitutes_allowed is False
    assert rule.attendees == (govrules.Attendee("有关部门主要负责人", "department_head", True),)
    assert rule.minutes is not None and rule.minutes.signers == ("mayor",)
    assert [c.article for c in rule.basis] == [2]
    assert "常务会议" in rule.explain() and "executive meeting" in rule.explain("en")
    assert json.loads(json.dumps(rule.as_dict(), ensure_ascii=False))["quorum"]["fraction"] == [1, 2]
    assert gov.meetings() == ["executive", "plenary"]


def test_silence_about_a_meeting_or_its_quorum(gov: govrules.Profile) -> None:
    with pytest.raises(govrules.NotCovered):
        gov.meeting("topical")
    with pytest.raises(govrules.NotCovered, match="quorum"):
        gov.quorum("plenary", expected=10, present=10)
    assert gov.meeting("plenary").minutes is None


@pytest.mark.parametrize(
    ("expected", "present", "needed", "quorate"),
    [(10, 6, 6, True), (10, 5, 6, False), (9, 5, 5, True), (9, 4, 5, False), (1, 1, 1, True), (0, 0, 1, False)],
)
def test_quorum_more_than_half(gov: govrules.Profile, expected: int, present: int, needed: int, quorate: bool) -> None:
    q = gov.quorum("executive", expected=expected, present=present)
    assert (q.needed, q.quorate) == (needed, quorate)


@settings(deadline=None)
@given(expected=st.integers(0, 60), a=st.integers(0, 60), b=st.integers(0, 60))
def test_quorum_is_monotone_in_attendance(expected: int, a: int, b: int) -> None:
    gov = govrules.load(PROFILE)
    low, high = sorted((min(a, expected), min(b, expected)))
    if gov.quorum("executive", expected=expected, present=low).quorate:
        assert gov.quorum("executive", expected=expected, present=high).quorate


def test_quorum_arguments(gov: govrules.Profile) -> None:
    with pytest.raises(govrules.InvalidArgument, match="more than `expected`"):
        gov.quorum("executive", expected=3, present=4)
    with pytest.raises(govrules.InvalidArgument, match="`present`"):
        gov.quorum("executive", expected=3, present=-1)


def test_check_meeting(gov: govrules.Profile) -> None:
    check = gov.check_meeting(
        "executive",
        attendees=["m", "e", "a", "h"],
        roster=roster(),
        chair="e",
        entrusted=True,
        agenda=[AgendaItem("办公楼维修资金", funding=True), AgendaItem("交通规划")],
    )
    assert check.missing_members == ("b", "s")
    assert check.non_members == ("h",)
    assert check.chair_valid is True  # the older `chair_delegates` read as: when entrusted
    assert check.quorum is not None and (check.quorum.expected, check.quorum.present, check.quorum.quorate) == (
        5,
        3,
        True,
    )
    assert dict(check.leave) == {"b": "mayor", "s": "mayor"}
    (violation,) = check.violations
    assert violation.code == "agenda_funding_or_staffing"
    assert "办公楼维修资金" in violation.message
    assert gov.check_meeting("executive", attendees=["m"], roster=roster(), chair="a").chair_valid is False
    # a delegate's entrustment is unknown unless stated
    assert gov.check_meeting("executive", attendees=["m", "e"], roster=roster(), chair="e").chair_valid is None


def test_document_compliance(gov: govrules.Profile) -> None:
    assert gov.check(Document("request", matters=1)) == []
    (v,) = gov.check(Document("request", matters=3))
    assert (v.code, v.severity, [c.article for c in v.basis]) == ("one_matter_per_request", "error", [4])
    (w,) = gov.check(Document("report", addressed_to_leader_personally=True))
    assert w.severity == "warning"
    assert gov.check(Document("report", addressed_to_leader_personally=True, assigned_by_leader=True)) == []


def test_unknown_is_not_false(gov: govrules.Profile) -> None:
    """A countersignature is missing only when the document says so."""
    assert gov.check(Document("request", involves_other_departments=True)) == []
    (v,) = gov.check(Document("request", involves_other_departments=True, countersigned=False))
    assert v.code == "not_countersigned"
    assert gov.check(Document("request", involves_other_departments=True, countersigned=True)) == []


@settings(deadline=None)
@given(urgency=st.sampled_from(["normal", "urgent", "extra_urgent"]), important=st.booleans(), emergency=st.booleans())
def test_a_clean_document_stays_clean_when_an_unrelated_attribute_changes(
    urgency: str, important: bool, emergency: bool
) -> None:
    gov = govrules.load(PROFILE)
    doc = Document(
        "request",
        issuer="department",
        recipient="municipal_government",
        urgency=urgency,
        important=important,
        emergency=emergency,
    )
    assert gov.check(doc) == []


def test_check_needs_something_to_check(gov: govrules.Profile) -> None:
    with pytest.raises(govrules.InvalidArgument, match="give a `document`"):
        gov.check()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_cli_meeting_and_check(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("meeting", str(PROFILE), "executive")
    assert code == 0
    assert "组成" in out
    code, out, _ = run("meeting", str(PROFILE), "executive", "--json")
    assert json.loads(out)["members"] == ["mayor", "vice_mayor", "secretary_general"]
    code, _out, err = run("meeting", str(PROFILE), "topical")
    assert code == 3  # not covered
    doc = tmp_path / "doc.yaml"
    doc.write_text("kind: request\nissuer: department\nrecipient: municipal_government\nmatters: 2\n", encoding="utf-8")
    code, out, _ = run("check", str(PROFILE), "--document", str(doc))
    assert code == 1
    assert "one_matter_per_request" in out
    doc.write_text("kind: request\nmatters: 1\n", encoding="utf-8")
    code, out, _ = run("check", str(PROFILE), "--document", str(doc), "--json")
    assert (code, json.loads(out)) == (0, [])
    doc.write_text("kind: request\nmaters: 1\n", encoding="utf-8")
    code, _out, err = run("check", str(PROFILE), "--document", str(doc))
    assert code == 2
    assert "did you mean `matters`" in err


@settings(deadline=None)  # the first example loads the profile
@given(expected=st.integers(0, 40), a=st.integers(0, 40), b=st.integers(0, 40))
def test_bundled_quorum_is_monotone_in_attendance(expected: int, a: int, b: int) -> None:
    gov = govrules.load("jining")  # the only text that sets a quorum
    low, high = sorted((min(a, expected), min(b, expected)))
    if gov.quorum("executive", expected=expected, present=low).quorate:
        assert gov.quorum("executive", expected=expected, present=high).quorate


@settings(deadline=None)
@given(
    pid=st.sampled_from(["zhengzhou", "luoyang", "jining", "quzhou", "chaoyang"]),
    urgency=st.sampled_from(["normal", "urgent", "extra_urgent"]),
    important=st.booleans(),
    emergency=st.booleans(),
    portfolios=st.sampled_from([(), ("a",), ("a", "b")]),
)
def test_bundled_clean_documents_stay_clean_when_an_unrelated_attribute_changes(
    pid: str, urgency: str, important: bool, emergency: bool, portfolios: tuple[str, ...]
) -> None:
    """A proper department request (one matter, countersigned, signed by its head, sent through the
    office) breaks no submission rule of any city, whatever its urgency or portfolios."""
    doc = Document(
        "request",
        issuer="department",
        recipient="municipal_government",
        sender_kind="department",
        matters=1,
        countersigned=True,
        signed_by_head=True,
        legality_reviewed=True,
        fair_competition_reviewed=True,
        urgency=urgency,
        important=important,
        emergency=emergency,
        portfolios=portfolios,
    )
    assert govrules.load(pid).check(doc) == []
