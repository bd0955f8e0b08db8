"""govrules: Chinese municipal governments' working rules (市人民政府工作规则), executable and cited.

Every city-specific fact lives in a YAML profile; see ``docs/usage.md`` for a tour of the API.
"""

from __future__ import annotations

import sys

if not ((3, 11) <= sys.version_info[:2] <= (3, 12)):  # pragma: no cover - exercised on other interpreters
    raise ImportError(
        f"govrules supports CPython 3.11 and 3.12, not {sys.version.split()[0]}: its rule engine, "
        "durable-rules, has a C core that does not import on newer interpreters "
        "(undefined symbol PyEval_CallObject on 3.13)"
    )

from govrules.answers import Citation
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
from govrules.families.acting import Acting
from govrules.families.compliance import Violation
from govrules.families.deadlines import Deadline, DeadlineStatus
from govrules.families.meetings import Attendee, Frequency, MeetingCheck, MeetingRule, Quorum, QuorumRule
from govrules.families.signing import Route, Step
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
