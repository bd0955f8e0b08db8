"""Who approves an absence, and who must be told (the `approvals` family): the answer's shape, the
staffing of its roles, and the errors at its boundary. The cities' answers are in
tests/scenarios/*/approvals.yaml; these tests use the fictional tests/fixtures/valid/approvals.yaml."""

from __future__ import annotations

import datetime as dt
import json
import pickle

import pytest

import govrules
from govrules import Absence, AbsenceApproval, Person, Roster

from .conftest import FIXTURES

START, END = dt.date(2025, 3, 10), dt.date(2025, 3, 12)


@pytest.fixture(scope="module")
def gov() -> govrules.Profile:
    return govrules.load(FIXTURES / "valid" / "approvals.yaml")


def roster() -> Roster:
    return Roster(
        [
            Person("li", "mayor"),
            Person("zhao", "vice_mayor", portfolios=["education"]),
            Person("qian", "vice_mayor", portfolios=["health"]),
            Person("zhou", "secretary_general"),
            Person("edu", "department_head", portfolios=["education"]),
        ]
    )


def away(person: str, reason: str = "vacation", place: str | None = "out_of_province") -> Absence:
    return Absence(person, START, END, reason, place=place)


def test_the_approver_and_those_told_are_named(gov: govrules.Profile) -> None:
    answer = gov.absence_approval("zhao", away("zhao"), roster=roster())
    assert (answer.approvers, answer.approver_persons, answer.leave) == (("mayor",), ("li",), True)
    assert answer.informed == ("party_committee", "vice_mayor")
    assert answer.informed_persons == ("qian",)  # the other vice mayor, never the absent one
    assert "party_committee" in answer.unstaffed and "body" in answer.unstaffed["party_committee"]
    assert (answer.unresolved, answer.due, answer.rules) == (None, None, ("approvals.approvals.vice-mayors",))
    assert [c.article for c in answer.basis] == [2]


def test_nobody_approves_their_own_absence(gov: govrules.Profile) -> None:
    answer = gov.absence_approval("secretary_general", away("zhou"), roster=roster())
    assert answer.approvers == ("secretary_general",)
    assert answer.approver_persons == ()
    assert answer.unresolved is not None and "only `zhou` themselves is `secretary_general`" in answer.unresolved


def test_leave_without_a_named_approver_is_unresolved_and_has_its_deadline(gov: govrules.Profile) -> None:
    answer = gov.absence_approval("edu", away("edu", "business_trip"), roster=roster())
    assert (answer.approvers, answer.leave) == ((), True)
    assert answer.unresolved == "the text requires leave to be asked (请假) but does not say who grants it"
    assert answer.informed_persons == ("zhao",)  # the vice mayor in charge of education
    assert answer.due is not None and answer.due.kind == "leave_request"
    assert answer.due.due == dt.date(2025, 3, 5)  # 3 working days before Monday 10 March
    assert {c.article for c in answer.basis} == {4}


def test_without_a_roster_the_office_is_asked_and_roles_are_answered(gov: govrules.Profile) -> None:
    answer = gov.absence_approval("vice_mayor", away("anyone"))
    assert (answer.person, answer.approvers, answer.approver_persons) == ("vice_mayor", ("mayor",), ())
    with pytest.raises(govrules.InvalidArgument, match="name the absent official's office"):
        gov.absence_approval("zhao", away("zhao"))
    with pytest.raises(govrules.InvalidArgument, match="did you mean `vice_mayor`"):
        gov.absence_approval("vice_mayr", away("zhao"))


def test_a_rule_that_turns_on_the_place_needs_it(gov: govrules.Profile) -> None:
    with pytest.raises(govrules.InvalidArgument) as info:
        gov.absence_approval("zhao", away("zhao", place=None), roster=roster())
    message = str(info.value)
    assert message.startswith("`absence`: the absence of `zhao` (vacation, 2025-03-10 to 2025-03-12)")
    assert "`approvals.approvals.vice-mayors` (article 2: " in message and "`place`" in message
    with pytest.raises(govrules.NotCovered):  # in the city: the rule does not apply, and no other does
        gov.absence_approval("zhao", away("zhao", place="in_city"), roster=roster())


def test_not_covered_names_the_official_and_the_absence(gov: govrules.Profile) -> None:
    with pytest.raises(govrules.NotCovered, match=r"`li` \(`mayor`\)"):
        gov.absence_approval("li", away("li"), roster=roster())
    with pytest.raises(govrules.NotCovered):
        gov.absence_approval("edu", away("edu", "medical"), roster=roster())


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda g: g.absence_approval("zhao", "vacation", roster=roster()), "`absence`: expected a `govrules.Absence`"),
        (lambda g: g.absence_approval("zhao", away("qian"), roster=roster()), "it is the absence of `qian`, not"),
        (lambda g: g.absence_approval("zhao", away("zhao"), roster=["zhao"]), "`roster`: expected a `govrules.Roster`"),
        (lambda g: g.absence_approval("zaho", away("zhao"), roster=roster()), "is neither a person in the roster"),
        (
            lambda g: g.absence_approval(
                "zhao", Absence("zhao", dt.date(2020, 1, 1), dt.date(2020, 1, 2), "vacation"), roster=roster()
            ),
            "before profile `approvals` took effect",
        ),
    ],
)
def test_bad_arguments_are_refused_clearly(gov: govrules.Profile, call: object, message: str) -> None:
    with pytest.raises(govrules.InvalidArgument, match=message.replace("`", ".").replace("(", ".").replace(")", ".")):
        call(gov)  # type: ignore[operator]


def test_the_answer_is_a_value(gov: govrules.Profile) -> None:
    answer = gov.absence_approval("edu", away("edu"), roster=roster())
    assert isinstance(answer, AbsenceApproval)
    data = answer.as_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["due"]["due"] == "2025-03-05" and data["leave"] is True
    assert pickle.loads(pickle.dumps(answer)) == answer
    assert AbsenceApproval.from_dict(data) == answer
    by_office = gov.absence_approval("vice_mayor", away("zhao"))
    assert hash(by_office) == hash(gov.absence_approval("vice_mayor", away("zhao")))
    assert "须请假，但未规定由谁批准" in answer.explain("zh")
    assert "leave must be asked, but the text does not say of whom" in answer.explain("en")
    assert "leave_request" in answer._repr_html_()


def test_the_bundled_profiles_answer_through_the_typed_method() -> None:
    gov = govrules.load("chaoyang")
    people = Roster([Person("li", "mayor"), Person("zhao", "vice_mayor")])
    answer = gov.absence_approval("zhao", away("zhao", "business_trip"), roster=people)
    assert answer.approver_persons == ("li",)
    # a typed method, not found through `Profile.__getattr__`
    assert any("absence_approval" in vars(cls) for cls in type(gov).__mro__ if cls is not object)
