"""What every answer shares: the :class:`Answer` base (one serialisation and one display for every
answer value), the small :class:`FrozenMap`, the :class:`Citation` value, the reader's language,
and how role ids read in Chinese and English. Each family's answer values live in its module under
:mod:`govrules.families` and are re-exported here and from :mod:`govrules`.

An answer type is a frozen, slotted dataclass that inherits :class:`Answer`; it then is hashable and
picklable, has ``as_dict()`` (JSON-serialisable), ``from_dict()`` (its inverse) and ``_repr_html_``
(for notebooks), all derived from its field annotations:

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True, slots=True)
... class Approval(Answer):
...     approvers: tuple[Role, ...]
...     informed: Mapping[str, str] = FrozenMap()
>>> a = Approval(("mayor",), {"secretary_general": "leave"})
>>> a.as_dict()
{'approvers': ['mayor'], 'informed': {'secretary_general': 'leave'}}
>>> Approval.from_dict(a.as_dict()) == a and hash(Approval.from_dict(a.as_dict())) == hash(a)
True
>>> "市长" in a._repr_html_() and "<code>mayor</code>" in a._repr_html_()
True

Role ids are annotated ``Role`` (displayed in the profile's wording when the answer has ``labels``,
else in the shared vocabulary's Chinese, with the id beside it); closed-vocabulary values are
annotated ``Annotated[str, Term("MEETINGS")]`` and shown with their Chinese label.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, TypeVar

Lang = Literal["zh", "en"]

K = TypeVar("K")
V = TypeVar("V")
A = TypeVar("A", bound="Answer")


class FrozenMap(Mapping[K, V]):
    """An immutable mapping that hashes, compares equal to any mapping with the same items, and pickles.

    >>> m = FrozenMap({"a": "b"})
    >>> m == {"a": "b"}, hash(m) == hash(FrozenMap([("a", "b")]))
    (True, True)
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(items)
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return (FrozenMap, (self._data,))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


@dataclass(frozen=True, slots=True)
class Term:
    """Marks a field whose values are ids of a closed vocabulary table (``govrules.vocabulary.<table>``)."""

    table: str


class _RoleMark:
    def __repr__(self) -> str:
        return "ROLE"


#: A role id (an office or a relational role, shared or the profile's own).
Role = Annotated[str, _RoleMark()]

#: Field names in Chinese, for display (a field not listed shows its name only).
FIELD_ZH: Mapping[str, str] = {
    "profile": "规则",
    "question": "问题",
    "steps": "流程",
    "signers": "签发人",
    "reviewers": "审核人",
    "persons": "当日签发人",
    "acting_for": "代行",
    "unresolved": "无法确定",
    "action": "环节",
    "roles": "角色",
    "mode": "方式",
    "meeting": "会议",
    "delegable_to": "可授权",
    "authorised_by": "授权人",
    "principal": "本人",
    "duty": "职责",
    "person": "履职人",
    "chain": "代行链",
    "candidates": "候选人",
    "kind": "类别",
    "start": "起算",
    "due": "截止",
    "unit": "单位",
    "amount": "时限",
    "direction": "方向",
    "starts": "起算事项",
    "on_expiry": "逾期后果",
    "in_principle": "原则上",
    "provisional": "暂定",
    "assumed": "假定日期",
    "state": "状态",
    "consequence": "后果",
    "members": "组成人员",
    "attendees": "列席",
    "convener": "召集人",
    "chair": "主持人",
    "chair_delegates": "可委托主持",
    "frequency": "频次",
    "quorum": "法定人数",
    "leave_approver": "请假审批",
    "leave_approvers": "请假审批（分类）",
    "substitutes_allowed": "可否代会",
    "agenda_proposed_by": "议题提出",
    "agenda_approved_by": "议题确定",
    "minutes": "会议纪要签发",
    "who": "人员",
    "role": "角色",
    "as_needed": "根据需要",
    "per": "周期",
    "times": "次数",
    "fraction": "比例",
    "strictly_more": "须超过",
    "quorate": "达到法定人数",
    "needed": "所需人数",
    "expected": "应到",
    "present": "实到",
    "missing_members": "缺席成员",
    "non_members": "非成员",
    "chair_valid": "主持人适格",
    "leave": "请假审批",
    "violations": "违规",
    "code": "代码",
    "severity": "严重程度",
    "message": "说明",
    "rule": "规则条目",
    "subjects": "涉及",
    "article": "条",
    "item": "项",
    "quote": "原文",
    "interpretation": "解读（英文）",
    "interpretation_zh": "解读",
    "chairs": "召集和主持",
    "when": "条件",
    "entrusted_by": "委托人",
    "convenes": "召集",
    "open": "开放列举",
    "approver": "审批人",
    "chaired_by": "主持人为",
    "everyone": "全体参会人员",
    "regular": "定期",
    "agenda": "议题程序",
    "chair_reason": "主持人适格理由",
    "missing_attendees": "缺席列席人员",
    "leave_not_covered": "请假未作规定",
}


