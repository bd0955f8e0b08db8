"""Argument checks at the API boundary: messages name the argument, the value and what was expected."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from govrules.diagnostics import did_you_mean

__all__ = ["choice", "did_you_mean", "flag", "ids"]
from govrules.errors import InvalidArgument


def choice(name: str, value: Any, allowed: Iterable[str], *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    options = sorted(allowed)
    if not isinstance(value, str) or value not in options:
        hint = did_you_mean(value, options) if isinstance(value, str) else None
        expected = hint or "expected one of " + ", ".join(f"`{o}`" for o in options)
        raise InvalidArgument(f"`{name}`: `{value!r}` is not allowed; {expected}")
    return value


def flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"`{name}`: expected `True` or `False`, got `{value!r}`")
    return value


def ids(name: str, value: Any, allowed: Iterable[str] | None = None) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidArgument(f"`{name}`: expected a list of ids, got `{value!r}`")
    items = tuple(value)
    for item in items:
        if not isinstance(item, str) or not item:
            raise InvalidArgument(f"`{name}`: expected non-empty strings, got `{item!r}`")
        if allowed is not None:
            choice(name, item, allowed)
    if len(set(items)) != len(items):
        raise InvalidArgument(f"`{name}`: `{list(items)}` lists an id twice")
    return items
