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
from typing import Any

from govrules.errors import GovrulesError
from govrules.model import AgendaCondition, Condition, ProfileSpec
from govrules.vocabulary import AGENDA_TRISTATE, TRISTATE, holders

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


_MATTER_TERMS: Mapping[str, Json] = MappingProxyType(
    {
        "one": {"matters": 1},
        "several": {"$gt": {"matters": 1}},
    }
)
_TRISTATE = frozenset(TRISTATE) | frozenset(AGENDA_TRISTATE)


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
    fields: Mapping[str, frozenset[str]]  # per fact type, the properties some pattern reads

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
    for sub in spec.substitution:
        for rank, who in enumerate(sub.acting):
            name = f"{sub.id}#{rank}"
            absence = _absence_pattern(sub.reasons, entrusted=sub.entrusted)
            principal = {
                "$and": [{"type": "person"}, {"pid": {"a": "person"}}, *_one_of("office", holders(sub.absent))]
            }
            if who == "ab_partner":
                stand_in = {"$and": [{"type": "person"}, {"pid": {"p": "ab_partner"}}]}
            else:
                stand_in = {"$and": [{"type": "person"}, *_one_of("office", holders(who))]}
            definition[name] = {"all": [{"a": absence}, {"p": principal}, {"q": stand_in}]}
            derive = {"type": "grant", "rule": sub.id, "rank": rank, "absent": _ref("p", "pid"), "by": _ref("q", "pid")}
            rules[name] = EngineRule(name, sub.id, MappingProxyType(derive))
    for deadline in spec.deadlines:
        name = f"{deadline.id}#0"
        terms: list[Json] = [{"type": "deadline_request"}, {"kind": deadline.kind}]
        urgency = deadline.when.urgency
        if urgency is not None:
            terms += _one_of("urgency", [urgency] if isinstance(urgency, str) else urgency)
        if deadline.when.complex is not None:
            terms.append({"complex": deadline.when.complex})
        definition[name] = {"all": [{"m": {"$and": terms}}]}
        rules[name] = EngineRule(name, deadline.id, MappingProxyType({"type": "deadline", "rule": deadline.id}))
    for meeting in spec.meetings:
        name = f"{meeting.id}#0"
        definition[name] = {"all": [{"m": {"$and": [{"type": "meeting_request"}, {"kind": meeting.kind}]}}]}
        rules[name] = EngineRule(name, meeting.id, MappingProxyType({"type": "meeting", "rule": meeting.id}))
    for check in spec.compliance:
        if check.document is not None or check.agenda is not None:
            fact_type = "document" if check.document is not None else "agenda_item"
            conditions: tuple[Condition | AgendaCondition, ...] = check.document or check.agenda or ()
            for i, test in enumerate(conditions):
                name = f"{check.id}#{i}"
                expression = _expression(fact_type, test)
                if fact_type == "document":
                    # compliance is asked by `check`, not by `sign`: keep it off the signing hot path
                    expression["$and"].insert(1, {"purpose": "check"})
                definition[name] = {"all": [{"m": expression}]}
                derive = {"type": "violation", "rule": check.id, "first": _ref("m", "subject"), "second": ""}
                rules[name] = EngineRule(name, check.id, MappingProxyType(derive))
            continue
        name = f"{check.id}#0"
        first = _absence_pattern(check.reasons)
        if check.absent_together == "counterpart":
            other = {"$and": [{"type": "person"}, {"counterpart": {"a": "person"}}]}
        else:
            other = {"$and": [{"type": "person"}, {"ab_partner": {"a": "person"}}]}
        second = _absence_pattern(check.reasons, join=("person", "o", "pid"))
        definition[name] = {"all": [{"a": first}, {"o": other}, {"b": second}]}
        derive = {"type": "violation", "rule": check.id, "first": _ref("a", "person"), "second": _ref("b", "person")}
        rules[name] = EngineRule(name, check.id, MappingProxyType(derive))
    for seal in spec.seals:
        name = f"{seal.id}#0"
        definition[name] = {"all": [{"m": {"$and": [{"type": "seal_request"}, {"seal": seal.seal}]}}]}
        rules[name] = EngineRule(name, seal.id, MappingProxyType({"type": "seal", "rule": seal.id}))

    for name, body in definition.items():
        _check_emitted(spec.profile.id, name, body)
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


def _ref(alias: str, prop: str) -> Json:
    """A derived-fact value taken from a matched fact."""
    return {"$ref": [alias, prop]}


def _one_of(prop: str, values: Iterable[str]) -> list[Json]:
    options = [{prop: v} for v in sorted(values)]
    return [options[0]] if len(options) == 1 else [{"$or": options}]


def _absence_pattern(
    reasons: Iterable[str], *, entrusted: bool = False, join: tuple[str, str, str] | None = None
) -> Json:
    terms: list[Json] = [{"type": "absence"}]
    if join is not None:  # joins before any `$or`: the engine ignores a join placed after one
        prop, alias, other = join
        terms.append({prop: {alias: other}})
    if entrusted:
        terms.append({"entrusted": True})
    reasons = tuple(reasons)
    if reasons:
        terms += _one_of("reason", reasons)
    return {"$and": terms}


def _expression(fact_type: str, cond: Condition | AgendaCondition) -> Json:
    terms: list[Json] = [{"type": fact_type}]  # a positive discriminator on every pattern
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


def _check_emitted(profile: str, name: str, body: Json) -> None:
    patterns = body.get("all")
    if not isinstance(patterns, list) or not patterns:
        raise CompileError(f"profile `{profile}`: rule `{name}` compiled to no pattern")
    if len(patterns) > _MAX_PATTERNS:
        raise CompileError(f"profile `{profile}`: rule `{name}` has more than {_MAX_PATTERNS} patterns")
    defined: set[str] = set()
    for pattern in patterns:
        for alias, expr in pattern.items():
            if not _has_discriminator(expr):
                raise CompileError(f"profile `{profile}`: rule `{name}` pattern `{alias}` has no `type` test")
            _check_expr(profile, name, expr, defined)
            _check_join_order(profile, name, expr)
            defined.add(alias)


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
