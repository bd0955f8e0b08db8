"""Decision tables: the engine's answers over a finite domain, asked once per leaf and kept.

A question about a document (who signs it, which rules it breaks) depends on the document only
through the fields the profile's rules test. Those fields take few values that matter: the values
rules name, and "any other". So each such question is compiled into a tree whose branches are those
value classes and whose leaves hold the whole answer the family's own question gave, through the
engine, for one representative document: the route with its citations and the rules that fired,
or the exception (type, message, attributes). A query walks the tree and returns the leaf's answer,
with the one thing that is the document's own (its description, in ``question`` and in messages).

Why a leaf's answer is every document's answer in it (the pruning is conservative):

1. *Classes.* For each field a live rule tests, the value class of a value is the vector of truth
   values of every test on that field (``=``, ``≠``, ``<``, ``≤``, ``>``, ``≥`` against a literal) in
   the compiled rules. Two values of one class pass and fail exactly the same tests, so the engine
   cannot tell them apart. Integers are clamped by this construction (portfolio count none / one /
   several; matters one / several) without a hand list.
2. *Pruning.* A branch is cut when every live rule's pattern has the same truth value for every
   completion of the classes chosen so far (three-valued evaluation, which is sound). Which rules
   fire is then fixed, hence the derived facts (their templates may copy only fields that are the
   same for every document) and, through precedence, the answer.
3. *What is read.* The domain comes from the compiled ruleset, never from a list of document
   fields: a probe learns, from :class:`~govrules.Document` itself, which attribute sets which fact
   field and how (verified on every probe and on random documents; a field several attributes make
   is read off the document's own fact). A test on a field that is not in the fact, an operator or
   a join the builder does not know, or a rule that matches the document together with another fact
   makes the build refuse (:class:`TableRefused`); the question is then answered by the engine, and
   a :class:`TableWarning` says why. A leaf whose question asserts anything but the one document
   fact (the family looks further) is asked of the engine each time.
4. *What is not keyed.* Documents whose answer depends on more than the rules (an authorised
   delegate, a chair the profile does not know, a subclass of ``Document``) take the live path.

``tests/test_tables.py`` compares the table with the live engine over every leaf of every bundled
profile, with a second document per leaf that differs everywhere the leaf does not look.

Tables are built lazily, a branch at a time, under one lock: the first question that reaches an
unbuilt leaf pays one engine query. :meth:`Tables.warm` builds everything at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from govrules import _args, facts
from govrules import vocabulary as v
from govrules.day import Day
from govrules.day import build as build_day
from govrules.documents import Document
from govrules.engine import _LOCAL as _THREAD
from govrules.engine import Memo, is_live, live, normalise, recording, register_lock
from govrules.errors import ConflictError, EngineError, GovrulesError, InvalidArgument, NotCovered

if TYPE_CHECKING:
    from govrules.families.compliance import Violation
    from govrules.families.meetings import MeetingRule
    from govrules.families.signing import Route, Signing
    from govrules.profile import Profile
    from govrules.roster import Absence, Roster

__all__ = ["CHECK", "SIGN", "DocumentQuery", "DocumentTable", "TableRefused", "TableWarning", "Tables", "live"]

#: Exact answers kept per profile and question (documents seen, days seen).
MEMO_SIZE = 4096

#: Leaves kept per table. A signing table has hundreds to a few thousand; a compliance table can
#: have tens of thousands (its rules are independent of each other), so it is built only where
#: questions land, and past this many its new branches are asked of the engine each time.
MAX_LEAVES = 20_000

# Expansions of every table take this lock (and, inside it, the engine's): registered after it.
_LOCK = threading.RLock()
register_lock(_LOCK)

_MISS: Any = object()


class TableRefused(EngineError):
    """The compiled rules use something the table builder does not understand; the question stays live."""


class TableWarning(UserWarning):
    """A decision table was refused; its questions are answered by the engine (slower, same answers)."""


# -- the questions ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentQuery:
    """A question about one document that a family answers by asserting ``document.fact(purpose)``.

    ``ask`` is the family's own question (the live path); ``keyable`` says whether the answer can
    depend on the document only through its fact (else the question is always asked live).
    """

    name: str
    purpose: str
    reads: frozenset[str]  # the derived fact types the family builds its answer from
    ask: Callable[[Profile, Document], Any]
    keyable: Callable[[Profile, Document], bool]

    def fact(self, document: Document) -> dict[str, Any]:
        return dict(document.fact(self.purpose))


def _ask_sign(profile: Profile, document: Document) -> Route:
    from govrules.families.signing import Signing

    return profile.family(Signing).sign(document)


def _sign_keyable(profile: Profile, document: Document) -> bool:
    # an authorised delegate joins the signers, and an unknown chair is an error: both outside the rules
    chair = document.chaired_by
    return not document.authorised and (chair is None or chair in profile.roles)


def _ask_check(profile: Profile, document: Document) -> list[Violation]:
    from govrules.families.compliance import Compliance

    return profile.family(Compliance).check(document)


def _always(profile: Profile, document: Document) -> bool:
    return True


#: Who signs a document (:meth:`govrules.Profile.sign` without a day).
SIGN = DocumentQuery("sign", "sign", frozenset({facts.SIGNING.name}), _ask_sign, _sign_keyable)
#: Which rules a document breaks (:meth:`govrules.Profile.check` of a document alone).
CHECK = DocumentQuery("check", "check", frozenset({facts.VIOLATION.name}), _ask_check, _always)


# -- the probe: which attribute of a Document sets which fact field, and how -------------------------


def _same(raw: Any) -> Any:
    return raw


def _none_word(raw: Any) -> Any:
    return "none" if raw is None else raw


def _tristate(raw: Any) -> Any:
    return "unknown" if raw is None else ("yes" if raw else "no")


def _count(raw: Any) -> Any:
    return len(raw)


# The shapes a fact field may have of an attribute; the probe keeps the first that fits every probe.
_CONVERSIONS: tuple[Callable[[Any], Any], ...] = (_same, _none_word, _tristate, _count)


def _inverse(conv: Callable[[Any], Any], value: Any) -> list[Any]:
    """Attribute values that ``conv`` turns into ``value`` (candidates; each is checked by building a Document)."""
    if conv is _same:
        return [value]
    if conv is _none_word:
        return [None] if value == "none" else [value]
    if conv is _tristate:
        return [{"unknown": None, "yes": True, "no": False}.get(value, value)]
    if conv is _count and isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 16:
        return [tuple(f"p{i}" for i in range(1, value + 1))]
    return []


def _strings(name: str) -> list[str]:
    """Words to try for a string attribute: its condition vocabulary first, then every shared id."""
    words: list[str] = list(v.CONDITION_VALUES.get(name, ()))
    for table in (v.KINDS, v.ISSUERS, v.RECIPIENTS, v.MEETINGS, v.URGENCIES, v.SENDER_KINDS, v.SEALS):
        words += table
    words += sorted(v.SHARED_ROLES)
    return list(dict.fromkeys(words))


def _candidates(field: dataclasses.Field[Any]) -> list[Any]:
    """Values to probe an attribute with, from its annotation (a string: annotations are postponed)."""
    parts = {p.strip() for p in str(field.type).split("|")}
    out: list[Any] = []
    if "bool" in parts:
        out += [False, True]
    if "int" in parts:
        out += list(range(5))
    if any(p.startswith("tuple[") for p in parts):
        out += [(), ("p1",), ("p1", "p2"), ("p1", "p2", "p3")]
    if "str" in parts:
        out += _strings(field.name)
    if "None" in parts:
        out.append(None)
    return out


def _make(attrs: Mapping[str, Any]) -> Document | None:
    """A document of ``attrs``, or None if they are not valid together. Deprecation warnings are
    silenced: the builder tries every attribute, including the deprecated ways of giving one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return Document(**attrs)
        except (InvalidArgument, TypeError):
            return None


