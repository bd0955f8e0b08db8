"""An independent evaluator of profile conditions, used only by tests to cross-check the engine.

It reads the profile model directly and never touches durable-rules or the compiler, so a bug in
either shows up as a disagreement.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from govrules import vocabulary as v
from govrules.documents import Document
from govrules.model import Condition, ProfileSpec

_PORTFOLIOS = {"none": 0, "one": 1}


def holds(cond: Condition, doc: Document) -> bool:
    for key, wanted in cond.terms().items():
        if isinstance(wanted, bool):
            if getattr(doc, key) is not wanted:
                return False
        elif key == "portfolios":
            count = len(doc.portfolios)
            if not any((count > 1) if w == "several" else count == _PORTFOLIOS[w] for w in wanted):
                return False
        elif (getattr(doc, key) or "none") not in wanted:
            return False
    return True


def fired(spec: ProfileSpec, doc: Document) -> set[str]:
    """Signing rule ids whose conditions hold for ``doc``."""
    return {rule.id for rule in spec.signing if any(holds(c, doc) for c in rule.when)}


def _domains(spec: ProfileSpec) -> dict[str, list[Any]]:
    """For each attribute a condition mentions: the values mentioned plus one that no condition names
    (enough to meet every distinct combination of the profile's rules)."""
    mentioned: dict[str, set[Any]] = {}
    for rule in spec.signing:
        for cond in rule.when:
            for key, value in cond.terms().items():
                mentioned.setdefault(key, set()).update([True, False] if isinstance(value, bool) else value)
    domains: dict[str, list[Any]] = {}
    for key, values in mentioned.items():
        if key in v.FLAGS:
            domains[key] = [False, True]
        elif key == "portfolios":
            domains[key] = ["none", "one", "several"]
        else:
            spare = {"issuer": "municipal_government", "kind": "notice", "urgency": "normal"}.get(key, "none")
            domains[key] = sorted(values | {spare}, key=str)
    return domains


def to_document(attrs: dict[str, Any]) -> Document:
    """A Document for attribute values in condition vocabulary (``none``, ``one``, ``several`` …)."""
    out: dict[str, Any] = {"kind": "notice"}
    for key, value in attrs.items():
        if key == "portfolios":
            out[key] = {"none": (), "one": ("p1",), "several": ("p1", "p2")}[value]
        else:
            out[key] = None if value == "none" else value
    return Document(**out)


def sample_space(spec: ProfileSpec, n: int, seed: int) -> Iterator[Document]:
    rng = random.Random(seed)
    domains = _domains(spec)
    for _ in range(n):
        yield to_document({k: rng.choice(vals) for k, vals in domains.items()})


def _status(cond: Condition, attrs: dict[str, Any]) -> bool | None:
    """True or False once the assigned attributes decide the condition, None while open."""
    open_ = False
    for key, wanted in cond.terms().items():
        if key not in attrs:
            open_ = True
        elif (attrs[key] is not wanted) if isinstance(wanted, bool) else (attrs[key] not in wanted):
            return False
    return None if open_ else True


def find_conflicts(spec: ProfileSpec) -> dict[tuple[str, ...], dict[str, Any]]:
    """Every set of route rules that can apply together with different routes and no precedence,
    with an example; a search over the attribute values that stops as soon as every rule is decided."""
    domains = _domains(spec)
    routes = [r for r in spec.signing if r.steps is not None]
    found: dict[tuple[str, ...], dict[str, Any]] = {}

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
        if len({r.steps for r in survivors}) > 1:
            found.setdefault(tuple(r.id for r in survivors), dict(attrs))

    visit({})
    return found


def conflicts(spec: ProfileSpec, doc: Document) -> list[str]:
    """Route rules that apply to ``doc`` with different routes and no precedence between them."""
    applying = [r for r in spec.signing if r.steps is not None and any(holds(c, doc) for c in r.when)]
    overridden = {t for r in applying for t in r.overrides}
    survivors = [r for r in applying if r.id not in overridden]
    return [r.id for r in survivors] if len({r.steps for r in survivors}) > 1 else []
