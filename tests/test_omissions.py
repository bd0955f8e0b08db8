"""Issue 10, omissions: what the texts distinguish and the caller must say (classification levels,
whose leave, the lead department's own limit), and the new attributes' checks. The answers
themselves are in the scenario files (tests/scenarios/*/compliance.yaml, deadlines.yaml)."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path

import pytest

import govrules
from govrules.validate import check_file

from .conftest import ROOT

D = dt.date


def _variant(tmp_path: Path, pid: str, old: str, new: str) -> Path:
    """A copy of a bundled profile with one piece of text replaced (it must occur once)."""
    text = (ROOT / "profiles" / f"{pid}.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / f"{pid}.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _codes(path: Path) -> list[tuple[str, int]]:
    _spec, diagnostics = check_file(path)
    return [(d.code, d.line) for d in diagnostics if d.severity == "error"]


# -- classification levels ---------------------------------------------------------------------------


def test_a_level_makes_the_document_classified() -> None:
    doc = govrules.Document(kind="report", classification="secret")
    assert doc.classified and doc.fact()["classification"] == "secret"
    assert govrules.Document(kind="report").fact()["classification"] == "none"


def test_an_unknown_level_is_refused_with_a_suggestion() -> None:
    with pytest.raises(govrules.InvalidArgument, match="did you mean `top_secret`"):
        govrules.Document(kind="report", classification="top-secret")


def test_a_level_contradicting_classified_false_is_refused() -> None:
    with pytest.raises(govrules.InvalidArgument, match="contradicts"):
        govrules.Document(kind="report", classification="confidential", classified=False)
    assert govrules.Document(kind="report", classification="confidential", classified=True).classified


def test_classified_without_a_level_still_works_but_is_deprecated() -> None:
    with pytest.warns(DeprecationWarning, match="classification="):
        doc = govrules.Document(kind="report", classified=True)
    assert doc.classification is None and doc.fact()["classification"] == "unknown"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        govrules.Document(kind="report", classified=False)  # saying it is not classified is fine


def _personal(**attrs: object) -> govrules.Document:
    return govrules.Document(kind="report", issuer="department", addressed_to_leader_personally=True, **attrs)


def test_a_check_that_depends_on_the_level_asks_for_it() -> None:
    # 郑州 49 excepts 绝密 matters only: a classified document of unknown level cannot be judged
    with pytest.warns(DeprecationWarning):
        doc = _personal(classified=True)
    rule = re.escape("zhengzhou.compliance.no-direct-submission-to-leaders")
    with pytest.raises(govrules.InvalidArgument, match=rule):
        govrules.load("zhengzhou").check(doc)
    assert [x.code for x in govrules.load("zhengzhou").check(_personal(classification="secret"))] == [
        "submitted_to_leader_personally"
    ]


def test_a_check_the_level_does_not_change_answers_without_it() -> None:
    # 洛阳 30 and 济宁 55 except any 涉密 matter: whatever the level, no violation
    with pytest.warns(DeprecationWarning):
        doc = _personal(classified=True)
    assert govrules.load("luoyang").check(doc) == []
    assert govrules.load("jining").check(doc) == []


def test_a_profile_condition_on_classified_still_reads_the_derived_flag(tmp_path: Path) -> None:
    path = _variant(
        tmp_path, "zhengzhou", "      classification: {except: [top_secret]}\n", "      classified: false\n"
    )
    gov = govrules.load(path)
    assert gov.check(_personal(classification="confidential")) == []  # classified at some level
    assert [x.code for x in gov.check(_personal())] == ["submitted_to_leader_personally"]


def test_a_classification_condition_names_only_levels(tmp_path: Path) -> None:
    path = _variant(tmp_path, "luoyang", "      classification: none\n", "      classification: [none, topsecret]\n")
    assert [code for code, _line in _codes(path)] == ["GR013"]


# -- new document and agenda attributes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [("directive", "yes"), ("invitation", 1), ("justice_bureau_reviewed", "no"), ("government_approved", 0)],
)
def test_new_attributes_take_booleans(name: str, value: object) -> None:
    with pytest.raises(govrules.InvalidArgument, match=f"`{name}`"):
        govrules.Document(kind="notice", **{name: value})


def test_review_facts_are_unknown_unless_stated() -> None:
    doc = govrules.Document(kind="regulation")
    assert doc.fact()["justice_bureau_reviewed"] == "unknown"
    assert govrules.load("jining").check(doc) == []


def test_agenda_legality_review_is_a_checked_flag() -> None:
    with pytest.raises(govrules.InvalidArgument, match="`legality_reviewed`"):
        govrules.AgendaItem("某议题", legality_reviewed="no")  # type: ignore[arg-type]


def test_check_agenda_arguments() -> None:
    jn = govrules.load("jining")
    item = govrules.AgendaItem("某规划", legality_reviewed=False)
    assert [x.code for x in jn.check_agenda("executive", item)] == ["agenda_no_legality_review"]
    assert jn.check_agenda("executive", []) == []
    with pytest.raises(govrules.InvalidArgument, match="did you mean `executive`"):
        jn.check_agenda("excutive", [item])
    with pytest.raises(govrules.InvalidArgument, match="AgendaItem"):
        jn.check_agenda("executive", [{"topic": "某规划"}])  # type: ignore[list-item]


def test_the_agenda_check_runs_in_a_meeting_check_too() -> None:
    jn = govrules.load("jining")
    roster = govrules.Roster([govrules.Person("m", office="mayor")])
    found = jn.check_meeting(
        "executive", attendees=["m"], roster=roster, agenda=[govrules.AgendaItem("某规划", legality_reviewed=False)]
    )
    assert [x.code for x in found.violations] == ["agenda_no_legality_review"]


# -- whose time limit -------------------------------------------------------------------------------------


def test_a_limit_set_for_some_offices_needs_for_office() -> None:
    jn = govrules.load("jining")
    with pytest.raises(govrules.InvalidArgument, match=r"`for_office`.*`county_head`, `department_head`"):
        jn.deadline("leave_request", D(2025, 3, 10))
    with pytest.raises(govrules.NotCovered):
        jn.deadline("leave_request", D(2025, 3, 10), for_office="vice_mayor")
    assert jn.deadline("leave_request", D(2025, 3, 10), for_office="department_head").due == D(2025, 3, 7)


def test_for_office_is_checked() -> None:
    with pytest.raises(govrules.InvalidArgument, match="did you mean `county_head`"):
        govrules.load("jining").deadline("leave_request", D(2025, 3, 10), for_office="county_haed")
    with pytest.raises(govrules.InvalidArgument, match="`for_office`"):
        govrules.load("jining").deadline("leave_request", D(2025, 3, 10), for_office="leader_in_charge")


def test_for_office_does_not_matter_where_the_text_binds_everyone() -> None:
    zz = govrules.load("zhengzhou")
    assert zz.deadline("countersign_reply", D(2025, 9, 29), for_office="department_head").due == D(2025, 10, 15)


def test_a_limit_for_vice_mayors_binds_the_executive_vice_mayor(tmp_path: Path) -> None:
    path = _variant(
        tmp_path, "jining", "    when: {office: [county_head, department_head]}\n", "    when: {office: vice_mayor}\n"
    )
    gov = govrules.load(path)
    assert gov.deadline("leave_request", D(2025, 3, 10), for_office="executive_vice_mayor").due == D(2025, 3, 7)
    with pytest.raises(govrules.NotCovered):
        gov.deadline("leave_request", D(2025, 3, 10), for_office="county_head")


def test_a_deadline_office_must_be_an_office(tmp_path: Path) -> None:
    old = "    when: {office: [county_head, department_head]}\n"
    path = _variant(tmp_path, "jining", old, "    when: {office: [county_head, leader_in_charge]}\n")
    assert [code for code, _line in _codes(path)] == ["GR022"]


# -- the lead department's own limit ----------------------------------------------------------------------


def test_a_lead_limit_date_prevails_and_is_cited_first() -> None:
    d = govrules.load("zhengzhou").deadline("countersign_reply", D(2025, 9, 29), lead_limit=D(2025, 10, 9))
    assert (d.due, d.unit, d.amount, d.set_by) == (D(2025, 10, 9), "days", 10, "lead_department")
    assert d.basis[0].quote == "除主办部门另有时限要求外"
    assert d.on_expiry == "逾期不回复视为无不同意见"
    assert d.as_dict()["set_by"] == "lead_department"
    assert govrules.Deadline.from_dict(d.as_dict()) == d
    assert "主办部门另有时限要求" in d.explain()
    assert "lead department" in d.explain("en")


def test_a_lead_limit_period_is_counted_on_the_calendar() -> None:
    d = govrules.load("zhengzhou").deadline("countersign_reply", D(2025, 9, 29), lead_limit=(5, "working_days"))
    assert (d.due, d.unit, d.amount) == (D(2025, 10, 13), "working_days", 5)
    p = govrules.load("jining").deadline(
        "countersign_reply", D(2054, 12, 24), lead_limit=(3, "working_days"), provisional=True
    )
    assert p.provisional and p.set_by == "lead_department"


def test_without_a_lead_limit_the_profile_sets_it() -> None:
    d = govrules.load("zhengzhou").deadline("countersign_reply", D(2025, 9, 29))
    assert d.set_by == "profile" and d.basis[0].quote != "除主办部门另有时限要求外"


def test_a_lead_limit_the_text_does_not_let_prevail_is_not_covered() -> None:
    with pytest.raises(govrules.NotCovered, match="lead department"):
        govrules.load("jining").deadline("meeting_materials", D(2025, 10, 17), lead_limit=(3, "working_days"))


@pytest.mark.parametrize(
    "value",
    [D(2025, 9, 28), (0, "days"), (3, "hours"), (True, "days"), "2025-10-09", dt.datetime(2025, 10, 9, 9)],
)
def test_a_lead_limit_is_checked(value: object) -> None:
    with pytest.raises(govrules.InvalidArgument, match="`lead_limit`"):
        govrules.load("zhengzhou").deadline("countersign_reply", D(2025, 9, 29), lead_limit=value)  # type: ignore[arg-type]


def test_a_lead_limit_citation_is_checked_like_a_basis(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "zhengzhou",
        "    lead_limit:\n      article: 50\n",
        "    lead_limit:\n      article: 500\n",
    )
    assert [code for code, _line in _codes(path)] == ["GR026"]


def test_the_cli_passes_for_office_and_lead_limit() -> None:
    import io
    import json

    from govrules.cli import main

    def run(*argv: str) -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        return main(list(argv), stdout=out, stderr=err), out.getvalue()

    code, out = run(
        "deadline", "zhengzhou", "countersign_reply", "--at", "2025-09-29", "--lead-limit", "5:working_days"
    )
    assert code == 0 and "截止 2025-10-13" in out
    code, out = run(
        "deadline", "luoyang", "countersign_reply", "--at", "2025-03-03", "--lead-limit", "2025-03-05", "--json"
    )
    assert code == 0 and json.loads(out)["set_by"] == "lead_department"
    code, out = run(
        "deadline", "jining", "leave_request", "--at", "2025-03-10", "--for-office", "county_head", "--json"
    )
    assert code == 0 and json.loads(out)["due"] == "2025-03-07"
    code, _out = run("deadline", "jining", "leave_request", "--at", "2025-03-10", "--for-office", "vice_mayor")
    assert code == 3
    code, _out = run("deadline", "jining", "countersign_reply", "--at", "2025-03-10", "--lead-limit", "x:days")
    assert code == 2