@dataclass(frozen=True, slots=True)
class _Reader:
    """How to read fact field ``field`` off a document: ``conv(document.<attr>)``; or, where several
    attributes make the field (``attr`` None), from the document's own fact, with ``points`` the
    attribute values the probe saw make each value."""

    field: str
    attr: str | None
    conv: Callable[[Any], Any]
    points: tuple[tuple[Mapping[str, Any], Any], ...] = ()


@dataclass(frozen=True, slots=True)
class _Probe:
    base: Mapping[str, Any]  # attribute values of the base document (defaults, and a kind)
    fact: Mapping[str, Any]  # its fact
    readers: Mapping[str, _Reader]  # fact field → how to read it off a document
    constant: frozenset[str]  # fact fields no attribute changed


_PROBES: dict[str, _Probe] = {}


def _probe(query: DocumentQuery) -> _Probe:
    found = _PROBES.get(query.purpose)
    if found is None:
        found = _PROBES[query.purpose] = _run_probe(query)
    return found


def _run_probe(query: DocumentQuery) -> _Probe:
    """Change one attribute at a time and see which fact fields follow, then check the finding on
    random documents that change many at once."""
    fields = dataclasses.fields(Document)
    base: dict[str, Any] = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
    for f in fields:
        if f.name not in base:  # required (`kind`): the first word that makes a document
            base[f.name] = next((c for c in _candidates(f) if _make({**base, f.name: c}) is not None), None)
    document = _make(base)
    if document is None:  # pragma: no cover - the defaults always make a document
        raise TableRefused("the probe cannot build a document from the defaults")
    fact = query.fact(document)
    seen: dict[str, list[tuple[Any, dict[str, Any]]]] = {}
    touches: dict[str, set[str]] = {}
    for f in fields:
        tried = 0
        for raw in _candidates(f):
            if len(seen.get(f.name, ())) >= 6 or tried >= 40:
                break
            tried += 1
            doc = _make({**base, f.name: raw})
            if doc is None:
                continue
            other = query.fact(doc)
            if set(other) != set(fact):
                raise TableRefused(f"the document fact changes its fields with `{f.name}`")
            seen.setdefault(f.name, []).append((raw, other))
            touches.setdefault(f.name, set()).update(k for k in fact if other[k] != fact[k])
    readers: dict[str, _Reader] = {}
    moved: set[str] = set().union(*touches.values())
    for name in sorted(moved):
        makers = [attr for attr, fact_fields in touches.items() if name in fact_fields]
        fast = None
        if len(makers) == 1 and touches[makers[0]] == {name}:  # one attribute, one field: try the shapes
            attr = makers[0]
            points = [(base[attr], fact[name]), *((raw, other[name]) for raw, other in seen[attr])]
            for conv in _CONVERSIONS:
                try:
                    if all(type(conv(raw)) is type(value) and conv(raw) == value for raw, value in points):
                        fast = _Reader(name, attr, conv)
                        break
                except TypeError:
                    continue
        readers[name] = fast or _fact_reader(name, makers, base, fact, seen)
    # many attributes at once: a shape that only held one at a time gives way to reading the fact
    import random  # the probe's only use: not worth importing with govrules

    rng = random.Random(11)
    for _ in range(200):
        attrs = dict(base)
        for attr, points_ in seen.items():
            if rng.random() < 0.5:
                attrs[attr] = rng.choice(points_)[0]
        doc = _make(attrs)
        if doc is None:
            continue
        other = query.fact(doc)
        for name, reader in list(readers.items()):
            if reader.attr is not None and reader.conv(getattr(doc, reader.attr)) != other[name]:
                readers[name] = _fact_reader(name, [reader.attr], base, fact, seen)
        if any(other[k] != fact[k] for k in fact if k not in moved):
            raise TableRefused("a fact field changes only when several attributes change together")
    return _Probe(base, fact, readers, frozenset(k for k in fact if k not in moved))


