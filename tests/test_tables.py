"""Decision tables and memos against the live engine: the same answers, exceptions and messages included."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import json
import random
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govrules
from govrules import Document, Person, Roster
from govrules import vocabulary as v
from govrules.compile import CompiledRuleset
from govrules.documents import _init
from govrules.engine import live, recording
from govrules.tables import (
    CHECK,
    SIGN,
    DocumentTable,
    TableRefused,
    TableWarning,
    _candidates,
    _Leaf,
)

from .conftest import ROOT

PROFILES = govrules.profiles()
ROSTER = Roster.from_yaml(ROOT / "examples" / "roster.yaml")
ABSENCES = govrules.absences_from_yaml(ROOT / "examples" / "absences.yaml")
ON = dt.date(2025, 3, 4)
FIELDS = {f.name: f for f in dataclasses.fields(Document)}


def outcome(ask: Callable[[], Any]) -> Any:
    """An answer, or an exception as its type, message and attributes (what a caller can see)."""
    try:
        answer = ask()
    except govrules.GovrulesError as exc:
        return (type(exc).__name__, str(exc), vars(exc))
    return answer


def seen(answer: Any) -> Any:
    """An answer from a batch as :func:`outcome` shows it."""
    return (type(answer).__name__, str(answer), vars(answer)) if isinstance(answer, govrules.GovrulesError) else answer


def both(ask: Callable[[], Any]) -> tuple[Any, Any]:
    """The answer through tables and memos, and the live engine's."""
    fast = outcome(ask)
    with live():
        slow = outcome(ask)
    return fast, slow


def fresh(pid: str) -> govrules.Profile:
    """A profile of its own (tables empty), sharing the loaded spec."""
    loaded = govrules.load(pid)
    return govrules.Profile(loaded.spec, source=loaded.source)


def _valid(name: str) -> list[Any]:
    """The values of one attribute a document takes, among those the table builder probes with
    (a bare `classified=True` is deprecated, not refused: it is kept, quietly)."""
    out = []
    for value in _candidates(FIELDS[name]):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                Document(**{"kind": "notice", name: value})
        except govrules.InvalidArgument:
            continue
        out.append(value)
    return out


VALID = {name: _valid(name) for name in FIELDS}


def random_document(rng: random.Random, roles: frozenset[str], **fixed: Any) -> Document:
    """Any valid document: each attribute drawn from the values a document takes (half left at the
    default), free text for `sender`, any of the profile's roles (or none) as the chair."""
    attrs: dict[str, Any] = {}
    for name in FIELDS:
        if name in fixed:
            attrs[name] = fixed[name]
        elif name == "authorised":
            continue
        elif name == "chaired_by":
            attrs[name] = rng.choice([None, *sorted(roles)])
        elif name == "sender":
            attrs[name] = rng.choice([None, f"free text {rng.random()}"])
        elif name in ("kind", "portfolios") or rng.random() < 0.5:
            attrs[name] = rng.choice(VALID[name])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return Document(**attrs)
        except govrules.InvalidArgument:  # attributes that contradict each other (`classified`, `classification`)
            return random_document(rng, roles, **fixed)


def twin(table: DocumentTable, path: dict[str, tuple[bool, ...]], rng: random.Random) -> Document:
    """A document in the leaf of ``path`` that differs from its representative wherever it can: every
    attribute the path does not read drawn at random, and keyed ones another member of their class."""
    fixed: dict[str, Any] = {}
    for field, vector in path.items():
        fixed.update(rng.choice(table.rules.fields[field].members(vector)))
    return random_document(rng, table.profile.roles, **fixed)


@pytest.fixture(scope="module", params=PROFILES)
def warmed(request: pytest.FixtureRequest) -> govrules.Profile:
    gov = fresh(request.param)
    gov.warm()
    return gov


# -- the whole signing domain -------------------------------------------------------------------------


