"""Diagnostics: what is wrong with a profile, where, and how to fix it (Cedar style)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]

#: Every diagnostic code the library emits, with a one-line description (kept in step with
#: ``docs/error-codes.md`` by a test).
CODES: dict[str, str] = {
    "GR001": "the file cannot be read",
    "GR002": "the file is not well-formed YAML",
    "GR003": "a mapping has the same key twice",
    "GR004": "a YAML construct that profiles do not allow (anchors, aliases, tags, several documents)",
    "GR005": "the file is larger than profiles may be (bytes, or keys and values)",
    "GR006": "mappings and lists nested deeper than profiles may be",
    "GR007": "a scalar longer than profiles allow, or an integer with too many digits",
    "GR010": "a key that the format does not know",
    "GR011": "a required key is missing",
    "GR012": "a value of the wrong type or outside its allowed range",
    "GR013": "a value that is not one of the allowed ids",
    "GR020": "two rules have the same id, or two meetings describe the same kind",
    "GR021": "a rule id that does not follow `<profile>.<area>.<slug>`",
    "GR022": "a role that is neither in the shared vocabulary nor declared in `roles`",
    "GR023": "`overrides` names a rule that does not exist or is not a route rule",
    "GR024": "a rule without a citation",
    "GR025": "a quote longer than 40 characters or empty",
    "GR026": "a cited article number outside the profile's article count",
    "GR027": "a route with more than one sign step, or a step that is malformed",
    "GR028": "the profile id does not match the file name",
    "GR029": "a citation's `when` names an alternative its rule does not have",
    "GR030": "a role declared twice",
    "GR031": "`overrides` forms a cycle",
    "GR032": (
        "a compliance rule that does not name exactly one of `document`, `agenda`, `meeting_plan`, `absent_together`"
    ),
    "GR040": "a quote that is not in its cited article of the source text",
    "GR041": "a cited article that the source text does not have",
    "GR042": "the source text cannot be read or has no recognisable articles",
    "GR043": "the source text is outside the allowed folder, is not a regular file, or is too large",
    "GR050": "two rules apply to the same facts with different answers and no stated precedence",
    "GR051": "a rule that never decides an answer (always overridden where it applies)",
    "GR052": "a role declared in `roles` that no rule uses",
    "GR053": "questions the profile does not cover (information: they answer `NotCovered`)",
    "GR054": "transitive substitution rules that can lead back to where they started",
    "GR056": "a declared role that no roster can staff (an office outside the shared vocabulary, a relation not given)",
    "GR058": "a reading given in one language only (information: readers of the other see it marked as such)",
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a file, with its position (1-based line and column)."""

    file: str
    line: int
    column: int
    code: str
    message: str
    help: str | None = None
    severity: Severity = "error"

    def render(self) -> str:
        """``path:line:col: CODE message`` and, indented under it, the help line."""
        level = "" if self.severity == "error" else f"{self.severity}: "
        head = f"{self.file}:{self.line}:{self.column}: {self.code} {level}{self.message}"
        return f"{head}\n    help: {self.help}" if self.help else head

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "help": self.help,
        }


def did_you_mean(value: str, choices: Iterable[str], *, list_all: bool = True) -> str | None:
    """A help line suggesting the closest allowed value, or (if few, and ``list_all``) listing them."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    if list_all and len(options) <= 16:
        return "expected one of " + ", ".join(f"`{o}`" for o in options)
    return None
