"""Profile → durable-rules ruleset definition: pure, deterministic, snapshot-testable.

Each rule's conditions become engine rules (one per alternative in ``when``) whose single pattern
matches a typed fact; the consequence derives a fact naming the rule. The conclusion itself (a
route, a seal approval) stays in the profile and is looked up by rule id: the engine decides
*which* rules apply, the profile says *what* they conclude.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from govrules import facts
from govrules.errors import EngineError
from govrules.facts import FactType
from govrules.model import Condition, ProfileSpec
from govrules.vocabulary import AGENDA_TRISTATE, TRISTATE

if TYPE_CHECKING:
    from govrules.families.compliance import AgendaCondition

Json = dict[str, Any]

#: Facts asserted first in every session (pitfall 2 of the engine notes).
SENTINEL_RULE = "__begin__"
SENTINEL_FACT: Json = {"type": facts.BEGIN.name}

_OPERATORS = frozenset({"$and", "$or", "$gt", "$lt", "$gte", "$lte", "$neq"})
_MAX_PATTERNS = 16

#: How a condition key maps onto the fact the engine sees, when not one-to-one.
_PORTFOLIO_TERMS: Mapping[str, Json] = MappingProxyType(
    {
        "none": {"portfolio_count": 0},
        "one": {"portfolio_count": 1},
        "several": {"$gt": {"portfolio_count": 1}},
    }
)


_MATTER_TERMS: Mapping[str, Json] = MappingProxyType(
    {
        "one": {"matters": 1},
        "several": {"$gt": {"matters": 1}},
    }
)
_TRISTATE = frozenset(TRISTATE) | frozenset(AGENDA_TRISTATE)


class CompileError(EngineError):
    """The compiler produced something the engine would misread; a bug, reported in profile terms."""


@dataclass(frozen=True, slots=True)
class EngineRule:
    name: str
    rule_id: str
    derive: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CompiledRuleset:
    profile: str
    text: str  # canonical JSON of the ruleset: what the engine is given, and the snapshot tests read
    rules: Mapping[str, EngineRule]
    consumed: frozenset[str]  # fact types some pattern matches: only these are worth asserting
    fields: Mapping[str, frozenset[str]]  # per fact type, the properties some pattern reads

    @property
    def definition(self) -> Json:
        """A fresh copy of the ruleset definition."""
        result: Json = json.loads(self.text)
        return result


class RuleSink:
    """Where families put the engine rules they compile; checks each against the fact declarations."""

    def __init__(self, profile: str) -> None:
        self.profile = profile
        self.definition: Json = {SENTINEL_RULE: {"all": [{"m": {"type": facts.BEGIN.name}}]}}
        self.rules: dict[str, EngineRule] = {}

    def add(self, name: str, patterns: list[Json], rule_id: str, derive: FactType, **template: Any) -> None:
        """One engine rule: ``patterns`` (alias → expression) and the fact its consequence derives.

        Template values are literals or :func:`ref` to a matched fact's property.
        """
        if name in self.definition:
            raise CompileError(f"profile `{self.profile}`: engine rule `{name}` is emitted twice")
        if not derive.derived:
            raise CompileError(f"profile `{self.profile}`: rule `{name}` derives `{derive.name}`, an input fact type")
        derive.check(template)
        self.definition[name] = {"all": patterns}
        self.rules[name] = EngineRule(name, rule_id, MappingProxyType({"type": derive.name, **template}))


def compile_profile(spec: ProfileSpec, families: Iterable[Any] | None = None) -> CompiledRuleset:
    """The engine ruleset of a profile: each family compiles its own section."""
    if families is None:
        from govrules.families import FAMILIES

        families = FAMILIES
    sink = RuleSink(spec.profile.id)
    for family in families:
        family.compile(getattr(spec, family.section), sink)
    definition, rules = sink.definition, sink.rules
    for name, body in definition.items():
        _check_emitted(spec.profile.id, name, body, rules.get(name))
    text = json.dumps(definition, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    consumed = frozenset(_fact_types(definition))
    return CompiledRuleset(spec.profile.id, text, MappingProxyType(rules), consumed, _fields(definition, rules))


def _fields(definition: Json, rules: Mapping[str, EngineRule]) -> Mapping[str, frozenset[str]]:
    """Per fact type, every property a pattern tests, a join reads or a consequence copies (facts are
    projected onto them)."""
    found: dict[str, set[str]] = {}
    for name, body in definition.items():
        types: dict[str, str] = {}
        for pattern in body["all"]:
            for alias, expr in pattern.items():
                terms = expr.get("$and", [expr])
                types[alias] = next(t["type"] for t in terms if isinstance(t, dict) and "type" in t)
        for pattern in body["all"]:
            for alias, expr in pattern.items():
                for key, value in _tests(expr):
                    found.setdefault(types[alias], set()).add(key)
                    if isinstance(value, dict):  # a join: {"prop": {"other_alias": "other_prop"}}
                        ((other, prop),) = value.items()
                        found.setdefault(types[other], set()).add(prop)
        rule = rules.get(name)
        for value in rule.derive.values() if rule else ():
            if isinstance(value, Mapping) and "$ref" in value:
                alias, prop = value["$ref"]
                found.setdefault(types[alias], set()).add(prop)
    return MappingProxyType({t: frozenset(props) for t, props in found.items()})


def _tests(expr: Any) -> Iterator[tuple[str, Any]]:
    ((key, value),) = expr.items()
    if key in ("$and", "$or"):
        for item in value:
            yield from _tests(item)
    elif key.startswith("$"):
        yield from _tests(value)
    else:
        yield key, value


def _fact_types(definition: Json) -> Iterator[str]:
    for body in definition.values():
        for pattern in body["all"]:
            for expr in pattern.values():
                terms = expr.get("$and", [expr])
                yield from (t["type"] for t in terms if isinstance(t, dict) and "type" in t)


def ref(alias: str, prop: str) -> Json:
    """A derived-fact value taken from a matched fact."""
    return {"$ref": [alias, prop]}


def one_of(prop: str, values: Iterable[str]) -> list[Json]:
    options = [{prop: v} for v in sorted(values)]
    return [options[0]] if len(options) == 1 else [{"$or": options}]


def absence_pattern(
    reasons: Iterable[str], *, entrusted: bool = False, join: tuple[str, str, str] | None = None
) -> Json:
    terms: list[Json] = [{"type": facts.ABSENCE.name}]
    if join is not None:  # joins before any `$or`: the engine ignores a join placed after one
        prop, alias, other = join
        terms.append({prop: {alias: other}})
    if entrusted:
        terms.append({"entrusted": True})
    reasons = tuple(reasons)
    if reasons:
        terms += one_of("reason", reasons)
    return {"$and": terms}


def expression(fact_type: FactType, cond: Condition | AgendaCondition) -> Json:
    terms: list[Json] = [{"type": fact_type.name}]  # a positive discriminator on every pattern
    for key, value in cond.terms().items():
        if isinstance(value, bool):
            # facts that may be unknown are "yes"/"no"/"unknown": `false` must not match "unknown"
            terms.append({key: ("yes" if value else "no") if key in _TRISTATE else value})
            continue
        if key == "portfolios":
            options = [_PORTFOLIO_TERMS[v] for v in value]
        elif key == "matters":
            options = [_MATTER_TERMS[v] for v in value]
        else:
            options = [{key: v} for v in value]
        # the engine has no `$in`: membership compiles to `$or` of equalities
        terms.append(options[0] if len(options) == 1 else {"$or": options})
    return {"$and": terms}


def _check_emitted(profile: str, name: str, body: Json, rule: EngineRule | None) -> None:
    patterns = body.get("all")
    if not isinstance(patterns, list) or not patterns:
        raise CompileError(f"profile `{profile}`: rule `{name}` compiled to no pattern")
    if len(patterns) > _MAX_PATTERNS:
        raise CompileError(f"profile `{profile}`: rule `{name}` has more than {_MAX_PATTERNS} patterns")
    types: dict[str, FactType] = {}
    for pattern in patterns:
        for alias, expr in pattern.items():
            if not _has_discriminator(expr):
                raise CompileError(f"profile `{profile}`: rule `{name}` pattern `{alias}` has no `type` test")
            _check_expr(profile, name, expr, set(types))
            _check_join_order(profile, name, expr)
            types[alias] = _declared(profile, name, _pattern_type(expr))
    for pattern in patterns:
        for alias, expr in pattern.items():
            for key, value in _tests(expr):
                if key != "type" and key not in types[alias].fields:
                    raise CompileError(
                        f"profile `{profile}`: rule `{name}` tests `{key}`, a field fact type "
                        f"`{types[alias].name}` does not declare"
                    )
                if isinstance(value, dict):
                    ((other, prop),) = value.items()
                    if prop not in types[other].fields:
                        raise CompileError(
                            f"profile `{profile}`: rule `{name}` joins on `{other}.{prop}`, a field fact type "
                            f"`{types[other].name}` does not declare"
                        )
    for value in rule.derive.values() if rule else ():
        if isinstance(value, Mapping) and "$ref" in value:
            alias, prop = value["$ref"]
            if alias not in types or prop not in types[alias].fields:
                raise CompileError(f"profile `{profile}`: rule `{name}` copies `{alias}.{prop}`, which no pattern has")


def _pattern_type(expr: Json) -> object:
    terms = expr.get("$and", [expr])
    return next(t["type"] for t in terms if isinstance(t, dict) and "type" in t)


def _declared(profile: str, name: str, fact_type: object) -> FactType:
    try:
        return facts.declared(fact_type)
    except EngineError as exc:
        raise CompileError(f"profile `{profile}`: rule `{name}`: {exc}") from None


def _check_join_order(profile: str, name: str, expr: Json) -> None:
    """Measured: in an `$and`, a join placed after an `$or` is silently ignored by the engine."""
    seen_or = False
    for term in expr.get("$and", [expr]):
        if "$or" in term:
            seen_or = True
        elif seen_or and any(isinstance(val, dict) and not key.startswith("$") for key, val in term.items()):
            raise CompileError(f"profile `{profile}`: rule `{name}` places a join after an `$or`")


def _has_discriminator(expr: Json) -> bool:
    if "type" in expr:
        return True
    return any(isinstance(t, dict) and "type" in t for t in expr.get("$and", ()))


def _check_expr(profile: str, name: str, expr: Any, defined: set[str]) -> None:
    if not isinstance(expr, dict) or len(expr) != 1:
        raise CompileError(f"profile `{profile}`: rule `{name}` has a malformed test `{expr!r}`")
    ((key, value),) = expr.items()
    if key in ("$and", "$or"):
        if not isinstance(value, list) or not value:
            raise CompileError(f"profile `{profile}`: rule `{name}` has an empty `{key}`")
        for item in value:
            _check_expr(profile, name, item, defined)
    elif key.startswith("$"):
        if key not in _OPERATORS:
            raise CompileError(f"profile `{profile}`: rule `{name}` uses operator `{key}`")
        _check_expr(profile, name, value, defined)
    elif key in ("id", "sid"):
        # the engine keys facts by `id` and sessions by `sid`: a test on them changes identity
        raise CompileError(f"profile `{profile}`: rule `{name}` tests the reserved property `{key}`")
    elif isinstance(value, dict):
        ((alias, _prop),) = value.items()
        if alias not in defined:
            raise CompileError(f"profile `{profile}`: rule `{name}` joins with `{alias}` before it is defined")
    elif not isinstance(value, (str, int, bool)):
        raise CompileError(f"profile `{profile}`: rule `{name}` compares `{key}` with `{value!r}`")
