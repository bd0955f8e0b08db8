"""Meetings, quorum, meeting checks and document compliance through the public API and the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govrules
from govrules import AgendaItem, Document, Person, Roster
from govrules import vocabulary as v
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


# -- issue 10: conditions on chairing, alternatives, leave, agenda chains, meeting plans -------------

CONDITIONAL = FIXTURES / "valid" / "conditional_meetings.yaml"
DAY = dt.date(2025, 3, 4)


@pytest.fixture(scope="module")
def cond() -> govrules.Profile:
    return govrules.load(CONDITIONAL)


def people() -> Roster:
    return Roster(
        [
            Person("m", "mayor"),
            Person("e", "executive_vice_mayor", portfolios=["finance"]),
            Person("a", "vice_mayor", portfolios=["education"]),
            Person("s", "secretary_general"),
            Person("d", "deputy_secretary_general", portfolios=["transport"], counterpart="a"),
            Person("h", "department_head"),
            Person("c", "county_head"),
        ]
    )


def away(person: str) -> list[govrules.Absence]:
    return [govrules.Absence(person, DAY, DAY, "out_of_city")]


def test_a_conditional_delegate_does_not_chair_while_the_principal_attends(cond: govrules.Profile) -> None:
    """市长不能出席会议时，可委托……: the condition is checked, not read as a standing alternative."""
    members = ["m", "e", "a", "s"]
    check = cond.check_meeting("executive", attendees=members, roster=people(), chair="e", entrusted=True)
    assert check.chair_valid is False
    assert check.chair_reason is not None and "`m` (mayor) attends" in check.chair_reason
    check = cond.check_meeting(
        "executive", attendees=members[1:], roster=people(), chair="e", on=DAY, absences=away("m")
    )
    assert check.chair_valid is None and "no entrustment is stated" in (check.chair_reason or "")
    check = cond.check_meeting(
        "executive", attendees=members[1:], roster=people(), chair="e", on=DAY, absences=away("m"), entrusted_by="m"
    )
    assert check.chair_valid is True and "`m` is away (out_of_city)" in (check.chair_reason or "")
    check = cond.check_meeting("executive", attendees=members[1:], roster=people(), chair="e", entrusted_by="a")
    assert check.chair_valid is False and "who is not the mayor" in (check.chair_reason or "")
    assert cond.check_meeting("executive", attendees=members, roster=people(), chair="m").chair_valid is True


def test_entrustment_arguments_are_checked(cond: govrules.Profile) -> None:
    with pytest.raises(govrules.InvalidArgument, match="`entrusted_by`: given with `entrusted=False`"):
        cond.check_meeting("executive", attendees=["e"], roster=people(), chair="e", entrusted=False, entrusted_by="m")
    with pytest.raises(govrules.InvalidArgument, match="not in the roster"):
        cond.check_meeting("executive", attendees=["e"], roster=people(), chair="e", entrusted_by="nobody")
    with pytest.raises(govrules.InvalidArgument, match="`entrusted`"):
        cond.check_meeting("executive", attendees=["e"], roster=people(), chair="e", entrusted="yes")  # type: ignore[arg-type]
    with pytest.raises(govrules.InvalidArgument, match="`attendees`: `m` is away on 2025-03-04"):
        cond.check_meeting("executive", attendees=["m", "e"], roster=people(), on=DAY, absences=away("m"))


@pytest.mark.parametrize(
    ("chair", "arguments", "valid"),
    [
        ("m", {}, True),
        ("a", {}, True),  # a vice mayor in their own right
        ("e", {}, True),  # an executive vice mayor is a vice mayor
        ("s", {}, None),  # entrustment not stated
        ("s", {"entrusted": True}, True),
        ("s", {"entrusted_by": "d"}, False),  # a deputy secretary-general cannot entrust
        ("d", {}, None),  # the matter's portfolios not given
        ("d", {"portfolios": ["transport"]}, True),
        ("d", {"portfolios": ["education"]}, False),
        ("h", {"entrusted": True}, None),  # the text's list is open (等)
        ("h", {"entrusted": False}, False),
        ("c", {}, None),
    ],
)
def test_alternative_chairs_with_their_conditions(
    cond: govrules.Profile, chair: str, arguments: dict[str, object], valid: bool | None
) -> None:
    check = cond.check_meeting("topical", attendees=[chair], roster=people(), chair=chair, **arguments)  # type: ignore[arg-type]
    assert check.chair_valid is valid, check.chair_reason


def test_a_meeting_rule_keeps_its_summary_fields_meaningful(cond: govrules.Profile) -> None:
    rule = cond.meeting("topical")
    assert (rule.convener, rule.chair) == ("mayor", "mayor")
    assert rule.chair_delegates == ("vice_mayor", "secretary_general", "deputy_secretary_general")
    assert rule.chairs[2] == govrules.ChairOption(
        "secretary_general", ("entrusted",), ("mayor", "vice_mayor"), True, True
    )
    assert cond.meeting("study").convener is None and cond.meeting("study").chair == "mayor"
    assert "秘书长等（受市长、副市长委托）" in rule.explain()
    assert "secretary-general or the like (if entrusted by the mayor or vice mayor)" in rule.explain("en")
    data = json.loads(json.dumps(rule.as_dict(), ensure_ascii=False))
    assert data["chairs"][3] == {
        "role": "deputy_secretary_general",
        "when": ["in_charge"],
        "entrusted_by": [],
        "convenes": True,
        "open": False,
    }
    assert data["frequency"] == {"per": None, "times": None, "in_principle": False, "as_needed": True, "regular": False}


def test_older_chair_keys_read_as_an_entrusted_delegate(gov: govrules.Profile) -> None:
    rule = gov.meeting("executive")
    assert rule.chairs == (
        govrules.ChairOption("mayor"),
        govrules.ChairOption("executive_vice_mayor", ("entrusted",), ("mayor",)),
    )


def test_attendee_categories_may_name_several_roles(cond: govrules.Profile) -> None:
    attendee = cond.meeting("executive").attendees[1]
    assert attendee.roles == ("department_head", "county_head") and attendee.role == "department_head"
    assert govrules.Attendee("x", "county_head").roles == ("county_head",)


def test_absent_attendees_and_their_leave(cond: govrules.Profile) -> None:
    """Standing 列席 categories are expected; invited people who do not come are missing too."""
    check = cond.check_meeting("executive", attendees=["m", "e", "a", "s"], roster=people(), chair="m", invited=["c"])
    assert check.missing_members == ()
    assert check.missing_attendees == ("d", "c")  # the deputy secretary-general sits in on every meeting
    assert dict(check.leave) == {} and check.leave_not_covered == ("d", "c")


def test_nobody_asks_himself_for_leave(cond: govrules.Profile) -> None:
    check = cond.check_meeting("executive", attendees=["e", "a", "s", "d"], roster=people(), chair="e", entrusted=True)
    assert check.missing_members == ("m",)
    assert "m" not in check.leave and check.leave_not_covered == ("m",)


def test_who_approves_leave_depends_on_the_chair_and_the_category(cond: govrules.Profile) -> None:
    roster = people()
    by_mayor = cond.check_meeting("topical", attendees=["m"], roster=roster, chair="m", invited=["a", "h"])
    assert dict(by_mayor.leave) == {"a": "mayor", "h": "secretary_general"}
    by_vice = cond.check_meeting("topical", attendees=["a"], roster=roster, chair="a", invited=["s", "h"])
    assert dict(by_vice.leave) == {"h": "counterpart_deputy_secretary_general"}
    assert by_vice.leave_not_covered == ("s",)
    with pytest.raises(govrules.InvalidArgument, match="depends on who chairs it; give `chair`"):
        cond.check_meeting("topical", attendees=["a"], roster=roster, invited=["h"])


def test_leave_of_every_participant_goes_to_the_chair_where_the_text_says_so() -> None:
    """洛阳 二十四: 市政府领导同志、各部门负责人和其他参会人员 ask the chair, the military commander too."""
    gov = govrules.load("luoyang")
    roster = Roster([Person("m", "mayor"), Person("v", "vice_mayor"), Person("k", "military_commander")])
    check = gov.check_meeting("executive", attendees=["m"], roster=roster, chair="m")
    assert dict(check.leave) == {"v": "meeting_chair", "k": "meeting_chair"}


@settings(deadline=None)
@given(
    chair=st.sampled_from(["m", "e", "a", "s", "d", "h"]),
    present=st.sets(st.sampled_from(["m", "e", "a", "s", "d", "h", "c"])),
    kind=st.sampled_from(["executive", "topical"]),
)
def test_stating_an_entrustment_only_settles_what_was_unknown(chair: str, present: set[str], kind: str) -> None:
    gov = govrules.load(CONDITIONAL)
    attendees = sorted(present | {chair})
    unknown = gov.check_meeting(kind, attendees=attendees, roster=people(), chair=chair).chair_valid
    stated = gov.check_meeting(kind, attendees=attendees, roster=people(), chair=chair, entrusted=True).chair_valid
    if unknown is not None:  # a definite answer did not hang on the entrustment
        assert stated == unknown
    check = gov.check_meeting(kind, attendees=attendees, roster=people(), chair=chair, entrusted=True)
    for person, approver in check.leave.items():
        assert not (approver in v.OFFICES and people()[person].holds(approver))  # nobody asks himself


@pytest.mark.parametrize(
    ("city", "kind", "expected"),
    [
        ("zhengzhou", "plenary", None),  # 四十一 sets no frequency
        ("zhengzhou", "executive", ("week", (1, 1), True, False, False)),  # 一般每周召开一次
        ("zhengzhou", "deliberation", ("month", (1, 1), True, False, False)),  # 一般每月召开一次
        ("zhengzhou", "mayor_office", (None, None, False, True, False)),  # 根据需要不定期召开
        ("zhengzhou", "study", ("quarter", (1, 1), False, False, False)),  # 每季度学法一次
        ("luoyang", "plenary", (None, None, False, True, False)),  # 根据工作需要召开
        ("luoyang", "executive", ("week", (1, 1), True, False, False)),  # 原则上每周召开一次
        ("luoyang", "topical", (None, None, False, True, False)),  # 不定期召开
        ("luoyang", "study", ("two_months", (1, 1), True, False, False)),  # 一般两个月安排一次
        ("jining", "plenary", ("year", (1, 2), True, False, False)),  # 一般每年召开1—2次
        ("jining", "executive", ("month", (1, 1), True, True, False)),  # 原则上每月1次，可以随时召开
        ("jining", "mayor_office", None),  # 四十六: silent
        ("jining", "topical", None),  # 四十七: silent
        ("quzhou", "plenary", ("half_year", (1, 1), True, False, False)),  # 一般每半年召开一次
        ("quzhou", "executive", ("half_month", (1, 1), True, True, False)),  # 一般每半月，如有需要可临时召开
        ("quzhou", "mayor_office", ("half_month", (1, 1), True, True, False)),
        ("quzhou", "topical", (None, None, False, True, False)),  # 根据需要不定期召开
        ("quzhou", "study", (None, None, True, False, True)),  # 一般……定期组织: regular, period unstated
        ("chaoyang", "plenary", ("half_year", (1, 1), True, False, False)),  # 一般每半年召开1次
        ("chaoyang", "executive", ("month", (2, 2), True, True, False)),  # 一般每月召开2次，如有需要可随时召开
        ("chaoyang", "mayor_office", (None, None, False, True, False)),  # 根据需要召开
        ("chaoyang", "topical", (None, None, False, True, False)),
        ("chaoyang", "study", ("two_months", (1, 1), True, False, False)),  # 一般两个月安排一次
    ],
)
def test_every_meeting_frequency_says_what_its_article_says(
    city: str, kind: str, expected: tuple[object, ...] | None
) -> None:
    found = govrules.load(city).meeting(kind).frequency
    got = None if found is None else (found.per, found.times, found.in_principle, found.as_needed, found.regular)
    assert got == expected


def test_frequency_reads_in_both_languages() -> None:
    assert govrules.Frequency(None, None, regular=True).describe() == "定期（未规定周期）"
    assert govrules.Frequency(None, None, as_needed=True).describe("en") == "as needed"
    assert govrules.Frequency("month", (2, 2), True, True).describe() == "原则上每月2次，如有需要可随时召开"


def test_agenda_chains(cond: govrules.Profile) -> None:
    chain = cond.agenda_chain("executive")
    assert [(s.action, s.roles) for s in chain.steps] == [
        ("propose", ("leader_in_charge",)),
        ("review", ("executive_vice_mayor",)),
        ("approve", ("mayor",)),
    ]
    assert [c.quote for c in chain.basis] == ["议题由分管副市长提出", "常务副市长审核", "报市长审定"]
    assert [s.action for s in cond.agenda_chain("topical", chaired_by="vice_mayor").steps] == ["approve"]
    assert [s.roles for s in cond.agenda_chain("topical", chaired_by="executive_vice_mayor").steps] == [
        ("meeting_chair",)
    ]
    assert "常务副市长审核" in chain.explain() and "review: executive vice mayor" in chain.explain("en")
    assert json.loads(json.dumps(chain.as_dict(), ensure_ascii=False))["steps"][2]["roles"] == ["mayor"]
    with pytest.raises(govrules.NotCovered, match="agenda item"):
        cond.agenda_chain("study")
    with pytest.raises(govrules.InvalidArgument, match="`chaired_by`"):
        cond.agenda_chain("topical", chaired_by="mayr")


def test_agenda_items_are_checked_against_the_chain(cond: govrules.Profile) -> None:
    roster = people()
    members = ["m", "e", "a", "s", "d"]

    def codes(*steps: tuple[str, str], portfolios: tuple[str, ...] = ("education",)) -> list[str]:
        item = AgendaItem("教育规划", steps=steps)
        check = cond.check_meeting("executive", attendees=members, roster=roster, agenda=[item], portfolios=portfolios)
        return [x.code for x in check.violations]

    assert codes(("propose", "a"), ("review", "e"), ("approve", "m")) == []
    assert codes(("propose", "a"), ("approve", "m")) == ["agenda_step_missing"]
    assert codes(("review", "e"), ("propose", "a"), ("approve", "m")) == ["agenda_step_missing"]  # out of order
    assert codes(("propose", "e"), ("review", "e"), ("approve", "m")) == ["agenda_step_missing"]  # not in charge
    assert codes(("propose", "e"), ("review", "e"), ("approve", "m"), portfolios=()) == []  # portfolios not given
    assert cond.check_meeting("executive", attendees=members, roster=roster, agenda=[AgendaItem("x")]).violations == ()
    (violation,) = cond.check_meeting(
        "executive", attendees=members, roster=roster, agenda=[AgendaItem("教育规划", steps=[("propose", "a")])]
    ).violations[:1]
    assert violation.severity == "error" and "`教育规划`" in violation.message and violation.basis[0].article == 2


def test_agenda_steps_need_a_chain_and_a_chair_where_the_chain_depends_on_it(cond: govrules.Profile) -> None:
    item = AgendaItem("x", steps=[("approve", "m")])
    with pytest.raises(govrules.NotCovered):
        cond.check_meeting("study", attendees=["m"], roster=people(), agenda=[item])
    with pytest.raises(govrules.InvalidArgument, match="give `chair`"):
        cond.check_meeting("topical", attendees=["m"], roster=people(), agenda=[item])
    assert cond.check_meeting("topical", attendees=["m"], roster=people(), chair="m", agenda=[item]).violations
    with pytest.raises(govrules.InvalidArgument, match="not in the roster"):
        cond.check_meeting(
            "executive", attendees=["m"], roster=people(), agenda=[AgendaItem("x", steps=[("approve", "z")])]
        )


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ("review", "`steps`: expected a list"),
        ([("revue", "m")], "did you mean `review`"),
        ([("review",)], "pair"),
        ([("review", "a b")], "not a person id"),
    ],
)
def test_agenda_item_steps_are_checked(steps: object, message: str) -> None:
    with pytest.raises(govrules.InvalidArgument, match=message):
        AgendaItem("x", steps=steps)  # type: ignore[arg-type]


def test_meeting_plans(cond: govrules.Profile) -> None:
    plan = govrules.MeetingPlan
    assert cond.check(plan(organiser="department", scope="city_wide")) == []  # approval not stated
    (found,) = cond.check(plan(organiser="department", scope="city_wide", approved_by=[]))
    assert (found.code, found.severity, found.subjects, [c.article for c in found.basis]) == (
        "city_wide_meeting_not_approved",
        "error",
        ("meeting_plan",),
        [6],
    )
    assert cond.check(plan(organiser="department", scope="city_wide", approved_by=["mayor"])) == []  # the mayor's
    assert cond.check(plan(organiser="department", scope="other", invites=["executive_vice_mayor"]))[0].code == (
        "leaders_at_department_meeting"
    )
    assert cond.check(plan(organiser="department", scope="other", invites=["mayor"], leader_heads_organiser=True)) == []
    assert [x.code for x in cond.check(plan(organiser="department", scope="system_wide", count_this_year=2))] == [
        "department_meetings_per_year"
    ]
    assert cond.check(plan(organiser="municipal_government", scope="city_wide", approved_by=[])) == []


def test_a_profile_without_meeting_plan_rules_does_not_answer(gov: govrules.Profile) -> None:
    with pytest.raises(govrules.NotCovered, match="organisation of meetings"):
        gov.check(govrules.MeetingPlan(organiser="department", scope="city_wide"))


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"scope": "city_wide"}, "needs `organiser`"),
        ({"organiser": "department"}, "needs `scope`"),
        ({"organiser": "department", "scope": "citywide"}, "did you mean `city_wide`"),
        ({"organiser": "department", "scope": "city_wide", "invite": ["mayor"]}, "did you mean `invites`"),
        ({"organiser": "department", "scope": "city_wide", "invites": ["mayr"]}, "did you mean `mayor`"),
        ({"organiser": "department", "scope": "city_wide", "approved_by": ["vice_mayor"]}, "`approved_by`"),
        ({"organiser": "department", "scope": "city_wide", "count_this_year": 0}, "at least 1"),
        ({"organiser": "department", "scope": "city_wide", "count_this_year": True}, "at least 1"),
        ({"organiser": "department", "scope": "city_wide", "below_county": "yes"}, "`below_county`"),
    ],
)
def test_meeting_plan_arguments(attributes: dict[str, object], message: str) -> None:
    with pytest.raises(govrules.InvalidArgument, match=message):
        govrules.MeetingPlan(**attributes)


def test_meeting_plan_from_mapping() -> None:
    plan = govrules.MeetingPlan.from_mapping({"organiser": "department", "scope": "city_wide", "invites": ["mayor"]})
    assert plan.invites == ("mayor",) and plan.in_name_of == "department"
    with pytest.raises(govrules.InvalidArgument, match="a meeting plan is a mapping"):
        govrules.MeetingPlan.from_mapping(["department"])  # type: ignore[arg-type]
    with pytest.raises(govrules.InvalidArgument, match="MeetingPlan"):
        govrules.load(CONDITIONAL).check(42)  # type: ignore[arg-type]


OFFICES = ["mayor", "executive_vice_mayor", "vice_mayor", "secretary_general", "deputy_secretary_general"]


@settings(deadline=None, max_examples=60)
@given(
    pid=st.sampled_from(["zhengzhou", "luoyang", "jining", "quzhou", "chaoyang"]),
    offices=st.lists(st.sampled_from([*OFFICES, "department_head", "county_head", "military_commander"]), max_size=8),
    data=st.data(),
)
def test_no_bundled_profile_sends_anyone_to_approve_their_own_leave(
    pid: str, offices: list[str], data: st.DataObject
) -> None:
    gov = govrules.load(pid)
    roster = Roster([Person(f"p{i}", office) for i, office in enumerate(["mayor", *offices])])
    ids = [p.id for p in roster]
    kind = data.draw(st.sampled_from(gov.meetings()))
    chair = data.draw(st.sampled_from(ids))
    present = data.draw(st.sets(st.sampled_from(ids)))
    entrusted = data.draw(st.sampled_from([None, True, False]))
    check = gov.check_meeting(
        kind, attendees=sorted(present), roster=roster, chair=chair, entrusted=entrusted, invited=ids
    )
    assert set(check.leave).isdisjoint(check.leave_not_covered)
    assert set(check.leave) | set(check.leave_not_covered) == {*check.missing_members, *check.missing_attendees}
    for person, approver in check.leave.items():
        assert not (approver in v.OFFICES and roster[person].holds(approver))
        assert not (approver == "meeting_chair" and person == chair)


def test_cli_checks_a_meeting_plan(tmp_path) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "organiser: department\nscope: city_wide\ninvites: [county_head]\napproved_by: []\n", encoding="utf-8"
    )
    code, out, _ = run("check", "quzhou", "--meeting-plan", str(plan))
    assert code == 1  # an error-severity violation
    assert "city_wide_meeting_not_approved" in out and "第48条" in out
    code, out, _ = run("check", "quzhou", "--meeting-plan", str(plan), "--json")
    assert sorted(x["code"] for x in json.loads(out)) == [
        "city_wide_meeting_not_approved",
        "county_heads_invited_without_approval",
    ]
    code, out, _ = run("check", str(PROFILE), "--meeting-plan", str(plan))
    assert code == 3  # the profile has no rule on organising meetings
    plan.write_text("organiser: department\nscope: citywide\n", encoding="utf-8")
    code, _out, err = run("check", "quzhou", "--meeting-plan", str(plan))
    assert code == 2 and "did you mean `city_wide`" in err
    code, _out, err = run("check", "quzhou", "--meeting-plan", str(plan), "--document", str(plan))
    assert code == 2 and "not both" in err
