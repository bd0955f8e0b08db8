"""The typed shape of a profile (pydantic v2, frozen, unknown keys forbidden).

This layer checks shape only: types, required keys, closed literals. Whether ids refer to
something that exists is the job of :mod:`govrules.validate`, which reports in profile terms.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, field_validator

# Dates come from YAML as ISO strings (the loader resolves no timestamps) and are parsed; every
# other scalar must already have its type (no "52" for 52, no 1 for true).
IsoDate = Annotated[dt.date, Field(strict=False)]
Ids = tuple[StrictStr, ...]
OneOrMany = StrictStr | list[StrictStr]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Frozen):
    """Where a rule comes from: the article, the item, verbatim operative words, and any reading."""

    article: StrictInt = Field(ge=1)
    item: StrictInt | None = Field(default=None, ge=1)
    quote: StrictStr
    interpretation: StrictStr | None = None


class Meta(_Frozen):
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: StrictStr
    city: StrictStr
    province: StrictStr
    document_number: StrictStr | None = None
    issued: IsoDate
    effective: IsoDate
    supersedes: StrictStr | None = None
    articles: StrictInt = Field(ge=1)
    source: StrictStr | None = None  # the author's copy of the source text, relative to the profile


class RoleDecl(_Frozen):
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: StrictStr
    kind: Literal["office", "relational"] = "office"


class Condition(_Frozen):
    """Document attributes that must all hold; a list value means any one of them."""

    issuer: OneOrMany | None = None
    kind: OneOrMany | None = None
    recipient: OneOrMany | None = None
    portfolios: OneOrMany | None = None
    urgency: OneOrMany | None = None
    decided_at: OneOrMany | None = None
    meeting: OneOrMany | None = None
    chaired_by: OneOrMany | None = None
    comprehensive: StrictBool | None = None
    major_policy: StrictBool | None = None
    important: StrictBool | None = None
    emergency: StrictBool | None = None
    routine_approval: StrictBool | None = None
    office_routine: StrictBool | None = None
    escalated: StrictBool | None = None
    forwarded: StrictBool | None = None
    contains_request: StrictBool | None = None
    addressed_to_leader_personally: StrictBool | None = None
    matters: OneOrMany | None = None
    sender_kind: OneOrMany | None = None
    skips_level: StrictBool | None = None
    multiple_recipients: StrictBool | None = None
    assigned_by_leader: StrictBool | None = None
    classified: StrictBool | None = None
    major_emergency: StrictBool | None = None
    foreign_affairs: StrictBool | None = None
    involves_other_departments: StrictBool | None = None
    within_department_remit: StrictBool | None = None
    informal_form: StrictBool | None = None
    countersigned: StrictBool | None = None
    signed_by_head: StrictBool | None = None
    legality_reviewed: StrictBool | None = None
    fair_competition_reviewed: StrictBool | None = None

    def terms(self) -> dict[str, tuple[str, ...] | bool]:
        """The keys that are set, lists as tuples."""
        out: dict[str, tuple[str, ...] | bool] = {}
        for key, value in self:
            if value is None:
                continue
            if isinstance(value, bool):
                out[key] = value
            else:
                out[key] = (value,) if isinstance(value, str) else tuple(value)
        return out


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


class Step(_Frozen):
    action: Literal["review", "deliberate", "sign", "approve"]
    roles: Ids = ()
    mode: Literal["any", "all"] = "any"
    meeting: StrictStr | None = None
    delegable_to: Ids = ()
    authorised_by: Ids = ()


class Delegation(_Frozen):
    to: Ids = Field(min_length=1)
    authorised_by: Ids = ()


class SigningRule(_Frozen):
    id: StrictStr
    when: tuple[Condition, ...] = Field(min_length=1)
    steps: tuple[Step, ...] | None = None
    delegation: Delegation | None = None
    overrides: Ids = ()
    basis: tuple[Citation, ...] = ()

    _when_list = field_validator("when", mode="before")(_one_or_many)


class SealRule(_Frozen):
    id: StrictStr
    seal: StrictStr
    approvers: Ids = Field(min_length=1)
    delegable_to: Ids = ()
    authorised_by: Ids = ()
    basis: tuple[Citation, ...] = ()


class SubstitutionRule(_Frozen):
    """Who stands in for an absent official, when, and for which duties."""

    id: StrictStr
    absent: StrictStr
    reasons: Ids = Field(min_length=1)
    entrusted: StrictBool = False
    acting: Ids = Field(min_length=1)
    duties: Ids = Field(min_length=1)
    transitive: StrictBool = False
    basis: tuple[Citation, ...] = ()


class AgendaCondition(_Frozen):
    """Agenda item attributes that must all hold."""

    meeting: OneOrMany | None = None
    funding: StrictBool | None = None
    staffing: StrictBool | None = None
    cross_portfolio: StrictBool | None = None
    within_remit: StrictBool | None = None
    coordinated: StrictBool | None = None
    consulted: StrictBool | None = None
    leader_agreed: StrictBool | None = None

    def terms(self) -> dict[str, tuple[str, ...] | bool]:
        return {
            k: ((v,) if isinstance(v, str) else tuple(v)) if not isinstance(v, bool) else v
            for k, v in self
            if v is not None
        }


class ComplianceRule(_Frozen):
    """Something the text forbids; breaking it is a violation with a stable code."""

    id: StrictStr
    code: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    severity: Literal["error", "warning"]
    message: StrictStr
    document: tuple[Condition, ...] | None = None
    agenda: tuple[AgendaCondition, ...] | None = None
    absent_together: Literal["counterpart", "ab_partner"] | None = None
    reasons: Ids = ()
    basis: tuple[Citation, ...] = ()

    _document_list = field_validator("document", "agenda", mode="before")(_one_or_many)


class Attendee(_Frozen):
    who: StrictStr
    role: StrictStr | None = None
    as_needed: StrictBool = False


class Frequency(_Frozen):
    per: Literal["week", "half_month", "month", "two_months", "quarter", "half_year", "year"]
    times: tuple[StrictInt, StrictInt]
    in_principle: StrictBool = False


class QuorumSpec(_Frozen):
    more_than: tuple[StrictInt, StrictInt] | None = None
    at_least: tuple[StrictInt, StrictInt] | None = None


class LeaveApprover(_Frozen):
    who: StrictStr
    approver: StrictStr
    roles: Ids = ()  # the offices of those the category covers, so a roster can be matched to it


class AgendaSpec(_Frozen):
    proposed_by: Ids = ()
    approved_by: Ids = ()


class MeetingSpec(_Frozen):
    """How one kind of meeting is constituted, chaired, held and attended."""

    id: StrictStr
    kind: StrictStr
    members: Ids = ()
    attendees: tuple[Attendee, ...] = ()
    convener: StrictStr | None = None
    chair: StrictStr | None = None
    chair_delegates: Ids = ()
    frequency: Frequency | None = None
    quorum: QuorumSpec | None = None
    leave_approver: StrictStr | None = None
    leave_approvers: tuple[LeaveApprover, ...] = ()
    substitutes_allowed: StrictBool | None = None
    agenda: AgendaSpec | None = None
    basis: tuple[Citation, ...] = ()


class DeadlineCondition(_Frozen):
    urgency: OneOrMany | None = None
    complex: StrictBool | None = None


class DeadlineRule(_Frozen):
    """A time limit: how long, in which unit, counted from (or back from) what, and what expiry means."""

    id: StrictStr
    kind: StrictStr
    when: DeadlineCondition = DeadlineCondition()
    amount: StrictInt = Field(ge=1)
    unit: Literal["working_days", "days", "hours"]
    direction: Literal["after", "before"] = "after"
    starts: StrictStr
    on_expiry: StrictStr | None = None
    in_principle: StrictBool = False
    overrides: Ids = ()
    basis: tuple[Citation, ...] = ()


class ProfileSpec(_Frozen):
    """A whole profile as written in YAML."""

    profile: Meta
    roles: tuple[RoleDecl, ...] = ()
    signing: tuple[SigningRule, ...] = ()
    seals: tuple[SealRule, ...] = ()
    substitution: tuple[SubstitutionRule, ...] = ()
    deadlines: tuple[DeadlineRule, ...] = ()
    meetings: tuple[MeetingSpec, ...] = ()
    compliance: tuple[ComplianceRule, ...] = ()