def test_every_leaf_of_every_signing_table_answers_as_the_engine(warmed: govrules.Profile) -> None:
    """Each leaf for its representative and for a twin that differs everywhere the leaf does not look."""
    table = warmed.tables.table(SIGN)
    assert table is not None, "every bundled profile has a signing table"
    rng = random.Random(warmed.id)
    leaves = list(table.walk())
    assert len(leaves) == table.leaves > 0
    differences = []
    for path, leaf in leaves:
        assert leaf.kind in ("answer", "raise")
        for document in (table.representative(path), twin(table, path, rng)):
            fast, slow = both(lambda d=document: warmed.sign(d))  # type: ignore[misc]
            if fast != slow:
                differences.append((document, fast, slow))
    assert not differences, differences[:3]


def test_documents_drawn_from_the_whole_vocabulary_answer_as_the_engine(warmed: govrules.Profile) -> None:
    rng = random.Random(7)
    for _ in range(1500):
        document = random_document(rng, warmed.roles)
        for ask in (warmed.sign, warmed.check):
            fast, slow = both(lambda d=document, a=ask: a(d))  # type: ignore[misc]
            assert fast == slow, document


@pytest.mark.parametrize("pid", PROFILES)
def test_every_built_compliance_leaf_answers_as_the_engine(pid: str) -> None:
    """Compliance tables grow where questions land: ask many, then check every leaf built and a twin."""
    gov = fresh(pid)
    rng = random.Random(3)
    for document in [random_document(rng, gov.roles) for _ in range(600)]:
        outcome(lambda d=document: gov.check(d))  # type: ignore[misc]
    table = gov.tables.table(CHECK)
    assert table is not None
    for path, _leaf in table.walk():
        for document in (table.representative(path), twin(table, path, rng)):
            fast, slow = both(lambda d=document: gov.check(d))  # type: ignore[misc]
            assert fast == slow, document


def test_the_table_keys_only_fields_the_compiled_rules_test() -> None:
    for pid in PROFILES:
        gov = govrules.load(pid)
        for query in (SIGN, CHECK):
            table = gov.tables.table(query)
            assert table is not None
            assert set(table.keyed()) <= set(gov.compiled.fields["document"])


def test_integers_are_clamped_at_the_compilers_classes() -> None:
    """Portfolio counts none / one / several and matters one / several, found from the rules alone."""
    gov = govrules.load("luoyang")
    table = gov.tables.table(SIGN)
    assert table is not None
    keyed = table.rules.fields["portfolio_count"]
    assert keyed.reader.attr == "portfolios"
    assert {keyed.classify(tuple(f"p{i}" for i in range(n))) for n in (2, 3, 9)} == {keyed.classify(("a", "b"))}
    assert len({keyed.classify(()), keyed.classify(("a",)), keyed.classify(("a", "b"))}) == len(keyed.classes)


# -- what the table does not key goes live -----------------------------------------------------------


def _engine_runs(ask: Callable[[], Any]) -> int:
    with recording() as runs:
        outcome(ask)
    return len(runs)


def test_a_known_leaf_asks_the_engine_nothing_and_unkeyable_documents_ask_it() -> None:
    gov = govrules.load("zhengzhou")
    gov.warm()
    plain = Document("request", recipient="provincial_government")
    assert _engine_runs(lambda: gov.sign(plain)) == 0
    assert _engine_runs(lambda: gov.sign(Document("request", recipient="provincial_government"))) == 0
    authorised = Document("notice", portfolios=("a",), authorised=("secretary_general",))
    assert _engine_runs(lambda: gov.sign(authorised)) == 1
    assert both(lambda: gov.sign(authorised))[0] == both(lambda: gov.sign(authorised))[1]
    unknown_chair = Document("minutes", meeting="topical", chaired_by="no_such_role")  # refused before the engine
    fast, slow = both(lambda: gov.sign(unknown_chair))
    assert fast == slow and fast[0] == "InvalidArgument"


def test_arguments_of_the_wrong_type_fail_as_on_the_live_path() -> None:
    gov = govrules.load("jining")
    for bad in ("request", None, {"kind": "request"}):
        fast, slow = both(lambda b=bad: gov.sign(b))  # type: ignore[misc]
        assert fast == slow and fast[0] == "InvalidArgument"
    fast, slow = both(lambda: gov.sign(Document("request"), roster=ROSTER))  # no `on`
    assert fast == slow and "`on`" in fast[1]
    fast, slow = both(lambda: gov.sign(Document("request"), on=ON, roster=["not", "a", "roster"]))  # type: ignore[arg-type]
    assert fast == slow and fast[0] == "InvalidArgument"


