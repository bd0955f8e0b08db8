"""docs/coverage.md keeps in step with the profiles: every article a rule cites has a row naming
exactly the rules that cite it, and every row that says `encoded` (or `partly`) has a rule citing it.

The rule lists are checked against every family's entries (`govrules.families.FAMILIES`), so a rule
in a new section (`approvals:`, say) needs its row too; a failure says which cell to write.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import BaseModel

import govrules
from govrules.families import FAMILIES
from govrules.model import Citation

from .conftest import ROOT

TABLE = ROOT / "docs" / "coverage.md"
TOPICS = frozenset({"signing", "seals", "substitution", "meetings", "deadlines", "compliance", "approvals"})
#: `encoded`: the article's operative words for these topics are rules; `partly`: some are, the note
#: says what is not and why; `elsewhere`: no rule cites it, its content is encoded from the articles
#: the note names; `not encoded`: the format could say it but no rule does yet (why in the note);
#: `not encodable`: nothing the format can state (no actor, no fact, an exhortation …).
STATUSES = frozenset({"encoded", "partly", "elsewhere", "not encoded", "not encodable"})
WITH_RULES = frozenset({"encoded", "partly"})


@dataclass(frozen=True)
class Row:
    line: int
    article: int
    topics: tuple[str, ...]
    status: str
    rules: tuple[str, ...]
    note: str


def read_table(path: Path = TABLE) -> dict[str, list[Row]]:
    """The rows of each profile's section (`## \\`<id>\\` …`), in the order written."""
    sections: dict[str, list[Row]] = {}
    current: list[Row] | None = None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        heading = re.match(r"^## `([a-z][a-z0-9_]*)`", line)
        if heading:
            current = sections.setdefault(heading.group(1), [])
            continue
        if current is None or not re.match(r"^\|\s*\d", line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 5, f"{path.name}:{n}: a row has 5 cells (article | topics | status | rules | note)"
        article, topics, status, rules, note = cells
        current.append(
            Row(
                n,
                int(article),
                tuple(t.strip() for t in topics.split(",") if t.strip()),
                status,
                tuple(re.findall(r"`([^`]+)`", rules)),
                note,
            )
        )
    return sections


def citations(node: object) -> Iterator[Citation]:
    """Every citation inside a rule entry, wherever it sits (`basis`, a deadline's `lead_limit` …)."""
    if isinstance(node, Citation):
        yield node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from citations(getattr(node, name))
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from citations(item)


def cited(pid: str) -> dict[int, set[str]]:
    """Article → the ids of the rules (of every family) that cite it."""
    spec = govrules.load(pid).spec
    found: dict[int, set[str]] = {}
    for family in FAMILIES:
        for rule in getattr(spec, family.section):
            for cite in citations(rule):
                found.setdefault(cite.article, set()).add(rule.id)
    return found


def expand(patterns: tuple[str, ...], ids: set[str]) -> tuple[set[str], list[str]]:
    """The rules of ``ids`` (those citing the article) that ``patterns`` name, and the patterns naming
    none of them. A pattern ending in `*` (`jining.signing.*`) names every rule it matches among them."""
    named: set[str] = set()
    unmatched: list[str] = []
    for pattern in patterns:
        hits = set(fnmatch.filter(ids, pattern)) if pattern.endswith("*") else ({pattern} & ids)
        named |= hits
        if not hits:
            unmatched.append(pattern)
    return named, unmatched


SECTIONS = read_table()


def test_every_bundled_profile_has_a_section() -> None:
    assert sorted(SECTIONS) == govrules.profiles()


@pytest.mark.parametrize("pid", govrules.profiles())
def test_rows_are_well_formed(pid: str) -> None:
    articles = govrules.load(pid).spec.profile.articles
    rows = SECTIONS[pid]
    numbers = [r.article for r in rows]
    assert numbers == sorted(set(numbers)), f"`{pid}`: rows must be in article order, each article once"
    for row in rows:
        where = f"docs/coverage.md:{row.line} (`{pid}` article {row.article})"
        assert 1 <= row.article <= articles, f"{where}: the text has {articles} articles"
        assert row.topics and set(row.topics) <= TOPICS, f"{where}: topics are some of {sorted(TOPICS)}"
        assert row.status in STATUSES, f"{where}: status is one of {sorted(STATUSES)}"
        if row.status in WITH_RULES:
            assert row.rules, f"{where}: `{row.status}` names the rules that encode it"
        else:
            assert not row.rules, f"{where}: `{row.status}` names no rules"
            assert row.note, f"{where}: say why nothing is encoded"
        if row.status == "partly":
            assert row.note, f"{where}: say what is not encoded, and why"
        if row.status == "elsewhere":
            assert re.search(r"\d", row.note), f"{where}: name the articles it is encoded from"


@pytest.mark.parametrize("pid", govrules.profiles())
def test_every_cited_article_has_a_row_naming_exactly_its_rules(pid: str) -> None:
    found = cited(pid)
    rows = {r.article: r for r in SECTIONS[pid]}
    problems: list[str] = []
    for article, ids in sorted(found.items()):
        row = rows.get(article)
        if row is None:
            problems.append(f"article {article}: add a row; rules: {', '.join(f'`{r}`' for r in sorted(ids))}")
            continue
        named, unmatched = expand(row.rules, ids)
        if unmatched or named != ids:
            problems.append(
                f"docs/coverage.md:{row.line} article {article}: the rules cell should name "
                + ", ".join(f"`{r}`" for r in sorted(ids))
                + (f" (no rule cites it as named: {unmatched})" if unmatched else "")
            )
    for row in SECTIONS[pid]:
        if row.status in WITH_RULES and row.article not in found:
            problems.append(f"docs/coverage.md:{row.line} article {row.article}: `{row.status}`, but no rule cites it")
    assert not problems, f"`{pid}`:\n  " + "\n  ".join(problems)


def test_the_check_catches_a_rule_left_out_or_named_wrongly() -> None:
    ids = {"c.signing.a", "c.signing.b", "c.compliance.x"}
    assert expand(("`c.signing.*`".strip("`"), "c.compliance.x"), ids) == (ids, [])
    assert expand(("c.signing.a", "c.compliance.x"), ids)[0] != ids  # `c.signing.b` left out
    assert expand(("c.signing.a", "c.compliance.y"), ids)[1] == ["c.compliance.y"]  # cites nothing here
    assert expand(("c.meetings.*",), ids) == (set(), ["c.meetings.*"])
