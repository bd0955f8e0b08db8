"""`fallback: true` and `{except: [...]}` in a profile: tests/fixtures/valid/fallback.yaml, the scaffold.

The negative fixtures (`except` naming an unknown value or on `chaired_by`, a fallback delegation)
are in tests/fixtures/invalid and run with the others in test_diagnostics.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

import govrules
from govrules import vocabulary as v
from govrules.families.signing import search
from govrules.scaffold import profile_schema, scaffold
from govrules.validate import check_file, load_spec

from .conftest import FIXTURES

FIXTURE = FIXTURES / "valid" / "fallback.yaml"


@pytest.fixture(scope="module")
def gov() -> govrules.Profile:
    return govrules.load(FIXTURE)


def test_the_fixture_is_clean() -> None:
    spec, diagnostics = check_file(FIXTURE)
    assert spec is not None
    assert [d.render() for d in diagnostics if d.severity != "info"] == []


def test_except_is_every_value_of_the_vocabulary_but_those_listed_in_its_order(gov: govrules.Profile) -> None:
    when = {r.id: r.when[0].terms() for r in gov.spec.signing}
    assert when["fallback.signing.other"]["kind"] == tuple(k for k in v.KINDS if k not in ("minutes", "agreement"))
    assert when["fallback.signing.minutes"]["meeting"] == (
        "plenary",
        "executive",
        "mayor_office",
        "deliberation",
        "study",
    )
    assert when["fallback.signing.emergency"]["kind"] == tuple(k for k in v.KINDS if k != "personnel")  # one value


def test_a_catch_all_answers_where_nothing_else_applies(gov: govrules.Profile) -> None:
    route = gov.sign(govrules.Document(kind="letter"))
    assert route.rules == ("fallback.signing.other",)
    assert route.signers == ("leader_in_charge",)


def test_overrides_decide_between_fallbacks(gov: govrules.Profile) -> None:
    route = gov.sign(govrules.Document(kind="letter", portfolios=("a", "b")))
    assert route.rules == ("fallback.signing.other-several",)
    assert [c.article for c in route.basis] == [4]


def test_a_specific_rule_displaces_every_fallback_without_naming_it(gov: govrules.Profile) -> None:
    doc = govrules.Document(kind="request", recipient="provincial_government", portfolios=("a", "b"))
    route = gov.sign(doc)
    assert route.rules == ("fallback.signing.provincial",)
    assert [c.article for c in route.basis] == [3]
    assert route.reviewers == ()


def test_without_the_fallback_marks_the_same_rules_conflict() -> None:
    spec = load_spec(FIXTURE)
    assert search(spec.signing)[0] == {}
    plain = tuple(r.model_copy(update={"fallback": False}) for r in spec.signing)
    conflicts, _decided = search(plain)
    assert {frozenset(c) for c in conflicts} == {
        frozenset({"fallback.signing.provincial", "fallback.signing.other"}),
        frozenset({"fallback.signing.provincial", "fallback.signing.other-several"}),
    }


def test_values_left_out_by_except_are_not_covered(gov: govrules.Profile) -> None:
    with pytest.raises(govrules.NotCovered):
        gov.sign(govrules.Document(kind="agreement"))
    with pytest.raises(govrules.NotCovered):
        gov.sign(govrules.Document(kind="minutes", meeting="topical"))
    assert gov.sign(govrules.Document(kind="minutes", meeting="executive")).rules == ("fallback.signing.minutes",)


def test_a_delegation_condition_with_except(gov: govrules.Profile) -> None:
    letter = gov.sign(govrules.Document(kind="letter", emergency=True))
    assert letter.delegable_to == ("chief_of_staff",)
    assert letter.rules == ("fallback.signing.other", "fallback.signing.emergency")
    personnel = gov.sign(govrules.Document(kind="personnel", emergency=True))
    assert personnel.delegable_to == ()
    assert personnel.rules == ("fallback.signing.other",)


def test_a_fallback_deadline_gives_way_to_a_specific_one(gov: govrules.Profile) -> None:
    at = dt.date(2024, 3, 4)
    general = gov.deadline("request_processing", at)
    assert (general.amount, general.rules) == (10, ("fallback.deadlines.request-processing",))
    for urgency in ("normal", None):
        assert gov.deadline("request_processing", at, urgency=urgency).amount == 10
    urgent = gov.deadline("request_processing", at, urgency="urgent")
    assert (urgent.amount, urgent.rules) == (3, ("fallback.deadlines.request-processing-urgent",))
    assert [c.article for c in urgent.basis] == [8]


def test_the_json_schema_accepts_both() -> None:
    js = pytest.importorskip("jsonschema")
    from govrules.loader import parse

    data = json.loads(json.dumps(parse(FIXTURE.read_text(encoding="utf-8"), str(FIXTURE)).data, default=str))
    assert list(js.Draft202012Validator(profile_schema()).iter_errors(data)) == []


def test_the_scaffolds_commented_example_validates(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = scaffold("anytown")
    example = re.search(r"^# signing:\n((?:#  .*\n)+)", text, re.MULTILINE)
    assert example, "the template shows a commented `signing` example"
    assert "fallback: true" in example.group(1) and "{except: [" in example.group(1)
    uncommented = "signing:\n" + re.sub(r"(?m)^# ", "", example.group(1))
    path = tmp_path / "anytown.yaml"
    path.write_text(text.replace("signing: []", uncommented.rstrip("\n"), 1), encoding="utf-8")
    spec, diagnostics = check_file(path)
    assert spec is not None, [d.render() for d in diagnostics]
    assert [d.render() for d in diagnostics if d.severity != "info"] == []
    assert [r.fallback for r in spec.signing] == [True, False]