# -- refusal: what the builder does not understand -------------------------------------------------


def _with_ruleset(gov: govrules.Profile, edit: Callable[[dict[str, Any]], None]) -> govrules.Profile:
    """The profile with its compiled ruleset edited as a changed compiler would emit it."""
    definition = gov.compiled.definition
    edit(definition)
    text = json.dumps(definition, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    other = fresh(gov.id)
    other.compiled = CompiledRuleset(
        gov.compiled.profile, text, gov.compiled.rules, gov.compiled.consumed, gov.compiled.fields
    )
    return other


def _signing_rule(definition: dict[str, Any]) -> dict[str, Any]:
    name = next(n for n in sorted(definition) if ".signing." in n)
    expr: dict[str, Any] = definition[name]["all"][0]["m"]
    return expr


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ({"$nex": {"recipient": 1}}, "operator `$nex`"),
        ({"$in": {"kind": "request"}}, "operator `$in`"),
        ({"recipient": {"m": "kind"}}, "joins `recipient` with another fact"),
        ({"urgency_level": "high"}, "tests `urgency_level`, which the document fact does not have"),
        ({"matters": "several"}, "compares `matters` with `'several'`"),
    ],
)
def test_an_unknown_operator_or_field_makes_the_build_refuse(term: dict[str, Any], message: str) -> None:
    gov = _with_ruleset(govrules.load("jining"), lambda d: _signing_rule(d)["$and"].append(term))
    with pytest.raises(TableRefused, match=message.replace("$", r"\$")):
        DocumentTable(gov, SIGN)
    # through the profile: a warning that says why, and the engine's answers
    document = Document("request", recipient="provincial_government")
    with pytest.warns(TableWarning, match="no decision table for `sign`"):
        gov.sign(document)
    assert gov.tables.table(SIGN) is None
    with live():
        assert gov.sign(document) == govrules.load("jining").sign(document)


def test_a_field_the_probe_cannot_read_makes_the_build_refuse(monkeypatch: pytest.MonkeyPatch) -> None:
    from govrules import tables

    probe = tables._probe(SIGN)
    readers = {k: r for k, r in probe.readers.items() if k != "recipient"}
    monkeypatch.setitem(tables._PROBES, SIGN.purpose, dataclasses.replace(probe, readers=readers))
    with pytest.raises(TableRefused, match="tests `recipient`, which the table builder does not understand"):
        DocumentTable(fresh("jining"), SIGN)


def test_a_leaf_whose_question_asserts_more_than_the_document_is_asked_live() -> None:
    from govrules import facts
    from govrules.families.signing import Signing

    def ask(profile: govrules.Profile, document: Document) -> Any:
        if document.kind == "request":  # a family that looks further for some documents
            profile.run([facts.MEETING_REQUEST.make(kind="executive")])
        return profile.family(Signing).sign(document)

    gov = fresh("quzhou")
    table = DocumentTable(gov, dataclasses.replace(SIGN, ask=ask))
    table.complete()
    assert 0 < table.live_leaves < table.leaves
    request, notice = Document("request", recipient="provincial_government"), Document("notice", portfolios=("a",))
    assert table.lookup(request) is None
    assert table.lookup(notice) is not None


def test_a_classified_document_without_a_level_is_asked_live_where_the_level_matters() -> None:
    """A bare `classified=True` makes compliance ask once per level: never a table answer for it."""
    for pid in PROFILES:
        gov = govrules.load(pid)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            document = Document("report", classified=True, contains_request=True)
        fast, slow = both(lambda d=document, g=gov: g.check(d))  # type: ignore[misc]
        assert fast == slow


