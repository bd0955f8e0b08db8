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
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from govrules.errors import EngineError, EngineUnavailable, InvalidArgument

if TYPE_CHECKING:
    from govrules.compile import CompiledRuleset


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

#: Results of one-fact queries kept per compiled profile (see :meth:`Engine.run`).
MEMO_SIZE = 1024

# The sentinel of pitfall 2 (compile.py's SENTINEL_FACT, written out: importing the compiler here
# would bring pydantic into `import govrules`).
_SENTINEL_TYPE = "__begin__"
_TYPE_HEAD = '{"type":'
_SENTINEL_TEXT = _TYPE_HEAD + '"__begin__"'

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


# Memo insertions take _MEMO_LOCK and nothing else while holding it: the innermost lock, registered first.
_MEMO_LOCK = threading.Lock()
register_lock(_MEMO_LOCK)
register_lock(_LOCK)

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    """A bounded map for exact answers: reads take no lock; insertions take one process-wide lock.

    Two generations of at most ``size // 2`` entries each: when the young one is full it becomes the
    old one and the old one is dropped, so memory stays flat however many distinct questions are
    asked, and nothing is ever evicted one entry at a time (a dict emptied from the front makes every
    later eviction scan past the holes). Safe across threads and ``os.fork`` (the lock is registered).

    Examples
    --------
    >>> memo: Memo[str, int] = Memo(4)
    >>> for n, key in enumerate("abcde"):
    ...     memo.put(key, n)
    >>> memo.get("a"), memo.get("c"), memo.get("e"), len(memo) <= 4
    (None, 2, 4, True)
    """

    __slots__ = ("_half", "_old", "_young", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self._half = max(1, size // 2)
        self._young: dict[K, V] = {}
        self._old: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        found = self._young.get(key)
        return self._old.get(key) if found is None else found

    def put(self, key: K, value: V) -> None:
        with _MEMO_LOCK:
            young = self._young
            young[key] = value
            if len(young) >= self._half:
                self._old, self._young = young, {}

    def clear(self) -> None:
        with _MEMO_LOCK:
            self._young, self._old = {}, {}

    def __len__(self) -> int:
        return len(self._young) + len(self._old)


_LOCAL: Any = threading.local()  # per thread: `live` depth, `record` (the facts of each run)


@contextmanager
def live() -> Iterator[None]:
    """Within this block (in this thread) every question is answered by a fresh engine session:
    no decision table, no memo. For tests that compare the two paths, and for building tables.

    Examples
    --------
    >>> import govrules
    >>> gov = govrules.load(govrules.profiles()[0])
    >>> doc = govrules.Document(kind="request", recipient="provincial_government")
    >>> with live():
    ...     slow = gov.sign(doc)
    >>> slow == gov.sign(doc)
    True
    """
    _LOCAL.live = getattr(_LOCAL, "live", 0) + 1
    try:
        yield
    finally:
        _LOCAL.live -= 1


def is_live() -> bool:
    """Whether this thread is inside :func:`live`."""
    return bool(getattr(_LOCAL, "live", 0))


@contextmanager
def recording() -> Iterator[list[list[dict[str, Any]]]]:
    """Within this block (in this thread), the facts of every :meth:`Engine.run` are appended to the
    list it yields: how the table builder checks which facts a family's question asserts."""
    runs: list[list[dict[str, Any]]] = []
    previous = getattr(_LOCAL, "record", None)
    _LOCAL.record = runs
    try:
        yield runs
    finally:
        _LOCAL.record = previous


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
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if isinstance(value, int):  # bools included
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


_encode = json.encoder.encode_basestring  # the C encoder json.dumps(ensure_ascii=False) uses
_scan: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def _value_text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _encode(value)
    return int.__repr__(value)


def _text(fact: Mapping[str, Any], keys: Iterable[str]) -> str:
    """The fact as JSON without its closing brace (the session id is appended per session): ``type``
    first, then ``keys`` (sorted, so equal facts have equal text). Built by hand: ``json.dumps`` of
    each fact was a fifth of a query."""
    parts = [_TYPE_HEAD, _encode(str(fact["type"]))]
    for key in keys:
        if key != "type":
            parts += (",", _encode(key), ":", _value_text(fact[key]))
    return "".join(parts)


def _dumps(fact: Mapping[str, Any]) -> str:
    return json.dumps(dict(fact), ensure_ascii=False)


class _Matched(Mapping[str, Fact]):
    """The facts of one firing, parsed from the action message only when someone reads them."""

    __slots__ = ("_facts", "_message", "_start")

    def __init__(self, message: str, start: int) -> None:
        self._message = message
        self._start = start
        self._facts: dict[str, Fact] | None = None

    def _load(self) -> dict[str, Fact]:
        if self._facts is None:
            raw = json.loads(self._message[self._start : -1])
            self._facts = {alias: {k: v for k, v in fact.items() if k != "sid"} for alias, fact in raw.items()}
        return self._facts

    def __getitem__(self, alias: str) -> Fact:
        return self._load()[alias]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return repr(self._load())


@dataclass(frozen=True, slots=True)
class _Rule:
    """What a consequence needs of an engine rule, prepared once per ruleset."""

    rule_id: str
    derive: Mapping[str, Any]
    refs: bool  # whether the derived fact copies values from the match (then the match is parsed)
    fact_type: str


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
        # per fact type, the properties some rule reads: the set to project with, the sorted order to write
        self._keep = {t: (fields, tuple(sorted(fields - {"type"}))) for t, fields in compiled.fields.items()}
        self._rules = {
            name: _Rule(
                rule.rule_id,
                rule.derive,
                any(isinstance(v, Mapping) and "$ref" in v for v in rule.derive.values()),
                str(rule.derive["type"]),
            )
            for name, rule in compiled.rules.items()
        }
        self._memo: Memo[str, Result] = Memo(MEMO_SIZE)

    def _project(self, fact: Fact) -> dict[str, Any]:
        """The fact reduced to what some rule reads (less to serialise and match); {} if no rule reads it.

        Every value is checked, read or not, so that what is refused does not depend on the profile.
        """
        if "sid" in fact or "id" in fact:
            raise EngineError("facts may not carry `sid` or `id`: the engine assigns identity")
        _check_lengths(fact)  # every value, read or not: what is refused does not depend on the profile
        found = self._keep.get(str(fact.get("type")))
        if found is None:
            return {}
        keep = found[0]
        projected: dict[str, Any] = {}
        for k, v in fact.items():
            if k in keep or k == "type":
                # normalise(), written out for the values facts are made of (a call per value was a tenth of a query)
                if v.__class__ is str:
                    projected[k] = v if v.isascii() else unicodedata.normalize("NFC", v)
                elif v.__class__ is bool or v.__class__ is int:
                    projected[k] = v
                else:
                    projected[k] = normalise(v)
        _check_lengths(projected)  # NFC may lengthen a string
        return projected

    def _prepare(self, facts: Iterable[Fact]) -> list[tuple[str, dict[str, Any]]]:
        """Each fact projected and written once; facts no rule reads dropped, equal facts once."""
        out: dict[str, dict[str, Any]] = {}
        for fact in facts:
            projected = self._project(fact)
            if projected:
                _fields, order = self._keep[str(projected["type"])]
                out.setdefault(_text(projected, (k for k in order if k in projected)), projected)
        return list(out.items())

    def fact_text(self, fact: Fact) -> str:
        """The JSON the engine is given for ``fact`` (projected, without session id); for benchmarks."""
        ((text, _projected),) = self._prepare([fact])
        return text + "}"

    def bare_session(self, text: str) -> int:
        """One fresh session with the sentinel and one fact (``fact_text``), every action run and no
        consequence: what durable-rules alone costs for a query. Returns the actions run. For benchmarks."""
        with _LOCK:
            sid = str(next(_SESSION_IDS))
            actions = 0
            for fact in (_SENTINEL_TEXT + "}", text):
                code, offset = _dre.assert_fact(self._handle, f'{fact[:-1]},"sid":"{sid}"}}')
                if code != 0:
                    continue
                started = _dre.start_action_for_state(self._handle, offset)
                message = started[1] if started else None
                while message:
                    actions += 1
                    message = _dre.complete_and_start_action(self._handle, offset)
            _dre.delete_state(self._handle, sid)
        return actions

    def run(self, facts: Iterable[Fact]) -> Result:
        """Assert ``facts`` in a fresh session, run every consequence, return firings and derived facts.

        A session in which two different facts collide on the C core's 32-bit identity hash (it
        reports the second as a duplicate and drops it) is discarded and the query run again under a
        new session id, which changes every fact's hash; :class:`EngineError` after :data:`ATTEMPTS`.

        A query of one fact (after projection onto what the rules read) is kept, up to
        :data:`MEMO_SIZE` of them: the engine's answer to the same fact is the same, so asking again
        returns the kept :class:`Result` (its derived facts are read-only). Not inside :func:`live`.
        """
        record = getattr(_LOCAL, "record", None)
        if record is not None:
            facts = [dict(f) for f in facts]
            record.append(facts)
        prepared = self._prepare(facts)
        key = prepared[0][0] if len(prepared) == 1 and not getattr(_LOCAL, "live", 0) else None
        if key is not None:
            hit = self._memo.get(key)
            if hit is not None:
                return hit
        with _LOCK:
            for _attempt in range(ATTEMPTS):
                session = _Session(self, str(next(_SESSION_IDS)))
                try:
                    session.assert_text(_SENTINEL_TEXT, _SENTINEL_TYPE)
                    for text, projected in prepared:
                        session.assert_text(text, str(projected["type"]))
                except _Collision:
                    continue
                finally:
                    session.close()
                result = Result(tuple(session.firings), tuple(session.derived))
                break
            else:
                raise EngineError(
                    f"profile `{self.compiled.profile}`: the rule engine lost a fact to an identity-hash collision "
                    f"in {ATTEMPTS} sessions in a row ({len(prepared)} facts asserted)\n"
                    "    help: ask about fewer people at once; the chance of a collision grows with the square of "
                    "the facts"
                )
        if key is not None:
            self._memo.put(key, result)
        return result


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
    def __init__(self, engine: Engine, sid: str) -> None:
        self.handle = engine._handle
        self.sid = sid
        self.engine = engine
        self.compiled = engine.compiled
        self.firings: list[Firing] = []
        self.derived: list[Fact] = []
        self._tail = f',"sid":"{sid}"}}'
        self._seen: set[str] = set()  # derived facts
        self._stored: set[str] = set()  # facts asserted into this session
        self._created = False  # the C core creates the session with its first fact

    def assert_text(self, text: str, fact_type: str, *, drain: bool = True) -> None:
        if text in self._stored:  # a derived fact equal to one already asserted: the engine has it
            return
        try:
            code, offset = _dre.assert_fact(self.handle, text + self._tail)
        except Exception as exc:
            raise EngineError(f"the engine refused a fact ({exc})") from exc
        self._created = True
        if code == 2:  # "already in the session": every fact here is new, so two identity hashes collided
            raise _Collision(f"session {self.sid}: identity-hash collision on `{text[:200]}}}`")
        if code not in (0, 1):
            raise EngineError(f"the engine answered code {code} to a fact (`{text[:200]}}}`)")
        self._stored.add(text)
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
                self._consequence(message)
            except BaseException as exc:
                _dre.abandon_action(self.handle, offset)
                if isinstance(exc, EngineError) or not isinstance(exc, Exception):
                    raise
                raise EngineError(f"profile `{self.compiled.profile}`: a rule consequence failed ({exc})") from exc
            message = _dre.complete_and_start_action(self.handle, offset)

    def _consequence(self, message: str) -> None:
        # the message is `{"<rule name>":{<alias>:<fact>,...}}`: the name is read, the facts only if needed
        name, end = _scan(message, 2)
        if len(self.firings) >= MAX_FIRINGS:
            raise EngineError(f"profile `{self.compiled.profile}`: more than {MAX_FIRINGS} rule firings in one query")
        if name == _SENTINEL_TYPE:
            return
        rule = self.engine._rules.get(name)
        if rule is None:
            raise EngineError(f"profile `{self.compiled.profile}`: the engine fired unknown rule `{name}`")
        matched = _Matched(message, end + 1)
        self.firings.append(Firing(name, rule.rule_id, matched))
        if rule.refs:
            derived = {key: _resolve(value, matched) for key, value in rule.derive.items()}
            _check_lengths(derived)
        else:
            derived = dict(rule.derive)
        text = _text(derived, sorted(derived))
        if text in self._seen:  # alternatives of one rule, or symmetric matches, derive a fact once
            return
        self._seen.add(text)
        self.derived.append(MappingProxyType(derived))
        if rule.fact_type in self.compiled.consumed:
            # asserted inside the running action: the agenda picks up what it triggers on completion
            self.assert_text(text, rule.fact_type, drain=False)

    def close(self) -> None:
        if not self._created:  # nothing to delete, and deleting would hide why the first fact failed
            return
        try:
            _dre.delete_state(self.handle, self.sid)
        except Exception as exc:  # pragma: no cover - would mean the C core lost the session
            raise EngineError(f"the engine could not delete session {self.sid} ({exc})") from exc
