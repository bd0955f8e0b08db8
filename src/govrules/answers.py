"""Answers: frozen values with their basis. They never print; ``explain`` returns text."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Lang = Literal["zh", "en"]


@dataclass(frozen=True, slots=True)
class Citation:
    """An article of a profile's source: number, item, verbatim operative words and any reading taken."""

    profile: str
    article: int
    item: int | None
    quote: str
    interpretation: str | None = None

    def label(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            where = f"第{self.article}条" + (f"第（{self.item}）项" if self.item else "")
            return f"{where}“{self.quote}”"
        where = f"article {self.article}" + (f"({self.item})" if self.item else "")
        return f"{where}: “{self.quote}”"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a route: who reviews, deliberates, signs or approves, and how many of them must."""

    action: Literal["review", "deliberate", "sign", "approve", "seal"]
    roles: tuple[str, ...] = ()
    mode: Literal["any", "all"] = "any"
    meeting: str | None = None
    delegable_to: tuple[str, ...] = ()
    authorised_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Route:
    """Who reviews and who gives the final signature (or consent), and why.

    ``signers`` are the role ids who may give the final signature — alternatives, any one suffices —
    including delegates whose authorisation the question stated. ``reviewers`` are the roles of the
    review steps before it, in order.
    """

    profile: str
    steps: tuple[Step, ...]
    signers: tuple[str, ...]
    reviewers: tuple[str, ...]
    basis: tuple[Citation, ...]
    rules: tuple[str, ...]
    question: str
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), repr=False, compare=False)
    profile_name: str = field(default="", repr=False, compare=False)

    @property
    def delegable_to(self) -> tuple[str, ...]:
        """Roles who may be authorised to give the final signature (not signers unless authorised)."""
        final = self.final_step
        return final.delegable_to if final else ()

    @property
    def final_step(self) -> Step | None:
        for step in self.steps:
            if step.action in ("sign", "seal"):
                return step
        return None

    def explain(self, lang: Lang = "zh") -> str:
        """A readable account of the route and its basis, in Chinese (``zh``) or English (``en``)."""
        if lang not in ("zh", "en"):
            from govrules.errors import InvalidArgument

            raise InvalidArgument(f"`lang`: `{lang!r}` is not allowed; expected `zh` or `en`")
        name = self.labels.get if lang == "zh" else _english
        zh = lang == "zh"
        lines = [
            f"依据《{self.profile_name or self.profile}》：" if zh else f"Under {self.profile} ({self.profile_name}):"
        ]
        for n, step in enumerate(self.steps, 1):
            lines.append(f"  {n}. {_describe(step, name, zh)}")
        for cite in self.basis:
            lines.append(("  依据：" if zh else "  basis: ") + cite.label(lang))
            if cite.interpretation:
                lines.append(("    解读：" if zh else "    reading: ") + cite.interpretation)
        lines.append(("  适用规则：" if zh else "  rules: ") + ", ".join(self.rules))
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        """Plain data (for JSON)."""
        return {
            "profile": self.profile,
            "question": self.question,
            "steps": [
                {k: (list(val) if isinstance(val, tuple) else val) for k, val in _step_items(s)} for s in self.steps
            ],
            "signers": list(self.signers),
            "reviewers": list(self.reviewers),
            "delegable_to": list(self.delegable_to),
            "rules": list(self.rules),
            "basis": [
                {"article": c.article, "item": c.item, "quote": c.quote, "interpretation": c.interpretation}
                for c in self.basis
            ],
        }

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{n}</td><td>{html.escape(s.action)}</td>"
            f"<td>{html.escape(_describe(s, self.labels.get, True))}</td></tr>"
            for n, s in enumerate(self.steps, 1)
        )
        cites = "".join(
            f"<li>{html.escape(c.label('zh'))}"
            + (f" <i>{html.escape(c.interpretation)}</i>" if c.interpretation else "")
            + "</li>"
            for c in self.basis
        )
        return (
            f"<div><b>{html.escape(self.profile_name or self.profile)}</b>: {html.escape(self.question)}"
            f"<table><tr><th>#</th><th>action</th><th>who</th></tr>{rows}</table>"
            f"<ul>{cites}</ul><small>{html.escape(', '.join(self.rules))}</small></div>"
        )


def _step_items(step: Step) -> list[tuple[str, object]]:
    return [(k, getattr(step, k)) for k in Step.__slots__]


def _english(role: str, default: str | None = None) -> str:
    from govrules import vocabulary as v

    for table in (v.OFFICES, v.RELATIONAL_ROLES):
        if role in table:
            return table[role][1]
    return role.replace("_", " ")


def _describe(step: Step, name: Callable[[str, str | None], str | None], zh: bool) -> str:
    from govrules import vocabulary as v

    def who(roles: tuple[str, ...], mode: str = "any") -> str:
        names = [name(r, None) or r for r in roles]
        if zh:
            return ("、".join(names) + "（均须）") if mode == "all" and roles else "或".join(names)
        joined = (" and " if mode == "all" else " or ").join(names)
        return f"every {joined}" if mode == "all" else joined

    action_zh, action_en = v.ACTIONS[step.action]
    if step.action == "deliberate" and step.meeting:
        meeting_zh, meeting_en = v.MEETINGS.get(step.meeting, (step.meeting, step.meeting))
        return f"提交市政府{meeting_zh}讨论通过" if zh else f"deliberation at the {meeting_en}"
    text = f"{action_zh}：{who(step.roles, step.mode)}" if zh else f"{action_en}: {who(step.roles, step.mode)}"
    if step.delegable_to:
        by = who(step.authorised_by) if step.authorised_by else ""
        if zh:
            text += f"；可授权{who(step.delegable_to)}" + (f"（经{by}授权）" if by else "")
        else:
            text += f"; may be delegated to {who(step.delegable_to)}" + (f" (authorised by {by})" if by else "")
    return text