def test_a_compliance_rule_never_branches_the_signing_table() -> None:
    """Compliance rules test `purpose: check`: they are dead for `sign` and cost it no branch."""
    for pid in PROFILES:
        table = govrules.load(pid).tables.table(SIGN)
        assert table is not None
        assert all(".signing." in name for name, _expr in table.rules.live)


# -- memos and days -----------------------------------------------------------------------------------


def test_a_repeated_question_is_answered_from_the_memo() -> None:
    gov = govrules.load("quzhou")
    document = Document("request", recipient="provincial_government")
    first = gov.sign(document)
    assert gov.sign(document) is first
    assert gov.meeting("executive") is gov.meeting("executive")
    assert _engine_runs(lambda: gov.meeting("executive")) == 0


def test_a_not_covered_kind_is_raised_afresh_each_time() -> None:
    gov = govrules.load("quzhou")
    uncovered = [k for k in v.MEETINGS if k not in gov.meetings()]
    assert uncovered
    errors = []
    for _ in range(2):
        with pytest.raises(govrules.NotCovered) as info:
            gov.meeting(uncovered[0])
        errors.append(info.value)
    assert errors[0] is not errors[1] and str(errors[0]) == str(errors[1])
    fast, slow = both(lambda: gov.seal("general_office"))
    assert fast == slow


def test_a_day_is_built_once_per_date_roster_and_absences() -> None:
    gov = fresh("zhengzhou")
    same = Roster(list(ROSTER))
    assert same == ROSTER and hash(same) == hash(ROSTER) and same is not ROSTER
    day = gov.day(ON, ROSTER, ABSENCES)
    assert gov.day(ON, same, tuple(ABSENCES)) is day
    assert gov.day(ON + dt.timedelta(days=1), ROSTER, ABSENCES) is not day
    assert gov.day(ON, Roster([p for p in ROSTER if p.id != "sg_wu"]), ABSENCES) is not day


def test_the_second_staffed_question_of_a_day_asks_the_engine_nothing() -> None:
    gov = fresh("zhengzhou")
    gov.warm()
    first = Document("notice", portfolios=("education",))
    second = Document("notice", portfolios=("health",))
    assert _engine_runs(lambda: gov.sign(first, on=ON, roster=ROSTER, absences=ABSENCES)) == 1  # the day
    assert _engine_runs(lambda: gov.sign(second, on=ON, roster=ROSTER, absences=ABSENCES)) == 0


@pytest.mark.parametrize("pid", PROFILES)
def test_staffed_questions_answer_as_the_engine(pid: str) -> None:
    gov = fresh(pid)
    rng = random.Random(5)
    days = [ON + dt.timedelta(days=k) for k in range(-1, 4)]
    portfolios = sorted({p for person in ROSTER for p in person.portfolios})
    for _ in range(150):
        document = random_document(rng, gov.roles, portfolios=tuple(rng.sample(portfolios, rng.randint(0, 2))))
        on = rng.choice(days)
        absences = tuple(a for a in ABSENCES if rng.random() < 0.7)
        fast, slow = both(lambda d=document, o=on, a=absences: gov.sign(d, on=o, roster=ROSTER, absences=a))  # type: ignore[misc]
        assert fast == slow, (document, on, absences)


def test_the_delegation_graph_is_the_callers_own_copy() -> None:
    gov = govrules.load("zhengzhou")
    graph = gov.delegation_graph(on=ON, roster=ROSTER, absences=ABSENCES)
    graph.add_node("someone_else")
    assert "someone_else" not in gov.delegation_graph(on=ON, roster=ROSTER, absences=ABSENCES)
    assert "someone_else" not in gov.day(ON, ROSTER, tuple(ABSENCES)).graph


# -- batches ----------------------------------------------------------------------------------------------


