"""The document a question is asked about (design.md §3–4)."""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from govrules import _args
from govrules import vocabulary as v
from govrules.errors import InvalidArgument


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A document to be signed, checked or submitted, described in the shared vocabulary.

    Examples
    --------
    >>> import govrules
    >>> doc = govrules.Document(kind="request", recipient="provincial_government")
    >>> doc.issuer
    'municipal_government'
    >>> govrules.Document(kind="reqest")
    Traceback (most recent call last):
    ...
    govrules.errors.InvalidArgument: `kind`: `'reqest'` is not allowed; did you mean `request`?

    A classified document gives its level (密级): ``classification`` is ``confidential`` (秘密),
    ``secret`` (机密) or ``top_secret`` (绝密), and ``classified`` follows from it. The texts differ on
    which levels matter (one exempts only 绝密 matters from a rule, another any 涉密 matter), so a
    bare ``classified=True`` is deprecated: it still works where the level makes no difference, and a
    check whose answer depends on the level asks for it.

    >>> doc = govrules.Document(kind="report", classification="top_secret")
    >>> doc.classified, doc.classification
    (True, 'top_secret')

    Facts such as a legality review or the justice bureau's review are unknown unless stated: a
    rule about a missing review applies only to a document stated not reviewed.

    >>> govrules.Document(kind="regulation", justice_bureau_reviewed=False).justice_bureau_reviewed
    False
    """

    kind: str
    issuer: str = "municipal_government"
    recipient: str | None = None
    portfolios: tuple[str, ...] = ()
    comprehensive: bool = False
    major_policy: bool = False
    important: bool = False
    urgency: str = "normal"
    emergency: bool = False
    decided_at: str | None = None
    routine_approval: bool = False
    office_routine: bool = False
    escalated: bool = False
    forwarded: bool = False
    meeting: str | None = None
    chaired_by: str | None = None
    chaired_by_person: str | None = None  # who chaired the meeting (a person id), for staffing on a day
    matters: int = 1
    contains_request: bool = False
    addressed_to_leader_personally: bool = False
    sender: str | None = None
    authorised: tuple[str, ...] = ()
    skips_level: bool = False
    multiple_recipients: bool = False
    assigned_by_leader: bool = False
    classified: bool = False
    major_emergency: bool = False
    foreign_affairs: bool = False
    involves_other_departments: bool = False
    within_department_remit: bool = False
    informal_form: bool = False
    countersigned: bool | None = None
    signed_by_head: bool | None = None
    legality_reviewed: bool | None = None
    fair_competition_reviewed: bool | None = None
    sender_kind: str | None = None
    classification: str | None = None
    directive: bool = False
    invitation: bool = False
    justice_bureau_reviewed: bool | None = None
    departments_agreed: bool | None = None
    government_approved: bool | None = None

    def __init__(self, kind: str, **attributes: Any) -> None:  # positional `kind`, the rest keyword-only
        known = {f.name for f in fields(Document)}
        for name in attributes:
            if name not in known:
                hint = _args.did_you_mean(name, known) or ""
                raise InvalidArgument(f"`Document` has no attribute `{name}`; {hint}".rstrip("; "))
        values: dict[str, Any] = {f.name: f.default for f in fields(Document) if f.name != "kind"}
        values.update(attributes)
        values["kind"] = kind
        for name, value in _checked(values, "classified" in attributes).items():
            object.__setattr__(self, name, value)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Document:
        """A document from plain data (a YAML or JSON mapping): lists become tuples."""
        if not isinstance(data, Mapping):
            raise InvalidArgument(f"a document is a mapping of `Document` attributes, not `{data!r}`")
        attrs: dict[str, Any] = {str(k): tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        if "kind" not in attrs:
            raise InvalidArgument("a document needs `kind`")
        kind: str = attrs.pop("kind")
        return cls(kind, **attrs)

    def fact(self, purpose: str = "sign") -> dict[str, str | int | bool]:
        """The document as the engine sees it: every attribute present, absent ones as `none`.

        ``purpose`` (`sign` or `check`) selects which rules may look at it.
        """
        return {
            "type": "document",
            "purpose": purpose,
            "subject": "document",
            "kind": self.kind,
            "issuer": self.issuer,
            "recipient": self.recipient or "none",
            "portfolio_count": len(self.portfolios),
            "urgency": self.urgency,
            "decided_at": self.decided_at or "none",
            "meeting": self.meeting or "none",
            "chaired_by": self.chaired_by or "none",
            "matters": self.matters,
            "sender_kind": self.sender_kind or "none",
            "classification": self.classification or ("unknown" if self.classified else "none"),
            **{flag: getattr(self, flag) for flag in v.FLAGS},
            **{key: tristate(getattr(self, key)) for key in v.TRISTATE},
        }

    def describe(self) -> str:
        """A short English description, for messages."""
        parts = [f"kind=`{self.kind}`", f"issuer=`{self.issuer}`"]
        for name, default in _DEFAULTS:
            value = getattr(self, name)
            if value != default:
                parts.append(f"{name}=`{value}`" if not isinstance(value, tuple) else f"{name}={list(value)}")
        return "a document with " + ", ".join(parts)


def tristate(value: bool | None) -> str:
    """A fact that may be unknown, as the engine sees it (it equates `true` with 1 and `"true"`)."""
    return "unknown" if value is None else ("yes" if value else "no")


_DEFAULTS = tuple((f.name, f.default) for f in fields(Document) if f.name not in ("kind", "issuer"))


def _checked(values: dict[str, Any], classified_given: bool = False) -> dict[str, Any]:
    out = dict(values)
    out["kind"] = _args.choice("kind", values["kind"], v.KINDS)
    out["issuer"] = _args.choice("issuer", values["issuer"], v.ISSUERS)
    out["recipient"] = _args.choice("recipient", values["recipient"], v.RECIPIENTS, optional=True)
    out["urgency"] = _args.choice("urgency", values["urgency"], v.URGENCIES)
    out["decided_at"] = _args.choice("decided_at", values["decided_at"], v.MEETINGS, optional=True)
    out["meeting"] = _args.choice("meeting", values["meeting"], v.MEETINGS, optional=True)
    out["portfolios"] = tuple(unicodedata.normalize("NFC", p) for p in _args.ids("portfolios", values["portfolios"]))
    out["authorised"] = _args.ids("authorised", values["authorised"])
    for flag in v.FLAGS:
        out[flag] = _args.flag(flag, values[flag])
    for key in v.TRISTATE:
        if values[key] is not None:
            out[key] = _args.flag(key, values[key])
    out["sender_kind"] = _args.choice("sender_kind", values["sender_kind"], v.SENDER_KINDS, optional=True)
    level = _args.choice("classification", values["classification"], v.CLASSIFICATIONS, optional=True)
    if level is not None:
        if classified_given and out["classified"] is False:
            raise InvalidArgument(
                f"`classified`: `False` contradicts `classification={level!r}`; leave `classified` out, "
                "it follows from the level"
            )
        out["classified"] = True
    elif out["classified"] and classified_given:
        warnings.warn(
            "`classified=True` without a level is deprecated: pass `classification=` `confidential` (秘密), "
            "`secret` (机密) or `top_secret` (绝密); a check whose answer depends on the level cannot be answered",
            DeprecationWarning,
            stacklevel=3,
        )
    chaired_by = values["chaired_by"]
    if chaired_by is not None and (not isinstance(chaired_by, str) or not chaired_by):
        raise InvalidArgument(f"`chaired_by`: expected a role id, got `{chaired_by!r}`")
    if values["chaired_by_person"] is not None:
        _args.person_id("chaired_by_person", values["chaired_by_person"])
    matters = values["matters"]
    if isinstance(matters, bool) or not isinstance(matters, int) or matters < 1:
        raise InvalidArgument(f"`matters`: expected a whole number of at least 1, got `{matters!r}`")
    sender = values["sender"]
    if sender is not None and not isinstance(sender, str):
        raise InvalidArgument(f"`sender`: expected a string, got `{sender!r}`")
    return out


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """An item proposed for a meeting's agenda (议题).

    ``coordinated``, ``consulted``, ``leader_agreed`` and ``legality_reviewed`` (合法合规性审查) are
    unknown (None) unless stated: a rule against uncoordinated items applies only to an item stated
    not to be coordinated. ``steps`` is the way the item came to the meeting, ``(action, person id)``
    pairs in order (``propose``, ``review``, ``forward``, ``approve``): stated, it is checked against
    the meeting's agenda chain.

    Examples
    --------
    >>> import govrules
    >>> govrules.AgendaItem("某规划草案", legality_reviewed=False).legality_reviewed
    False
    >>> AgendaItem("交通规划", steps=[("review", "evm_wang"), ("approve", "mayor_li")]).steps
    (('review', 'evm_wang'), ('approve', 'mayor_li'))
    """

    topic: str
    funding: bool = False
    staffing: bool = False
    cross_portfolio: bool = False
    within_remit: bool = False
    coordinated: bool | None = None
    consulted: bool | None = None
    leader_agreed: bool | None = None
    legality_reviewed: bool | None = None
    steps: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.topic, str) or not self.topic:
            raise InvalidArgument(f"`topic`: expected a non-empty string, got `{self.topic!r}`")
        object.__setattr__(self, "steps", _agenda_steps(self.steps))
        for flag in v.AGENDA_FLAGS:
            _args.flag(flag, getattr(self, flag))
        for key in v.AGENDA_TRISTATE:
            if getattr(self, key) is not None:
                _args.flag(key, getattr(self, key))

    def fact(self, meeting: str, index: int) -> dict[str, str | bool]:
        return {
            "type": "agenda_item",
            "subject": f"{index}:{self.topic}",
            "meeting": meeting,
            **{flag: getattr(self, flag) for flag in v.AGENDA_FLAGS},
            **{key: tristate(getattr(self, key)) for key in v.AGENDA_TRISTATE},
        }


def _agenda_steps(value: Any) -> tuple[tuple[str, str], ...]:
    """``steps`` as ``(action, person id)`` pairs, each checked."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidArgument(f"`steps`: expected a list of `(action, person id)` pairs, got `{value!r}`")
    found = []
    for step in value:
        if isinstance(step, str) or not isinstance(step, Iterable) or len(pair := tuple(step)) != 2:
            raise InvalidArgument(f"`steps`: expected an `(action, person id)` pair, got `{step!r}`")
        action = _args.choice("steps", pair[0], v.AGENDA_ACTIONS)
        assert action is not None
        found.append((action, _args.person_id("steps", pair[1])))
    return tuple(found)
