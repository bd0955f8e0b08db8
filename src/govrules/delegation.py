"""The only module that imports networkx: who may act for whom on a day, and resolving chains.

The engine derives *grants* (an absent official, a stand-in, the rule, the rank among the rule's
ordered alternatives). This module turns them into a directed graph and resolves, for one duty,
who actually acts: never an absent person, never through a stand-in unless the rule says the
substitution is transitive, never a guess among several equally entitled candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from govrules.families.acting import SubstitutionRule

    Graph = nx.MultiDiGraph[str]
else:
    Graph = Any  # networkx is imported on first use: it is most of what `import govrules` would cost


@dataclass(frozen=True, slots=True, order=True)
class Grant:
    """An edge: the rule that lets ``target`` act for an absent official, and on what terms."""

    target: str
    rule: str
    rank: int
    order: int
    duties: tuple[str, ...]
    transitive: bool


@dataclass(frozen=True, slots=True)
class Resolution:
    person: str | None
    chain: tuple[str, ...]
    rules: tuple[str, ...]
    candidates: tuple[str, ...]
    unresolved: str | None


def covers(duties: Iterable[str], duty: str) -> bool:
    """Whether a grant of ``duties`` includes ``duty`` (signing everything includes urgent documents)."""
    granted = set(duties)
    return duty in granted or "all" in granted or (duty == "sign_urgent" and "sign" in granted)


def build(
    grants: Iterable[Mapping[str, object]],
    rules: Mapping[str, SubstitutionRule],
    order: Mapping[str, int],
    absent: Iterable[str],
    people: Iterable[str],
) -> Graph:
    """Persons as nodes (``absent`` marked), one edge per grant from the absent to the stand-in.

    The graph is frozen (:func:`networkx.freeze`): a day's graph is shared by every question about
    that day (``Profile.day`` keeps it), so nothing may change it; ``Profile.delegation_graph`` hands
    callers a copy of their own.
    """
    import networkx as nx

    graph: Graph = nx.MultiDiGraph()
    away = set(absent)
    for person in people:
        graph.add_node(person, absent=person in away)
    for grant in grants:
        source, target = str(grant["absent"]), str(grant["by"])
        if source == target:  # an office-wide alternative matched the absent person themselves
            continue
        rule = rules[str(grant["rule"])]
        rank = int(str(grant["rank"]))
        edge = Grant(target, rule.id, rank, order[rule.id], rule.duties, rule.transitive)
        graph.add_edge(source, target, key=(rule.id, rank), grant=edge, rule=rule.id, duties=list(rule.duties))
    graph._govrules_resolved = {}  # type: ignore[attr-defined]  # see `resolve`
    frozen: Graph = nx.freeze(graph)
    return frozen


def resolve(graph: Graph, principal: str, duty: str, check: Callable[[str], None] | None = None) -> Resolution:
    """Who performs ``duty`` for ``principal`` on the graph's day.

    ``check`` is called with every absent official whose stand-ins are looked for (the principal, and
    those a transitive rule passes through), before their grants are read; it may raise.

    On a graph made by :func:`build` (frozen, so it cannot change) each answer is worked out once;
    asked again, the officials it passed through are given to ``check`` again, in the same order.
    """
    kept: dict[tuple[str, str], tuple[tuple[str, ...], Resolution]] | None = getattr(graph, "_govrules_resolved", None)
    if kept is None:
        return _resolve(graph, principal, duty, (principal,), (), check=check)
    found = kept.get((principal, duty))
    if found is None:
        passed: list[str] = []

        def note(person: str) -> None:
            passed.append(person)
            if check is not None:
                check(person)

        resolution = _resolve(graph, principal, duty, (principal,), (), check=note)
        found = kept[(principal, duty)] = (tuple(passed), resolution)
    elif check is not None:
        for person in found[0]:  # the walk does not depend on `check`, which only returns or raises
            check(person)
    return found[1]


def _absent(graph: Graph, person: str) -> bool:
    return bool(graph.nodes[person].get("absent", False))


def _grants(graph: Graph, person: str) -> list[Grant]:
    return [data["grant"] for _s, _t, data in graph.out_edges(person, data=True)]


def _resolve(
    graph: Graph,
    person: str,
    duty: str,
    chain: tuple[str, ...],
    rules: tuple[str, ...],
    *,
    check: Callable[[str], None] | None,
) -> Resolution:
    if not _absent(graph, person):
        return Resolution(person, chain, rules, (), None)
    if check is not None:
        check(person)
    edges = _grants(graph, person)
    if not edges:
        return Resolution(None, chain, rules, (), f"`{person}` is absent and no substitution rule applies to them")
    usable = [g for g in edges if covers(g.duties, duty)]
    if not usable:
        passed = sorted({x for g in edges for x in g.duties})
        return Resolution(
            None,
            chain,
            rules,
            (),
            f"`{person}` is absent; the substitution rules pass only {', '.join(f'`{x}`' for x in passed)}, "
            f"not `{duty}`",
        )
    away: list[str] = []
    for group in _groups(usable):
        available = sorted({g.target for g in group if not _absent(graph, g.target) and g.target not in chain})
        rule_ids = tuple(dict.fromkeys(g.rule for g in group))
        if len(available) == 1:
            return Resolution(available[0], (*chain, available[0]), (*rules, *rule_ids), (), None)
        if len(available) > 1:
            return Resolution(
                None,
                chain,
                (*rules, *rule_ids),
                tuple(available),
                f"several may act for `{person}` ({', '.join(f'`{a}`' for a in available)}); "
                "the text does not choose among them",
            )
        # every absent stand-in of the rank is followed: where several lead somewhere, those they lead
        # to are equally entitled (candidates), never the first the graph happens to list
        found: list[Resolution] = []
        for g in sorted(group, key=lambda g: g.target):
            if g.target in chain:
                continue
            if g.transitive:
                deeper = _resolve(graph, g.target, duty, (*chain, g.target), (*rules, g.rule), check=check)
                if deeper.person is not None or deeper.candidates:
                    found.append(deeper)
                    continue
            away.append(g.target)
        people = sorted({p for d in found for p in ((d.person,) if d.person is not None else d.candidates)})
        if len(found) == 1 or (len(people) == 1 and all(d.person is not None for d in found)):
            return found[0]  # one way on, or several ways to the same person (the first by stand-in id)
        if found:
            return Resolution(
                None,
                chain,
                (*rules, *rule_ids),
                tuple(people),
                f"the stand-ins for `{person}` are away, and theirs ({', '.join(f'`{p}`' for p in people)}) "
                "are equally entitled; the text does not choose among them",
            )
    cycle = any(g.target in chain for g in edges)
    reason = (
        f"`{person}` is absent and every stand-in ({', '.join(f'`{a}`' for a in dict.fromkeys(away))}) is absent too"
        if away
        else f"`{person}` is absent and the only stand-in is already in the chain"
    )
    return Resolution(None, chain, rules, (), reason + (" (the substitutions form a cycle)" if cycle else ""))


def _groups(usable: Sequence[Grant]) -> list[list[Grant]]:
    """Stand-ins grouped by preference: rule order in the profile, then rank among its alternatives."""
    by_key: dict[tuple[int, int], list[Grant]] = {}
    for g in usable:
        by_key.setdefault((g.order, g.rank), []).append(g)
    return [by_key[k] for k in sorted(by_key)]


def to_dot(graph: Graph) -> str:
    """The graph in Graphviz DOT: absent officials dashed, edges labelled with rule and duties."""
    lines = ["digraph acting {", "  rankdir=LR;"]
    for node in sorted(graph.nodes):
        style = ' style="dashed"' if _absent(graph, node) else ""
        lines.append(f'  "{node}" [label="{node}"{style}];')
    edges = sorted((s, t, g) for s, t, g in _all_grants(graph))
    for source, target, g in edges:
        label = f"{g.rule}\\n{', '.join(g.duties)}"
        lines.append(f'  "{source}" -> "{target}" [label="{label}"];')
    lines.append("}")
    return "\n".join(lines)


def _all_grants(graph: Graph) -> list[tuple[str, str, Grant]]:
    return [(s, t, data["grant"]) for s, t, data in graph.edges(data=True)]


def _svg(graph: Graph) -> str:
    from govrules.analysis.draw import draw

    return draw(graph, roster=graph.graph.get("roster"), labels=graph.graph.get("labels")).svg


if TYPE_CHECKING:

    class DelegationGraph(Graph):
        """A day's delegation graph that a notebook shows as SVG (laid out by :func:`govrules.draw`);
        ``graph.graph`` may hold the day's ``roster`` and the profile's ``labels`` for office names."""

        def _repr_svg_(self) -> str: ...

else:

    def __getattr__(name: str) -> Any:
        # DelegationGraph subclasses networkx's graph: made on first use, so importing this module
        # (which `import govrules` does) does not import networkx
        if name != "DelegationGraph":
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import networkx as nx

        class DelegationGraph(nx.MultiDiGraph):
            """A day's delegation graph that a notebook shows as SVG (laid out by :func:`govrules.draw`);
            ``graph.graph`` may hold the day's ``roster`` and the profile's ``labels`` for office names."""

            _repr_svg_ = _svg

        DelegationGraph.__module__ = __name__
        DelegationGraph.__qualname__ = "DelegationGraph"  # pickles find it here
        globals()["DelegationGraph"] = DelegationGraph
        return DelegationGraph
