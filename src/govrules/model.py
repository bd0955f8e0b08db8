"""The typed shape of a profile (pydantic v2, frozen, unknown keys forbidden).

This layer checks shape only: types, required keys, closed literals. Whether ids refer to
something that exists is the job of :mod:`govrules.validate`, which reports in profile terms.

Only the shapes every family shares live here (the profile's metadata, roles, citations, document
conditions); each rule family declares its own entries in its module under
:mod:`govrules.families`, and :data:`ProfileSpec` is assembled from the family registry.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, field_validator, model_validator

from govrules import inputs
from govrules import vocabulary as v

# Dates come from YAML as ISO strings (the loader resolves no timestamps) and are parsed by the one
# date parser (YYYY-MM-DD only); every other scalar must already have its type (no "52" for 52).
IsoDate = inputs.IsoDate
Ids = tuple[StrictStr, ...]
OneOrMany = StrictStr | list[StrictStr]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)  # built at first use: at load, not import


#: Chinese characters and full-width punctuation: YAML folds a line break between two of them into a
#: space, which Chinese does not write.
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u201c\u201d"
_FOLDED = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")


def unfold(text: str) -> str:
    """Chinese text without the spaces YAML folding puts between two characters at a line break.

    Examples
    --------
    >>> unfold("本规则将“审签”按市长最终 签发处理。 原文未明确")
    '本规则将“审签”按市长最终签发处理。原文未明确'
    >>> unfold("按 `important` 标记处理")
    '按 `important` 标记处理'
    """
    return _FOLDED.sub("", text)


class Reading(_Frozen):
    """How a profile reads an ambiguous text, in Chinese (``zh``) and English (``en``); one may be missing.

    A folded line break inside the Chinese is not a space (:func:`unfold`): long readings wrap freely.
    """

    zh: StrictStr | None = None
    en: StrictStr | None = None

    @field_validator("zh")
    @classmethod
    def _unfolded(cls, value: str | None) -> str | None:
        return None if value is None else unfold(value)

    @model_validator(mode="after")
    def _one_at_least(self) -> Reading:
        if self.zh is None and self.en is None:
            raise ValueError("a reading gives `zh`, `en` or both")
        return self


def reading_of(text: str) -> Reading:
    """A reading written as one string declares its language by its script: mostly Chinese → ``zh``."""
    letters = [ch for ch in text if ch.isalpha()]
    cjk = sum(1 for ch in letters if "\u3400" <= ch <= "\u9fff")
    return Reading(zh=text) if letters and cjk * 2 > len(letters) else Reading(en=text)


class Citation(_Frozen):
    """Where a rule comes from: the article, the item, verbatim operative words, and any reading.

    ``when`` names the alternatives of the rule's ``when`` conditions (by index, from 0) that the
    clause is about: an answer cites it only when one of them applied. ``supports`` names the fields
    of an answer it supports (``quorum``, ``signers``, …; each family has its closed list): an answer
    to a narrower question (a quorum, not the whole meeting) cites only the clauses for that field.
    Unset, the clause is about every alternative and supports the whole answer.
    """

    article: StrictInt = Field(ge=1)
    item: StrictInt | None = Field(default=None, ge=1)
    quote: StrictStr
    interpretation: StrictStr | Reading | None = None
    when: tuple[Annotated[StrictInt, Field(ge=0)], ...] | None = Field(default=None, min_length=1)
    supports: tuple[StrictStr, ...] = ()

    @field_validator("when", "supports", mode="before")
    @classmethod
    def _one_or_list(cls, value: Any) -> Any:
        """``when: 1`` reads as ``when: [1]``, ``supports: quorum`` as ``supports: [quorum]``."""
        return [value] if isinstance(value, (int, str)) and not isinstance(value, bool) else value

    def reading(self) -> Reading | None:
        """The reading in both languages (a plain string in the language of its script)."""
        found = self.interpretation
        return reading_of(found) if isinstance(found, str) else found

    def fits(self, fired: Collection[int] | None) -> bool:
        """Whether the clause is about one of the ``fired`` alternatives (any, when ``fired`` is None).

        Examples
        --------
        >>> cite = Citation(article=31, item=2, quote="向市人大及其常委会提出的议案", when=[1])
        >>> cite.fits({1}), cite.fits({0}), cite.fits(None)
        (True, False, True)
        """
        return self.when is None or fired is None or not set(self.when).isdisjoint(fired)


class RuleEntry(_Frozen):
    """What every family's entries have: a stable dotted id and the citations it rests on."""

    id: StrictStr
    basis: tuple[Citation, ...] = ()

    def alternatives(self) -> int:
        """How many alternatives the rule's conditions have (engine rules ``<id>#0`` … ``<id>#n-1``);
        a citation's ``when`` indexes them."""
        return 1


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
    """A role the profile names: its wording, and how a roster staffs it on a day.

    ``office``: a post a person holds (only the shared vocabulary's offices can be held in a
    roster). ``relational``: who fills it depends on the document or the absent official; a role
    the profile adds says which shared relational role it narrows (``relation``) and, with
    ``offices``, to holders of which offices (分管副市长: the leader in charge, when a vice mayor).
    ``offices`` on a shared relational role narrows or widens it the same way (对口副秘书长（市政府办公室
    副主任）). ``body``: an organ (市政府办公厅, 市委), never a person; answers say so.
    """

    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: StrictStr
    kind: Literal["office", "relational", "body"] = "office"
    relation: StrictStr | None = None
    offices: Ids = ()


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
    classification: OneOrMany | None = None
    major_emergency: StrictBool | None = None
    foreign_affairs: StrictBool | None = None
    involves_other_departments: StrictBool | None = None
    within_department_remit: StrictBool | None = None
    informal_form: StrictBool | None = None
    directive: StrictBool | None = None
    invitation: StrictBool | None = None
    countersigned: StrictBool | None = None
    signed_by_head: StrictBool | None = None
    legality_reviewed: StrictBool | None = None
    fair_competition_reviewed: StrictBool | None = None
    justice_bureau_reviewed: StrictBool | None = None
    departments_agreed: StrictBool | None = None
    government_approved: StrictBool | None = None

    @model_validator(mode="before")
    @classmethod
    def _expand_except(cls, data: Any) -> Any:
        """``{except: [...]}`` means every value of the key's vocabulary but those listed."""
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for key, value in data.items():
            if isinstance(value, dict) and "except" in value:
                if key not in v.CONDITION_VALUES:
                    raise ValueError(f"`except` is not available for `{key}`: its values are not a closed vocabulary")
                out[key] = expand_except(key, value)
        return out

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


