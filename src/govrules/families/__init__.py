"""The rule families, one module each, and the registry every layer iterates over.

Adding a family: write its module (its entries' model, ``validate``, ``lint``, ``compile``, its
queries and answer values, its scenario areas) and add it to :data:`FAMILIES`. See
``docs/architecture.md``.
"""

from __future__ import annotations

from typing import Any

from pydantic import create_model

from govrules.families.acting import Acting, ActingFamily, SubstitutionRule
from govrules.families.approvals import AbsenceApproval, ApprovalRule, Approvals
from govrules.families.base import Family, ScenarioArea
from govrules.families.compliance import AgendaCondition, Compliance, ComplianceRule, Violation
from govrules.families.deadlines import Deadline, DeadlineCondition, DeadlineRule, Deadlines, DeadlineStatus
from govrules.families.meetings import (
    AgendaChain,
    AgendaSpec,
    AgendaStep,
    Attendee,
    AttendeeEntry,
    ChairOption,
    Frequency,
    FrequencyEntry,
    LeaveApprover,
    LeaveRule,
    MeetingCheck,
    MeetingRule,
    Meetings,
    MeetingSpec,
    Quorum,
    QuorumRule,
    QuorumSpec,
)
from govrules.families.seals import SealRule, Seals
from govrules.families.signing import Delegation, Route, Signing, SigningRule, Staffing, Step, StepEntry
from govrules.model import ProfileSpec as _SpecBase

#: Every rule family, in the order their sections appear in a profile.
FAMILIES: tuple[type[Family[Any]], ...] = (Signing, Seals, ActingFamily, Approvals, Deadlines, Meetings, Compliance)

#: A whole profile: metadata, roles, and one section (a tuple of entries) per family.
ProfileSpec: type[_SpecBase] = create_model(  # type: ignore[call-overload]
    "ProfileSpec",
    __base__=_SpecBase,
    __module__=__name__,
    **{family.section: (tuple[family.entry, ...], ()) for family in FAMILIES},  # type: ignore[name-defined]
)

#: Scenario area → the family answering it (every area once).
AREAS: dict[str, ScenarioArea] = {}
for _family in FAMILIES:
    for _area, _handler in _family.areas.items():
        if _area in AREAS:  # pragma: no cover - a registration mistake, caught by the test suite
            raise RuntimeError(f"scenario area `{_area}` is answered by two families")
        AREAS[_area] = _handler

#: Answer values, by name (``govrules.answers.<Name>`` keeps working).
ANSWERS: dict[str, type] = {
    t.__name__: t
    for t in (
        AbsenceApproval,
        Acting,
        AgendaChain,
        AgendaStep,
        Attendee,
        ChairOption,
        Deadline,
        DeadlineStatus,
        Frequency,
        LeaveRule,
        MeetingCheck,
        MeetingRule,
        Quorum,
        QuorumRule,
        Route,
        Staffing,
        Step,
        Violation,
    )
}

#: Entry models that lived in :mod:`govrules.model` before the families had modules.
MOVED: dict[str, Any] = {
    "ProfileSpec": ProfileSpec,
    "SigningRule": SigningRule,
    "Step": StepEntry,
    "Delegation": Delegation,
    "SealRule": SealRule,
    "SubstitutionRule": SubstitutionRule,
    "ApprovalRule": ApprovalRule,
    "DeadlineRule": DeadlineRule,
    "DeadlineCondition": DeadlineCondition,
    "MeetingSpec": MeetingSpec,
    "Attendee": AttendeeEntry,
    "Frequency": FrequencyEntry,
    "QuorumSpec": QuorumSpec,
    "LeaveApprover": LeaveApprover,
    "AgendaSpec": AgendaSpec,
    "ComplianceRule": ComplianceRule,
    "AgendaCondition": AgendaCondition,
}

__all__ = ["ANSWERS", "AREAS", "FAMILIES", "Family", "ProfileSpec"]