class Answer:
    """Base of every answer value: ``as_dict``, ``from_dict``, ``_repr_html_``, from the field annotations.

    A subclass is a ``@dataclass(frozen=True, slots=True)``. Conventions the shared code follows:
    a mapping field is stored as a :class:`FrozenMap` (whatever mapping is given); a field named
    ``labels`` holds the profile's wording of role ids (display only: not compared, and ``as_dict``
    keeps the roles the answer names); ``basis`` (citations) comes last in ``as_dict``; names in
    ``derived`` are read-only properties added to ``as_dict`` (and ignored by ``from_dict``).
    A subclass that defines ``__post_init__`` calls ``Answer.__post_init__(self)`` first.
    """

    __slots__ = ()

    #: properties that ``as_dict`` adds after the fields (computed, so ``from_dict`` ignores them)
    derived: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        for name in _shape(type(self)).mappings:
            value = getattr(self, name)
            if type(value) is not FrozenMap:
                object.__setattr__(self, name, FrozenMap(value))

    def as_dict(self) -> dict[str, Any]:
        """Plain data (JSON-serialisable): tuples as lists, dates as ISO strings, nested answers as dicts."""
        shape = _shape(type(self))
        out: dict[str, Any] = {name: _encode(getattr(self, name)) for name in shape.order}
        if "labels" in out:
            named = set(_strings({k: v for k, v in out.items() if k != "labels"}))
            out["labels"] = {k: v for k, v in out["labels"].items() if k in named}
        for name in type(self).derived:
            out[name] = _encode(getattr(self, name))
        if "basis" in shape.hints:
            out["basis"] = _encode(getattr(self, "basis"))  # noqa: B009 - not every answer has one
        return out

    @classmethod
    def from_dict(cls: type[A], data: Mapping[str, Any]) -> A:
        """The value ``as_dict`` describes; :class:`~govrules.InvalidArgument` naming the field when it is not one."""
        return _decode_answer(cls, data, cls.__name__)

    def html(self, lang: Lang = "zh") -> str:
        """The answer as HTML for a reader of ``lang``: field names, role names, readings and the
        words around them in Chinese (``zh``: roles in the profile's wording) or English (``en``: the
        vocabulary's glosses); quotes of the source stay in Chinese. A notebook shows ``html("zh")``.

        >>> import govrules
        >>> route = govrules.load(govrules.profiles()[0]).sign(govrules.Document("personnel"))
        >>> "签发人 <small>signers</small>" in route.html(), "<th>signers</th>" in route.html("en")
        (True, True)
        """
        said = _html_answer(self, _labels_of(self), top=True, lang=check_lang(lang))
        return f'<div class="govrules-answer">{said}</div>'

    def _repr_html_(self) -> str:
        # notebooks show answers to their readers, Chinese officials: `html("en")` for English
        return self.html("zh")


@dataclass(frozen=True)
class _Shape:
    hints: dict[str, Any]  # field name → resolved annotation (with Annotated extras)
    order: tuple[str, ...]  # fields in as_dict order (basis apart)
    mappings: tuple[str, ...]  # mapping fields, stored as FrozenMap
    required: frozenset[str]


_SHAPES: dict[type, _Shape] = {}


def _shape(cls: type) -> _Shape:
    found = _SHAPES.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls, include_extras=True)
        names = [f.name for f in dataclasses.fields(cls)]
        found = _SHAPES[cls] = _Shape(
            hints={n: hints[n] for n in names},
            order=tuple(n for n in names if n != "basis"),
            mappings=tuple(n for n in names if _origin(hints[n]) is Mapping),
            required=frozenset(
                f.name
                for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            ),
        )
    return found


def _origin(tp: Any) -> Any:
    if typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    origin = typing.get_origin(tp)
    if origin in (dict, Mapping, typing.Mapping, FrozenMap):
        return Mapping
    return origin


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, Answer):
        return value.as_dict()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_encode(x) for x in value]
    if isinstance(value, Mapping):
        return {str(k): _encode(x) for k, x in value.items()}
    raise TypeError(f"cannot encode `{type(value).__name__}` as plain data")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, x in value.items():
            yield k
            yield from _strings(x)
    elif isinstance(value, list):
        for x in value:
            yield from _strings(x)


def _bad(where: str, expected: str, value: Any) -> Exception:
    from govrules.errors import InvalidArgument

    return InvalidArgument(f"`{where}`: expected {expected}, got `{value!r}`")