def expand_except(key: str, value: dict[str, Any]) -> list[str]:
    """The values of ``key``'s vocabulary other than those ``value["except"]`` lists (in order).

    Values the vocabulary does not have are left for the semantic check, which reports each at its
    own line and column with a suggestion (:func:`govrules.families.signing.check_condition`).
    """
    domain = v.CONDITION_VALUES[key]
    if set(value) != {"except"}:
        extra = ", ".join(f"`{k}`" for k in value if k != "except")
        raise ValueError(f"`{key}`: a mapping value takes only `except`, not {extra}")
    excluded = value["except"]
    if isinstance(excluded, str):
        excluded = [excluded]
    if not isinstance(excluded, list) or not all(isinstance(x, str) for x in excluded) or not excluded:
        raise ValueError(f"`{key}`: `except` takes a value or a non-empty list of values")
    return [x for x in domain if x not in excluded]


def one_or_many(value: Any) -> Any:
    """A single mapping where a list of them is expected reads as a list of one."""
    return [value] if isinstance(value, dict) else value


class ProfileSpec(_Frozen):
    """A whole profile as written in YAML: metadata, roles, and one section per rule family.

    This base declares what every profile has; the assembled model (with a field per registered
    family) is ``govrules.families.ProfileSpec``.
    """

    profile: Meta
    roles: tuple[RoleDecl, ...] = ()


def __getattr__(name: str) -> Any:
    # family entry models moved to their family modules; keep the old import paths working
    from govrules import families

    if name in families.MOVED:
        return families.MOVED[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: The base of every profile shape: frozen, unknown keys rejected.
Frozen = _Frozen
