"""Every fact type the engine sees, and its fields, declared once.

The compiler checks each pattern and each derived-fact template against these declarations, the
fact builders (documents, persons, absences, requests) build through them, and the families read
derived facts by declared type. A misspelt type or field is then an :class:`EngineError` at compile
(or build) time, never a rule that silently matches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from govrules import vocabulary as v
from govrules.errors import EngineError


@dataclass(frozen=True, slots=True)
class FactType:
    """A kind of fact: its ``type`` discriminator and the fields it may carry.

    ``derived`` facts are produced by rule consequences; the others are asserted from Python.
    """

    name: str
    fields: frozenset[str]
    derived: bool = False

    def make(self, **values: Any) -> dict[str, Any]:
        """A fact of this type; every field must be declared.

        Examples
        --------
        >>> from govrules import facts
        >>> facts.MEETING_REQUEST.make(kind="executive")
        {'type': 'meeting_request', 'kind': 'executive'}
        >>> facts.MEETING_REQUEST.make(knd="executive")
        Traceback (most recent call last):
        ...
        govrules.errors.EngineError: fact type `meeting_request` has no field `knd`
        """
        self.check(values)
        return {"type": self.name, **values}

    def check(self, names: Iterable[str]) -> None:
        """Raise :class:`EngineError` for a field this type does not declare."""
        for name in names:
            if name != "type" and name not in self.fields:
                raise EngineError(f"fact type `{self.name}` has no field `{name}`")

    def of(self, facts: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        """The facts of this type among ``facts`` (e.g. a query's derived facts)."""
        return [f for f in facts if f.get("type") == self.name]


def _fact(name: str, *fields: str | Iterable[str], derived: bool = False) -> FactType:
    names: set[str] = set()
    for group in fields:
        names.update([group] if isinstance(group, str) else group)
    return FactType(name, frozenset(names), derived)


#: Asserted first in every session (engine pitfall 2: deleting a session where no action ran).
BEGIN = _fact("__begin__")

# -- asserted from Python ---------------------------------------------------------------------------
DOCUMENT = _fact(
    "document",
    "purpose",  # `sign` or `check`: compliance rules only look at documents being checked
    "subject",
    "kind",
    "issuer",
    "recipient",
    "portfolio_count",
    "urgency",
    "decided_at",
    "meeting",
    "chaired_by",
    "matters",
    "sender_kind",
    "classification",  # a level, `none`, or `unknown` (classified, level not stated)
    v.FLAGS,
    v.TRISTATE,
)
AGENDA_ITEM = _fact("agenda_item", "subject", "meeting", v.AGENDA_FLAGS, v.AGENDA_TRISTATE)
PERSON = _fact("person", "pid", "office", "ab_partner", "counterpart")  # `pid`: `id` is the engine's identity
ABSENCE = _fact("absence", "person", "reason", "place", "entrusted")
DEADLINE_REQUEST = _fact("deadline_request", "kind", "urgency", "complex", "office")
MEETING_REQUEST = _fact("meeting_request", "kind")
SEAL_REQUEST = _fact("seal_request", "seal")
APPROVAL_REQUEST = _fact("approval_request", "office", "reason", "place")  # an absence to be approved
#: A meeting being planned (组织会议): who holds it, how far it reaches, whom it invites, what approved it.
MEETING_PLAN = _fact(
    "meeting_plan",
    "subject",
    "organiser",
    "in_name_of",
    "scope",
    "decided_at",
    "count_this_year",
    "approved",  # any approval: "yes" / "no" / "unknown"
    (f"invites_{office}" for office in v.OFFICES),
    (f"approved_{who}" for who in v.PLAN_APPROVERS),
    "relays_sector_meeting",
    "leader_heads_organiser",
    "below_county",
)

# -- derived by rule consequences -----------------------------------------------------------------
SIGNING = _fact("signing", "rule", "effect", derived=True)  # effect: `route` or `delegation`
GRANT = _fact("grant", "rule", "rank", "absent", "by", derived=True)
DEADLINE = _fact("deadline", "rule", derived=True)
MEETING = _fact("meeting", "rule", derived=True)
SEAL = _fact("seal", "rule", derived=True)
APPROVAL = _fact("approval", "rule", derived=True)
VIOLATION = _fact("violation", "rule", "first", "second", derived=True)

TYPES: Mapping[str, FactType] = MappingProxyType(
    {
        t.name: t
        for t in (
            BEGIN,
            DOCUMENT,
            AGENDA_ITEM,
            PERSON,
            ABSENCE,
            DEADLINE_REQUEST,
            MEETING_REQUEST,
            SEAL_REQUEST,
            APPROVAL_REQUEST,
            MEETING_PLAN,
            SIGNING,
            GRANT,
            DEADLINE,
            MEETING,
            SEAL,
            APPROVAL,
            VIOLATION,
        )
    }
)


def declared(name: object) -> FactType:
    """The declaration of fact type ``name``; :class:`EngineError` if there is none."""
    found = TYPES.get(str(name))
    if found is None:
        raise EngineError(f"fact type `{name}` is not declared in `govrules.facts`")
    return found
