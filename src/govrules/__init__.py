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
from govrules.families.approvals import AbsenceApproval
from govrules.families.compliance import Violation
from govrules.families.deadlines import Deadline, DeadlineStatus
from govrules.families.meetings import (
    AgendaChain,
    AgendaStep,
    Attendee,
    ChairOption,
    Frequency,
    LeaveRule,
    MeetingCheck,
    MeetingRule,
    Quorum,
    QuorumRule,
)
from govrules.families.signing import Route, Staffing, Step
from govrules.meeting_plans import MeetingPlan
from govrules.profile import Profile
from govrules.registry import load, profiles
from govrules.roster import Absence, Person, Roster, absences_from_yaml
from govrules.workdays import Calendar, Count


def _version() -> str:
    """This copy's version: its installed metadata, else the ``pyproject.toml`` of the source tree it sits in.

    Metadata counts only when it describes the very files imported: with a checkout on ``PYTHONPATH``
    next to another install (or an editable install since re-versioned), it belongs to another copy.
    """
    import tomllib
    from importlib import metadata
    from pathlib import Path

    here = Path(__file__).resolve()
    try:
        dist: metadata.Distribution | None = metadata.distribution("govrules")
    except metadata.PackageNotFoundError:
        dist = None
    if dist is not None and Path(str(dist.locate_file("govrules/__init__.py"))).resolve() == here:
        return dist.version
    pyproject = here.parents[2] / "pyproject.toml"
    if pyproject.is_file():
        with pyproject.open("rb") as f:
            project = tomllib.load(f).get("project", {})
        if project.get("name") == "govrules":
            return str(project["version"])
    # An unusual layout (a frozen app, a vendored copy): the installed metadata is the best guess left.
    return dist.version if dist is not None else "0+unknown"


__version__ = _version()

#: Analysis for notebooks (``govrules.analysis``), imported when first used: it needs pandas for tables.
_ANALYSIS = frozenset({"Change", "Counterexample", "Gap", "ProfileDiff", "VerifyReport", "compare", "diff", "draw"})


def __getattr__(name: str) -> object:
    if name in _ANALYSIS:
        from govrules import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module `govrules` has no attribute `{name}`")


__all__ = [
    "Absence",
    "AbsenceApproval",
    "Acting",
    "AgendaChain",
    "AgendaItem",
    "AgendaStep",
    "Attendee",
    "Calendar",
    "CalendarError",
    "ChairOption",
    "Change",
    "Citation",
    "ConflictError",
    "Count",
    "Counterexample",
    "Deadline",
    "DeadlineStatus",
    "Diagnostic",
    "Document",
    "EngineError",
    "Frequency",
    "Gap",
    "GovrulesError",
    "InvalidArgument",
    "LeaveRule",
    "MeetingCheck",
    "MeetingPlan",
    "MeetingRule",
    "NotCovered",
    "Person",
    "Profile",
    "ProfileDiff",
    "ProfileError",
    "Quorum",
    "QuorumRule",
    "Roster",
    "Route",
    "Staffing",
    "Step",
    "VerifyReport",
    "Violation",
    "__version__",
    "absences_from_yaml",
    "compare",
    "diff",
    "draw",
    "load",
    "profiles",
    "to_dot",
]
