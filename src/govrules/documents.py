"""The document a question is asked about (design.md §3–4)."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, dataclass, fields
from itertools import compress
from operator import attrgetter, is_not
from typing import Any

from govrules import _args
from govrules import vocabulary as v
from govrules.errors import InvalidArgument


class _Given:
    """A slot outside the dataclass fields (so not in equality, hash, repr or pickles): the positions,
    in :data:`_NAMES`, of the attributes a document was given other than its defaults, set by the
    constructor so that :meth:`Document.describe` need not compare every attribute."""

    __slots__ = ("_given",)
    _given: list[int]


_set_given = vars(_Given)["_given"].__set__  # the slot's own setter (the dataclass is frozen)


@dataclass(frozen=True, slots=True, kw_only=True)
class Document(_Given):
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

    def __init__(self, kind: str, **attributes: Any) -> None:  # positional `kind`, the rest keyword-only
        # replaced below by `_fast_init`, which behaves the same (this is its slow path, and the reference)
        _init(self, kind, attributes)

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
            **{flag: getattr(self, flag) for flag in v.FLAGS},
            **{key: tristate(getattr(self, key)) for key in v.TRISTATE},
        }

    def describe(self) -> str:
        """A short English description, for messages."""
        parts = [f"kind=`{self.kind}`", f"issuer=`{self.issuer}`"]
        try:
            positions: Iterable[int] = sorted(self._given)  # what the constructor was given
        except AttributeError:  # made another way (unpickled, copied): look at every attribute
            positions = compress(_POSITIONS, map(is_not, _DESCRIBED(self), _DEFAULT_VALUES))
        for i in positions:
            name = _NAMES[i]
            value = getattr(self, name)
            if value != _DEFAULT_VALUES[i]:  # given, but equal to the default
                parts.append(f"{name}=`{value}`" if not isinstance(value, tuple) else f"{name}={list(value)}")
        return "a document with " + ", ".join(parts)


def tristate(value: bool | None) -> str:
    """A fact that may be unknown, as the engine sees it (it equates `true` with 1 and `"true"`)."""
    return "unknown" if value is None else ("yes" if value else "no")


_DEFAULTS = tuple((f.name, f.default) for f in fields(Document) if f.name not in ("kind", "issuer"))
_NAMES = tuple(name for name, _default in _DEFAULTS)
_DEFAULT_VALUES = tuple(default for _name, default in _DEFAULTS)
_DESCRIBED = attrgetter(*_NAMES)
_POSITIONS = range(len(_NAMES))


def _choice(name: str, allowed: Mapping[str, Any], *, optional: bool = False) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, str) and value in allowed:  # the common case, without sorting the vocabulary
            return value
        return _args.choice(name, value, allowed, optional=optional)

    return check


def _flag(name: str, *, unknown: bool = False) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value is True or value is False or (unknown and value is None):
            return value
        return _args.flag(name, value)

    return check


def _portfolios(value: Any) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFC", p) for p in _args.ids("portfolios", value))


def _authorised(value: Any) -> tuple[str, ...]:
    return _args.ids("authorised", value)


def _chaired_by(value: Any) -> Any:
    if value is not None and (not isinstance(value, str) or not value):
        raise InvalidArgument(f"`chaired_by`: expected a role id, got `{value!r}`")
    return value


def _matters(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgument(f"`matters`: expected a whole number of at least 1, got `{value!r}`")
    return value


def _sender(value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise InvalidArgument(f"`sender`: expected a string, got `{value!r}`")
    return value


#: Each attribute's check, in the order they run (the first problem is the one reported). A check
#: sees its own attribute only: documents are built checking just the attributes given, so a rule
#: that relates two attributes must not live here.
_CHECKS: dict[str, Callable[[Any], Any]] = {
    "kind": _choice("kind", v.KINDS),
    "issuer": _choice("issuer", v.ISSUERS),
    "recipient": _choice("recipient", v.RECIPIENTS, optional=True),
    "urgency": _choice("urgency", v.URGENCIES),
    "decided_at": _choice("decided_at", v.MEETINGS, optional=True),
    "meeting": _choice("meeting", v.MEETINGS, optional=True),
    "portfolios": _portfolios,
    "authorised": _authorised,
    **{flag: _flag(flag) for flag in v.FLAGS},
    **{key: _flag(key, unknown=True) for key in v.TRISTATE},
    "sender_kind": _choice("sender_kind", v.SENDER_KINDS, optional=True),
    "chaired_by": _chaired_by,
    "matters": _matters,
    "sender": _sender,
}


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    """Every attribute checked (and normalised), in :data:`_CHECKS` order."""
    out = dict(values)
    for name, check in _CHECKS.items():
        out[name] = check(values[name])
    return out


_KNOWN = frozenset(f.name for f in fields(Document))


def _init(self: Document, kind: Any, attributes: Mapping[str, Any]) -> None:
    """The reference construction: unknown names first, then every attribute checked."""
    for name in attributes:
        if name not in _KNOWN:
            hint = _args.did_you_mean(name, _KNOWN) or ""
            raise InvalidArgument(f"`Document` has no attribute `{name}`; {hint}".rstrip("; "))
    values: dict[str, Any] = {f.name: f.default for f in fields(Document) if f.name != "kind"}
    values.update(attributes)
    values["kind"] = kind
    for name, value in _checked(values).items():
        object.__setattr__(self, name, value)


def _set_named(name: str, self: Document, value: Any) -> None:
    object.__setattr__(self, name, value)


def _fast_init() -> Callable[..., None]:
    """``Document.__init__`` written out for the fields there are: an attribute left at its default
    is not checked again (defaults are valid), the others are checked in :data:`_CHECKS` order, so
    errors and values are those of :func:`_init`, about four times faster."""
    names = [f.name for f in fields(Document)]
    if any(f.default is MISSING and f.name != "kind" for f in fields(Document)):  # pragma: no cover
        return lambda self, kind, **attributes: _init(self, kind, attributes)
    namespace: dict[str, Any] = {"_init": _init, "_set": object.__setattr__}
    params, checks, sets = [], [], []
    for f in fields(Document):
        if f.name == "kind":
            continue
        namespace[f"_d_{f.name}"] = f.default
        params.append(f"{f.name}=_d_{f.name}")
    position = {name: i for i, name in enumerate(_NAMES)}
    checks.append("    given = []")
    for name, check in _CHECKS.items():
        namespace[f"_c_{name}"] = check
        if name == "kind":
            checks.append("    kind = _c_kind(kind)")
        elif name in names:
            record = f"\n        given.append({position[name]})" if name in position else ""
            checks.append(f"    if {name} is not _d_{name}:\n        {name} = _c_{name}({name}){record}")
    for name in _NAMES:  # attributes without a check (none today) are still described
        if name not in _CHECKS:
            checks.append(f"    if {name} is not _d_{name}:\n        given.append({position[name]})")
    for name in names:  # a slot's own setter skips the lookup (and the frozen check) `object.__setattr__` does
        slot = Document.__dict__.get(name)
        setter = getattr(slot, "__set__", None)
        namespace[f"_s_{name}"] = setter or functools.partial(_set_named, name)
    sets = [f"    _s_{name}(self, {name})" for name in names]
    sets.append("    _set_given(self, given)")
    namespace["_set_given"] = _set_given
    given = ", ".join(f"{name!r}: {name}" for name in names if name != "kind")
    source = "\n".join(
        [
            f"def __init__(self, kind, *, {', '.join(params)}, **_unknown):",
            "    if _unknown:",
            f"        return _init(self, kind, {{**{{{given}}}, **_unknown}})",
            *checks,
            *sets,
        ]
    )
    exec(compile(source, "<govrules.Document.__init__>", "exec"), namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__doc__ = Document.__init__.__doc__
    init.__qualname__ = "Document.__init__"
    return init


setattr(Document, "__init__", _fast_init())  # noqa: B010 - mypy keeps the declared signature


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """An item proposed for a meeting's agenda (议题).

    ``coordinated``, ``consulted`` and ``leader_agreed`` are unknown (None) unless stated: a rule
    against uncoordinated items applies only to an item stated not to be coordinated.
    """

    topic: str
    funding: bool = False
    staffing: bool = False
    cross_portfolio: bool = False
    within_remit: bool = False
    coordinated: bool | None = None
    consulted: bool | None = None
    leader_agreed: bool | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.topic, str) or not self.topic:
            raise InvalidArgument(f"`topic`: expected a non-empty string, got `{self.topic!r}`")
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
