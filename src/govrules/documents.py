"""The document a question is asked about (design.md §3–4)."""

from __future__ import annotations

import functools
import unicodedata
import warnings
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
            "classification": self.classification or ("unknown" if self.classified else "none"),
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


def _chaired_by_person(value: Any) -> Any:
    if value is not None:
        _args.person_id("chaired_by_person", value)
    return value


def _classified(out: dict[str, Any], given: Iterable[str]) -> None:
    """`classified` follows from a `classification`; a bare `classified=True` is deprecated."""
    level = out["classification"]
    if level is not None:
        if "classified" in given and out["classified"] is False:
            raise InvalidArgument(
                f"`classified`: `False` contradicts `classification={level!r}`; leave `classified` out, "
                "it follows from the level"
            )
        out["classified"] = True
    elif out["classified"] and "classified" in given:
        warnings.warn(
            "`classified=True` without a level is deprecated: pass `classification=` `confidential` (秘密), "
            "`secret` (机密) or `top_secret` (绝密); a check whose answer depends on the level cannot be answered",
            DeprecationWarning,
            stacklevel=5,  # _classified, _checked, _init, Document.__init__, the caller
        )


def _sender(value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise InvalidArgument(f"`sender`: expected a string, got `{value!r}`")
    return value


#: Each attribute's check, in the order they run (the first problem is the one reported). A check
#: sees its own attribute only: documents are built checking just the attributes given. A rule that
#: relates attributes goes in :data:`_RELATIONS`, which documents giving any of them go through.
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
    "classification": _choice("classification", v.CLASSIFICATIONS, optional=True),
    "chaired_by": _chaired_by,
    "chaired_by_person": _chaired_by_person,
    "matters": _matters,
    "sender": _sender,
}

#: Rules relating attributes: each runs right after the check it is listed under, with the names of
#: the attributes the caller gave, and may change or refuse them.
_RELATIONS: dict[str, tuple[frozenset[str], Callable[[dict[str, Any], Iterable[str]], None]]] = {
    "classification": (frozenset({"classification", "classified"}), _classified),
}
_RELATED = frozenset(name for names, _relate in _RELATIONS.values() for name in names)


def _checked(values: dict[str, Any], given: Iterable[str] = ()) -> dict[str, Any]:
    """Every attribute checked (and normalised), in :data:`_CHECKS` order, with the relations."""
    given = frozenset(given)
    out = dict(values)
    for name, check in _CHECKS.items():
        out[name] = check(values[name])
        relation = _RELATIONS.get(name)
        if relation is not None:
            relation[1](out, given)
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
    for name, value in _checked(values, attributes).items():
        object.__setattr__(self, name, value)
    _set_given(self, [i for i, name in enumerate(_NAMES) if name in attributes])


def _set_named(name: str, self: Document, value: Any) -> None:
    object.__setattr__(self, name, value)


_UNSET: Any = object()  # the generated constructor's default: it tells "not given" from "given the default"


def _fast_init() -> Callable[..., None]:
    """``Document.__init__`` written out for the fields there are: an attribute not given takes its
    default unchecked (defaults are valid), the others are checked in :data:`_CHECKS` order, so
    errors and values are those of :func:`_init`, about four times faster. Unknown names, and the
    attributes a relation reads (:data:`_RELATIONS`), go through :func:`_init` itself."""
    names = [f.name for f in fields(Document)]
    if any(f.default is MISSING and f.name != "kind" for f in fields(Document)):  # pragma: no cover
        return lambda self, kind, **attributes: _init(self, kind, attributes)
    namespace: dict[str, Any] = {"_init": _init, "_U": _UNSET, "_set_given": _set_given}
    params, checks = [], []
    for f in fields(Document):
        if f.name != "kind":
            namespace[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_U")
    position = {name: i for i, name in enumerate(_NAMES)}
    given = ", ".join(f"({name!r}, {name})" for name in names if name != "kind")
    slow = f"        return _init(self, kind, {{k: x for k, x in ({given},) if x is not _U}} | _unknown)"
    related = " or ".join(f"{name} is not _U" for name in sorted(_RELATED) if name in names) or "False"
    checks += ["    if _unknown or " + related + ":", slow, "    given = []"]
    for name, check in _CHECKS.items():
        namespace[f"_c_{name}"] = check
        if name == "kind":
            checks.append("    kind = _c_kind(kind)")
        elif name in names:
            record = f"\n        given.append({position[name]})" if name in position else ""
            checks.append(
                f"    if {name} is _U:\n        {name} = _d_{name}\n"
                f"    else:\n        {name} = _c_{name}({name}){record}"
            )
    for name in names:  # attributes without a check (none today) are still defaulted and described
        if name != "kind" and name not in _CHECKS:
            checks.append(
                f"    if {name} is _U:\n        {name} = _d_{name}\n    else:\n        given.append({position[name]})"
            )
    for name in names:  # a slot's own setter skips the lookup (and the frozen check) `object.__setattr__` does
        slot = Document.__dict__.get(name)
        setter = getattr(slot, "__set__", None)
        namespace[f"_s_{name}"] = setter or functools.partial(_set_named, name)
    sets = [f"    _s_{name}(self, {name})" for name in names]
    sets.append("    _set_given(self, given)")
    source = "\n".join([f"def __init__(self, kind, *, {', '.join(params)}, **_unknown):", *checks, *sets])
    exec(compile(source, "<govrules.Document.__init__>", "exec"), namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__doc__ = Document.__init__.__doc__
    init.__qualname__ = "Document.__init__"
    return init


setattr(Document, "__init__", _fast_init())  # noqa: B010 - mypy keeps the declared signature


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