def _fact_reader(
    name: str,
    makers: Sequence[str],
    base: Mapping[str, Any],
    fact: Mapping[str, Any],
    seen: Mapping[str, Sequence[tuple[Any, Mapping[str, Any]]]],
) -> _Reader:
    """A reader of field ``name`` from the document's fact (made by several attributes, or by one in a
    shape the probe does not know), with the attribute values seen to make each of its values."""
    points: list[tuple[Mapping[str, Any], Any]] = [({}, fact[name])]
    points += [({attr: raw}, other[name]) for attr in makers for raw, other in seen[attr]]
    return _Reader(name, None, _same, tuple(points))


# -- the compiled rules, read back ------------------------------------------------------------------

_OPERATORS = {"$neq": "neq", "$lt": "lt", "$lte": "lte", "$gt": "gt", "$gte": "gte"}
Op = Literal["eq", "neq", "lt", "lte", "gt", "gte"]


def _compare(op: str, value: Any, literal: Any) -> bool:
    if op == "eq":
        return bool(value == literal)
    if op == "neq":
        return bool(value != literal)
    if op == "lt":
        return bool(value < literal)
    if op == "lte":
        return bool(value <= literal)
    if op == "gt":
        return bool(value > literal)
    return bool(value >= literal)


# A bound expression: ("C", bool) constant, ("T", field, index) a test of a keyed field, ("AND"|"OR", items)
Expr = tuple[Any, ...]


@dataclass(slots=True)
class _Field:
    """A keyed field: its reader, every test live rules make on it, and its value classes."""

    reader: _Reader
    tests: list[tuple[str, Any]]
    classes: dict[tuple[bool, ...], dict[str, Any]] = dataclasses.field(default_factory=dict)  # → attributes
    index: dict[Any, tuple[bool, ...]] = dataclasses.field(default_factory=dict)  # attribute (or fact) value → class
    vectors: list[tuple[bool, ...]] = dataclasses.field(default_factory=list)  # the classes, in child order
    position: dict[tuple[bool, ...], int] = dataclasses.field(default_factory=dict)  # class → child index

    def vector(self, value: Any) -> tuple[bool, ...]:
        return tuple(_compare(op, value, lit) for op, lit in self.tests)

    def members(self, vector: tuple[bool, ...]) -> list[dict[str, Any]]:
        """Attribute values known to make a document of the class ``vector`` (for tests: twins)."""
        if self.reader.attr is None:
            return [self.classes[vector]]
        return [{self.reader.attr: raw} for raw, found in self.index.items() if found == vector]

    def classify(self, raw: Any) -> tuple[bool, ...] | None:
        """The class of an attribute value (as the engine will see it), or None outside the domain."""
        try:
            vector = self.vector(normalise(self.reader.conv(raw)))
        except (GovrulesError, TypeError):
            return None
        if vector not in self.classes:
            return None
        if len(self.index) < 512:
            with contextlib.suppress(TypeError):  # attributes are validated hashable values
                self.index[raw] = vector
        return vector


class _Rules:
    """The compiled rules as they bear on one query: the live ones, bound to keyed fields."""

    def __init__(self, profile: Profile, query: DocumentQuery, probe: _Probe) -> None:
        self.probe = probe
        self.fields: dict[str, _Field] = {}
        self.live: list[tuple[str, Expr]] = []
        compiled = profile.compiled
        fact_type = str(probe.fact["type"])
        derived = {str(rule.derive["type"]) for rule in compiled.rules.values()}
        definition = compiled.definition
        # the rules the answer can depend on: those deriving what the family reads, and what they consume
        relevant = set(query.reads)
        while True:
            more = {
                t
                for name, body in definition.items()
                if name in compiled.rules and str(compiled.rules[name].derive["type"]) in relevant
                for pattern in body.get("all", ())
                if isinstance(pattern, dict)
                for expr in pattern.values()
                if (t := _pattern_type(expr)) in derived
            }
            if more <= relevant:
                break
            relevant |= more
        for name, body in definition.items():
            if name in compiled.rules and str(compiled.rules[name].derive["type"]) not in relevant:
                continue  # derives nothing the answer is built from
            if set(body) != {"all"} or not isinstance(body["all"], list):
                raise TableRefused(f"engine rule `{name}` is not a plain `all` of patterns")
            patterns: list[tuple[str, Any]] = []
            for pattern in body["all"]:
                if not isinstance(pattern, dict) or len(pattern) != 1:
                    raise TableRefused(f"engine rule `{name}` has a pattern of an unknown shape")
                ((alias, expr),) = pattern.items()
                if "$" in alias:
                    raise TableRefused(f"engine rule `{name}` uses `{alias}`, a pattern modifier")
                patterns.append((alias, expr))
            ours = [(alias, expr) for alias, expr in patterns if _pattern_type(expr) == fact_type]
            others = [_pattern_type(expr) for _alias, expr in patterns if _pattern_type(expr) != fact_type]
            if not ours or any(t not in derived for t in others):
                continue  # matches no document, or needs a fact this question never has
            bound = [self._bind(name, _read(name, expr)) for _alias, expr in ours]
            if all(b == ("C", False) for b in bound):
                continue  # fixed fields (the purpose) rule it out
            if len(patterns) > 1:
                raise TableRefused(f"engine rule `{name}` matches the document together with other facts")
            rule = compiled.rules.get(name)
            for value in rule.derive.values() if rule else ():
                if isinstance(value, Mapping) and "$ref" in value:
                    _alias, prop = value["$ref"]
                    if prop not in probe.constant and prop != "type":
                        raise TableRefused(f"engine rule `{name}` copies `{prop}`, which differs between documents")
            self.live.append((name, self._keyed(bound[0])))

    def _bind(self, name: str, raw: Expr) -> Expr:
        """Fixed fields evaluated, keyed ones as ("T", field, op, literal), others ("U", why); folded."""
        tag = raw[0]
        if tag in ("AND", "OR"):
            items = [self._bind(name, item) for item in raw[1]]
            stop, keep = (False, True) if tag == "AND" else (True, False)
            if ("C", stop) in items:
                return ("C", stop)
            items = [i for i in items if i != ("C", keep)]
            return ("C", keep) if not items else items[0] if len(items) == 1 else (tag, tuple(items))
        _tag, field, op, literal = raw
        probe = self.probe
        if field not in probe.fact:
            return ("U", f"engine rule `{name}` tests `{field}`, which the document fact does not have")
        current = probe.fact[field]
        if type(literal) is not type(current) or (op not in ("eq", "neq") and type(current) is not int):
            return ("U", f"engine rule `{name}` compares `{field}` with `{literal!r}`, a value of another type")
        if field == "type" or field in probe.constant:
            return ("C", _compare(op, current, literal))
        if field not in probe.readers:
            return ("U", f"engine rule `{name}` tests `{field}`, which the table builder does not understand")
        return ("T", field, op, literal)

    def _keyed(self, expr: Expr) -> Expr:
        """A live rule's bound expression with its tests registered on their fields; refused if not understood."""
        tag = expr[0]
        if tag in ("AND", "OR"):
            return (tag, tuple(self._keyed(item) for item in expr[1]))
        if tag == "U":
            raise TableRefused(expr[1])
        if tag == "T":
            _tag, field, op, literal = expr
            keyed = self.fields.setdefault(field, _Field(self.probe.readers[field], []))
            if (op, literal) not in keyed.tests:
                keyed.tests.append((op, literal))
            return ("T", field, keyed.tests.index((op, literal)))
        return expr


