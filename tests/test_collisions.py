"""Identity-hash collisions in the C core: a fact must never be lost to one.

durable-rules names every fact it stores by a 64-bit FNV-1 hash of its properties (session id
included), printed in decimal, cut to 19 digits and hashed again to 32 bits for the session's
index; a second fact with the same 32-bit value is reported as a duplicate (code 2) and dropped.
``_mid_hash`` below replicates that computation (``calculateId`` and ``storeMessage`` in
``src/rules/state.c`` of durable-rules 2.0.28), which finds a real colliding pair in about 65,000
tries; every test that uses one first checks with the engine itself that it does collide.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator
from types import MappingProxyType
from typing import Any

import pytest

import govrules
from govrules import Absence, Person, Roster, engine
from govrules.compile import SENTINEL_FACT, SENTINEL_RULE, CompiledRuleset, EngineRule
from govrules.errors import EngineError

from .conftest import FIXTURES

ON = dt.date(2025, 3, 3)
SID = 7  # the session id the collision is computed for; the tests start the engine's counter there
KNOWN_PAIR = (5115, 31980)  # found by `_search()` for the acting fixture's person facts and SID 7

_M64 = (1 << 64) - 1


def _fnv32(data: bytes) -> int:
    value = 0x811C9DC5
    for b in data:
        value = ((value ^ ((b - 256) & 0xFFFFFFFF if b > 127 else b)) * 16777619) & 0xFFFFFFFF  # C `char` is signed
    return value


def _raw(value: Any) -> bytes:
    """A property value as the C core hashes it: the JSON text, without quotes for strings."""
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return str(value).encode()
    return json.dumps(value, ensure_ascii=False)[1:-1].encode("utf-8")


def _mid_hash(fact: dict[str, Any]) -> int:
    """The 32-bit value under which the C core indexes ``fact`` (``sid`` included) in its session."""
    value = 0xCBF29CE484222325
    for name, data in sorted((_fnv32(k.encode()), _raw(v)) for k, v in fact.items()):
        value = ((value ^ name) * 1099511628211) & _M64
        for b in data[: len(data) & 0xFFFF]:
            value = ((value ^ ((b - 256) & _M64 if b > 127 else b)) * 1099511628211) & _M64
    return _fnv32((b"$%020d" % value)[:20])  # the id is `$` and 20 digits; the C core copies 20 characters


def _pair(i: int) -> list[Person]:
    return [Person(f"a{i}", "vice_mayor", ab_partner=f"b{i}"), Person(f"b{i}", "vice_mayor", ab_partner=f"a{i}")]


def _search(project: Callable[[dict[str, Any]], dict[str, Any]]) -> tuple[int, int]:
    """Two AB pairs whose `b` members' facts collide under SID (the later one would be dropped)."""
    seen: dict[int, int] = {}
    for i in range(1_000_000):
        b = _pair(i)[1]
        value = _mid_hash({**project(b.fact()), "sid": str(SID)})
        if value in seen:
            return seen[value], i
        seen[value] = i
    raise AssertionError("no collision in a million tries: the hash replica is wrong")


def _codes(gov: govrules.Profile, facts: list[dict[str, Any]]) -> list[int]:
    """Assert ``facts`` into a bare session SID of the profile's ruleset; the C core's answer codes."""
    dre, handle, sid = engine._dre, gov._engine._handle, str(SID)
    with engine._LOCK:
        _code, offset = dre.assert_fact(handle, json.dumps({**SENTINEL_FACT, "sid": sid}))
        dre.start_action_for_state(handle, offset)  # a session must start an action before it is deleted
        dre.complete_and_start_action(handle, offset)
        try:
            return [dre.assert_fact(handle, json.dumps({**f, "sid": sid}, ensure_ascii=False))[0] for f in facts]
        finally:
            dre.delete_state(handle, sid)


@pytest.fixture(scope="module")
def gov() -> govrules.Profile:
    return govrules.load(FIXTURES / "valid" / "acting.yaml")


@pytest.fixture(scope="module")
def colliding(gov: govrules.Profile) -> tuple[int, int]:
    project = gov._engine._project
    first, second = KNOWN_PAIR
    if _mid_hash({**project(_pair(first)[1].fact()), "sid": str(SID)}) != _mid_hash(
        {**project(_pair(second)[1].fact()), "sid": str(SID)}
    ):  # the fixture's rules read other properties now: find a new pair (a few seconds)
        first, second = _search(project)
    facts = [project(p.fact()) for p in (_pair(first)[1], _pair(second)[1])]
    assert _codes(gov, facts) == [0, 2], "the engine itself must report the collision"
    return first, second


