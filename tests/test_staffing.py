"""Staffing on a day: every role a profile names is staffed or says why not; reviewers are staffed
like signers; the chair of a meeting is the person who chaired it; where an official is matters
apart from why; the profile says which offices serve as counterparts (对口)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import govrules
from govrules import Absence, Document, Person, Roster
from govrules import vocabulary as v
from govrules.families.approvals import Approvals
from govrules.families.seals import Seals
from govrules.families.signing import Signing
from govrules.staffing import Staffer, Subject

ON = dt.date(2025, 3, 3)


def everyone() -> Roster:
    """One person in every office, leaders with portfolios, a counterpart of each serving kind."""
    return Roster(
        [
            Person("mayor_li", "mayor", portfolios=["p_mayor"]),
            Person("evm_wang", "executive_vice_mayor", portfolios=["p_evm"]),
            Person("vm_zhao", "vice_mayor", portfolios=["p1"]),
            Person("sg_zhou", "secretary_general", portfolios=["p_sg"]),
            Person("dsg_wu", "deputy_secretary_general", counterpart="vm_zhao"),
            Person("odd_chen", "office_deputy_director", counterpart="vm_zhao"),
            Person("od_sun", "office_director"),
            Person("pg_liu", "party_group_member"),
            Person("mc_he", "military_commander"),
            Person("head_p1", "department_head", portfolios=["p1"]),
            Person("county_a", "county_head"),
        ]
    )


def named_roles(gov: govrules.Profile) -> set[str]:
    roles: set[str] = set()
    for rule in gov.family(Signing).rules:
        for step in rule.steps or ():
            roles.update(step.roles, step.delegable_to)
        if rule.delegation is not None:
            roles.update(rule.delegation.to)
    for seal in gov.family(Seals).rules:
        roles.update(seal.approvers, seal.delegable_to)
    for approval in gov.family(Approvals).rules:
        roles.update(approval.approvers, approval.informed)
    return roles


@pytest.mark.parametrize("pid", govrules.profiles())
def test_every_role_a_bundled_profile_names_is_staffed_or_a_body(pid: str) -> None:
    gov = govrules.load(pid)
    staffer = Staffer(gov.spec.roles)
    subject = Subject(portfolios=("p1",), chaired_by="mayor")
    for role in sorted(named_roles(gov)):
        found, why = staffer.holders(role, subject, everyone())
        assert found or staffer.kind(role) == "body", f"{pid}: `{role}` names no one: {why}"
        if not found:
            assert why and "is a body" in why


def test_a_profile_role_that_narrows_a_relation_is_staffed() -> None:
    """衢州 47 (分管副市长或市长签发): the vice mayor in charge no longer disappears with a roster."""
    gov = govrules.load("quzhou")
    minutes = Document("minutes", meeting="topical", portfolios=("p1",))
    route = gov.sign(minutes, on=ON, roster=everyone())
    assert route.signers == ("vice_mayor_in_charge", "mayor")
    assert set(route.persons) == {"vm_zhao", "mayor_li"}
    led_by_the_mayor = gov.sign(
        Document("minutes", meeting="topical", portfolios=("p_mayor",)), on=ON, roster=everyone()
    )
    assert led_by_the_mayor.persons == ("mayor_li",)  # the leader in charge is no vice mayor: the mayor signs


def test_a_body_is_never_a_person_and_the_answer_says_so() -> None:
    gov = govrules.load("zhengzhou")
    submission = Document("request", issuer="department", recipient="municipal_government", portfolios=("p1",))
    route = gov.sign(submission, on=ON, roster=everyone())
    office = route.staffing[0]
    assert office.roles == ("municipal_general_office",) and office.persons == ()
    assert office.unresolved == "`municipal_general_office` (市政府办公厅) is a body, not a person a roster names"
    assert route.staffing[1].persons == ("vm_zhao",)  # the approval (审批) by the leader in charge
    assert route.unresolved == "the route has no signature"


def test_reviewers_are_staffed_and_the_route_keeps_the_final_signature_apart() -> None:
    gov = govrules.load("zhengzhou")
    roster = Roster(
        [
            *(p for p in everyone() if p.id != "vm_zhao"),
            Person("vm_zhao", "vice_mayor", portfolios=["p1"], ab_partner="vm_qian"),
            Person("vm_qian", "vice_mayor", portfolios=["p9"], ab_partner="vm_zhao"),
        ]
    )
    doc = Document("notice", issuer="general_office", recipient="subordinate", portfolios=("p1",), urgency="urgent")
    away = [Absence("vm_zhao", ON, ON, "vacation", place="abroad")]
    route = gov.sign(doc, on=ON, roster=roster, absences=away)
    assert (route.persons, route.unresolved) == (("sg_zhou",), None)
    assert route.review_persons == (("vm_qian",),)
    assert dict(route.staffing[0].acting_for) == {"vm_qian": "vm_zhao"}
    assert "zhengzhou.substitution.vice-mayor-ab" in route.rules
    text = route.explain("en")
    assert "step 1 that day: vm_qian (for vm_zhao)" in text
    assert "第1步当日：vm_qian（代vm_zhao）" in route.explain("zh")
    data = route.as_dict()
    assert data["staffing"][0]["persons"] == ["vm_qian"]
    assert govrules.Route.from_dict(data) == route
    assert gov.sign(doc).staffing == ()  # no day, no staffing


def test_a_review_by_every_leader_concerned_is_unresolved_while_one_is_away() -> None:
    gov = govrules.load("quzhou")
    roster = Roster([*everyone(), Person("vm_qian", "vice_mayor", portfolios=["p2"])])
    doc = Document("notice", portfolios=("p1", "p2"))
    route = gov.sign(doc, on=ON, roster=roster, absences=[Absence("vm_qian", ON, ON, "study")])
    (review, _sign) = route.staffing
    assert review.persons == ("vm_zhao",) and review.unresolved is not None and "vm_qian" in review.unresolved
    assert route.unresolved is None and route.persons == ("mayor_li",)


# -- the chair ---------------------------------------------------------------------------------------


def luoyang_roster() -> Roster:
    return Roster(
        [
            Person("mayor_li", "mayor"),
            Person("vm_zhao", "vice_mayor", portfolios=["p1"], ab_partner="vm_qian"),
            Person("vm_qian", "vice_mayor", portfolios=["p2"], ab_partner="vm_zhao"),
            Person("vm_sun", "vice_mayor", portfolios=["p3"]),
        ]
    )


def test_the_chair_is_the_person_who_chaired_not_every_holder_of_the_office() -> None:
    gov = govrules.load("luoyang")
    minutes = Document("minutes", meeting="topical", chaired_by="vice_mayor", chaired_by_person="vm_sun")
    assert gov.sign(minutes, on=ON, roster=luoyang_roster()).persons == ("vm_sun",)
    unnamed = gov.sign(Document("minutes", meeting="topical", chaired_by="vice_mayor"), on=ON, roster=luoyang_roster())
    assert unnamed.persons == ()
    assert unnamed.unresolved is not None and "name the one who chaired it (`chaired_by_person`)" in unnamed.unresolved
    nobody = gov.sign(Document("minutes", meeting="topical"), on=ON, roster=luoyang_roster())
    assert nobody.unresolved == "the document does not say who chaired the meeting (`chaired_by_person`)"


def test_an_absent_chair_is_replaced_only_by_the_stand_in_the_text_allows() -> None:
    gov = govrules.load("luoyang")
    away = [Absence("vm_zhao", ON, ON, "business_trip")]
    normal = Document("minutes", meeting="topical", chaired_by_person="vm_zhao")
    route = gov.sign(normal, on=ON, roster=luoyang_roster(), absences=away)
    assert route.persons == () and route.unresolved is not None  # no other vice mayor is invented
    urgent = Document("minutes", meeting="topical", chaired_by_person="vm_zhao", urgency="urgent")
    route = gov.sign(urgent, on=ON, roster=luoyang_roster(), absences=away)
    assert (route.persons, dict(route.acting_for)) == (("vm_qian",), {"vm_qian": "vm_zhao"})


def test_the_chair_must_be_in_the_roster_and_hold_the_office_named() -> None:
    gov = govrules.load("luoyang")
    with pytest.raises(govrules.InvalidArgument, match="`chaired_by_person`: `vm_zaho` is not in the roster; did you"):
        gov.sign(Document("minutes", meeting="topical", chaired_by_person="vm_zaho"), on=ON, roster=luoyang_roster())
    with pytest.raises(govrules.InvalidArgument, match="`mayor_li` is a `mayor`, but `chaired_by` says a `vice_mayor`"):
        doc = Document("minutes", meeting="topical", chaired_by="vice_mayor", chaired_by_person="mayor_li")
        gov.sign(doc, on=ON, roster=luoyang_roster())
    with pytest.raises(govrules.InvalidArgument, match="`chaired_by_person`: `vm zhao` is not a person id"):
        Document("minutes", chaired_by_person="vm zhao")


def test_luoyang_sends_only_important_several_portfolio_minutes_to_the_mayor() -> None:
    gov = govrules.load("luoyang")
    ordinary = gov.sign(Document("minutes", meeting="topical", chaired_by="vice_mayor", portfolios=("p1", "p2")))
    assert ordinary.signers == ("meeting_chair",)
    important = gov.sign(
        Document("minutes", meeting="topical", chaired_by="vice_mayor", portfolios=("p1", "p2"), important=True)
    )
    assert (important.reviewers, important.signers) == (("meeting_chair",), ("mayor",))


# -- where and why ------------------------------------------------------------------------------------


def ab_roster() -> Roster:
    return Roster(
        [
            Person("mayor_li", "mayor"),
            Person("vm_zhao", "vice_mayor", portfolios=["p1"], ab_partner="vm_qian"),
            Person("vm_qian", "vice_mayor", portfolios=["p2"], ab_partner="vm_zhao"),
        ]
    )


def test_a_vacation_outside_the_city_triggers_a_rule_on_leaving_the_city() -> None:
    gov = govrules.load("zhengzhou")
    vacation = Absence("vm_zhao", ON, ON, "vacation", place="out_of_province")
    act = gov.acting("vm_zhao", on=ON, roster=ab_roster(), absences=[vacation], duty="reception")
    assert act.person == "vm_qian"
    at_home = Absence("vm_zhao", ON, ON, "vacation", place="in_city")
    act = gov.acting("vm_zhao", on=ON, roster=ab_roster(), absences=[at_home], duty="reception")
    assert act.person is None and act.unresolved is not None
    assert "they are away (vacation, in_city)" in act.unresolved
    assert "`zhengzhou.substitution.vice-mayor-ab` applies only when `out_of_city` or" in act.unresolved


def test_a_rule_that_needs_the_place_refuses_an_absence_without_one() -> None:
    gov = govrules.load("zhengzhou")
    unknown = Absence("vm_zhao", ON, ON, "vacation")
    with pytest.raises(govrules.InvalidArgument) as info:
        gov.acting("vm_zhao", on=ON, roster=ab_roster(), absences=[unknown], duty="reception")
    message = str(info.value)
    assert message.startswith("`absences`: the absence of `vm_zhao` (vacation, 2025-03-03 to 2025-03-03)")
    assert "rule `zhengzhou.substitution.vice-mayor-ab` (article 9: 副市长离郑期间" in message
    assert message.endswith("give its `place`: one of `in_city`, `out_of_city`, `out_of_province`, `abroad`")
    # a duty no rule passes does not turn on the place: unresolved, no error
    act = gov.acting("vm_zhao", on=ON, roster=ab_roster(), absences=[unknown], duty="sign")
    assert act.person is None
    # nor does a question about someone else, or a check of the absences
    assert gov.acting("vm_qian", on=ON, roster=ab_roster(), absences=[unknown], duty="reception").person == "vm_qian"
    assert gov.check(absences=[unknown], roster=ab_roster(), on=ON) == []


def test_a_place_the_answer_does_not_turn_on_is_not_asked_for() -> None:
    """济宁 八 (出市（出访）、休假): a vacation is covered wherever it is spent."""
    gov = govrules.load("jining")
    vacation = Absence("vm_zhao", ON, ON, "vacation")
    assert gov.acting("vm_zhao", on=ON, roster=ab_roster(), absences=[vacation], duty="all").person == "vm_qian"
    with pytest.raises(govrules.InvalidArgument, match="does not say where"):
        gov.acting("vm_zhao", on=ON, roster=ab_roster(), absences=[Absence("vm_zhao", ON, ON, "study")], duty="all")


def test_absence_places() -> None:
    assert Absence("a", ON, ON, "abroad").place == "abroad"
    assert Absence("a", ON, ON, "out_of_city", place="abroad").place == "abroad"  # farther is still out
    assert Absence("a", ON, ON, "business_trip").place is None
    with pytest.raises(govrules.InvalidArgument, match="`in_city` contradicts the reason `out_of_province`"):
        Absence("a", ON, ON, "out_of_province", place="in_city")
    with pytest.raises(govrules.InvalidArgument, match="did you mean `abroad`"):
        Absence("a", ON, ON, "vacation", place="abraod")
    data = {
        "absences": [{"person": "a", "start": "2025-03-03", "end": "2025-03-04", "reason": "vacation", "place": "x"}]
    }
    with pytest.raises(govrules.InvalidArgument, match=r"`absences\[0\]\.place`: `x` is not a place"):
        Absence.list_from_mapping(data)
    assert Absence.from_mapping({**data["absences"][0], "place": "in_city"}).place == "in_city"
    assert set(v.PLACE_REASONS.values()) <= set(v.PLACES)


def test_an_absences_file_gives_places_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "absences.yaml"
    path.write_text(
        "absences:\n  - {person: a, start: 2025-03-03, end: 2025-03-04, reason: vacation, place: out_of_twon}\n",
        encoding="utf-8",
    )
    with pytest.raises(govrules.ProfileError) as info:
        govrules.absences_from_yaml(path)
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.line) == ("GR013", 2) and diag.help == "did you mean `out_of_city`?"


# -- counterparts (对口) --------------------------------------------------------------------------------

PAIR_RULE = """
profile: {{id: counterparts, name: 示例市人民政府工作规则, city: 示例市, province: 示例省,
  issued: 2024-01-02, effective: 2024-01-02, articles: 10}}