def _pattern_type(expr: Any) -> Any:
    terms = expr.get("$and", [expr]) if isinstance(expr, dict) else []
    return next((t["type"] for t in terms if isinstance(t, dict) and "type" in t), None)


def _read(name: str, expr: Any) -> Expr:
    """A pattern expression as ("AND"|"OR", items) and ("test", field, op, literal)."""
    if not isinstance(expr, dict) or len(expr) != 1:
        raise TableRefused(f"engine rule `{name}` has a test of an unknown shape: `{expr!r}`")
    ((key, value),) = expr.items()
    if key in ("$and", "$or"):
        if not isinstance(value, list) or not value:
            raise TableRefused(f"engine rule `{name}` has an empty `{key}`")
        return ("AND" if key == "$and" else "OR", tuple(_read(name, item) for item in value))
    if key in _OPERATORS:
        if not isinstance(value, dict) or len(value) != 1:
            raise TableRefused(f"engine rule `{name}` has a `{key}` of an unknown shape")
        ((field, literal),) = value.items()
        if isinstance(literal, dict) or not isinstance(literal, (str, int)):
            raise TableRefused(f"engine rule `{name}` compares `{field}` with `{literal!r}`")
        return ("test", field, _OPERATORS[key], literal)
    if key.startswith("$"):
        raise TableRefused(f"engine rule `{name}` uses operator `{key}`, which the table builder does not know")
    if isinstance(value, dict):
        raise TableRefused(f"engine rule `{name}` joins `{key}` with another fact")
    if not isinstance(value, (str, int)):
        raise TableRefused(f"engine rule `{name}` compares `{key}` with `{value!r}`")
    return ("test", key, "eq", value)


def _value(expr: Expr, assignment: Mapping[str, tuple[bool, ...]]) -> bool | None:
    """Three-valued: True or False if every completion of ``assignment`` agrees, else None."""
    tag = expr[0]
    if tag == "C":
        return bool(expr[1])
    if tag == "T":
        vector = assignment.get(expr[1])
        return None if vector is None else bool(vector[expr[2]])
    result: bool | None = tag == "AND"
    for item in expr[1]:
        found = _value(item, assignment)
        if found is (tag == "OR"):
            return bool(found)
        if found is None:
            result = None
    return result


def _open_fields(expr: Expr, assignment: Mapping[str, tuple[bool, ...]], out: list[str]) -> None:
    tag = expr[0]
    if tag == "T":
        if expr[1] not in assignment:
            out.append(expr[1])
    elif tag in ("AND", "OR"):
        for item in expr[1]:
            _open_fields(item, assignment, out)


# -- leaves ----------------------------------------------------------------------------------------------


class _Leaf:
    """One answer: ``kind`` `answer` (a value, its ``question`` field filled per document), `raise`
    (an exception, rebuilt per document) or `live` (asked of the engine each time)."""

    __slots__ = ("answer", "exc_type", "kind", "make", "parts", "state", "values")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.answer: Any = None
        self.make: Callable[[tuple[Any, ...], str], Any] | None = None
        self.values: tuple[Any, ...] = ()
        self.exc_type: type[BaseException] | None = None
        self.parts: Sequence[str] = ()
        self.state: Mapping[str, Any] = _NO_STATE

    def give(self, document: Document) -> Any:
        """The leaf's answer for ``document`` (raises the leaf's exception)."""
        make = self.make
        if make is not None:
            return make(self.values, document.describe())
        if self.kind == "answer":
            answer = self.answer
            return list(answer) if isinstance(answer, tuple) else answer
        raise self.error(document)

    def error(self, document: Document) -> BaseException:
        """The leaf's exception for ``document`` (a `raise` leaf): its message and attributes made afresh."""
        assert self.exc_type is not None
        question = document.describe()
        exc = self.exc_type.__new__(self.exc_type)
        exc.args = (question.join(self.parts),)
        for name, value in self.state.items():
            setattr(exc, name, question if value is _MISS else value)
        return exc


