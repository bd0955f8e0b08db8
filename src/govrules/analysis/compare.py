"""``govrules.compare``: one question per row, one profile per column."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govrules.analysis import questions as q
from govrules.analysis._pandas import require_pandas
from govrules.answers import Lang, check_lang
from govrules.errors import InvalidArgument

if TYPE_CHECKING:
    import pandas as pd

    from govrules.documents import Document
    from govrules.profile import Profile


def resolve_profiles(profiles: Iterable[Profile | str | Path] | None) -> list[Profile]:
    """Profiles, bundled ids or paths → loaded profiles (every bundled profile when ``None``)."""
    from govrules.profile import Profile
    from govrules.registry import load
    from govrules.registry import profiles as bundled

    if profiles is None:
        return [load(pid) for pid in bundled()]
    if isinstance(profiles, (str, Path, Profile)):
        raise InvalidArgument(f"`profiles`: expected a list of profiles, ids or paths, got `{profiles!r}`")
    found = [p if isinstance(p, Profile) else load(p) for p in profiles]
    if not found:
        raise InvalidArgument("`profiles`: give at least one profile")
    return found


def columns(profiles: Sequence[Profile]) -> list[str]:
    """A column name per profile: its id (``id#2`` … for a second profile with the same id)."""
    seen: dict[str, int] = {}
    names = []
    for p in profiles:
        seen[p.id] = seen.get(p.id, 0) + 1
        names.append(p.id if seen[p.id] == 1 else f"{p.id}#{seen[p.id]}")
    return names


def compare(
    topic: str | None = None,
    *,
    profiles: Iterable[Profile | str | Path] | None = None,
    documents: Iterable[Document] | None = None,
    lang: Lang = "zh",
) -> pd.DataFrame:
    """A table of short answers: one row per question of ``topic``, one column per profile.

    ``topic`` is one of ``signing``, ``acting``, ``deadlines``, ``meetings``, ``compliance`` (or
    ``seals``). The index is a stable question id; the ``question`` column describes it. A profile
    that does not cover a question shows 未规定 (``lang="en"``: "not covered"); an answer that cannot
    be resolved shows its reason. ``documents=[...]`` compares the signing routes of those documents.
    ``profiles`` defaults to every bundled profile (ids, paths or loaded profiles).

    Examples
    --------
    >>> import govrules
    >>> table = govrules.compare("deadlines", lang="en")
    >>> list(table.columns) == ["question", *govrules.profiles()]
    True
    >>> "not covered" in set(table[govrules.profiles()].to_numpy().ravel())
    True
    """
    require_pandas()
    import pandas as pd

    lang = check_lang(lang)
    if documents is not None:
        documents = list(documents)
        if topic not in (None, "signing"):
            raise InvalidArgument(f"`documents`: compares signing routes, not `{topic}`")
        topic = "signing"
    if topic is None:
        raise InvalidArgument("`topic`: give one of " + ", ".join(f"`{t}`" for t in q.TOPICS) + ", or `documents`")
    loaded = resolve_profiles(profiles)
    asked = q.of_topic(topic, loaded, documents)
    names = columns(loaded)
    rows: dict[str, dict[str, Any]] = {}
    for question in asked:
        row: dict[str, Any] = {"question": question.describe(lang)}
        for name, profile in zip(names, loaded, strict=True):
            row[name] = question.outcome(profile).cell(lang)
        rows[question.id] = row
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["question", *names])
    frame.index.name = "id"
    return frame
