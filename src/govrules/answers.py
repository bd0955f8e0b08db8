"""What every answer shares: the :class:`Citation` value, the reader's language, and how role ids
read in Chinese and English. Each family's answer values live in its module under
:mod:`govrules.families` and are re-exported here and from :mod:`govrules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Lang = Literal["zh", "en"]


@dataclass(frozen=True, slots=True)
class Citation:
    """An article of a profile's source: number, item, verbatim operative words and any reading taken.

    ``interpretation`` is the reading in English (in Chinese where the profile gives only Chinese);
    ``interpretation_zh`` the reading in Chinese. :meth:`reading` picks the reader's language.
    """

    profile: str
    article: int
    item: int | None
    quote: str
    interpretation: str | None = None
    interpretation_zh: str | None = None

    def reading(self, lang: Lang = "zh") -> str | None:
        """The reading in ``lang``; where the profile gives only the other language, that text,
        marked as such (〔英文〕 / [in Chinese]) so a reader sees the fallback."""
        zh, en = self.interpretation_zh, self.interpretation if self.interpretation != self.interpretation_zh else None
        if check_lang(lang) == "zh":
            return zh if zh else (f"〔英文〕{en}" if en else None)
        return en if en else (f"[in Chinese] {zh}" if zh else None)

    def label(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            where = f"第{self.article}条" + (f"第（{self.item}）项" if self.item else "")
            return f"{where}“{self.quote}”"
        where = f"article {self.article}" + (f"({self.item})" if self.item else "")
        return f"{where}: “{self.quote}”"


def check_lang(lang: object) -> Lang:
    """``lang`` if it is ``zh`` or ``en``; :class:`InvalidArgument` otherwise."""
    if lang not in ("zh", "en"):
        from govrules.errors import InvalidArgument

        raise InvalidArgument(f"`lang`: `{lang!r}` is not allowed; expected `zh` or `en`")
    return "zh" if lang == "zh" else "en"


def english(role: str, default: str | None = None) -> str:
    """The vocabulary's English gloss of a role id (the id, spaced, for a profile's own roles)."""
    from govrules import vocabulary as v

    for table in (v.OFFICES, v.RELATIONAL_ROLES):
        if role in table:
            return table[role][1]
    return role.replace("_", " ")


def role_name(role: str, lang: Lang, labels: Mapping[str, str] | None = None) -> str:
    """A role's name for the reader: in Chinese the profile's own wording (``labels``, else the
    vocabulary's), in English the vocabulary's gloss.

    Examples
    --------
    >>> role_name("leader_in_charge", "zh", {"leader_in_charge": "市政府分管负责同志"})
    '市政府分管负责同志'
    >>> role_name("leader_in_charge", "en", {"leader_in_charge": "市政府分管负责同志"})
    'leader in charge'
    """
    if check_lang(lang) == "en":
        return english(role)
    from govrules import vocabulary as v

    found = (labels or {}).get(role)
    if found:
        return found
    for table in (v.OFFICES, v.RELATIONAL_ROLES):
        if role in table:
            return table[role][0]
    return role


def basis_lines(basis: Iterable[Citation], lang: Lang, indent: str = "  ") -> list[str]:
    """The citations of an answer as lines of text, each with its reading in ``lang``.

    Examples
    --------
    >>> cite = Citation("x", 3, None, "由市长签发", "The mayor signs.", "由市长签发。")
    >>> basis_lines([cite], "en")
    ['  basis: article 3: “由市长签发”', '    reading: The mayor signs.']
    """
    zh = check_lang(lang) == "zh"
    lines: list[str] = []
    for cite in basis:
        lines.append(indent + ("依据：" if zh else "basis: ") + cite.label(lang))
        reading = cite.reading(lang)
        if reading:
            lines.append(indent + ("  解读：" if zh else "  reading: ") + reading)
    return lines


def basis_dicts(basis: Iterable[Citation]) -> list[dict[str, object]]:
    """Citations as plain data (for JSON)."""
    return [
        {
            "article": c.article,
            "item": c.item,
            "quote": c.quote,
            "interpretation": c.interpretation,
            "interpretation_zh": c.interpretation_zh,
        }
        for c in basis
    ]


def __getattr__(name: str) -> Any:
    # answer values live with their families; `govrules.answers.Route` etc. keep working
    from govrules import families

    if name in families.ANSWERS:
        return families.ANSWERS[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
