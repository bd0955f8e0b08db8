"""The public signing API: arguments, answers, errors."""

from __future__ import annotations

import dataclasses

import pytest

import govrules
from govrules import vocabulary as v

from .conftest import FIXTURES

SAMPLE = FIXTURES / "valid" / "sample.yaml"


@pytest.fixture(scope="module")
def sample() -> govrules.Profile:
    return govrules.load(SAMPLE)


def test_bundled_profiles() -> None:
    ids = govrules.profiles()
    assert ids == sorted(ids)
    assert len(ids) == 5
    for pid in ids:
        gov = govrules.load(pid)
        assert gov.id == pid
        assert gov.name.endswith("人民政府工作规则")
        assert gov.effective.year >= 2020


def test_the_issue_example() -> None:
    route = govrules.load("jining").sign(govrules.Document(kind="request", recipient="provincial_government"))
    assert set(route.signers) == {"mayor", "executive_vice_mayor"}
    assert 61 in {c.article for c in route.basis}


def test_route_shape(sample: govrules.Profile) -> None:
    route = sample.sign(govrules.Document(kind="request", recipient="provincial_government"))
    assert route.signers == ("mayor", "executive_vice_mayor")
    assert route.reviewers == ("leader_in_charge",)
    assert [s.action for s in route.steps] == ["review", "sign"]
    assert route.rules == ("sample.signing.provincial",)
    assert route.basis == (govrules.Citation("sample", 3, None, "报省政府的请示由市长或常务副市长签发"),)
    with pytest.raises(dataclasses.FrozenInstanceError):
        route.signers = ()  # type: ignore[misc]


def test_several_portfolios_review_by_all(sample: govrules.Profile) -> None:
    route = sample.sign(govrules.Document(kind="notice", portfolios=("a", "b")))
    assert route.steps[0] == govrules.Step("review", ("leader_in_charge",), "all")
    assert route.signers == ("mayor",)


def test_delegable_signature_needs_the_authorisation(sample: govrules.Profile) -> None:
    plain = sample.sign(govrules.Document(kind="notice"))
    assert plain.signers == ("leader_in_charge",)
    assert plain.delegable_to == ("secretary_general",)
    given = sample.sign(govrules.Document(kind="notice", authorised=("secretary_general",)))
    assert given.signers == ("leader_in_charge", "secretary_general")
    with pytest.raises(govrules.InvalidArgument, match="`mayor` cannot be authorised"):
        sample.sign(govrules.Document(kind="notice", authorised=("mayor",)))


def test_delegation_rule_adds_delegates(sample: govrules.Profile) -> None:
    route = sample.sign(govrules.Document(kind="notice", emergency=True))
    assert route.delegable_to == ("secretary_general", "chief_of_staff")
    assert route.rules == ("sample.signing.other", "sample.signing.emergency")
    assert [c.article for c in route.basis] == [4, 5]


def test_not_covered_names_the_profile_and_the_question(sample: govrules.Profile) -> None:
    with pytest.raises(govrules.NotCovered) as info:
        sample.sign(govrules.Document(kind="notice", issuer="department"))
    assert isinstance(info.value, LookupError)
    assert "`sample`" in str(info.value)
    assert "issuer=`department`" in str(info.value)


def test_conflicting_rules_load_are_reported_by_validate_and_raise_if_evaluated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`load()` leaves the conflict search to `govrules validate` (it was most of a load's time); the
    question that meets the conflict still gets no answer, on the table path and the live one."""
    from govrules.engine import live
    from govrules.validate import check_file

    text = SAMPLE.read_text(encoding="utf-8").replace(
        "    overrides: [sample.signing.other, sample.signing.several]\n", ""
    )
    path = tmp_path / "sample.yaml"
    path.write_text(text, encoding="utf-8")
    _spec, diagnostics = check_file(path)
    assert "GR050" in {d.code for d in diagnostics}
    gov = govrules.load(path)
    question = govrules.Document(kind="request", recipient="provincial_government")
    with pytest.raises(govrules.ConflictError, match=r"sample\.signing\.provincial"):
        gov.sign(question)
    with pytest.raises(govrules.ConflictError, match=r"sample\.signing\.provincial"), live():
        gov.sign(question)


def test_seal(sample: govrules.Profile) -> None:
    route = sample.seal("mayor")
    assert route.signers == ("mayor",)
    assert route.delegable_to == ("secretary_general",)
    assert route.steps[0].action == "seal"
    with pytest.raises(govrules.NotCovered):
        sample.seal("general_office")
    with pytest.raises(govrules.InvalidArgument, match="did you mean `mayor`"):
        sample.seal("mayors")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "reqest"}, "`kind`: `'reqest'` is not allowed; did you mean `request`?"),
        ({"kind": "request", "recipient": "provincial"}, "`recipient`"),
        ({"kind": "request", "urgency": "high"}, "`urgency`"),
        ({"kind": "request", "portfolios": "a"}, "`portfolios`: expected a list of ids"),
        ({"kind": "request", "portfolios": ("a", "a")}, "lists an id twice"),
        ({"kind": "request", "emergency": "yes"}, "`emergency`: expected `True` or `False`"),
        ({"kind": "request", "matters": 0}, "`matters`"),
        (
            {"kind": "request", "recipent": "public"},
            "`Document` has no attribute `recipent`; did you mean `recipient`?",
        ),
    ],
)
def test_document_arguments_are_checked(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(govrules.InvalidArgument) as info:
        govrules.Document(**kwargs)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_unknown_roles_in_a_question(sample: govrules.Profile) -> None:
    with pytest.raises(govrules.InvalidArgument, match="did you mean `meeting_chair`"):
        sample.sign(govrules.Document(kind="minutes", chaired_by="meeting_chiar"))


def test_document_fact_has_every_attribute() -> None:
    fact = govrules.Document(kind="minutes", meeting="topical").fact()
    assert fact["meeting"] == "topical"
    assert fact["recipient"] == "none"
    assert set(v.FLAGS) <= set(fact)


def test_explain_in_both_languages(sample: govrules.Profile) -> None:
    route = sample.sign(govrules.Document(kind="request", recipient="provincial_government"))
    zh = route.explain()
    assert "签发：市长或常务副市长" in zh
    assert "第3条“报省政府的请示由市长或常务副市长签发”" in zh
    en = route.explain("en")
    assert "signature: mayor or executive vice mayor" in en
    assert "article 3" in en
    with pytest.raises(govrules.InvalidArgument):
        route.explain("fr")  # type: ignore[arg-type]


def test_html_for_notebooks_escapes(sample: govrules.Profile) -> None:
    html = (
        sample.sign(govrules.Document(kind="notice")).__repr__(),
        sample.sign(govrules.Document(kind="notice"))._repr_html_(),
    )
    assert "<table>" in html[1]
    assert "<script" not in html[1]


def test_profile_load_argument_errors() -> None:
    with pytest.raises(govrules.InvalidArgument, match="did you mean `jining`"):
        govrules.load("jinning")
    with pytest.raises(govrules.InvalidArgument):
        govrules.load(42)  # type: ignore[arg-type]
    with pytest.raises(govrules.InvalidArgument, match=r"expected a `govrules\.Document`"):
        govrules.load("jining").sign({"kind": "request"})  # type: ignore[arg-type]


def test_error_hierarchy() -> None:
    for exc in (
        govrules.ProfileError,
        govrules.NotCovered,
        govrules.InvalidArgument,
        govrules.ConflictError,
        govrules.EngineError,
        govrules.CalendarError,
    ):
        assert issubclass(exc, govrules.GovrulesError)