roles:{roles}
signing:
  - id: counterparts.signing.all
    when: {{issuer: municipal_government}}
    steps:
      - {{action: review, roles: [counterpart_deputy_secretary_general]}}
      - {{action: sign, roles: [leader_in_charge]}}
    basis: [{{article: 1, quote: 对口副秘书长审核后由分管领导签发}}]
compliance:
  - id: counterparts.compliance.pair
    code: leader_and_counterpart_away
    severity: warning
    message: 分管领导与对口副秘书长不能同时外出
    absent_together: counterpart
    basis: [{{article: 2, quote: 分管领导与对口副秘书长不能同时外出}}]
"""
WIDER = """
  - id: counterpart_deputy_secretary_general
    name: 对口副秘书长（市政府办公室副主任）
    offices: [deputy_secretary_general, office_deputy_director]"""


@pytest.mark.parametrize("wider", [False, True])
def test_the_profile_says_which_offices_serve_as_counterparts(tmp_path: Path, wider: bool) -> None:
    path = tmp_path / "counterparts.yaml"
    path.write_text(PAIR_RULE.format(roles=WIDER if wider else " []"), encoding="utf-8")
    gov = govrules.load(path)
    roster = Roster(
        [
            Person("vm_zhao", "vice_mayor", portfolios=["p1"]),
            Person("odd_chen", "office_deputy_director", counterpart="vm_zhao"),
        ]
    )
    both = [Absence("vm_zhao", ON, ON, "business_trip"), Absence("odd_chen", ON, ON, "business_trip")]
    found = gov.check(absences=both, roster=roster, on=ON)
    assert [x.code for x in found] == (["leader_and_counterpart_away"] if wider else [])
    route = gov.sign(Document("notice", portfolios=("p1",)), on=ON, roster=roster)
    assert route.review_persons == ((("odd_chen",),) if wider else ((),))


def test_staffing_is_kept_per_day_and_never_carried_to_another_day() -> None:
    """Documents that differ only where staffing does not look are staffed alike (and from the
    family's memo); a different day, with other absences, is staffed afresh."""
    gov = govrules.load("zhengzhou")
    roster = govrules.Roster.from_yaml("examples/roster.yaml")
    away = govrules.absences_from_yaml("examples/absences.yaml")
    on = dt.date(2025, 3, 5)
    first, second = (
        govrules.Document(kind="notice", portfolios=("education",), urgency="urgent", matters=n) for n in (1, 2)
    )
    a = gov.sign(first, on=on, roster=roster, absences=away)
    b = gov.sign(second, on=on, roster=roster, absences=away)
    assert (a.persons, dict(a.acting_for), a.staffing) == (b.persons, dict(b.acting_for), b.staffing)
    assert dict(a.acting_for)  # someone stands in on that day
    present = gov.sign(second, on=on, roster=roster, absences=())
    assert not dict(present.acting_for) and present.persons != a.persons
