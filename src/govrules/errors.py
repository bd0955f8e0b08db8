"""The one exception hierarchy of govrules.

Catch :class:`GovrulesError` for everything the library raises on purpose. Each subclass also
derives from the matching builtin so that callers who already catch ``ValueError`` or
``LookupError`` keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govrules.diagnostics import Diagnostic


class GovrulesError(Exception):
    """Base class of every error govrules raises."""


class ProfileError(GovrulesError, ValueError):
    """A profile (or scenario, roster …) file is invalid; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        lines = [d.render() for d in self.diagnostics]
        count = len(self.diagnostics)
        head = f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__("\n".join([head, *lines]))


class InvalidArgument(GovrulesError, ValueError):
    """An argument passed to the API is not acceptable; the message names it and what was expected."""


class NotCovered(GovrulesError, LookupError):
    """The profile has no rule for the question asked: the text is silent, so there is no answer."""

    def __init__(self, profile: str, question: str) -> None:
        self.profile = profile
        self.question = question
        super().__init__(f"profile `{profile}` has no rule for {question}")


class ConflictError(GovrulesError):
    """Two rules of a profile give different answers for the same facts and neither overrides the other."""

    def __init__(self, profile: str, question: str, rules: Sequence[str]) -> None:
        self.profile = profile
        self.rules = tuple(rules)
        names = ", ".join(f"`{r}`" for r in rules)
        super().__init__(
            f"profile `{profile}`: rules {names} all apply to {question} and give different answers; "
            "one of them must list the other in `overrides`"
        )


class EngineError(GovrulesError):
    """The rule engine failed while evaluating a query; no partial answer is returned."""


class CalendarError(GovrulesError):
    """A date falls outside the published holiday calendar."""


class EngineUnavailable(GovrulesError, ImportError):
    """The rule engine (durable-rules' C core) cannot be loaded on this interpreter; the message says why."""
