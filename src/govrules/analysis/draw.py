"""Delegation graphs as SVG, laid out here in pure Python (no Graphviz binary): absent officials on
top, each stand-in one layer below whoever they stand in for; people with no edge on a last row."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govrules.roster import Roster

_GAP_X, _GAP_Y, _HEIGHT, _PAD = 28, 70, 34, 16


@dataclass(frozen=True)
class Drawing:
    """An SVG picture; a notebook shows it (``_repr_svg_``), :meth:`save` writes it."""

    svg: str

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.svg, encoding="utf-8")


def _width(text: str) -> int:
    return sum(13 if unicodedata.east_asian_width(ch) in "WF" else 7 for ch in text) + 2 * 10


def layers(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Each node's layer: 0 for a node no edge enters, else one more than its deepest predecessor
    (cycles, such as an AB pair away together, are cut where they are met)."""
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        if a != b:
            preds[b].append(a)
    layer: dict[str, int] = {}

    def depth(node: str, path: frozenset[str]) -> int:
        if node in layer:
            return layer[node]
        found = max((depth(p, path | {node}) + 1 for p in preds[node] if p not in path), default=0)
        layer[node] = found
        return found

    for node in nodes:
        depth(node, frozenset())
    return layer


def draw(graph: Any, *, roster: Roster | None = None, labels: Mapping[str, str] | None = None) -> Drawing:
    """Draw a delegation graph (:meth:`Profile.delegation_graph <govrules.Profile.delegation_graph>`).

    A node is a person (with their office, in ``labels``' wording, when a ``roster`` is given);
    absent officials are shaded. An edge goes from an absent official to who may act for them,
    labelled with the rule and the duties it passes.

    Examples
    --------
    >>> import datetime as dt, govrules
    >>> from govrules import Absence, Person, Roster
    >>> roster = Roster([Person("a", "vice_mayor", ab_partner="b"), Person("b", "vice_mayor", ab_partner="a")])
    >>> on = dt.date(2025, 3, 3)
    >>> gov = govrules.load(govrules.profiles()[0])
    >>> graph = gov.delegation_graph(on=on, roster=roster, absences=[Absence("a", on, on, "business_trip")])
    >>> svg = govrules.draw(graph, roster=roster, labels=gov.labels).svg
    >>> svg.startswith("<svg") and "a · " in svg
    True
    """
    nodes = [str(n) for n in graph.nodes]
    absent = {str(n) for n, data in graph.nodes(data=True) if data.get("absent")}
    edges = [(str(a), str(b), data) for a, b, data in graph.edges(data=True)]
    linked = {n for a, b, _ in edges for n in (a, b)}
    layer = layers([n for n in nodes if n in linked], [(a, b) for a, b, _ in edges])
    rows: dict[int, list[str]] = {}
    for node in nodes:
        rows.setdefault(layer[node] if node in linked else -1, []).append(node)
    order = sorted(k for k in rows if k >= 0) + ([-1] if -1 in rows else [])

    def text(node: str) -> str:
        if roster is not None and node in roster:
            office = roster[node].office
            return f"{node} · {(labels or {}).get(office, office)}"
        return node

    box: dict[str, tuple[int, int, int]] = {}  # node → x, y, width
    width = 0
    for i, key in enumerate(order):
        x = _PAD
        for node in rows[key]:
            w = _width(text(node))
            box[node] = (x, _PAD + i * (_HEIGHT + _GAP_Y), w)
            x += w + _GAP_X
        width = max(width, x)
    height = _PAD * 2 + len(order) * (_HEIGHT + _GAP_Y) - _GAP_Y
    out: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for a, b, data in edges:
        if a == b:
            continue
        n = seen[(a, b)] = seen.get((a, b), 0) + 1
        (xa, ya, wa), (xb, yb, wb) = box[a], box[b]
        x1, y1 = xa + wa // 2, ya + _HEIGHT
        x2, y2 = xb + wb // 2, yb
        if y2 <= y1:  # a back or same-row edge (a cycle): leave from the top, arrive from below
            y1, y2 = ya, yb + _HEIGHT
        bend = 30 * n * (1 if (n % 2) else -1) if n > 1 or y2 <= y1 else 0
        mx, my = (x1 + x2) // 2 + bend, (y1 + y2) // 2
        rule = str(data.get("rule", ""))
        duties = ", ".join(str(d) for d in data.get("duties", ()))
        label = html.escape(rule.rsplit(".", 1)[-1] + (f" ({duties})" if duties else ""))
        out.append(
            f'<path d="M{x1},{y1} Q{mx},{my} {x2},{y2}" fill="none" stroke="#555" marker-end="url(#arrow)">'
            f"<title>{html.escape(rule)}: {html.escape(duties)}</title></path>"
        )
        out.append(f'<text x="{mx + 4}" y="{my}" fill="#333">{label}</text>')
        width = max(width, mx + 4 + _width(label) + _PAD)
    for node, (x, y, w) in box.items():
        away = node in absent
        fill, dash = ("#fde2e1", ' stroke-dasharray="4 3"') if away else ("#eef3fb", "")
        out.append(
            f"<g><title>{html.escape(node)}{' (absent)' if away else ''}</title>"
            f'<rect x="{x}" y="{y}" width="{w}" height="{_HEIGHT}" rx="6" fill="{fill}" stroke="#556"{dash}/>'
            f'<text x="{x + w // 2}" y="{y + _HEIGHT // 2 + 4}" text-anchor="middle">'
            f"{html.escape(text(node))}</text></g>"
        )
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{max(width, 120)}" height="{max(height, 40)}" '
        'font-family="sans-serif" font-size="12">\n'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>'
    )
    return Drawing("\n".join([head, *out, "</svg>"]))