def test_sign_many_answers_as_a_loop_does() -> None:
    gov = govrules.load("luoyang")
    rng = random.Random(2)
    documents = [random_document(rng, gov.roles) for _ in range(300)]
    expected = [outcome(lambda d=d: gov.sign(d)) for d in documents]  # type: ignore[misc]
    assert [seen(a) for a in gov.sign_many(documents, errors="return")] == expected
    first_error = next(e for e in expected if isinstance(e, tuple))
    with pytest.raises(govrules.GovrulesError) as info:
        gov.sign_many(documents)
    assert str(info.value) == first_error[1]
    staffed = gov.sign_many(documents[:20], on=ON, roster=ROSTER, absences=ABSENCES, errors="return")
    for document, answer in zip(documents[:20], staffed, strict=True):
        single = outcome(lambda d=document: gov.sign(d, on=ON, roster=ROSTER, absences=ABSENCES))  # type: ignore[misc]
        assert seen(answer) == single
    with pytest.raises(govrules.InvalidArgument, match="`errors`"):
        gov.sign_many(documents, errors="ignore")  # type: ignore[arg-type]


def test_check_many_answers_as_a_loop_does() -> None:
    gov = govrules.load("chaoyang")
    rng = random.Random(4)
    documents = [random_document(rng, gov.roles) for _ in range(200)]
    assert gov.check_many(documents) == [gov.check(d) for d in documents]
    got = gov.check_many([documents[0], "not a document"], errors="return")  # type: ignore[list-item]
    assert got[0] == gov.check(documents[0]) and isinstance(got[1], govrules.InvalidArgument)


# -- threads -------------------------------------------------------------------------------------------


def test_tables_built_from_eight_threads_answer_as_the_engine() -> None:
    gov = fresh("jining")
    rng = random.Random(9)
    documents = [random_document(rng, gov.roles) for _ in range(800)]
    with live():
        expected = [outcome(lambda d=d: gov.sign(d)) for d in documents]  # type: ignore[misc]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda d: outcome(lambda: gov.sign(d)), documents))
    assert got == expected


# -- Document construction -----------------------------------------------------------------------------


def _values() -> st.SearchStrategy[Any]:
    words = sorted({w for field in FIELDS.values() for w in _candidates(field) if isinstance(w, str)})
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-2, 5),
        st.sampled_from(words),
        st.text(max_size=3),
        st.tuples(st.sampled_from(["a", "b", "é", ""])),
        st.lists(st.sampled_from(["a", "b"]), max_size=2),
        st.floats(allow_nan=False),
    )


def _built(build: Callable[[], Document]) -> Any:
    try:
        document = build()
    except govrules.InvalidArgument as exc:
        return str(exc)
    return tuple((name, getattr(document, name), type(getattr(document, name))) for name in FIELDS)


NAMES = sorted(set(FIELDS) - {"kind"})


# both constructors warn alike on a bare `classified=True` (deprecated); the values are what is compared
@pytest.mark.filterwarnings("ignore:`classified=True` without a level is deprecated:DeprecationWarning")
@settings(max_examples=400)
@given(
    kind=st.sampled_from([*sorted(v.KINDS), "reqest", 3]),
    attrs=st.dictionaries(st.sampled_from([*NAMES, "recipent", "colour"]), _values(), max_size=6),
)
def test_document_construction_equals_the_reference(kind: Any, attrs: dict[str, Any]) -> None:
    """Values, their types and the first error reported: the written-out constructor against `_init`."""

    def reference() -> Document:
        document = object.__new__(Document)
        _init(document, kind, attrs)
        return document

    assert _built(lambda: Document(kind, **attrs)) == _built(reference)


def test_documents_and_rosters_are_hashable_values() -> None:
    a = Document("request", portfolios=["x"], important=True)
    b = Document("request", portfolios=("x",), important=True)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert Document("request") != Document("report")
    reordered = Roster(list(ROSTER)[::-1])
    assert reordered != ROSTER  # answers follow roster order
    assert len({ROSTER, Roster(list(ROSTER)), reordered}) == 2
    assert len({*ABSENCES, *ABSENCES}) == len(ABSENCES)
    assert ROSTER != "roster" and Person("p", "mayor") == Person("p", "mayor")


def test_leaves_never_store_live_answers_for_bundled_profiles(warmed: govrules.Profile) -> None:
    table = warmed.tables.table(SIGN)
    assert table is not None
    assert not [leaf for _path, leaf in table.walk() if isinstance(leaf, _Leaf) and leaf.kind == "live"]

