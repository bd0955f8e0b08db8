"""Profile → durable-rules ruleset definition: pure, deterministic, snapshot-testable.

Each rule's conditions become engine rules (one per alternative in ``when``) whose single pattern
matches a typed fact; the consequence derives a fact naming the rule. The conclusion itself (a
route, a seal approval) stays in the profile and is looked up by rule id: the engine decides
*which* rules apply, the profile says *what* they conclude.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from govrules.errors import GovrulesError
from govrules.model import Condition, ProfileSpec

Json = dict[str, Any]

#: Facts asserted first in every session (pitfall 2 of the engine notes).
SENTINEL_RULE = "__begin__"
SENTINEL_FACT: Json = {"type": "__begin__"}

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


class CompileError(GovrulesError):
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

    @property
    def definition(self) -> Json:
        """A fresh copy of the ruleset definition."""
        result: Json = json.loads(self.text)
        return result


def compile_profile(spec: ProfileSpec) -> CompiledRuleset:
    definition: Json = {SENTINEL_RULE: {"all": [{"m": {"type": SENTINEL_FACT["type"]}}]}}
    rules: dict[str, EngineRule] = {}

    for rule in spec.signing:
        effect = "route" if rule.steps is not None else "delegation"
        for i, cond in enumerate(rule.when):
            name = f"{rule.id}#{i}"
            definition[name] = {"all": [{"m": _expression("document", cond)}]}
            rules[name] = EngineRule(
                name, rule.id, MappingProxyType({"type": "signing", "rule": rule.id, "effect": effect})
            )
    for seal in spec.seals:
        name = f"{seal.id}#0"
        definition[name] = {"all": [{"m": {"$and": [{"type": "seal_request"}, {"seal": seal.seal}]}}]}
        rules[name] = EngineRule(name, seal.id, MappingProxyType({"type": "seal", "rule": seal.id}))

    for name, body in definition.items():
        _check_emitted(spec.profile.id, name, body)
    text = json.dumps(definition, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    consumed = frozenset(_fact_types(definition))
    return CompiledRuleset(spec.profile.id, text, MappingProxyType(rules), consumed)


def _fact_types(definition: Json) -> Iterator[str]:
    for body in definition.values():
        for pattern in body["all"]:
            for expr in pattern.values():
                terms = expr.get("$and", [expr])
                yield from (t["type"] for t in terms if isinstance(t, dict) and "type" in t)


def _expression(fact_type: str, cond: Condition) -> Json:
    terms: list[Json] = [{"type": fact_type}]  # a positive discriminator on every pattern
    for key, value in cond.terms().items():
        if isinstance(value, bool):
            terms.append({key: value})
            continue
        if key == "portfolios":
            options = [_PORTFOLIO_TERMS[v] for v in value]
        else:
            options = [{key: v} for v in value]
        # the engine has no `$in`: membership compiles to `$or` of equalities
        terms.append(options[0] if len(options) == 1 else {"$or": options})
    return {"$and": terms}


def _check_emitted(profile: str, name: str, body: Json) -> None:
    patterns = body.get("all")
    if not isinstance(patterns, list) or not patterns:
        raise CompileError(f"profile `{profile}`: rule `{name}` compiled to no pattern")
    if len(patterns) > _MAX_PATTERNS:
        raise CompileError(f"profile `{profile}`: rule `{name}` has more than {_MAX_PATTERNS} patterns")
    for pattern in patterns:
        for alias, expr in pattern.items():
            if not _has_discriminator(expr):
                raise CompileError(f"profile `{profile}`: rule `{name}` pattern `{alias}` has no `type` test")
            _check_expr(profile, name, expr)


def _has_discriminator(expr: Json) -> bool:
    if "type" in expr:
        return True
    return any(isinstance(t, dict) and "type" in t for t in expr.get("$and", ()))


def _check_expr(profile: str, name: str, expr: Any) -> None:
    if not isinstance(expr, dict) or len(expr) != 1:
        raise CompileError(f"profile `{profile}`: rule `{name}` has a malformed test `{expr!r}`")
    ((key, value),) = expr.items()
    if key in ("$and", "$or"):
        if not isinstance(value, list) or not value:
            raise CompileError(f"profile `{profile}`: rule `{name}` has an empty `{key}`")
        for item in value:
            _check_expr(profile, name, item)
    elif key.startswith("$"):
        if key not in _OPERATORS:
            raise CompileError(f"profile `{profile}`: rule `{name}` uses operator `{key}`")
        _check_expr(profile, name, value)
    elif not isinstance(value, (str, int, bool)):
        raise CompileError(f"profile `{profile}`: rule `{name}` compares `{key}` with `{value!r}`")
