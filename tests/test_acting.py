"""Rosters, absences and who acts for whom: validation, resolution, properties."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import govrules
from govrules import Absence, Person, Roster

from .conftest import FIXTURES, ROOT

ON = dt.date(2025, 3, 3)
FIXTURE = FIXTURES / "valid" / "acting.yaml"


def roster() -> Roster:
    return Roster(
        [
            Person("m", "mayor"),
            Person("e", "executive_vice_mayor", portfolios=["fin"]),
            Person("a", "vice_mayor", portfolios=["edu"], ab_partner="b"),
            Person("b", "vice_mayor", portfolios=["health"], ab_partner="a"),
            Person("c", "vice_mayor", portfolios=["water"]),
            Person("d", "deputy_secretary_general", counterpart="a"),
        ]
    )


def away(person: str, reason: str = "out_of_city", *, entrusted: bool = False, days: int = 0) -> Absence:
    return Absence(person, ON, ON + dt.timedelta(days=days), reason, entrusted=entrusted)


@pytest.fixture(scope="module")
def gov() -> govrules.Profile:
    return govrules.load(FIXTURE)


# -- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("people", "message"),
    [
        ([Person("a", "vice_mayor", ab_partner="b")], "`a` is paired with `b`, who is not in the roster"),
        (
            [Person("a", "vice_mayor", ab_partner="b"), Person("b", "vice_mayor")],
            "`a` is paired with `b`, but `b` is paired with no one",
        ),
        (
            [
                Person("a", "vice_mayor", ab_partner="b"),
                Person("b", "vice_mayor", ab_partner="a"),
                Person("c", "vice_mayor", ab_partner="b"),
            ],
            "`c` is paired with `b`, but `b` is paired with `a`",
        ),
        ([Person("m", "mayor"), Person("m", "vice_mayor")], "`m` is listed twice"),
        (
            [Person("d", "deputy_secretary_general", counterpart="x"), Person("x", "department_head")],
            "`d` serves `x`, who is a `department_head`, not a leader",
        ),
        (
            [Person("s", "secretary_general", counterpart="m"), Person("m", "mayor")],
            "only a deputy secretary-general or a general office deputy director serves a leader as counterpart",
        ),
    ],
)
def test_roster_validation(people: list[Person], message: str) -> None:
    with pytest.raises(govrules.InvalidArgument, match=message.replace("`", ".")):
        Roster(people)


def test_person_and_absence_arguments() -> None:
    with pytest.raises(govrules.InvalidArgument, match="did you mean `vice_mayor`"):
        Person("x", "vice_mayr")
    with pytest.raises(govrules.InvalidArgument, match="cannot be paired with themselves"):
        Person("x", "vice_mayor", ab_partner="x")
    with pytest.raises(govrules.InvalidArgument, match="before `start`"):
        Absence("x", ON, ON - dt.timedelta(days=1), "vacation")
    with pytest.raises(govrules.InvalidArgument, match="did you mean `vacation`"):
        Absence("x", ON, ON, "vacaton")
    with pytest.raises(govrules.InvalidArgument, match="`start`"):
        Absence("x", "2025-03-03", ON, "vacation")  # type: ignore[arg-type]


def test_roster_and_absences_from_yaml() -> None:
    people = Roster.from_yaml(ROOT / "examples" / "roster.yaml")
    assert len(people) == 8
    assert people["vm_zhao"].ab_partner == "vm_qian"
    absences = govrules.absences_from_yaml(ROOT / "examples" / "absences.yaml")
    assert absences[0] == Absence(
        "mayor_li", dt.date(2025, 3, 3), dt.date(2025, 3, 7), "out_of_province", entrusted=True
    )


def test_roster_yaml_errors_point_at_the_line(tmp_path: Path) -> None:
    path = tmp_path / "roster.yaml"
    path.write_text(
        "people:\n  - {id: a, office: vice_mayor, ab_partner: b}\n  - {id: b, office: vice_mayor}\n"
        "  - {id: c, ofice: mayor}\n",
        encoding="utf-8",
    )
    with pytest.raises(govrules.ProfileError) as info:
        Roster.from_yaml(path)
    found = {(d.code, d.line) for d in info.value.diagnostics}
    assert ("GR010", 4) in found
    path.write_text("people:\n  - {id: a, office: vice_mayor, ab_partner: b}\n  - {id: b, office: vice_mayor}\n")
    with pytest.raises(govrules.ProfileError) as info:
        Roster.from_yaml(path)
    ((code, line, _column),) = {(d.code, d.line, d.column) for d in info.value.diagnostics}
    assert (code, line) == ("GR013", 2)


def test_absence_yaml_errors(tmp_path: Path) -> None:
    path = tmp_path / "absences.yaml"
    path.write_text("absences:\n  - {person: a, start: 2025-03-05, end: 2025-03-01, reason: vacation}\n")
    with pytest.raises(govrules.ProfileError) as info:
        govrules.absences_from_yaml(path)
    (diag,) = info.value.diagnostics
    assert diag.line == 2
    assert "before `start`" in diag.message


def test_unknown_person_in_absences(gov: govrules.Profile) -> None:
    with pytest.raises(govrules.InvalidArgument, match="`x` is not in the roster"):
        gov.acting("m", on=ON, roster=roster(), absences=[away("x")], duty="preside")


def test_on_is_required_and_checked(gov: govrules.Profile) -> None:
    with pytest.raises(govrules.InvalidArgument, match="before profile `acting` took effect"):
        gov.acting("m", on=dt.date(2020, 1, 1), roster=roster(), duty="preside")
    with pytest.raises(govrules.InvalidArgument, match="nothing reads the clock"):
        gov.sign(govrules.Document(kind="notice"), roster=roster())
    with pytest.raises(govrules.InvalidArgument, match="`on`"):
        gov.acting("m", on="2025-03-03", roster=roster(), duty="preside")  # type: ignore[arg-type]
    with pytest.raises(govrules.InvalidArgument, match="name one person by id"):
        gov.acting("vice_mayor", on=ON, roster=roster(), duty="all")


# -- resolution ---------------------------------------------------------------------------------


def test_present_principal_acts_themselves(gov: govrules.Profile) -> None:
    act = gov.acting("mayor", on=ON, roster=roster(), duty="preside")
    assert (act.person, act.chain, act.basis, act.unresolved) == ("m", ("m",), (), None)


def test_entrustment_is_a_condition(gov: govrules.Profile) -> None:
    plain = gov.acting("m", on=ON, roster=roster(), absences=[away("m")], duty="preside")
    assert plain.person is None
    assert "no substitution rule applies" in (plain.unresolved or "")
    given_ = gov.acting("m", on=ON, roster=roster(), absences=[away("m", entrusted=True)], duty="preside")
    assert (given_.person, given_.chain, given_.rules) == ("e", ("m", "e"), ("acting.substitution.mayor",))
    assert [c.article for c in given_.basis] == [2]


def test_ordered_alternatives_and_an_open_choice(gov: govrules.Profile) -> None:
    absences = [away("m", entrusted=True), away("e", "vacation")]
    act = gov.acting("m", on=ON, roster=roster(), absences=absences, duty="preside")
    assert act.person is None
    assert act.candidates == ("a", "b", "c")
    assert "does not choose" in (act.unresolved or "")
    absences += [away("a"), away("b")]
    act = gov.acting("m", on=ON, roster=roster(), absences=absences, duty="preside")
    assert act.person == "c"


def test_duties_outside_the_grant_are_not_passed(gov: govrules.Profile) -> None:
    act = gov.acting("m", on=ON, roster=roster(), absences=[away("m", entrusted=True)], duty="sign")
    assert act.person is None
    assert "pass only `preside`, not `sign`" in (act.unresolved or "")


def test_transitive_chain_and_cycle(gov: govrules.Profile, tmp_path: Path) -> None:
    chain_roster = Roster(
        [Person("a", "vice_mayor", ab_partner="b"), Person("b", "vice_mayor", ab_partner="a"), Person("m", "mayor")]
    )
    act = gov.acting("a", on=ON, roster=chain_roster, absences=[away("a"), away("b", "vacation")], duty="all")
    assert act.person is None
    assert "cycle" in (act.unresolved or "") or "absent too" in (act.unresolved or "")
    assert len(set(act.chain)) == len(act.chain)


def test_absence_boundaries(gov: govrules.Profile) -> None:
    absence = Absence("a", ON, ON + dt.timedelta(days=2), "out_of_city")
    for day, expected in ((ON, "b"), (ON + dt.timedelta(days=2), "b"), (ON + dt.timedelta(days=3), "a")):
        assert gov.acting("a", on=day, roster=roster(), absences=[absence], duty="all").person == expected


def test_sign_on_a_day(gov: govrules.Profile) -> None:
    doc = govrules.Document(kind="notice", portfolios=("edu",))
    route = gov.sign(doc, on=ON, roster=roster(), absences=[away("a")])
    assert route.persons == ("b",)
    assert dict(route.acting_for) == {"b": "a"}
    assert "acting.substitution.chain" in route.rules
    assert 3 in {c.article for c in route.basis}
    present = gov.sign(doc, on=ON, roster=roster())
    assert (present.persons, dict(present.acting_for), present.unresolved) == (("a",), {}, None)
    nobody = gov.sign(govrules.Document(kind="notice", portfolios=("nothing",)), on=ON, roster=roster())
    assert nobody.persons == ()
    assert "in the roster leads" in (nobody.unresolved or "")


def test_check_absences(gov: govrules.Profile) -> None:
    (violation,) = gov.check(absences=[away("a"), away("b", "vacation")], roster=roster(), on=ON)
    assert (violation.code, violation.severity, set(violation.subjects)) == (
        "partners_away_together",
        "error",
        {"a", "b"},
    )
    assert gov.check(absences=[away("a")], roster=roster(), on=ON) == []


def test_delegation_graph_and_dot(gov: govrules.Profile) -> None:
    graph = gov.delegation_graph(on=ON, roster=roster(), absences=[away("a"), away("m", entrusted=True)])
    assert graph.has_edge("a", "b")
    assert graph.has_edge("m", "e")
    dot = govrules.to_dot(graph)
    assert dot.startswith("digraph acting {")
    assert '"a" -> "b"' in dot
    assert '"a" [label="a" style="dashed"]' in dot


def test_text_silent_on_substitution_is_not_covered() -> None:
    people = Roster([Person("m", "mayor"), Person("e", "executive_vice_mayor")])
    quzhou = govrules.load("quzhou")
    assert quzhou.acting("m", on=ON, roster=people, duty="preside").person == "m"
    with pytest.raises(govrules.NotCovered):
        quzhou.acting("m", on=ON, roster=people, absences=[away("m", entrusted=True)], duty="preside")


# -- properties ---------------------------------------------------------------------------------

REASONS = ["out_of_city", "vacation", "medical"]
PLACES = ["in_city", "out_of_province"]  # every absence says where: rules that turn on it can be applied
PEOPLE = ["m", "e", "a", "b", "c"]


def placed(reason: str, place: str) -> str | None:
    """A place for ``reason``: a reason that says where gives its own."""
    return None if reason == "out_of_city" else place


absence_sets = st.lists(
    st.tuples(
        st.sampled_from(PEOPLE),
        st.sampled_from(REASONS),
        st.booleans(),
        st.integers(-2, 2),
        st.sampled_from(PLACES),
    ),
    max_size=6,
).map(
    lambda xs: [
        Absence(p, ON + dt.timedelta(days=s), ON + dt.timedelta(days=s + 2), r, place=placed(r, where), entrusted=t)
        for p, r, t, s, where in xs
    ]
)
DUTIES = ["preside", "sign", "sign_urgent", "all", "reception"]


@pytest.mark.parametrize("pid", ["acting", "zhengzhou", "luoyang", "jining", "chaoyang"])
@settings(max_examples=150, deadline=None)
@given(absences=absence_sets, who=st.sampled_from(PEOPLE), duty=st.sampled_from(DUTIES))
def test_resolution_properties(pid: str, absences: list[Absence], who: str, duty: str) -> None:
    gov = govrules.load(FIXTURE if pid == "acting" else pid)
    act = gov.acting(who, on=ON, roster=roster(), absences=absences, duty=duty)
    away_today = {a.person for a in absences if a.covers(ON)}
    if act.person is not None:
        assert act.person not in away_today  # the resolved person is never absent
        assert act.chain[-1] == act.person
    assert len(set(act.chain)) == len(act.chain)  # a chain never repeats a person
    if who not in away_today:
        assert (act.person, act.chain) == (who, (who,))  # an available principal acts themselves


@pytest.mark.parametrize("pid", ["acting", "zhengzhou", "luoyang", "jining", "chaoyang"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    absences=absence_sets,
    more=absence_sets,
    who=st.sampled_from(PEOPLE),
    why=st.sampled_from(REASONS),
    where=st.sampled_from(PLACES),
    duty=st.sampled_from(DUTIES),
)
def test_more_absences_never_resolve_a_case_no_one_could_take(
    pid: str, *, absences: list[Absence], more: list[Absence], who: str, why: str, where: str, duty: str
) -> None:
    """When no one may act (not: several may, and the text does not choose), more absences of other
    people keep it so. (A further record for the principal can bring a reason that triggers a rule.)"""
    gov = govrules.load(FIXTURE if pid == "acting" else pid)
    absences = [*absences, Absence(who, ON, ON, why, place=placed(why, where))]  # the principal is away
    more = [a for a in more if a.person != who]
    before = gov.acting(who, on=ON, roster=roster(), absences=absences, duty=duty)
    assume(before.person is None and not before.candidates)
    after = gov.acting(who, on=ON, roster=roster(), absences=absences + more, duty=duty)
    assert after.person is None