@pytest.fixture
def sessions_from_sid(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(engine, "_SESSION_IDS", itertools.count(SID))
    yield


def test_the_hash_replica_matches_the_engine(gov: govrules.Profile) -> None:
    """Distinct facts whose replicated hashes differ are all stored; a replicated collision is reported."""
    project = gov._engine._project
    facts = [project(p.fact()) for i in range(50) for p in _pair(i)]
    assert len({_mid_hash({**f, "sid": str(SID)}) for f in facts}) == len(facts)
    assert _codes(gov, facts) == [0] * len(facts)


def test_a_real_collision_loses_no_person(
    gov: govrules.Profile, colliding: tuple[int, int], sessions_from_sid: None
) -> None:
    """Before: the second colliding person was dropped and `a…` had no one to act for them."""
    first, second = colliding
    roster = Roster([Person("m", "mayor"), *_pair(first), *_pair(second)])
    away = [Absence(f"a{second}", ON, ON, "out_of_city")]
    act = gov.acting(f"a{second}", on=ON, roster=roster, absences=away, duty="all")
    assert act.person == f"b{second}", act.unresolved


def test_the_retry_asks_the_same_question_again(
    gov: govrules.Profile, colliding: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer after a collision equals the answer of a session without one, firing for firing."""
    first, second = colliding
    facts = [p.fact() for p in (Person("m", "mayor"), *_pair(first), *_pair(second))]
    facts.append(Absence(f"a{second}", ON, ON, "out_of_city").fact())
    monkeypatch.setattr(engine, "_SESSION_IDS", itertools.count(SID + 1000))
    clean = gov._engine.run(facts)
    monkeypatch.setattr(engine, "_SESSION_IDS", itertools.count(SID))
    retried = gov._engine.run(facts)
    assert retried == clean
    assert next(engine._SESSION_IDS) == SID + 2  # one session lost to the collision, one that answered


class _Dropping:
    """The C core, except that it drops the first ``times`` asserts of facts of type ``kind`` as duplicates."""

    def __init__(self, kind: str, times: int, code: int = 2) -> None:
        self.kind, self.times, self.code = kind, times, code
        self.dropped = 0

    def assert_fact(self, handle: int, text: str) -> tuple[int, int]:
        if json.loads(text)["type"] == self.kind and self.dropped < self.times:
            self.dropped += 1
            return self.code, 0
        result: tuple[int, int] = _REAL.assert_fact(handle, text)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(_REAL, name)


_REAL = engine._dre


def _chain() -> engine.Engine:
    """A ruleset whose consequences assert derived facts: `a` derives `b`, `b` derives `c`."""
    definition = {
        SENTINEL_RULE: {"all": [{"m": {"type": SENTINEL_FACT["type"]}}]},
        "t.b": {"all": [{"m": {"type": "a"}}]},
        "t.c": {"all": [{"m": {"type": "b"}}]},
    }
    rules = {
        "t.b": EngineRule("t.b", "t.b", MappingProxyType({"type": "b", "v": {"$ref": ["m", "v"]}})),
        "t.c": EngineRule("t.c", "t.c", MappingProxyType({"type": "c", "v": {"$ref": ["m", "v"]}})),
    }
    fields = {"__begin__": frozenset({"type"}), "a": frozenset({"type", "v"}), "b": frozenset({"type", "v"})}
    compiled = CompiledRuleset(
        "chain", json.dumps(definition, sort_keys=True), rules, frozenset({"__begin__", "a", "b"}), fields
    )
    return engine.Engine(compiled)


def test_a_collision_on_an_asserted_fact_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    chain = _chain()
    fake = _Dropping("a", times=1)
    monkeypatch.setattr(engine, "_dre", fake)
    result = chain.run([{"type": "a", "v": "x"}])
    assert fake.dropped == 1
    assert result.derived == ({"type": "b", "v": "x"}, {"type": "c", "v": "x"})


def test_a_collision_on_a_derived_fact_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: the derived `b` was dropped inside the action and `c` was never derived."""
    chain = _chain()
    fake = _Dropping("b", times=1)
    monkeypatch.setattr(engine, "_dre", fake)
    result = chain.run([{"type": "a", "v": "x"}])
    assert fake.dropped == 1
    assert result.derived == ({"type": "b", "v": "x"}, {"type": "c", "v": "x"})
    assert result.fired() == ("t.b", "t.c")


@pytest.mark.parametrize("kind", ["a", "b"])
def test_collisions_in_every_attempt_fail_the_query(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    chain = _chain()
    fake = _Dropping(kind, times=engine.ATTEMPTS)
    monkeypatch.setattr(engine, "_dre", fake)
    with pytest.raises(EngineError, match=f"identity-hash collision in {engine.ATTEMPTS} sessions in a row"):
        chain.run([{"type": "a", "v": "x"}])
    monkeypatch.undo()
    assert chain.run([{"type": "a", "v": "x"}]).fired() == ("t.b", "t.c")  # nothing left behind


def test_an_unknown_answer_code_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    chain = _chain()
    monkeypatch.setattr(engine, "_dre", _Dropping("a", times=1, code=3))
    with pytest.raises(EngineError, match="code 3"):
        chain.run([{"type": "a", "v": "x"}])


def test_a_derived_fact_equal_to_an_asserted_one_is_not_a_collision() -> None:
    """`b` is asserted and also derived from `a`: the engine already has it, which is no error."""
    result = _chain().run([{"type": "a", "v": "x"}, {"type": "b", "v": "x"}])
    assert {"type": "c", "v": "x"} in result.derived
