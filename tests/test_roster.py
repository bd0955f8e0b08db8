"""Person ids, the "no partner" value that no id can take, and the roster size limit.

The regressions run through the public API with the bundled profiles: a person whose id was the
engine's old sentinel (`none`) became everyone's AB partner (郑州: an absent vice mayor without a
partner was answered with `none` acting for him) and everyone's counterpart (洛阳: false
`leader_and_counterpart_away` violations).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govrules
from govrules import Absence, Person, Roster
from govrules.roster import MAX_PEOPLE

from .conftest import FIXTURES

ON = dt.date(2025, 3, 3)


def away(person: str, reason: str = "out_of_city", *, entrusted: bool = False) -> Absence:
    # out of the province whatever the reason, so rules that turn on where the official is apply
    place = None if reason == "out_of_city" else "out_of_province"
    return Absence(person, ON, ON, reason, place=place, entrusted=entrusted)


# -- ids ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pid",
    ["vm_zhao", "none", "None", "null", "0", "true", "张三", "dsg.wu-1", "Ωmega", "x" * 200, "李-2.b_c"],
)
def test_ids_that_are_accepted(pid: str) -> None:
    assert Person(pid, "vice_mayor").id == pid
    assert Absence(pid, ON, ON, "vacation").person == pid
    assert Person("other", "vice_mayor", ab_partner=pid).ab_partner == pid


@pytest.mark.parametrize(
    ("pid", "words"),
    [
        ("", "a person id cannot be empty"),
        ("vm zhao", "contains a space"),
        (" vm", "contains a space"),
        ("vm\tzhao", "white space (U+0009)"),
        ("vm\x00", "the control character U+0000"),
        ("vm/zhao", "contains `/`"),
        ("a:b", "contains `:`"),
        ("x" * 201, "at most 200 characters, got 201"),
        (unicodedata.normalize("NFD", "é"), "contains"),  # a combining accent is not a letter
        ("\u212b", "normal form NFC"),  # the Angstrom sign: the engine would read it as Å
    ],
)
def test_ids_that_are_refused(pid: str, words: str) -> None:
    for make, name in (
        (lambda: Person(pid, "vice_mayor"), "id"),
        (lambda: Person("a", "vice_mayor", ab_partner=pid), "ab_partner"),
        (lambda: Person("a", "deputy_secretary_general", counterpart=pid), "counterpart"),
        (lambda: Absence(pid, ON, ON, "vacation"), "person"),
    ):
        with pytest.raises(govrules.InvalidArgument) as info:
            make()
        assert str(info.value).startswith(f"`{name}`: "), info.value
        assert words in str(info.value)


def test_non_string_ids_are_refused() -> None:
    with pytest.raises(govrules.InvalidArgument, match=r"^`id`: expected a person id \(a string\), got `7`"):
        Person(7, "mayor")  # type: ignore[arg-type]
    with pytest.raises(govrules.InvalidArgument, match=r"^`person`"):
        Absence(None, ON, ON, "vacation")  # type: ignore[arg-type]


def test_a_bad_id_in_a_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "roster.yaml"
    path.write_text("people:\n  - {id: mayor_li, office: mayor}\n  - {id: 'vm zhao', office: vice_mayor}\n")
    with pytest.raises(govrules.ProfileError) as info:
        Roster.from_yaml(path)
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.line, diag.column) == ("GR012", 3, 10)
    assert diag.message.startswith("`vm zhao` is not a person id: it contains a space")


# -- the "no partner" value cannot be anyone's id --------------------------------------------------


def test_zhengzhou_an_absent_vice_mayor_without_a_partner_has_no_stand_in_even_beside_none() -> None:
    zz = govrules.load("zhengzhou")
    roster = Roster(
        [
            Person("mayor_li", "mayor"),
            Person("vm_zhao", "vice_mayor", portfolios=["education"]),
            Person("none", "vice_mayor", portfolios=["health"]),
        ]
    )
    act = zz.acting("vm_zhao", on=ON, roster=roster, absences=[away("vm_zhao")], duty="attend_meetings")
    assert act.person is None and act.chain == ("vm_zhao",)
    assert (act.unresolved or "").startswith("`vm_zhao` is absent and no substitution rule applies to them")
    assert "no one in the roster is its stand-in (`ab_partner`)" in (act.unresolved or "")
    urgent = govrules.Document(kind="notice", recipient="subordinate", portfolios=("education",), urgency="urgent")
    route = zz.sign(urgent, on=ON, roster=roster, absences=[away("vm_zhao")])
    assert route.persons == () and dict(route.acting_for) == {}


def test_zhengzhou_a_person_called_none_is_still_a_real_partner() -> None:
    zz = govrules.load("zhengzhou")
    roster = Roster(
        [Person("vm_zhao", "vice_mayor", ab_partner="none"), Person("none", "vice_mayor", ab_partner="vm_zhao")]
    )
    act = zz.acting("vm_zhao", on=ON, roster=roster, absences=[away("vm_zhao")], duty="attend_meetings")
    assert act.person == "none" and act.chain == ("vm_zhao", "none")


def test_luoyang_no_false_leader_and_counterpart_violation_for_a_leader_called_none() -> None:
    ly = govrules.load("luoyang")
    roster = Roster(
        [
            Person("mayor_li", "mayor"),
            Person("none", "vice_mayor", portfolios=["education"]),
            Person("dsg_wu", "deputy_secretary_general"),  # serves no one
        ]
    )
    assert ly.check(absences=[away("none"), away("dsg_wu")], roster=roster, on=ON) == []
    # the rule still fires for the counterpart who really serves `none`
    served = Roster([*list(roster)[:2], Person("dsg_wu", "deputy_secretary_general", counterpart="none")])
    found = ly.check(absences=[away("none"), away("dsg_wu")], roster=served, on=ON)
    assert [(v.code, v.subjects) for v in found] == [("leader_and_counterpart_away", ("none", "dsg_wu"))]


def _pairing_profiles() -> list[str]:
    """Every bundled profile with a rule that joins on AB partners or counterparts."""
    out = []
    for pid in govrules.profiles():
        spec = govrules.load(pid).spec
        if any("ab_partner" in r.acting for r in spec.substitution) or any(
            r.absent_together is not None for r in spec.compliance
        ):
            out.append(pid)
    return out


PAIRING = _pairing_profiles()


def test_the_cities_with_pairing_rules() -> None:
    assert {"zhengzhou", "luoyang", "jining", "chaoyang"} <= set(PAIRING)


TRICKY = ["none", "None", "null", "NONE", "0", "false", "ab_partner", "counterpart", "pid"]
DUTIES = ["preside", "attend_meetings", "attend_events", "reception", "emergencies", "sign_urgent", "sign", "all"]
REASONS = ["out_of_city", "business_trip", "vacation", "medical"]
BASE = ["mayor_li", "evm_wang", "vm_zhao", "vm_qian", "vm_x", "dsg_wu", "dsg_free"]


def _roster(x: str) -> Roster:
    """A roster where `x` is an unpaired vice mayor whom a deputy secretary-general serves, beside an
    unpaired deputy secretary-general and an AB pair."""
    return Roster(
        [
            Person("mayor_li", "mayor"),
            Person("evm_wang", "executive_vice_mayor", portfolios=["finance"]),
            Person("vm_zhao", "vice_mayor", portfolios=["education"], ab_partner="vm_qian"),
            Person("vm_qian", "vice_mayor", portfolios=["health"], ab_partner="vm_zhao"),
            Person(x, "vice_mayor", portfolios=["transport"]),
            Person("dsg_wu", "deputy_secretary_general", counterpart=x),
            Person("dsg_free", "deputy_secretary_general"),
        ]
    )


def _answers(gov: govrules.Profile, x: str, absent: list[tuple[str, str, bool]]) -> list[object]:
    rename = {"vm_x": x}
    roster = _roster(x)
    absences = [away(rename.get(p, p), reason, entrusted=e) for p, reason, e in absent]
    back = {x: "vm_x"}
    out: list[object] = []
    for who in BASE:
        for duty in DUTIES:
            try:
                act = gov.acting(rename.get(who, who), on=ON, roster=roster, absences=absences, duty=duty)
            except govrules.NotCovered:
                out.append("not covered")
                continue
            out.append(
                (
                    back.get(act.person or "", act.person),
                    tuple(back.get(p, p) for p in act.chain),
                    tuple(sorted(back.get(p, p) for p in act.candidates)),
                    act.rules,
                )
            )
    out.append(
        sorted(
            (v.code, tuple(back.get(p, p) for p in v.subjects))
            for v in gov.check(absences=absences, roster=roster, on=ON)
        )
    )
    return out


@pytest.mark.parametrize("pid", PAIRING)
@settings(max_examples=15, deadline=None)
@given(
    x=st.sampled_from(TRICKY),
    absent=st.lists(
        st.tuples(st.sampled_from(BASE), st.sampled_from(REASONS), st.booleans()), max_size=4, unique_by=lambda a: a[0]
    ),
)
def test_an_id_never_changes_an_answer(pid: str, x: str, absent: list[tuple[str, str, bool]]) -> None:
    """Renaming a person changes nothing but their name in the answers, whatever the new id."""
    gov = govrules.load(pid)
    assert _answers(gov, x, absent) == _answers(gov, "vm_plain_name", absent)


# -- the size limit -------------------------------------------------------------------------------


def _people(count: int) -> list[Person]:
    return [Person(f"p{i}", "department_head") for i in range(count)]


def test_a_roster_holds_at_most_max_people() -> None:
    assert MAX_PEOPLE == 2_000
    assert len(Roster(_people(MAX_PEOPLE))) == MAX_PEOPLE
    with pytest.raises(govrules.InvalidArgument, match=r"^`people`: a roster holds at most 2,000 people, got 2,001; "):
        Roster(_people(MAX_PEOPLE + 1))


def test_a_roster_file_over_the_limit_is_refused_at_its_people_key(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    lines = [f"  - {{id: p{i}, office: department_head}}" for i in range(MAX_PEOPLE + 1)]
    path.write_text("# too many\npeople:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(govrules.ProfileError) as info:
        Roster.from_yaml(path)
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.line, diag.column) == ("GR012", 3, 3)
    assert diag.message == "a roster holds at most 2,000 people, got 2,001"
    assert diag.help is not None and "32-bit hash" in diag.help
    data = {"people": [{"id": f"p{i}", "office": "department_head"} for i in range(MAX_PEOPLE + 1)]}
    with pytest.raises(govrules.InvalidArgument, match=r"^`people`: a roster holds at most 2,000 people"):
        Roster.from_mapping(data)


def test_a_roster_at_the_limit_answers() -> None:
    zz = govrules.load("zhengzhou")
    people = [*_people(MAX_PEOPLE - 2), Person("mayor_li", "mayor"), Person("evm_wang", "executive_vice_mayor")]
    roster = Roster(people)
    act = zz.acting("mayor", on=ON, roster=roster, absences=[away("mayor_li", entrusted=True)], duty="preside")
    assert act.person == "evm_wang"


# -- building rosters -----------------------------------------------------------------------------


def test_ids_in_chinese_characters_work_end_to_end() -> None:
    roster = Roster.from_yaml(FIXTURES / "rosters" / "cjk.yaml")
    zz = govrules.load("zhengzhou")
    act = zz.acting("赵副市长", on=ON, roster=roster, absences=[away("赵副市长")], duty="sign_urgent")
    assert act.person == "钱副市长"
    ly = govrules.load("luoyang")
    found = ly.check(absences=[away("赵副市长"), away("dsg.wu-1")], roster=roster, on=ON)
    assert [v.subjects for v in found] == [("赵副市长", "dsg.wu-1")]


def test_roster_arguments() -> None:
    with pytest.raises(govrules.InvalidArgument, match=r"^`people`: expected a list of `govrules.Person` values"):
        Roster("mayor_li")  # type: ignore[arg-type]
    with pytest.raises(govrules.InvalidArgument, match=r"^`people`: expected `govrules.Person` values"):
        Roster([{"id": "mayor_li", "office": "mayor"}])  # type: ignore[list-item]
    roster = Roster([Person("mayor_li", "mayor")])
    with pytest.raises(govrules.InvalidArgument, match="did you mean `mayor_li`"):
        roster["mayor_lee"]
