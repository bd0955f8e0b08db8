"""Semantic lint beyond the schema: conflicts, unreachable rules, unused roles, gaps.

A static search over the profile's own conditions (no engine): every attribute a condition mentions
takes the values conditions name plus one that none names, so the search meets every distinct
combination of applying rules, and stops descending as soon as every rule is decided.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from govrules import vocabulary as v
from govrules.diagnostics import Diagnostic
from govrules.loader import Document
from govrules.model import Condition, ProfileSpec, SigningRule

_SPARE = {"issuer": "municipal_government", "kind": "notice", "urgency": "normal"}


def lint(doc: Document, spec: ProfileSpec) -> Iterator[Diagnostic]:
    index = {r.id: i for i, r in enumerate(spec.signing)}
    conflicts, decided = search(spec.signing)
    for rules, example in sorted(conflicts.items()):
        first = min(rules, key=index.__getitem__)
        shown = ", ".join(f"{k}=`{val}`" for k, val in sorted(example.items())) or "every document"
        yield doc.diagnostic(
            ("signing", index[first], "id"),
            "GR050",
            f"rules {', '.join(f'`{r}`' for r in rules)} all apply to a document with {shown} "
            "and give different routes",
            "add the rule that should win's `overrides`, or narrow a `when`",
        )
    for rule in spec.signing:
        if rule.steps is not None and rule.id not in decided:
            yield doc.diagnostic(
                ("signing", index[rule.id], "id"),
                "GR051",
                f"rule `{rule.id}` never decides a route",
                "every document it applies to is also covered by a rule that overrides it",
                severity="warning",
            )
    used = _used_roles(spec)
    for i, role in enumerate(spec.roles):
        if role.id not in used and role.id not in v.SHARED_ROLES:
            yield doc.diagnostic(
                ("roles", i, "id"), "GR052", f"role `{role.id}` is declared but no rule uses it", severity="warning"
            )
    yield from _gaps(doc, spec)
    yield from _substitution_cycles(doc, spec)


def _used_roles(spec: ProfileSpec) -> set[str]:
    text = spec.model_dump_json(exclude={"roles"})
    return {r.id for r in spec.roles if f'"{r.id}"' in text}


def _substitution_cycles(doc: Document, spec: ProfileSpec) -> Iterator[Diagnostic]:
    """Transitive substitutions that can lead back to where they started (resolution stops at the
    cycle and answers unresolved, but the profile probably did not mean it)."""
    edges = {
        (absent, stand_in): i
        for i, rule in enumerate(spec.substitution)
        if rule.transitive
        for absent in v.holders(rule.absent)
        for who in rule.acting
        for stand_in in (v.holders(rule.absent) if who == "ab_partner" else v.holders(who))
    }
    reported: set[int] = set()
    for (a, b), i in sorted(edges.items(), key=lambda e: e[1]):
        j = edges.get((b, a))
        if j is not None and i not in reported and (a != b or _partner(spec, i)):
            reported |= {i, j}
            cycle = (
                f"an absent `{a}`'s AB partner is covered by the same rule, and so on back to the first"
                if a == b
                else f"`{a}` → `{b}` → `{a}`"
            )
            yield doc.diagnostic(
                ("substitution", i, "transitive"),
                "GR054",
                f"transitive substitution can cycle: {cycle}",
                "resolution stops at the cycle and answers unresolved; make one of the rules non-transitive",
                severity="warning",
            )


def _partner(spec: ProfileSpec, index: int) -> bool:
    return "ab_partner" in spec.substitution[index].acting


def _gaps(doc: Document, spec: ProfileSpec) -> Iterator[Diagnostic]:
    kinds = [k for k in v.KINDS if not _signing_may_cover(spec, k)]
    if kinds:
        yield doc.diagnostic(
            (),
            "GR053",
            f"no `signing` rule can apply to a document of kind {', '.join(f'`{k}`' for k in kinds)} "
            "issued in the government's name: these answer `NotCovered`",
            severity="info",
        )
    meetings = sorted(set(v.MEETINGS) - {m.kind for m in spec.meetings})
    deadlines = sorted(set(v.DEADLINE_KINDS) - {d.kind for d in spec.deadlines})
    for family, missing in (("meetings", meetings), ("deadlines", deadlines)):
        if missing:
            yield doc.diagnostic(
                (),
                "GR053",
                f"no `{family}` rule for {', '.join(f'`{m}`' for m in missing)}: these answer `NotCovered`",
                severity="info",
            )


def _signing_may_cover(spec: ProfileSpec, kind: str) -> bool:
    for rule in spec.signing:
        if rule.steps is None:
            continue
        for cond in rule.when:
            terms = cond.terms()
            kinds, issuers = terms.get("kind", (kind,)), terms.get("issuer", ("municipal_government",))
            in_name = isinstance(issuers, tuple) and "municipal_government" in issuers
            if isinstance(kinds, tuple) and kind in kinds and in_name:
                return True
    return False


# -- the search ----------------------------------------------------------------------------------


def attribute_domains(rules: Sequence[SigningRule]) -> dict[str, list[Any]]:
    """For each attribute a condition mentions: the values conditions name plus one no condition names."""
    mentioned: dict[str, set[Any]] = {}
    for rule in rules:
        for cond in rule.when:
            for key, value in cond.terms().items():
                mentioned.setdefault(key, set()).update([True, False] if isinstance(value, bool) else value)
    domains: dict[str, list[Any]] = {}
    for key, values in mentioned.items():
        if key in v.TRISTATE:
            domains[key] = [False, True, None]
        elif key in v.FLAGS:
            domains[key] = [False, True]
        elif key == "portfolios":
            domains[key] = ["none", "one", "several"]
        elif key == "matters":
            domains[key] = ["one", "several"]
        else:
            domains[key] = sorted(values | {_SPARE.get(key, "none")}, key=str)
    return domains


def _status(cond: Condition, attrs: dict[str, Any]) -> bool | None:
    open_ = False
    for key, wanted in cond.terms().items():
        if key not in attrs:
            open_ = True
        elif (attrs[key] is not wanted) if isinstance(wanted, bool) else (attrs[key] not in wanted):
            return False
    return None if open_ else True


def search(rules: Sequence[SigningRule]) -> tuple[dict[tuple[str, ...], dict[str, Any]], set[str]]:
    """Conflicting rule sets (with an example) and the ids of the route rules that decide some answer."""
    domains = attribute_domains(rules)
    routes = [r for r in rules if r.steps is not None]
    conflicts: dict[tuple[str, ...], dict[str, Any]] = {}
    decided: set[str] = set()

    def visit(attrs: dict[str, Any]) -> None:
        applying, undecided = [], []
        for rule in routes:
            states = [_status(c, attrs) for c in rule.when]
            if True in states:
                applying.append(rule)
            elif None in states:
                undecided.append(rule)
        if undecided:
            keys = [k for r in undecided for c in r.when for k in c.terms() if k not in attrs]
            key = min(keys, key=lambda k: (-keys.count(k), k))
            for value in domains[key]:
                visit({**attrs, key: value})
            return
        overridden = {t for r in applying for t in r.overrides}
        survivors = [r for r in applying if r.id not in overridden]
        decided.update(r.id for r in survivors)
        if len({r.steps for r in survivors}) > 1:
            conflicts.setdefault(tuple(r.id for r in survivors), dict(attrs))

    visit({})
    return conflicts, decided