def _decode_answer(cls: type[A], data: Any, where: str) -> A:
    if not isinstance(data, Mapping):
        raise _bad(where, f"a mapping of `{cls.__name__}` fields", data)
    shape = _shape(cls)
    unknown = [k for k in data if k not in shape.hints and k not in cls.derived]
    if unknown:
        from govrules.diagnostics import did_you_mean
        from govrules.errors import InvalidArgument

        hint = did_you_mean(str(unknown[0]), list(shape.hints)) or ""
        raise InvalidArgument(f"`{where}` has no field `{unknown[0]}`; {hint}".rstrip("; "))
    missing = sorted(shape.required - set(data))
    if missing:
        from govrules.errors import InvalidArgument

        raise InvalidArgument(f"`{where}`: missing {', '.join(f'`{m}`' for m in missing)}")
    values = {k: _decode(shape.hints[k], x, f"{where}.{k}") for k, x in data.items() if k in shape.hints}
    return cls(**values)


def _decode(tp: Any, value: Any, where: str) -> Any:
    if typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any:
        return value
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        problems = []
        for member in (a for a in args if a is not type(None)):
            try:
                return _decode(member, value, where)
            except Exception as exc:  # the next member may fit
                problems.append(exc)
        raise problems[-1] if len(problems) == 1 else _bad(where, " or ".join(_name(a) for a in args), value)
    if origin is Literal:
        if value not in args or isinstance(value, bool) != any(isinstance(a, bool) for a in args):
            raise _bad(where, "one of " + ", ".join(f"`{a}`" for a in args), value)
        return value
    if isinstance(tp, type) and issubclass(tp, Answer):
        return _decode_answer(tp, value, where)
    if tp is dt.datetime or tp is dt.date:
        if not isinstance(value, str):
            raise _bad(where, f"an ISO {'datetime' if tp is dt.datetime else 'date'} string", value)
        from govrules.errors import InvalidArgument
        from govrules.inputs import parse_date, parse_moment  # the one date parser

        try:
            moment = parse_moment(value) if tp is dt.datetime else parse_date(value)
        except InvalidArgument:
            moment = None
        if moment is None or isinstance(moment, dt.datetime) is not (tp is dt.datetime):
            raise _bad(where, f"an ISO {'datetime' if tp is dt.datetime else 'date'} string", value)
        return moment
    if tp is bool:
        if not isinstance(value, bool):
            raise _bad(where, "true or false", value)
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(where, "a whole number", value)
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _bad(where, "a number", value)
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise _bad(where, "a string", value)
        return value
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise _bad(where, "a list", value)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], x, f"{where}[{i}]") for i, x in enumerate(value))
        if len(value) != len(args):
            raise _bad(where, f"a list of {len(args)}", value)
        return tuple(_decode(a, x, f"{where}[{i}]") for i, (a, x) in enumerate(zip(args, value, strict=True)))
    if _origin(tp) is Mapping:
        if not isinstance(value, Mapping):
            raise _bad(where, "a mapping", value)
        key_type, value_type = args or (Any, Any)
        return FrozenMap(
            (_decode(key_type, k, f"{where}"), _decode(value_type, x, f"{where}.{k}")) for k, x in value.items()
        )
    raise TypeError(f"`{where}`: no plain-data form for `{tp!r}`")  # pragma: no cover - a new field type


def _name(tp: Any) -> str:
    return "null" if tp is type(None) else getattr(tp, "__name__", str(tp))


# -- display -----------------------------------------------------------------------------------------------


def _labels_of(answer: Any) -> Mapping[str, str]:
    labels = getattr(answer, "labels", None)
    return labels if isinstance(labels, Mapping) else {}


def role_html(role: str, labels: Mapping[str, str], lang: Lang = "zh") -> str:
    """A role in the profile's wording (or the shared vocabulary's Chinese; in English, the vocabulary's
    gloss) with its id beside it."""
    from govrules import vocabulary as v

    if lang == "en":
        name = v.OFFICES.get(role, v.RELATIONAL_ROLES.get(role, ("", "")))[1]
    else:
        name = labels.get(role) or v.OFFICES.get(role, v.RELATIONAL_ROLES.get(role, ("", "")))[0]
    code = f"<code>{html.escape(role)}</code>"
    return f"{html.escape(name)} {code}" if name and name != role else code


def term_html(table: str, value: str, lang: Lang = "zh") -> str:
    """A closed-vocabulary id with its label (Chinese, or English for ``en``)."""
    from govrules import vocabulary as v

    entry = getattr(v, table, {}).get(value)
    code = f"<code>{html.escape(value)}</code>"
    return f"{html.escape(entry[0 if lang == 'zh' else 1])} {code}" if entry else code