_NO_STATE: Mapping[str, Any] = MappingProxyType({})
_MAKERS: dict[tuple[type, str], Callable[[tuple[Any, ...], str], Any]] = {}


def _maker(cls: type, slot: str) -> Callable[[tuple[Any, ...], str], Any]:
    """A function building a ``cls`` from its field values with ``slot`` replaced, without ``__init__``
    (the values come from an instance ``__init__`` made): each slot set through its own setter."""
    found = _MAKERS.get((cls, slot))
    if found is None:
        names = [f.name for f in dataclasses.fields(cls)]
        namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
        lines = ["def make(values, question):", "    new = _new(_cls)"]
        for i, name in enumerate(names):
            setter = getattr(cls.__dict__.get(name), "__set__", None)
            namespace[f"_s{i}"] = setter or functools.partial(_set_named, name)
            lines.append(f"    _s{i}(new, question)" if name == slot else f"    _s{i}(new, values[{i}])")
        lines.append("    return new")
        exec(compile("\n".join(lines), f"<govrules.tables: {cls.__name__}>", "exec"), namespace)
        found = _MAKERS[(cls, slot)] = namespace["make"]
    return found


def _set_named(name: str, obj: object, value: Any) -> None:
    object.__setattr__(obj, name, value)


def _mentions(value: Any, text: str) -> bool:
    if isinstance(value, str):
        return text in value
    if isinstance(value, (tuple, list, frozenset, set)):
        return any(_mentions(x, text) for x in value)
    if isinstance(value, Mapping):
        return any(_mentions(k, text) or _mentions(x, text) for k, x in value.items())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(_mentions(getattr(value, f.name), text) for f in dataclasses.fields(value))
    return False


def _canonical(value: Any) -> Any:
    """A hashable stand-in for an answer's field value, to share equal values: typed all the way
    down (``True`` and ``1`` are equal in Python, not here), mappings as sorted items."""
    if isinstance(value, Mapping):
        return ("mapping", tuple(sorted((_canonical(k), _canonical(x)) for k, x in value.items())))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_canonical(x) for x in value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value), tuple(_canonical(getattr(value, f.name)) for f in dataclasses.fields(value)))
    return (type(value), value)


def _leaf(document: Document, outcome: Any, error: BaseException | None, shared: dict[Any, Any]) -> _Leaf:
    """What the engine said about ``document``, with its description made a per-document slot.

    Equal parts of different leaves (most leaves of a table give one of a few routes) are stored
    once, through ``shared``."""
    question = document.describe()

    def share(value: Any) -> Any:
        try:
            return shared.setdefault(_canonical(value), value)
        except TypeError:  # something unhashable inside: kept as it is
            return value

    if error is not None:
        leaf = _Leaf("raise")
        state = dict(vars(error))
        for name, value in state.items():
            if value == question:
                state[name] = _MISS
            elif _mentions(value, question):
                return _Leaf("live")
        leaf.exc_type = type(error)
        leaf.parts = share(tuple(str(error).split(question)))
        leaf.state = share(MappingProxyType(state))
        return leaf
    leaf = _Leaf("answer")
    if isinstance(outcome, list):
        if _mentions(outcome, question):
            return _Leaf("live")
        leaf.answer = share(tuple(outcome))
        return leaf
    if not dataclasses.is_dataclass(outcome) or isinstance(outcome, type):
        return _Leaf("live")
    fields = [(f.name, getattr(outcome, f.name)) for f in dataclasses.fields(outcome)]
    slots = [name for name, value in fields if value == question]
    if len(slots) > 1 or any(_mentions(value, question) for name, value in fields if name not in slots):
        return _Leaf("live")
    if not slots:
        leaf.answer = outcome
        return leaf
    leaf.make = _maker(type(outcome), slots[0])
    leaf.values = share(tuple("" if name == slots[0] else share(value) for name, value in fields))
    return leaf


# -- the tree ----------------------------------------------------------------------------------------


_NO_DIRECT: dict[Any, Any] = {}  # shared by nodes no query has walked through yet: never written to


class _Node:
    """A branch on one keyed field: a child per value class (None until built). Nodes keep only their
    parent and the class that leads to them; the classes of the whole path are walked up when needed."""

    __slots__ = ("attr", "children", "direct", "field", "keyed", "parent", "vector")

    def __init__(self, keyed: _Field, parent: _Node | None, vector: tuple[bool, ...] | None) -> None:
        self.keyed = keyed
        self.field = keyed.reader.field
        self.attr = keyed.reader.attr
        self.parent = parent
        self.vector = vector  # the class of the parent's field that leads here
        self.children: list[_Node | _Leaf | None] = [None] * len(keyed.classes)
        self.direct: dict[Any, _Node | _Leaf] = _NO_DIRECT  # attribute value → built child: one lookup per level

    def path(self) -> dict[str, tuple[bool, ...]]:
        """The classes of every field on the way to this node."""
        out: dict[str, tuple[bool, ...]] = {}
        node = self
        while node.parent is not None:
            assert node.vector is not None
            out[node.parent.field] = node.vector
            node = node.parent
        return out


