"""Semantic lint beyond validity: conflicts, rules that never decide, unused roles, gaps, cycles.

Each family lints its own section (:meth:`govrules.families.base.Family.lint`); this module runs them
and the checks that concern the profile as a whole.
"""

from __future__ import annotations

from collections.abc import Iterator

from govrules import vocabulary as v
from govrules.diagnostics import Diagnostic
from govrules.families import FAMILIES
from govrules.families.base import CheckContext
from govrules.families.signing import attribute_domains, search
from govrules.model import ProfileSpec

__all__ = ["attribute_domains", "lint", "search"]


def lint(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Every family's lint, then roles declared but never used and readings in one language only."""
    for family in FAMILIES:
        yield from family.lint(ctx)
    yield from _one_language(ctx)
    used = _used_roles(ctx.spec)
    for i, role in enumerate(ctx.spec.roles):
        if role.id not in used and role.id not in v.SHARED_ROLES:
            yield ctx.doc.diagnostic(
                ("roles", i, "id"), "GR052", f"role `{role.id}` is declared but no rule uses it", severity="warning"
            )


def _one_language(ctx: CheckContext) -> Iterator[Diagnostic]:
    """GR058 (information): a reading the profile gives in Chinese or in English only; a reader of
    the other language sees it marked as such (〔英文〕 / [in Chinese])."""
    for family in FAMILIES:
        for i, rule in enumerate(family.entries(ctx.spec)):
            for j, cite in enumerate(rule.basis):
                reading = cite.reading()
                if reading is None or (reading.zh and reading.en):
                    continue
                given, missing = ("Chinese", "en") if reading.zh else ("English", "zh")
                yield ctx.doc.diagnostic(
                    (family.section, i, "basis", j, "interpretation"),
                    "GR058",
                    f"the reading of article {cite.article} `{cite.quote}` is in {given} only",
                    f"write `interpretation:` as `{{zh: …, en: …}}` with the `{missing}` text (docs/readings.md)",
                    severity="info",
                )


def _used_roles(spec: ProfileSpec) -> set[str]:
    text = spec.model_dump_json(exclude={"roles"})
    return {r.id for r in spec.roles if f'"{r.id}"' in text}
