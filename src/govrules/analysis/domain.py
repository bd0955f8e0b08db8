"""The finite domains the analysis walks: the signing domain (documents, as far as any rule can tell
them apart), the seals, the deadline selections, the meeting kinds, and a synthetic roster that lets
every substitution and absence rule be asked.

The signing domain is derived as :func:`govrules.families.signing.attribute_domains` derives it for
the lint: each attribute a condition mentions takes the values conditions name plus one that none
names. :func:`points` branches on an attribute only while a rule still depends on it, so every point
is a whole class of documents that every rule treats alike (an attribute a point leaves out does not
matter to any rule); :func:`document` is one document of that class. Answers come from the live
:meth:`Profile.sign <govrules.Profile.sign>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from govrules import vocabulary as v
from govrules.families.signing import Signing, SigningRule, attribute_domains

if TYPE_CHECKING:
    from govrules.documents import Document
    from govrules.profile import Profile
    from govrules.roster import Roster

#: An attribute a point leaves open: no rule looks at it there.
ANY = "*"

Terms = Mapping[str, "tuple[str, ...] | bool"]


def _status(terms: Terms, point: Mapping[str, Any]) -> bool | None:
    """True when ``point`` meets every term, False when it fails one, None while a term is open."""
    open_ = False
    for key, wanted in terms.items():
        if key not in point:
            open_ = True
        elif (point[key] is not wanted) if isinstance(wanted, bool) else (point[key] not in wanted):
            return False
    return None if open_ else True


def points(rules: Sequence[SigningRule]) -> list[dict[str, Any]]:
    """Every class of documents ``rules`` tell apart, as a mapping of the attributes that matter.

    Examples
    --------
    >>> import govrules
    >>> from govrules.families.signing import Signing
    >>> gov = govrules.load(govrules.profiles()[0])
    >>> found = points(gov.family(Signing).rules)
    >>> len(found) > 10 and len({tuple(sorted(p.items(), key=str)) for p in found}) == len(found)
    True
    """
    domains = attribute_domains(rules)
    conditions = [[c.terms() for c in rule.when] for rule in rules]
    found: list[dict[str, Any]] = []

    def visit(point: dict[str, Any]) -> None:
        keys: list[str] = []
        for conds in conditions:
            states = [_status(c, point) for c in conds]
            if True in states:
                continue
            keys += [k for c, s in zip(conds, states, strict=True) if s is None for k in c if k not in point]
        if not keys:
            found.append(point)
            return
        key = min(keys, key=lambda k: (-keys.count(k), k))
        for value in domains[key]:
            visit({**point, key: value})

    visit({})
    return found


def signing_points(*profiles: Profile) -> list[dict[str, Any]]:
    """The points of the signing rules of ``profiles`` together (to compare them on the same questions)."""
    return points([rule for p in profiles for rule in p.family(Signing).rules])


_COUNTS: Mapping[str, Mapping[str, Any]] = {
    "portfolios": {"none": (), "one": ("p1",), "several": ("p1", "p2")},
    "matters": {"one": 1, "several": 2},
}


def document(point: Mapping[str, Any], *, portfolios: Sequence[str] | None = None) -> Document:
    """One document of the class ``point`` describes (``portfolios`` names the portfolios it touches)."""
    from govrules.documents import Document

    attrs: dict[str, Any] = {}
    for key, value in point.items():
        if key in _COUNTS:
            attrs[key] = _COUNTS[key][value]
        elif value == "none":
            attrs[key] = None
        elif value != ANY:
            attrs[key] = value
    if portfolios is not None:
        attrs["portfolios"] = tuple(portfolios)
    return Document(attrs.pop("kind", "notice"), **attrs)


def point_id(point: Mapping[str, Any]) -> str:
    """A stable, readable id of a signing point: ``signing[kind=request,recipient=provincial_government]``."""
    return "signing[" + ",".join(f"{k}={_text(point[k])}" for k in sorted(point)) + "]"


def _text(value: Any) -> str:
    return "unknown" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def describe_point(point: Mapping[str, Any], lang: str = "zh") -> str:
    """A point in words: the kind first, then each attribute that matters."""
    zh = lang == "zh"
    parts = []
    for key in sorted(point, key=lambda k: (k != "kind", k)):
        value = point[key]
        if key == "kind":
            parts.append(v.KINDS[value][0] if zh else v.KINDS[value][1])
        elif isinstance(value, bool) or value is None:
            label = (v.FLAGS.get(key) or v.TRISTATE.get(key) or (key, key))[0 if zh else 1]
            word = {True: "是", False: "否", None: "未知"}[value] if zh else _text(value)
            parts.append(f"{label}：{word}" if zh else f"{label}: {word}")
        else:
            parts.append(f"{key}={value}")
    return ("；" if zh else "; ").join(parts)


def effective(*profiles: Profile) -> dt.date:
    """A day on which every one of ``profiles`` is in force."""
    return max(p.effective for p in profiles)


# -- a synthetic roster: one person per office, and a partner where a rule pairs people -----------------

VICE = "vice_mayor_2"


def roster(*, partners: Iterable[tuple[str, str]] = (), portfolios: bool = True) -> Roster:
    """One person per office (id = office id), a second vice mayor, and ``partners`` as AB pairs.

    The vice mayor leads portfolio ``p1``, the second vice mayor ``p2``, the executive vice mayor
    ``p3``; the deputy secretary-general serves the vice mayor (对口).
    """
    from govrules.roster import Person, Roster

    pairs = dict(partners)
    pairs.update({b: a for a, b in list(pairs.items())})
    lead = {"vice_mayor": ("p1",), VICE: ("p2",), "executive_vice_mayor": ("p3",)} if portfolios else {}
    people = [
        Person(
            pid,
            "vice_mayor" if pid == VICE else pid,
            portfolios=lead.get(pid, ()),
            ab_partner=pairs.get(pid),
            counterpart="vice_mayor" if pid == "deputy_secretary_general" else None,
        )
        for pid in (*v.OFFICES, VICE)
    ]
    return Roster(people)


def partner_of(office: str) -> str:
    """The synthetic AB partner of the holder of ``office``: the second vice mayor for a vice mayor,
    the deputy for a secretary-general, else the executive vice mayor (or the vice mayor for them)."""
    return {
        "vice_mayor": VICE,
        "secretary_general": "deputy_secretary_general",
        "executive_vice_mayor": "vice_mayor",
    }.get(office, "executive_vice_mayor")
