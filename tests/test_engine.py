"""The engine doorway: agreement with an independent evaluator, isolation, threads, failure modes."""

from __future__ import annotations

import concurrent.futures
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govrules
from govrules import vocabulary as v
from govrules.compile import compile_profile
from govrules.engine import MAX_FIRINGS, MAX_VALUE_LENGTH, Engine
from govrules.errors import EngineError, InvalidArgument
from govrules.lint import search

from . import reference
from .conftest import FIXTURES

PROFILES = govrules.profiles()

documents = st.builds(
    govrules.Document,
    kind=st.sampled_from(sorted(v.KINDS)),
    issuer=st.sampled_from(sorted(v.ISSUERS)),
    recipient=st.none() | st.sampled_from(sorted(v.RECIPIENTS)),
    portfolios=st.sampled_from([(), ("p1",), ("p1", "p2"), ("p1", "p2", "p3")]),
    urgency=st.sampled_from(sorted(v.URGENCIES)),
    decided_at=st.none() | st.sampled_from(sorted(v.MEETINGS)),
    meeting=st.none() | st.sampled_from(sorted(v.MEETINGS)),
    matters=st.integers(1, 3),
    sender_kind=st.none() | st.sampled_from(sorted(v.SENDER_KINDS)),
    classification=st.none() | st.sampled_from(sorted(v.CLASSIFICATIONS)),
    # `classified` follows from `classification` (a bare `classified=True` is deprecated: tested apart)
    **{flag: st.booleans() for flag in v.FLAGS if flag != "classified"},
    **{key: st.none() | st.booleans() for key in v.TRISTATE},
)


@pytest.mark.parametrize("pid", PROFILES)
@settings(max_examples=300, deadline=None)
@given(doc=documents)
def test_engine_fires_exactly_the_rules_the_reference_evaluator_finds(pid: str, doc: govrules.Document) -> None:
    gov = govrules.load(pid)
    result = gov._engine.run([doc.fact()])
    assert set(result.fired()) == reference.fired(gov.spec, doc)  # signing facts reach signing rules only
    checked = gov._engine.run([doc.fact("check")])
    signing = {r.id for r in gov.spec.signing}
    assert set(checked.fired()) - signing == reference.violated(gov.spec, doc)


@pytest.mark.parametrize("pid", PROFILES)
def test_no_document_gets_two_different_routes(pid: str) -> None:
    """Over every combination of the attribute values a profile mentions, precedence is stated."""
    found, _decided = search(govrules.load(pid).spec.signing)
    assert not found, "\n".join(f"{list(rules)}: {attrs}" for rules, attrs in found.items())


def test_the_conflict_search_finds_a_conflict() -> None:
    from govrules.validate import load_spec

    spec = load_spec(FIXTURES / "valid" / "sample.yaml")
    clashing = spec.model_copy(update={"signing": tuple(r.model_copy(update={"overrides": ()}) for r in spec.signing)})
    found, _decided = search(clashing.signing)
    assert ("sample.signing.provincial", "sample.signing.other") in found


@pytest.mark.parametrize("pid", PROFILES)
def test_engine_and_reference_agree_on_conflicts(pid: str) -> None:
    """The engine path raises ConflictError exactly where the reference finds one (sampled)."""
    gov = govrules.load(pid)
    for doc in reference.sample_space(gov.spec, 400, seed=5):
        try:
            gov.sign(doc)
        except govrules.NotCovered:
            continue
        except govrules.ConflictError:
            assert reference.conflicts(gov.spec, doc)
            continue
        assert not reference.conflicts(gov.spec, doc)


def _question_mix(n: int, seed: int) -> list[tuple[str, govrules.Document]]:
    rng = random.Random(seed)
    kinds, recipients = sorted(v.KINDS), [None, *sorted(v.RECIPIENTS)]
    out = []
    for _ in range(n):
        doc = govrules.Document(
            rng.choice(kinds),
            issuer=rng.choice(sorted(v.ISSUERS)),
            recipient=rng.choice(recipients),
            portfolios=rng.choice([(), ("a",), ("a", "b")]),
            meeting=rng.choice([None, *sorted(v.MEETINGS)]),
            important=rng.random() < 0.3,
        )
        out.append((rng.choice(PROFILES), doc))
    return out


def _answer(pid: str, doc: govrules.Document) -> str:
    try:
        return json.dumps(govrules.load(pid).sign(doc).as_dict(), sort_keys=True, ensure_ascii=False)
    except govrules.NotCovered as exc:
        return f"not covered: {exc}"


def test_ten_thousand_queries_leave_no_state_behind() -> None:
    """Answers in a long run equal the answers of the same questions asked first, in a fresh order."""
    questions = _question_mix(200, seed=7)
    fresh = {i: _answer(pid, doc) for i, (pid, doc) in enumerate(questions)}
    rng = random.Random(11)
    for _ in range(10_000):
        i = rng.randrange(len(questions))
        pid, doc = questions[i]
        assert _answer(pid, doc) == fresh[i]