def _marks(tp: Any) -> tuple[Any, tuple[Any, ...]]:
    if typing.get_origin(tp) is Annotated:
        base, *extras = typing.get_args(tp)
        return base, tuple(extras)
    return tp, ()


def _value_html(tp: Any, value: Any, labels: Mapping[str, str], lang: Lang = "zh") -> str:
    if typing.get_origin(tp) in (types.UnionType, typing.Union):  # `Role | None`: the marks are on the member
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        tp = members[0] if len(members) == 1 else Any
    tp, marks = _marks(tp)
    if value is None:
        return "—"
    if isinstance(value, Answer):
        return _html_answer(value, labels or _labels_of(value), top=False, lang=lang)
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, str):
        for mark in marks:
            if isinstance(mark, _RoleMark):
                return role_html(value, labels, lang)
            if isinstance(mark, Term):
                return term_html(mark.table, value, lang)
        return html.escape(value)
    if isinstance(value, (dt.date, dt.time)):
        return html.escape(value.isoformat())
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if isinstance(value, tuple):
        if value and all(isinstance(x, Answer) for x in value):
            return _rows_html(value, labels, lang)
        inner = args[0] if origin is tuple and args and (len(args) == 2 and args[1] is Ellipsis) else Any
        if origin is tuple and len(args) == 2 and args[1] is not Ellipsis:
            return html.escape("/".join(str(x) for x in value))
        return ("、" if lang == "zh" else ", ").join(_value_html(inner, x, labels, lang) for x in value)
    if isinstance(value, Mapping):
        value_type = args[1] if len(args) == 2 else Any
        return "<br>".join(
            f"{html.escape(str(k))} → {_value_html(value_type, x, labels, lang)}" for k, x in value.items()
        )
    return html.escape(str(value))


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, (tuple, Mapping, str)) and not value)


_HIDDEN = frozenset({"labels", "profile_name", "basis", "rules", "profile", "question"})


def _html_answer(answer: Answer, labels: Mapping[str, str], *, top: bool, lang: Lang = "zh") -> str:
    shape = _shape(type(answer))
    parts = []
    if top:
        head = [f"<b>{html.escape(type(answer).__name__)}</b>"]
        profile = getattr(answer, "profile", None)
        if isinstance(profile, str) and profile:
            name = getattr(answer, "profile_name", "")
            head.append(html.escape(f"《{name}》 ({profile})" if name else profile))
        question = getattr(answer, "question", None)
        if isinstance(question, str) and question and lang == "en":  # described in English
            head.append(html.escape(question))
        parts.append(" · ".join(head))
    rows = []
    for name in shape.order:
        value = getattr(answer, name)
        if name in _HIDDEN or _empty(value):  # shown in the heading and footing, or display-only
            continue
        label = FIELD_ZH.get(name) if lang == "zh" else None
        header = f"{html.escape(label)} <small>{name}</small>" if label else html.escape(name)
        rows.append(f"<tr><th>{header}</th><td>{_value_html(shape.hints[name], value, labels, lang)}</td></tr>")
    if rows:
        parts.append(f"<table>{''.join(rows)}</table>")
    basis = getattr(answer, "basis", ())
    if basis and top:
        items = []
        for cite in basis:
            reading = cite.reading(lang) if isinstance(cite, Citation) else None
            said = f" <i>{html.escape(reading)}</i>" if reading else ""
            items.append(f"<li>{html.escape(cite.label(lang))}{said}</li>")
        parts.append(f"{'依据：' if lang == 'zh' else 'basis:'}<ul>{''.join(items)}</ul>")
    rules = getattr(answer, "rules", ())
    if top and isinstance(rules, tuple) and rules:
        parts.append(f"<small>{'适用规则：' if lang == 'zh' else 'rules: '}{html.escape(', '.join(rules))}</small>")
    return "".join(parts)


def _rows_html(values: tuple[Answer, ...], labels: Mapping[str, str], lang: Lang = "zh") -> str:
    """Answers of one type as a table: one row each, a column per field some row sets."""
    shape = _shape(type(values[0]))
    names = [n for n in shape.order if n not in _HIDDEN and any(not _empty(getattr(x, n, None)) for x in values)]
    head = "".join(f"<th>{html.escape(FIELD_ZH.get(n, n) if lang == 'zh' else n)}</th>" for n in names)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{_value_html(shape.hints[n], getattr(x, n), labels, lang)}</td>" for n in names)
        + "</tr>"
        for x in values
    )
    return f"<table><tr>{head}</tr>{body}</table>"


@dataclass(frozen=True, slots=True)
class Citation(Answer):
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
    return [c.as_dict() for c in basis]


def __getattr__(name: str) -> Any:
    # answer values live with their families; `govrules.answers.Route` etc. keep working
    from govrules import families

    if name in families.ANSWERS:
        return families.ANSWERS[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
