"""``govrules.diff``: where two profiles (two versions of one city's, or two cities') answer differently."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govrules import _args
from govrules.analysis import domain
from govrules.analysis import questions as q
from govrules.analysis._pandas import require_pandas
from govrules.analysis.compare import resolve_profiles
from govrules.answers import Answer, FrozenMap, Lang, Role, check_lang

if TYPE_CHECKING:
    import pandas as pd

    from govrules.profile import Profile

#: The topics a diff walks, in order (``seals`` with ``signing``'s documents).
DIFF_TOPICS = ("signing", "seals", "acting", "deadlines", "meetings", "compliance")


@dataclass(frozen=True, slots=True)
class Change(Answer):
    """One question the two profiles answer differently: short answers before and after."""

    topic: str
    question: str
    description: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class ProfileDiff(Answer):
    """What changes from ``old`` to ``new``: falsy when they answer every question alike.

    ``gained`` and ``lost``: per role id, the signing questions (documents) the role may now sign,
    or may no longer sign, as the final signature.
    """

    old: str
    new: str
    topics: tuple[str, ...]
    changes: tuple[Change, ...]
    gained: Mapping[Role, tuple[str, ...]] = FrozenMap()
    lost: Mapping[Role, tuple[str, ...]] = FrozenMap()

    def __bool__(self) -> bool:
        return bool(self.changes)

    def to_frame(self) -> pd.DataFrame:
        """The changes as a table: topic, question id, description, before, after."""
        require_pandas()
        import pandas as pd

        columns = ["topic", "question", "description", "before", "after"]
        return pd.DataFrame([[getattr(c, k) for k in columns] for c in self.changes], columns=columns)

    def summary(self) -> str:
        """The diff in lines of text (what the CLI prints)."""
        if not self.changes:
            return f"`{self.old}` and `{self.new}` answer every question alike ({', '.join(self.topics)})"
        count = f"{len(self.changes)} change{'s' if len(self.changes) != 1 else ''}"
        lines = [f"{count} from `{self.old}` to `{self.new}`:"]
        for c in self.changes:
            lines.append(f"  [{c.topic}] {c.question}: {c.description}")
            lines.append(f"      - {c.before}")
            lines.append(f"      + {c.after}")
        for word, table in (("gains", self.gained), ("loses", self.lost)):
            for role, found in table.items():
                lines.append(f"  `{role}` {word} the signature of {len(found)} document class(es)")
        return "\n".join(lines)


def diff(
    old: Profile | str | Path,
    new: Profile | str | Path,
    *,
    topic: str | Iterable[str] | None = None,
    lang: Lang = "zh",
) -> ProfileDiff:
    """Every question of ``topic`` (default: all of them) that ``old`` and ``new`` answer differently.

    Signing is compared on the whole signing domain of both profiles together (every class of
    documents either profile's rules tell apart); the other topics on the questions of
    :func:`govrules.compare`. Answers are compared as data (a role's wording is not a change).

    Examples
    --------
    >>> import govrules
    >>> first, second = govrules.profiles()[:2]
    >>> bool(govrules.diff(first, first))
    False
    >>> d = govrules.diff(first, second, topic="deadlines", lang="en")
    >>> all(c.topic == "deadlines" for c in d.changes) and len(d.to_frame()) == len(d.changes)
    True
    """
    lang = check_lang(lang)
    a, b = resolve_profiles([old, new])
    topics: tuple[str, ...]
    if topic is None:
        topics = DIFF_TOPICS
    else:
        topics = (topic,) if isinstance(topic, str) else tuple(topic)
        for t in topics:
            _args.choice("topic", t, DIFF_TOPICS)
    changes: list[Change] = []
    gained: dict[str, list[str]] = {}
    lost: dict[str, list[str]] = {}
    for name in topics:
        if name == "signing":
            asked = [q.point_question(p) for p in domain.signing_points(a, b)]
        else:
            asked = q.of_topic(name, [a, b])
        for question in asked:
            before, after = question.outcome(a), question.outcome(b)
            if before.key == after.key:
                continue
            changes.append(Change(name, question.id, question.describe(lang), before.cell(lang), after.cell(lang)))
            if name == "signing":
                was, now = set(_signers(before.answer)), set(_signers(after.answer))
                for role in sorted(now - was):
                    gained.setdefault(role, []).append(question.id)
                for role in sorted(was - now):
                    lost.setdefault(role, []).append(question.id)
    return ProfileDiff(
        old=a.id if a.source == b.source or a.id != b.id else a.source,
        new=b.id if a.source == b.source or a.id != b.id else b.source,
        topics=topics,
        changes=tuple(changes),
        gained=FrozenMap({k: tuple(x) for k, x in sorted(gained.items())}),
        lost=FrozenMap({k: tuple(x) for k, x in sorted(lost.items())}),
    )


def _signers(answer: Any) -> tuple[str, ...]:
    signers = getattr(answer, "signers", ())
    return signers if isinstance(signers, tuple) else ()