def test_queries_from_eight_threads_answer_as_one_thread_does() -> None:
    questions = _question_mix(400, seed=3)
    expected = [_answer(pid, doc) for pid, doc in questions]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        for _round in range(5):
            got = list(pool.map(lambda q: _answer(*q), questions))
            assert got == expected


def test_identical_profiles_share_one_compiled_ruleset() -> None:
    gov = govrules.load(PROFILES[0])
    again = Engine(compile_profile(gov.spec))
    assert again._handle == gov._engine._handle


def test_compiled_ruleset_is_deterministic() -> None:
    for pid in PROFILES:
        spec = govrules.load(pid).spec
        assert compile_profile(spec).text == compile_profile(spec).text


def test_every_pattern_has_a_positive_type_test() -> None:
    for pid in PROFILES:
        for name, rule in govrules.load(pid).compiled.definition.items():
            for pattern in rule["all"]:
                ((_alias, expr),) = pattern.items()
                assert expr.get("type") or expr["$and"][0]["type"], name


def test_facts_may_not_pick_their_identity() -> None:
    gov = govrules.load(PROFILES[0])
    with pytest.raises(EngineError, match="`sid` or `id`"):
        gov._engine.run([{"type": "document", "sid": "1"}])


def test_fact_values_must_be_plain() -> None:
    gov = govrules.load(PROFILES[0])
    with pytest.raises(EngineError, match="strings, integers or booleans"):
        gov._engine.run([{"type": "document", "kind": 1.5}])


def test_a_failing_consequence_propagates_and_the_next_query_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    from govrules import engine

    gov = govrules.load("jining")
    doc = govrules.Document(kind="request", recipient="provincial_government")
    before = _answer("jining", doc)

    def boom(self: object, message: object) -> None:
        raise RuntimeError("consequence exploded")

    monkeypatch.setattr(engine._Session, "_consequence", boom)
    with pytest.raises(EngineError, match="consequence exploded"):
        gov.sign(doc)
    monkeypatch.undo()
    assert _answer("jining", doc) == before


def test_runaway_firing_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    from govrules import engine

    monkeypatch.setattr(engine, "MAX_FIRINGS", 0)
    gov = govrules.load("jining")
    with pytest.raises(EngineError, match="rule firings"):
        gov.sign(govrules.Document(kind="request", recipient="provincial_government"))
    assert MAX_FIRINGS > 0


# -- value lengths: the C core keeps them in 16 bits ---------------------------------------------


def _acting_facts(pad: str) -> list[dict[str, object]]:
    # built as raw facts: `Person` refuses such ids itself; this is the engine's own guard
    a, b = pad + "a", pad + "b"
    people = [
        {"type": "person", "pid": a, "office": "vice_mayor", "ab_partner": b, "counterpart": ""},
        {"type": "person", "pid": b, "office": "vice_mayor", "ab_partner": a, "counterpart": ""},
    ]
    away = {"type": "absence", "person": a, "reason": "out_of_city", "entrusted": False}
    return [*people, away]


def test_a_value_the_engine_would_cut_is_refused_naming_its_field() -> None:
    """Before: ids of 65,536 bytes were cut by the C core and `acting` found no one to act."""
    gov = govrules.load(FIXTURES / "valid" / "acting.yaml")
    assert gov._engine.run(_acting_facts("x")).fired() == ("acting.substitution.chain",)
    with pytest.raises(InvalidArgument, match=r"`pid` in the `person` fact: `x{20}…` is 65,536 characters long"):
        gov._engine.run(_acting_facts("x" * 65_535))


@pytest.mark.parametrize("length", [MAX_VALUE_LENGTH - 1, MAX_VALUE_LENGTH])
def test_values_up_to_the_bound_are_taken(length: int) -> None:
    gov = govrules.load(FIXTURES / "valid" / "acting.yaml")
    result = gov._engine.run(_acting_facts("号" * (length - 1)))
    assert [f["by"] for f in result.derived if f["type"] == "grant"] == ["号" * (length - 1) + "b"]


def test_one_character_over_the_bound_is_refused_in_any_field() -> None:
    gov = govrules.load(FIXTURES / "valid" / "acting.yaml")
    with pytest.raises(InvalidArgument, match=f"more than the {MAX_VALUE_LENGTH} the rule engine takes"):
        gov._engine.run(_acting_facts("x" * MAX_VALUE_LENGTH))
    unread = {"type": "person", "pid": "p", "office": "mayor", "ab_partner": "none", "note": "y" * 201}
    # a field no rule reads is refused too: what is refused does not depend on the profile
    with pytest.raises(InvalidArgument, match="`note` in the `person` fact"):
        gov._engine.run([unread])


def test_an_over_long_agenda_topic_is_refused_through_the_api() -> None:
    gov = govrules.load("jining")
    item = govrules.AgendaItem(topic="议" * 300)
    roster = govrules.Roster([govrules.Person("m", "mayor")])
    with pytest.raises(InvalidArgument, match="`subject` in the `agenda_item` fact"):
        gov.check_meeting("executive", attendees=["m"], roster=roster, agenda=[item])