class DocumentTable:
    """One question of one profile, compiled: see the module docstring."""

    def __init__(self, profile: Profile, query: DocumentQuery) -> None:
        self.profile = profile
        self.query = query
        self.rules = _Rules(profile, query, _probe(query))
        for keyed in self.rules.fields.values():
            self._classes(keyed)
        self.leaves = 0  # engine questions asked
        self.live_leaves = 0  # leaves whose question asserted more than the document: asked live each time
        self._shared: dict[Any, Any] = {}  # equal parts of leaves, stored once
        self.root: _Node | _Leaf = self._expand({})

    def representative(self, assignment: Mapping[str, tuple[bool, ...]]) -> Document | None:
        """The document the engine is asked about for the leaf of ``assignment`` (see :meth:`walk`)."""
        return _make(self._attrs(assignment))

    def _attrs(self, assignment: Mapping[str, tuple[bool, ...]]) -> dict[str, Any]:
        attrs = dict(self.rules.probe.base)
        for field, vector in assignment.items():
            attrs.update(self.rules.fields[field].classes[vector])
        return attrs

    def _classes(self, keyed: _Field) -> None:
        """The field's value classes, each with attribute values that make a keyable document in it."""
        reader, probe = keyed.reader, self.rules.probe
        found: list[tuple[Mapping[str, Any], Any]] = []  # (attributes, the field's value they make)
        if reader.attr is None:
            found = list(reader.points)
        else:
            raws: list[Any] = [probe.base[reader.attr]]
            for _op, literal in keyed.tests:
                literals = [literal - 1, literal, literal + 1] if type(literal) is int else [literal]
                for value in literals:
                    raws += _inverse(reader.conv, value)
            field = next(f for f in dataclasses.fields(Document) if f.name == reader.attr)
            raws += _candidates(field) + (sorted(self.profile.roles) if "str" in str(field.type) else [])
            for raw in raws:
                try:
                    found.append(({reader.attr: raw}, reader.conv(raw)))
                except TypeError:
                    continue
        for attrs, value in found:
            key = value if reader.attr is None else attrs[reader.attr]  # what a query is keyed by
            try:
                if key in keyed.index:
                    continue
                vector = keyed.vector(value)
            except TypeError:
                continue
            document = _make({**probe.base, **attrs})
            if document is None or self.query.fact(document)[reader.field] != value:
                continue
            keyed.index[key] = vector
            if vector in keyed.classes or not self.query.keyable(self.profile, document):
                continue
            if normalise(value) == value:
                keyed.classes[vector] = dict(attrs)
        for key in [key for key, vector in keyed.index.items() if vector not in keyed.classes]:
            del keyed.index[key]  # a class with no keyable member is outside the table
        keyed.vectors = list(keyed.classes)
        keyed.position = {vector: i for i, vector in enumerate(keyed.vectors)}

    def _expand(
        self,
        assignment: dict[str, tuple[bool, ...]],
        parent: _Node | None = None,
        vector: tuple[bool, ...] | None = None,
    ) -> _Node | _Leaf:
        """The node (or leaf) for documents in the classes of ``assignment`` (reached from ``parent``)."""
        open_: list[str] = []
        for _name, expr in self.rules.live:
            if _value(expr, assignment) is None:
                _open_fields(expr, assignment, open_)
        if open_:
            field = min(set(open_), key=lambda f: (-open_.count(f), f))
            return _Node(self.rules.fields[field], parent, vector)
        return self._ask(assignment)

    def _ask(self, assignment: Mapping[str, tuple[bool, ...]]) -> _Leaf:
        """Ask the family's own question, through the engine, about a representative document."""
        document = _make(self._attrs(assignment))
        if document is None or not self.query.keyable(self.profile, document):
            return _Leaf("live")
        fact = self.query.fact(document)
        for field, vector in assignment.items():  # classes made by shared attributes may not combine
            if self.rules.fields[field].vector(fact[field]) != vector:
                return _Leaf("live")
        error: BaseException | None = None
        outcome: Any = None
        with live(), recording() as runs:
            try:
                outcome = self.query.ask(self.profile, document)
            except (NotCovered, ConflictError) as exc:
                error = exc
            except GovrulesError:
                return _Leaf("live")
        self.leaves += 1
        if runs != [[fact]]:  # the answer rests on more than the document's fact: asked each time
            self.live_leaves += 1
            return _Leaf("live")
        return _leaf(document, outcome, error, self._shared)

    def lookup(self, document: Document) -> _Leaf | None:
        """The leaf for ``document``, building the branch on the way; None where the table cannot key it."""
        node: Any = self.root
        fact = None
        while node.__class__ is _Node:
            if node.attr is not None:
                raw = getattr(document, node.attr)
            else:  # a field several attributes make: read off the document's fact (made once per lookup)
                if fact is None:
                    fact = self.query.fact(document)
                raw = fact[node.field]
            try:
                child = node.direct.get(raw)
            except TypeError:  # attributes are validated hashable values
                return None
            if child is None:
                child = self._child(node, raw)
                if child is None:
                    return None
            node = child
        return None if node.kind == "live" else node

    def _child(self, node: _Node, raw: Any) -> _Node | _Leaf | None:
        """The child for an attribute value not seen at this node yet (remembered, up to 512 values)."""
        keyed = node.keyed
        vector = keyed.index.get(raw, _MISS)
        if vector is _MISS:
            vector = keyed.classify(raw)
            if vector is None:
                return None
        i = keyed.position.get(vector)
        if i is None:
            return None
        child = node.children[i]
        if child is None:
            child = self._grow(node, i)
        if len(node.direct) < 512 and node.children[i] is child:
            if node.direct is _NO_DIRECT:
                node.direct = {}
            node.direct[raw] = child
        return child

    def _grow(self, node: _Node, i: int) -> _Node | _Leaf:
        with _LOCK:
            child = node.children[i]
            if child is None:
                vector = node.keyed.vectors[i]
                child = self._expand({**node.path(), node.field: vector}, node, vector)
                if self.leaves <= MAX_LEAVES:
                    node.children[i] = child
            return child

    def complete(self) -> int:
        """Build every branch; the number of leaves."""
        stack: list[_Node | _Leaf] = [self.root]
        leaves = 0
        while stack:
            node = stack.pop()
            if isinstance(node, _Leaf):
                leaves += 1
                continue
            for i, child in enumerate(node.children):
                stack.append(child if child is not None else self._grow(node, i))
        self._shared.clear()  # every leaf is built: the keys that shared their parts are not needed now
        return leaves

    def walk(self) -> Iterator[tuple[dict[str, tuple[bool, ...]], _Leaf]]:
        """Every built leaf with the classes that lead to it."""
        stack: list[tuple[dict[str, tuple[bool, ...]], _Node | _Leaf | None]] = [({}, self.root)]
        while stack:
            path, node = stack.pop()
            if isinstance(node, _Leaf):
                yield path, node
            elif isinstance(node, _Node):
                for vector, child in zip(node.keyed.vectors, node.children, strict=True):
                    stack.append(({**path, node.field: vector}, child))

    def keyed(self) -> dict[str, tuple[str, int]]:
        """Per keyed fact field, the attribute it is read from (`fact` when several make it) and its
        number of classes."""
        return {name: (f.reader.attr or "fact", len(f.classes)) for name, f in self.rules.fields.items()}


