"""An independent evaluator of profile conditions, used only by tests to cross-check the engine.

It reads the profile model directly and never touches durable-rules or the compiler, so a bug in
either shows up as a disagreement.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from govrules.documents import Document
from govrules.lint import attribute_domains
from govrules.model import Condition, ProfileSpec

_PORTFOLIOS = {"none": 0, "one": 1}


def holds(cond: Condition, doc: Document) -> bool:
    for key, wanted in cond.terms().items():
        if isinstance(wanted, bool):
            if getattr(doc, key) is not wanted:  # an unknown (None) tri-state fact matches neither
                return False
        elif key == "matters":
            if not any(doc.matters > 1 if w == "several" else doc.matters == 1 for w in wanted):
                return False
        elif key == "portfolios":
            count = len(doc.portfolios)
            if not any((count > 1) if w == "several" else count == _PORTFOLIOS[w] for w in wanted):
                return False
        elif key == "classification":  # classified without a level is `unknown`: no level condition meets it
            if (doc.classification or ("unknown" if doc.classified else "none")) not in wanted:
                return False
        elif (getattr(doc, key) or "none") not in wanted:  # sender_kind, recipient … (None → "none")
            return False
    return True


def fired(spec: ProfileSpec, doc: Document) -> set[str]:
    """Signing rule ids whose conditions hold for ``doc``."""
    return {rule.id for rule in spec.signing if any(holds(c, doc) for c in rule.when)}


def violated(spec: ProfileSpec, doc: Document) -> set[str]:
    """Compliance rule ids whose document conditions hold for ``doc``."""
    return {r.id for r in spec.compliance if r.document and any(holds(c, doc) for c in r.document)}


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
    domains = attribute_domains(spec.signing)
    for _ in range(n):
        yield to_document({k: rng.choice(vals) for k, vals in domains.items()})


def conflicts(spec: ProfileSpec, doc: Document) -> list[str]:
    """Route rules that apply to ``doc`` with different routes and no precedence between them."""
    applying = [r for r in spec.signing if r.steps is not None and any(holds(c, doc) for c in r.when)]
    overridden = {t for r in applying for t in r.overrides}
    survivors = [r for r in applying if r.id not in overridden]
    if any(not r.fallback for r in survivors):  # a catch-all gives way to any other surviving route
        survivors = [r for r in survivors if not r.fallback]
    return [r.id for r in survivors] if len({r.steps for r in survivors}) > 1 else []
