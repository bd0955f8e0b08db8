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
    """Every family's lint, then roles declared but never used."""
    for family in FAMILIES:
        yield from family.lint(ctx)
    used = _used_roles(ctx.spec)
    for i, role in enumerate(ctx.spec.roles):
        if role.id not in used and role.id not in v.SHARED_ROLES:
            yield ctx.doc.diagnostic(
                ("roles", i, "id"), "GR052", f"role `{role.id}` is declared but no rule uses it", severity="warning"
            )


def _used_roles(spec: ProfileSpec) -> set[str]:
    text = spec.model_dump_json(exclude={"roles"})
    return {r.id for r in spec.roles if f'"{r.id}"' in text}
