"""govrules: Chinese municipal governments' working rules (市人民政府工作规则), executable and cited.

Every city-specific fact lives in a YAML profile; see ``docs/usage.md`` for a tour of the API.
"""

from __future__ import annotations

import sys

# pip honours requires-python; this check speaks to checkouts run with an older interpreter
if sys.version_info < (3, 11):  # noqa: UP036  # pragma: no cover - exercised on other interpreters
    raise ImportError(
        f"govrules needs CPython 3.11 or newer (tested on 3.11, 3.12 and 3.13), not {sys.version.split()[0]}"
    )

from govrules.answers import (
    Acting,
    Attendee,
    Citation,
    Deadline,
    DeadlineStatus,
    Frequency,
    MeetingCheck,
    MeetingRule,
    Quorum,
    QuorumRule,
    Route,
    Step,
    Violation,
)
from govrules.delegation import to_dot
from govrules.diagnostics import Diagnostic
from govrules.documents import AgendaItem, Document
from govrules.errors import (
    CalendarError,
    ConflictError,
    EngineError,
    GovrulesError,
    InvalidArgument,
    NotCovered,
    ProfileError,
)
from govrules.profile import Profile
from govrules.registry import load, profiles
from govrules.roster import Absence, Person, Roster, absences_from_yaml
from govrules.workdays import Calendar, Count

__version__ = "0.1.0"

__all__ = [
    "Absence",
    "Acting",
    "AgendaItem",
    "Attendee",
    "Calendar",
    "CalendarError",
    "Citation",
    "ConflictError",
    "Count",
    "Deadline",
    "DeadlineStatus",
    "Diagnostic",
    "Document",
    "EngineError",
    "Frequency",
    "GovrulesError",
    "InvalidArgument",
    "MeetingCheck",
    "MeetingRule",
    "NotCovered",
    "Person",
    "Profile",
    "ProfileError",
    "Quorum",
    "QuorumRule",
    "Roster",
    "Route",
    "Step",
    "Violation",
    "__version__",
    "absences_from_yaml",
    "load",
    "profiles",
    "to_dot",
]
