"""Argument checks at the API boundary: messages name the argument, the value and what was expected."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from govrules.diagnostics import did_you_mean
from govrules.errors import InvalidArgument

__all__ = [
    "MAX_PERSON_ID",
    "PERSON_ID_ADVICE",
    "PERSON_ID_HELP",
    "choice",
    "did_you_mean",
    "flag",
    "ids",
    "items",
    "person_id",
]

#: The longest person id accepted (the engine's string values must stay short; see notes).
MAX_PERSON_ID = 200
PERSON_ID_HELP = "a person id is 1 to 200 letters (any script), digits, `_`, `.` or `-`"
PERSON_ID_ADVICE = "; use letters, digits, `_`, `.` or `-`"
_ID_PUNCTUATION = frozenset("_.-")


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


def items(name: str, value: Any, what: str) -> tuple[Any, ...]:
    """``value`` (any iterable but a string, bytes or mapping) as a tuple; ``what`` names its elements.

    Examples
    --------
    >>> items("absences", [], "`govrules.Absence` values")
    ()
    >>> items("absences", None, "`govrules.Absence` values")
    Traceback (most recent call last):
    ...
    govrules.errors.InvalidArgument: `absences`: expected an iterable of `govrules.Absence` values, got `None`
    """
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidArgument(f"`{name}`: expected an iterable of {what}, got `{value!r}`")
    return tuple(value)


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


def person_id(name: str, value: Any) -> str:
    """A person id: 1 to :data:`MAX_PERSON_ID` letters (any script), digits, ``_``, ``.`` or ``-``, in NFC.

    The empty string is never an id: facts use it for "no one" (no AB partner, no counterpart), so
    no person can be mistaken for the absence of one.
    """
    if not isinstance(value, str):
        raise InvalidArgument(f"`{name}`: expected a person id (a string), got `{value!r}`")
    if not value:
        raise InvalidArgument(f"`{name}`: a person id cannot be empty")
    if len(value) > MAX_PERSON_ID:
        raise InvalidArgument(f"`{name}`: a person id is at most {MAX_PERSON_ID} characters, got {len(value)}")
    bad = next((c for c in value if not (c.isalnum() or c in _ID_PUNCTUATION)), None)
    if bad is not None:
        shown = value if value.isprintable() else repr(value)
        raise InvalidArgument(f"`{name}`: `{shown}` is not a person id: it contains {_describe(bad)}{PERSON_ID_ADVICE}")
    if unicodedata.normalize("NFC", value) != value:
        # the engine compares NFC text, so two spellings of one id would be one person there
        raise InvalidArgument(f"`{name}`: `{value}` is not in Unicode normal form NFC; write it composed")
    return value


def _describe(char: str) -> str:
    if char == " ":
        return "a space"
    if char.isspace():
        return f"white space (U+{ord(char):04X})"
    if not char.isprintable():
        return f"the control character U+{ord(char):04X}"
    return f"`{char}`"