# -- the front ----------------------------------------------------------------------------------------


_REFUSED = "refused"


class Tables:
    """What a :class:`~govrules.Profile` answers from tables and memos, falling back to its families.

    Every method answers exactly as the family's own question would (tests compare both paths);
    inside :func:`govrules.engine.live` everything is asked of the engine.
    """

    __slots__ = (
        "_check",
        "_days",
        "_last_day",
        "_meetings",
        "_seals",
        "_sign",
        "_sign_days",
        "_sign_ids",
        "_signing",
        "profile",
    )

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._sign: DocumentTable | str | None = None
        self._check: DocumentTable | str | None = None
        self._sign_ids: Memo[int, tuple[Document, Route]] = Memo(MEMO_SIZE)
        self._sign_days: Memo[tuple[int, int], tuple[Document, Any, Route]] = Memo(MEMO_SIZE)
        self._signing: Signing | None = None  # the profile's Signing family, once asked for
        self._last_day: tuple[Any, Any, Any, Any] | None = None
        self._days: Memo[tuple[Any, Any, tuple[Any, ...]], Day] = Memo(256)
        self._meetings: Memo[str, MeetingRule] = Memo(64)
        self._seals: Memo[str, Route] = Memo(64)

    # -- tables ------------------------------------------------------------------------------------

    def table(self, query: DocumentQuery) -> DocumentTable | None:
        """The profile's table for ``query`` (built on first use), or None if the builder refused it."""
        slot = "_sign" if query is SIGN else "_check"
        found = getattr(self, slot)
        if found is None:
            with _LOCK:
                found = getattr(self, slot)
                if found is None:
                    try:
                        found = DocumentTable(self.profile, query)
                    except TableRefused as exc:
                        warnings.warn(
                            f"profile `{self.profile.id}`: no decision table for `{query.name}` ({exc}); "
                            "its questions are asked of the engine",
                            TableWarning,
                            stacklevel=3,
                        )
                        found = _REFUSED
                    setattr(self, slot, found)
        return found if isinstance(found, DocumentTable) else None

    def warm(self) -> int:
        """Build the signing table completely, and ask every seal and meeting kind, now; the number
        of engine questions asked. (The compliance table grows only where questions land.)"""
        table = self.table(SIGN)
        before = table.leaves if table is not None else 0
        if table is not None:
            with _LOCK:
                table.complete()
        asked = (table.leaves if table is not None else 0) - before
        from govrules.families.meetings import Meetings
        from govrules.families.seals import Seals

        for kind in v.MEETINGS:
            with contextlib.suppress(NotCovered):
                self.meeting(kind, self.profile.family(Meetings).meeting)
        for seal in v.SEALS:
            with contextlib.suppress(NotCovered):
                self.seal(seal, self.profile.family(Seals).seal)
        return asked + len(v.MEETINGS) + len(v.SEALS)

    def _leaf(self, query: DocumentQuery, document: Any) -> _Leaf | None:
        if type(document) is not Document or not query.keyable(self.profile, document):
            return None
        table = self.table(query)
        if table is None:
            return None
        try:
            return table.lookup(document)
        except TableRefused as exc:  # a family question that changed under the builder: stop using the table
            warnings.warn(f"profile `{self.profile.id}`: {exc}; asked of the engine", TableWarning, stacklevel=3)
            setattr(self, "_sign" if query is SIGN else "_check", _REFUSED)
            return None

    # -- signing -----------------------------------------------------------------------------------

    def sign(
        self,
        document: Document,
        on: Any = None,
        roster: Roster | None = None,
        absences: Iterable[Absence] = (),
    ) -> Route:
        if absences != ():
            absences = _args.items("absences", absences, "`govrules.Absence` values")  # as the family does
        if roster is None and on is None and not absences:
            found = self._sign_ids.get(id(document))
            if found is not None and found[0] is document and not getattr(_THREAD, "live", 0):
                return found[1]
            return self._sign_bare(document)
        return self._sign_staffed(document, on, roster, absences)

    def _sign_bare(self, document: Document) -> Route:
        found = self._sign_outcome(document)
        if isinstance(found, BaseException):
            raise found
        return found

    def _sign_outcome(self, document: Document) -> Route | GovrulesError:
        """The route, or the table's exception returned rather than raised (`sign_many` keeps it)."""
        leaf = self._sign_leaf(document)
        if leaf is None:
            return _ask_sign(self.profile, document)
        if leaf.make is None and leaf.kind == "raise":
            error = leaf.error(document)
            assert isinstance(error, GovrulesError)
            return error
        route: Route = leaf.give(document)
        # kept by the document object (the tuple holds it, so its id is not reused): hashing a document
        # would cost a sixth of what the table takes to answer an equal one
        self._sign_ids.put(id(document), (document, route))
        return route

    def _sign_leaf(self, document: Document) -> _Leaf | None:
        """The signing table's leaf for ``document``; None when it must be asked of the engine."""
        table = self._sign
        asked_live = getattr(_THREAD, "live", 0)
        if table.__class__ is DocumentTable and not asked_live and document.__class__ is Document:
            chair = document.chaired_by  # SIGN.keyable, written out: this is the hot path
            if document.authorised or (chair is not None and chair not in self.profile.roles):
                return None
            return table.lookup(document)
        return None if asked_live else self._leaf(SIGN, document)

    def _sign_staffed(self, document: Document, on: Any, roster: Any, absences: tuple[Absence, ...]) -> Route:
        signing = self._signing
        if signing is None:
            from govrules.families.signing import Signing as SigningFamily

            signing = self._signing = self.profile.family(SigningFamily)
        staff = getattr(signing, "on_day", None)  # the family's own part of `sign` after the rules
        if getattr(_THREAD, "live", 0) or staff is None:
            return signing.sign(document, on=on, roster=roster, absences=absences)
        day = self.day(on, roster, absences)  # first, as the family does: its errors come first
        # kept by the objects (held in the entry, so their ids are not reused): no document is hashed
        key = (id(document), id(day))
        hit = self._sign_days.get(key)
        if hit is not None and hit[0] is document and hit[1] is day:
            return hit[2]
        leaf = self._sign_leaf(document)
        if leaf is None:
            return signing.sign(document, on=on, roster=roster, absences=absences)
        route: Route = staff(leaf.give(document), document, day)
        self._sign_days.put(key, (document, day, route))
        return route

    def sign_many(
        self,
        documents: Iterable[Document],
        on: Any = None,
        roster: Roster | None = None,
        absences: Iterable[Absence] = (),
        errors: Literal["raise", "return"] = "raise",
    ) -> list[Route | GovrulesError]:
        if errors not in ("raise", "return"):
            raise InvalidArgument(f"`errors`: `{errors!r}` is not allowed; expected `raise` or `return`")
        absences = _args.items("absences", absences, "`govrules.Absence` values")
        out: list[Route | GovrulesError] = []
        bare = roster is None and on is None and not absences and not is_live()
        for document in documents:
            try:
                if bare:
                    found = self._sign_ids.get(id(document))
                    if found is not None and found[0] is document:
                        out.append(found[1])
                        continue
                    answer = self._sign_outcome(document)
                    if isinstance(answer, GovrulesError) and errors == "raise":
                        raise answer
                    out.append(answer)
                else:
                    out.append(self.sign(document, on, roster, absences))
            except GovrulesError as exc:
                if errors == "raise":
                    raise
                out.append(exc.with_traceback(None))  # a value now: its frames are not kept alive
        return out

    # -- compliance --------------------------------------------------------------------------------

    def check(self, document: Any) -> list[Violation]:
        """The rules ``document`` breaks (no day)."""
        if not is_live():
            leaf = self._leaf(CHECK, document)
            if leaf is not None:
                found: list[Violation] = leaf.give(document)
                return found
        return _ask_check(self.profile, document)

    def check_many(
        self, documents: Iterable[Document], errors: Literal["raise", "return"] = "raise"
    ) -> list[list[Violation] | GovrulesError]:
        if errors not in ("raise", "return"):
            raise InvalidArgument(f"`errors`: `{errors!r}` is not allowed; expected `raise` or `return`")
        out: list[list[Violation] | GovrulesError] = []
        for document in documents:
            try:
                out.append(self.check(document))
            except GovrulesError as exc:
                if errors == "raise":
                    raise
                out.append(exc.with_traceback(None))
        return out

    # -- questions over a small closed domain: asked once per value ----------------------------------

    def meeting(self, kind: str, ask: Callable[[str], MeetingRule]) -> MeetingRule:
        found: MeetingRule = _closed(self._meetings, v.MEETINGS, kind, ask)
        return found

    def seal(self, seal: str, ask: Callable[[str], Route]) -> Route:
        found: Route = _closed(self._seals, v.SEALS, seal, ask)
        return found

    # -- the day's state ---------------------------------------------------------------------------

    def day(self, on: Any, roster: Any, absences: tuple[Any, ...]) -> Day:
        """The day of (date, roster, absences): built once, then shared (it is immutable)."""
        if getattr(_THREAD, "live", 0):
            return build_day(self.profile, on, roster, absences)
        last = self._last_day  # the same objects as the last question: no hashing at all
        same = last is not None and last[1] is roster and last[2] is absences and type(last[0]) is type(on)
        if same and last is not None and last[0] == on:
            found: Day = last[3]
            return found
        key = (on, roster, absences)
        try:
            hit = self._days.get(key)
        except TypeError:  # an unhashable argument: the builder says what is wrong with it
            return build_day(self.profile, on, roster, absences)
        if hit is None:
            hit = build_day(self.profile, on, roster, absences)
            self._days.put(key, hit)
        self._last_day = (on, roster, absences, hit)
        return hit


def _closed(memo: Memo[str, Any], domain: Mapping[str, Any], value: str, ask: Callable[[str], Any]) -> Any:
    """``ask(value)``, kept for values of the closed ``domain`` (answers and `NotCovered` alike)."""
    if is_live() or type(value) is not str or value not in domain:
        return ask(value)
    found = memo.get(value)
    if found is None:
        try:
            found = ask(value)
        except NotCovered as exc:
            found = exc
        memo.put(value, found)
    if isinstance(found, NotCovered):
        raise NotCovered(found.profile, found.question)
    return found


def describe_table(profile: Profile, query: DocumentQuery = SIGN) -> dict[str, Any]:
    """Size and shape of a profile's table (for benchmarks and curiosity): fields keyed, leaves built."""
    table = profile.tables.table(query)
    if table is None:
        return {"refused": True}
    leaves = sum(1 for _ in table.walk())
    return {
        "refused": False,
        "keyed": table.keyed(),
        "leaves": leaves,
        "live_leaves": table.live_leaves,
        "live_rules": len(table.rules.live),
    }
