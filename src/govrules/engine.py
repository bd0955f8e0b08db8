"""The only module that imports durable-rules.

Driven through the C core directly (never ``durable.lang`` or a stock ``Host``: their timer threads
run other sessions' actions). Each compiled ruleset is created once and kept for the life of the
process (deleting rulesets leaks); each query runs in a fresh session that is always deleted; a
process-wide lock serialises sessions (the C core never releases the GIL, and one live session at a
time rules out session-id hash clashes). See ``shared/notes/durable-rules.md``.

What the C core cannot do, this module makes impossible or recovers from:

- value lengths are kept in 16 bits, so every string value is bounded (:data:`MAX_VALUE_LENGTH`);
- a fact's identity is a 32-bit hash, and a collision silently drops a fact: a query whose session
  reports one is run again in a fresh session (new session id, so every fact hashes anew), up to
  :data:`ATTEMPTS` times, and fails with :class:`~govrules.EngineError` after that — never with a
  fact missing. The chance per query grows with the square of the facts in it (people, absences
  and derived facts): about n² / 2³³, so 0.05 % for 2,000 facts and 1 % for 10,000, before retries;
- the process-wide lock is made safe across ``os.fork`` (see :func:`register_lock`).
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from govrules.compile import SENTINEL_FACT, CompiledRuleset
from govrules.errors import EngineError, EngineUnavailable, InvalidArgument


def _load_core() -> Any:
    """Import ``durable_rules_engine`` with lazy symbol binding, or raise :class:`EngineUnavailable`.

    Why lazy: durable-rules 2.0.28's C core calls ``PyEval_CallObject``, removed in CPython 3.13,
    from its storage-callback setters only. Resolved eagerly (Python's default ``RTLD_NOW``) the
    missing symbol fails the whole import; resolved lazily it is looked up only if a setter is
    called, which this driver never does. The flags are restored at once: nothing else is affected.
    """
    flags = sys.getdlopenflags()
    sys.setdlopenflags((flags & ~os.RTLD_NOW) | os.RTLD_LAZY)
    try:
        import durable_rules_engine
    except ImportError as exc:
        version = sys.version.split()[0]
        raise EngineUnavailable(
            f"govrules cannot load its rule engine, the C core of durable-rules (`durable_rules_engine`), "
            f"on Python {version}: {exc}\n"
            "    help: `pip install durable-rules==2.0.28` builds it from source and needs a C compiler and "
            "the Python headers; see docs/install.md"
        ) from exc
    finally:
        sys.setdlopenflags(flags)
    return durable_rules_engine


_dre = _load_core()

#: A consequence chain longer than this is a runaway (a profile that derives without end).
MAX_FIRINGS = 10_000

#: The longest string a fact may carry into the engine, in characters (after NFC). The C core keeps
#: value lengths in 16 bits (a value of 65,536 bytes or more is cut and then matches wrongly); 200
#: characters are at most 1,200 bytes even JSON-escaped, and more than any legitimate value needs:
#: ids are limited to 200 characters where they are made, vocabulary words are under 40, and agenda
#: subjects are an item number and a topic title.
MAX_VALUE_LENGTH = 200

#: Sessions tried for one query when the C core reports an identity-hash collision.
ATTEMPTS = 3

_LOCK = threading.RLock()
_HANDLES: dict[str, int] = {}  # canonical ruleset text → engine handle, kept for the process
_SESSION_IDS = itertools.count(1)


class _Lock(Protocol):
    def acquire(self, blocking: bool = ..., timeout: float = ...) -> bool: ...

    def release(self) -> None: ...


def register_lock(lock: _Lock) -> None:
    """Make a module-level lock safe across ``os.fork`` (and ``multiprocessing``'s fork start method).

    A child process inherits a lock in the state the parent had it, but not the thread that held
    it: a lock held by another thread at the moment of the fork is held for ever in the child. A
    registered lock is taken before every fork (waiting for the query or load in progress to
    finish, so the child also inherits consistent data) and released after it, in parent and child.

    Fork handlers run ``before`` in reverse order of registration: register a lock that is taken
    while another registered lock is held *before* that other lock (inner locks first), as the
    import order does for this module's lock and the profile cache's.

    Examples
    --------
    >>> import threading
    >>> from govrules.engine import register_lock
    >>> cache_lock = threading.Lock()
    >>> register_lock(cache_lock)
    """
    os.register_at_fork(before=lock.acquire, after_in_parent=lock.release, after_in_child=lock.release)


register_lock(_LOCK)

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


def _check_lengths(fact: Fact) -> None:
    """:class:`InvalidArgument` naming the first field whose string is too long for the engine."""
    for key, value in fact.items():
        if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
            raise InvalidArgument(
                f"`{key}` in the `{fact.get('type')}` fact: `{value[:20]}…` is {len(value):,} characters long, "
                f"more than the {MAX_VALUE_LENGTH} the rule engine takes\n"
                f"    help: ids, names and topics are limited to {MAX_VALUE_LENGTH} characters"
            )


def _dumps(fact: Mapping[str, Any]) -> str:
    return json.dumps(fact, ensure_ascii=False)


_Key = tuple[tuple[str, Any], ...]


def _key(fact: Mapping[str, Any]) -> _Key:
    """A fact's identity for de-duplication in Python (cheaper than serialising it)."""
    return tuple(sorted(fact.items()))


_SENTINEL_KEY = _key(SENTINEL_FACT)


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
        """The fact reduced to what some rule reads (less to serialise and match); {} if no rule reads it.

        Every value is checked, read or not, so that what is refused does not depend on the profile.
        """
        if "sid" in fact or "id" in fact:
            raise EngineError("facts may not carry `sid` or `id`: the engine assigns identity")
        _check_lengths(fact)
        keep = self.compiled.fields.get(str(fact.get("type")))
        if keep is None:
            return {}
        projected = {k: normalise(v) for k, v in fact.items() if k in keep or k == "type"}
        _check_lengths(projected)  # NFC may lengthen a string
        return projected

    def run(self, facts: Iterable[Fact]) -> Result:
        """Assert ``facts`` in a fresh session, run every consequence, return firings and derived facts.

        A session in which two different facts collide on the C core's 32-bit identity hash (it
        reports the second as a duplicate and drops it) is discarded and the query run again under a
        new session id, which changes every fact's hash; :class:`EngineError` after :data:`ATTEMPTS`.
        """
        prepared = {_key(f): f for f in (self._project(fact) for fact in facts) if f}
        with _LOCK:
            for _attempt in range(ATTEMPTS):
                session = _Session(self._handle, str(next(_SESSION_IDS)), self.compiled)
                try:
                    session.assert_fact(dict(SENTINEL_FACT), _SENTINEL_KEY)
                    for key, fact in prepared.items():
                        session.assert_fact(fact, key)
                except _Collision:
                    continue
                finally:
                    session.close()
                return Result(tuple(session.firings), tuple(session.derived))
        raise EngineError(
            f"profile `{self.compiled.profile}`: the rule engine lost a fact to an identity-hash collision "
            f"in {ATTEMPTS} sessions in a row ({len(prepared)} facts asserted)\n"
            "    help: ask about fewer people at once; the chance of a collision grows with the square of the facts"
        )


class _Collision(EngineError):
    """The C core reported a fact that is not in the session as already there: its identity hash collided."""


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
        self._seen: set[_Key] = set()  # derived facts
        self._stored: set[_Key] = set()  # facts asserted into this session
        self._created = False  # the C core creates the session with its first fact

    def assert_fact(self, fact: dict[str, Any], key: _Key, *, drain: bool = True) -> None:
        if key in self._stored:  # a derived fact equal to one already asserted: the engine has it
            return
        payload = dict(fact, sid=self.sid)
        try:
            code, offset = _dre.assert_fact(self.handle, _dumps(payload))
        except Exception as exc:
            raise EngineError(f"the engine refused a fact ({exc})") from exc
        self._created = True
        if code == 2:  # "already in the session": every fact here is new, so two identity hashes collided
            raise _Collision(f"session {self.sid}: identity-hash collision on `{_dumps(fact)[:200]}`")
        if code not in (0, 1):
            raise EngineError(f"the engine answered code {code} to a fact (`{_dumps(fact)[:200]}`)")
        self._stored.add(key)
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
        _check_lengths(derived)
        key = _key(derived)
        if key in self._seen:  # alternatives of one rule, or symmetric matches, derive a fact once
            return
        self._seen.add(key)
        self.derived.append(derived)
        if derived["type"] in self.compiled.consumed:
            # asserted inside the running action: the agenda picks up what it triggers on completion
            self.assert_fact(dict(derived), key, drain=False)

    def close(self) -> None:
        if not self._created:  # nothing to delete, and deleting would hide why the first fact failed
            return
        try:
            _dre.delete_state(self.handle, self.sid)
        except Exception as exc:  # pragma: no cover - would mean the C core lost the session
            raise EngineError(f"the engine could not delete session {self.sid} ({exc})") from exc
