"""A meeting being planned (组织会议), and the conditions compliance rules test on it.

The texts regulate how meetings are organised as well as how they are held: who must approve a
city-wide meeting, whether county leaders may be invited, whether the city's leaders attend a
department's meeting, how many city-wide meetings a department holds a year (docs/meetings.md
lists the articles of each bundled profile). A :class:`MeetingPlan` describes the meeting;
``Profile.check(plan)`` returns the :class:`~govrules.Violation` values of the compliance rules
whose ``meeting_plan:`` condition it meets, exactly as for a document.

Approvals are **unknown unless stated**: ``approved_by=None`` (the default) says nothing, so a rule
against a meeting held without approval applies only to a plan stated to lack it
(``approved_by=()`` or a list without the approver the rule names).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from pydantic import StrictBool, StrictInt

from govrules import _args, facts
from govrules import vocabulary as v
from govrules.errors import InvalidArgument
from govrules.model import Frozen, OneOrMany

if TYPE_CHECKING:
    from govrules.diagnostics import Diagnostic
    from govrules.families.base import CheckContext
    from govrules.loader import Path_

__all__ = ["MeetingPlan", "MeetingPlanCondition"]

#: The subject every plan fact carries (violations name it).
SUBJECT = "meeting_plan"


@dataclass(frozen=True, slots=True, kw_only=True)
class MeetingPlan:
    """A meeting someone plans to hold, described in the shared vocabulary.

    Parameters
    ----------
    organiser
        Who holds it: ``municipal_government``, ``general_office``, ``coordination_body`` (a
        议事协调机构) or ``department``.
    scope
        ``city_wide`` (全市性会议), ``system_wide`` (a department's 本系统全市性会议, which is city-wide
        too) or ``other`` (any other working meeting).
    in_name_of
        In whose name it is called (以…名义召开); the organiser's own name when left out.
    invites
        The offices invited to attend (office ids: ``county_head``, ``vice_mayor``, …). Inviting an
        executive vice mayor invites a vice mayor.
    approved_by
        The approvals obtained: ``municipal_government``, ``mayor``, ``leader_in_charge``. ``None``
        (the default) means not stated; ``()`` means none. The mayor's approval is the city
        government's approval.
    decided_at
        The meeting kind that decided to hold it (e.g. ``executive``), if any.
    count_this_year
        How many meetings of this scope the organiser holds this year, this one included.
    relays_sector_meeting
        It passes on a sector meeting of a ministry or provincial department (贯彻行业性会议精神).
    leader_heads_organiser
        The city leader it invites also heads the organising department (兼任部门负责同志).
    below_county
        It reaches below the county level (召开到县（市）区以下).

    Examples
    --------
    >>> plan = MeetingPlan(organiser="department", scope="system_wide", invites=["county_head"])
    >>> plan.in_name_of, plan.approved_by
    ('department', None)
    >>> MeetingPlan(organiser="departmnet", scope="city_wide")
    Traceback (most recent call last):
    ...
    govrules.errors.InvalidArgument: `organiser`: `'departmnet'` is not allowed; did you mean `department`?
    """

    organiser: str
    scope: str
    in_name_of: str | None = None
    invites: tuple[str, ...] = ()
    approved_by: tuple[str, ...] | None = None
    decided_at: str | None = None
    count_this_year: int | None = None
    relays_sector_meeting: bool = False
    leader_heads_organiser: bool = False
    below_county: bool = False

    def __init__(self, **attributes: Any) -> None:
        known = {f.name for f in fields(MeetingPlan)}
        for name in attributes:
            if name not in known:
                hint = _args.did_you_mean(name, known) or ""
                raise InvalidArgument(f"`MeetingPlan` has no attribute `{name}`; {hint}".rstrip("; "))
        for name in ("organiser", "scope"):
            if name not in attributes:
                raise InvalidArgument(f"`MeetingPlan` needs `{name}`")
        values = {f.name: f.default for f in fields(MeetingPlan) if f.name not in ("organiser", "scope")}
        values.update(attributes)
        organiser = _args.choice("organiser", values["organiser"], v.ORGANISERS)
        values["organiser"] = organiser
        values["scope"] = _args.choice("scope", values["scope"], v.MEETING_SCOPES)
        values["in_name_of"] = _args.choice("in_name_of", values["in_name_of"] or organiser, v.ORGANISERS)
        values["invites"] = _args.ids("invites", values["invites"], v.OFFICES)
        if values["approved_by"] is not None:
            values["approved_by"] = _args.ids("approved_by", values["approved_by"], v.PLAN_APPROVERS)
        values["decided_at"] = _args.choice("decided_at", values["decided_at"], v.MEETINGS, optional=True)
        count = values["count_this_year"]
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
            raise InvalidArgument(f"`count_this_year`: expected a whole number of at least 1, got `{count!r}`")
        for flag in ("relays_sector_meeting", "leader_heads_organiser", "below_county"):
            _args.flag(flag, values[flag])
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> MeetingPlan:
        """A plan from plain data (a YAML or JSON mapping): lists become tuples.

        >>> MeetingPlan.from_mapping({"organiser": "department", "scope": "city_wide", "approved_by": []}).approved_by
        ()
        """
        if not isinstance(data, Mapping):
            raise InvalidArgument(f"a meeting plan is a mapping of `MeetingPlan` attributes, not `{data!r}`")
        return cls(**{str(k): tuple(x) if isinstance(x, list) else x for k, x in data.items()})

    def approved(self, who: str) -> str:
        """``yes``, ``no`` or ``unknown``: whether ``who`` (a plan approver, or ``any``) approved it."""
        if self.approved_by is None:
            return "unknown"
        if who == "any":
            return "yes" if self.approved_by else "no"
        given = set(self.approved_by)
        if who == "municipal_government":
            given &= {"municipal_government", "mayor"}  # the mayor approves for the government
        else:
            given &= {who}
        return "yes" if given else "no"

    def fact(self) -> dict[str, str | int | bool]:
        """The plan as the engine sees it: a flag per office it invites, a tri-state per approver."""
        invited = set(self.invites)
        return facts.MEETING_PLAN.make(
            subject=SUBJECT,
            organiser=self.organiser,
            in_name_of=self.in_name_of or self.organiser,
            scope=self.scope,
            decided_at=self.decided_at or "none",
            count_this_year=self.count_this_year or 0,
            approved=self.approved("any"),
            relays_sector_meeting=self.relays_sector_meeting,
            leader_heads_organiser=self.leader_heads_organiser,
            below_county=self.below_county,
            **{f"invites_{office}": bool(invited & v.holders(office)) for office in v.OFFICES},
            **{f"approved_{who}": self.approved(who) for who in v.PLAN_APPROVERS},
        )


class MeetingPlanCondition(Frozen):
    """What a meeting plan must meet to break a compliance rule: every key given must hold.

    A list value means any one of its values, except ``not_approved_by``: the plan is stated to lack
    every approval listed.
    """

    organiser: OneOrMany | None = None
    in_name_of: OneOrMany | None = None
    scope: OneOrMany | None = None
    invites: OneOrMany | None = None  # invites any of these offices
    not_approved_by: OneOrMany | None = None  # stated approvals lack each of these
    approved: StrictBool | None = None  # any approval at all (unknown unless stated)
    decided_at: OneOrMany | None = None  # `none`: no meeting decided it
    count_above: StrictInt | None = None  # count_this_year > n
    relays_sector_meeting: StrictBool | None = None
    leader_heads_organiser: StrictBool | None = None
    below_county: StrictBool | None = None

    def values(self, key: str) -> tuple[str, ...]:
        found = getattr(self, key)
        if found is None:
            return ()
        return (found,) if isinstance(found, str) else tuple(found)

    def pattern(self) -> dict[str, Any]:
        """The engine expression of the condition (a positive discriminator first)."""
        terms: list[dict[str, Any]] = [{"type": facts.MEETING_PLAN.name}]
        for flag in ("relays_sector_meeting", "leader_heads_organiser", "below_county"):
            value = getattr(self, flag)
            if value is not None:
                terms.append({flag: value})
        if self.approved is not None:
            terms.append({"approved": "yes" if self.approved else "no"})
        for who in self.values("not_approved_by"):
            terms.append({f"approved_{who}": "no"})
        if self.count_above is not None:
            terms.append({"$gt": {"count_this_year": self.count_above}})
        for key in ("organiser", "in_name_of", "scope", "decided_at"):
            options = [{key: x} for x in self.values(key)]
            if options:  # the engine has no `$in`: membership compiles to `$or` of equalities
                terms.append(options[0] if len(options) == 1 else {"$or": options})
        invites = [{f"invites_{office}": True} for office in self.values("invites")]
        if invites:
            terms.append(invites[0] if len(invites) == 1 else {"$or": invites})
        return {"$and": terms}

    def witness(self) -> MeetingPlan:
        """A plan that meets the condition (the first value of each list), for verifying a profile.

        >>> MeetingPlanCondition(organiser="department", not_approved_by="municipal_government").witness().approved_by
        ('leader_in_charge',)
        """
        excluded = set(self.values("not_approved_by"))
        if "municipal_government" in excluded:
            excluded.add("mayor")  # the mayor's approval would be the government's
        approvals: tuple[str, ...] | None = None
        if excluded or self.approved is not None:
            approvals = tuple(a for a in v.PLAN_APPROVERS if a not in excluded) if self.approved is not False else ()
        decided = next(iter(self.values("decided_at")), None)
        return MeetingPlan(
            organiser=next(iter(self.values("organiser")), "department"),
            scope=next(iter(self.values("scope")), "city_wide"),
            in_name_of=next(iter(self.values("in_name_of")), None),
            invites=self.values("invites")[:1],
            approved_by=approvals,
            decided_at=None if decided == "none" else decided,
            count_this_year=None if self.count_above is None else self.count_above + 1,
            relays_sector_meeting=bool(self.relays_sector_meeting),
            leader_heads_organiser=bool(self.leader_heads_organiser),
            below_county=bool(self.below_county),
        )

    def check(self, ctx: CheckContext, where: Path_) -> Iterator[Diagnostic]:
        """GR013 for values outside the vocabulary, GR012 for a count below zero or an empty condition."""
        closed = {
            "organiser": (v.ORGANISERS, "organiser"),
            "in_name_of": (v.ORGANISERS, "organiser"),
            "scope": (v.MEETING_SCOPES, "meeting scope"),
            "invites": (v.OFFICES, "office"),
            "not_approved_by": (v.PLAN_APPROVERS, "meeting plan approver"),
            "decided_at": ((*v.MEETINGS, "none"), "meeting kind"),
        }
        for key, (allowed, what) in closed.items():
            yield from ctx.closed((*where, key), self.values(key), allowed, what)
            if getattr(self, key) == []:
                yield ctx.doc.diagnostic((*where, key), "GR012", f"`{key}` is an empty list", "give at least one value")
        if self.count_above is not None and self.count_above < 0:
            yield ctx.doc.diagnostic((*where, "count_above"), "GR012", "`count_above` must be 0 or more")
        if not any(x is not None for _k, x in self):
            yield ctx.doc.diagnostic(where, "GR012", "a `meeting_plan` condition names no attribute of the plan")
