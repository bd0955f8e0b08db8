"""The only module that imports durable-rules.

Driven through the C core directly (never ``durable.lang`` or a stock ``Host``: their timer threads
run other sessions' actions). Each compiled ruleset is created once and kept for the life of the
process (deleting rulesets leaks); each query runs in a fresh session that is always deleted; a
process-wide lock serialises sessions (the C core never releases the GIL, and one live session at a
time rules out session-id hash clashes). See ``shared/notes/durable-rules.md``.
"""

from __future__ import annotations

import itertools
import json
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import durable_rules_engine as _dre

from govrules.compile import SENTINEL_FACT, CompiledRuleset
from govrules.errors import EngineError

#: A consequence chain longer than this is a runaway (a profile that derives without end).
MAX_FIRINGS = 10_000

_LOCK = threading.RLock()
_HANDLES: dict[str, int] = {}  # canonical ruleset text → engine handle, kept for the process
_SESSION_IDS = itertools.count(1)

Fact = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Firing:
    """One rule firing: the engine rule name, the profile rule id, and the facts it matched."""

    name: str
    rule_id: str
    matched: Mapping[str, Fact]


@dataclass(frozen=True, slots=True)
class Result:
    firings: tuple[Firing, ...]
    derived: tuple[Fact, ...]

    def fired(self) -> tuple[str, ...]:
        """Profile rule ids that fired, first firing order, without repeats."""
        return tuple(dict.fromkeys(f.rule_id for f in self.firings))


def normalise(value: Any) -> Any:
    """Canonical fact values: NFC strings, plain ints and bools, nothing else."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, bool) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise EngineError(f"fact values must be strings, integers or booleans, not `{value!r}`")


def _dumps(fact: Mapping[str, Any]) -> str:
    return json.dumps(fact, ensure_ascii=False)


def _key(fact: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """A fact's identity for de-duplication in Python (cheaper than serialising it)."""
    return tuple(sorted(fact.items()))


class Engine:
    """A compiled profile ruleset inside the engine."""

    def __init__(self, compiled: CompiledRuleset) -> None:
        self.compiled = compiled
        text = compiled.text
        with _LOCK:
            handle = _HANDLES.get(text)
            if handle is None:
                try:
                    handle = _dre.create_ruleset(f"govrules-{len(_HANDLES)}", text)
                except Exception as exc:  # the C core reports malformed rulesets with bare codes
                    raise EngineError(f"profile `{compiled.profile}`: the engine rejected the ruleset ({exc})") from exc
                _HANDLES[text] = handle
        self._handle = handle

    def _project(self, fact: Fact) -> dict[str, Any]:
        """The fact reduced to what some rule reads (less to serialise and match); {} if no rule reads it."""
        if "sid" in fact or "id" in fact:
            raise EngineError("facts may not carry `sid` or `id`: the engine assigns identity")
        keep = self.compiled.fields.get(str(fact.get("type")))
        if keep is None:
            return {}
        return {k: normalise(v) for k, v in fact.items() if k in keep or k == "type"}

    def run(self, facts: Iterable[Fact]) -> Result:
        """Assert ``facts`` in a fresh session, run every consequence, return firings and derived facts."""
        prepared = list({_key(f): f for f in (self._project(fact) for fact in facts) if f}.values())
        with _LOCK:
            sid = str(next(_SESSION_IDS))
            session = _Session(self._handle, sid, self.compiled)
            try:
                session.assert_fact(dict(SENTINEL_FACT))
                for fact in prepared:
                    session.assert_fact(fact)
            finally:
                session.close()
        return Result(tuple(session.firings), tuple(session.derived))


def _resolve(value: Any, matched: Mapping[str, Fact]) -> Any:
    """A derived-fact template value: literal, or ``{"$ref": [alias, prop]}`` from a matched fact."""
    if isinstance(value, Mapping) and "$ref" in value:
        alias, prop = value["$ref"]
        try:
            return matched[alias][prop]
        except KeyError:
            raise EngineError(f"a consequence refers to `{alias}.{prop}`, which the match does not have") from None
    return value


class _Session:
    def __init__(self, handle: int, sid: str, compiled: CompiledRuleset) -> None:
        self.handle = handle
        self.sid = sid
        self.compiled = compiled
        self.firings: list[Firing] = []
        self.derived: list[Fact] = []
        self._seen: set[tuple[tuple[str, Any], ...]] = set()

    def assert_fact(self, fact: dict[str, Any], *, drain: bool = True) -> None:
        payload = dict(fact, sid=self.sid)
        try:
            code, offset = _dre.assert_fact(self.handle, _dumps(payload))
        except Exception as exc:
            raise EngineError(f"the engine refused a fact ({exc})") from exc
        if code == 1 or not drain:  # code 1: no rule looks at it, so it is not even stored
            return
        self._drain(offset)

    def _drain(self, offset: int) -> None:
        started = _dre.start_action_for_state(self.handle, offset)
        if not started:
            return
        message = started[1]
        while message:
            try:
                self._consequence(json.loads(message))
            except BaseException as exc:
                _dre.abandon_action(self.handle, offset)
                if isinstance(exc, EngineError) or not isinstance(exc, Exception):
                    raise
                raise EngineError(f"profile `{self.compiled.profile}`: a rule consequence failed ({exc})") from exc
            message = _dre.complete_and_start_action(self.handle, offset)

    def _consequence(self, message: Mapping[str, Any]) -> None:
        ((name, matched),) = message.items()
        if len(self.firings) >= MAX_FIRINGS:
            raise EngineError(f"profile `{self.compiled.profile}`: more than {MAX_FIRINGS} rule firings in one query")
        if name == "__begin__":
            return
        rule = self.compiled.rules.get(name)
        if rule is None:
            raise EngineError(f"profile `{self.compiled.profile}`: the engine fired unknown rule `{name}`")
        clean = {alias: {k: v for k, v in fact.items() if k != "sid"} for alias, fact in matched.items()}
        self.firings.append(Firing(name, rule.rule_id, clean))
        derived = {key: _resolve(value, clean) for key, value in rule.derive.items()}
        key = _key(derived)
        if key in self._seen:  # alternatives of one rule, or symmetric matches, derive a fact once
            return
        self._seen.add(key)
        self.derived.append(derived)
        if derived["type"] in self.compiled.consumed:
            # asserted inside the running action: the agenda picks up what it triggers on completion
            self.assert_fact(dict(derived), drain=False)

    def close(self) -> None:
        try:
            _dre.delete_state(self.handle, self.sid)
        except Exception as exc:  # pragma: no cover - would mean the C core lost the session
            raise EngineError(f"the engine could not delete session {self.sid} ({exc})") from exc
