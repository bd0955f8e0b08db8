"""Safe YAML loading that keeps where every value came from.

PyYAML composes the node tree; we build plain Python values from it ourselves so that:
only YAML 1.2 core scalars are resolved (``yes``/``no``/``on``/``off`` stay strings, timestamps
stay strings), duplicate keys are reported, anchors, aliases, explicit tags and multi-document
streams are refused, and every value's line and column is kept for diagnostics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from govrules.diagnostics import Diagnostic, Severity

MAX_BYTES = 1 << 20

Path_ = tuple[str | int, ...]

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


@dataclass(slots=True)
class Document:
    """A parsed YAML file: its data, and the 1-based position of every value and key."""

    file: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of ``path``, or of its nearest ancestor that has one.

        Integer steps that the data does not have are skipped, because the model turns a single
        mapping into a one-element list (``when: {...}`` reads as ``when: [{...}]``).
        """
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        if key and path in self.values:
            return self.values[path]
        resolved: list[str | int] = []
        for step in path:
            candidate = (*resolved, step)
            if candidate in self.values:
                resolved.append(step)
            elif isinstance(step, int):
                continue
            else:
                break
        return self.values.get(tuple(resolved), (1, 1))

    def diagnostic(
        self,
        path: Path_,
        code: str,
        message: str,
        help: str | None = None,
        *,
        key: bool = False,
        severity: str = "error",
    ) -> Diagnostic:
        line, column = self.position(path, key=key)
        level: Severity = "warning" if severity == "warning" else "info" if severity == "info" else "error"
        return Diagnostic(self.file, line, column, code, message, help, level)


class YamlProblem(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics)
        self.diagnostics = diagnostics


def _pos(node: yaml.Node | yaml.Event) -> tuple[int, int]:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _scalar(node: yaml.ScalarNode) -> Any:
    text = node.value
    if node.style is not None:  # quoted or block scalars are always strings
        return text
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    return text


def parse(text: str, file: str) -> Document:
    """Parse ``text``; raise :class:`YamlProblem` with every diagnostic that prevents reading it."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise YamlProblem(
            [
                Diagnostic(
                    file,
                    1,
                    1,
                    "GR005",
                    f"the file is larger than {MAX_BYTES // 1024} KiB",
                    "split it or remove what does not belong in a profile",
                )
            ]
        )
    problems: list[Diagnostic] = []
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line, col = _pos(event)
            anchor: str | None = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    Diagnostic(
                        file, line, col, "GR004", "aliases are not allowed in profiles", "write the value out in full"
                    )
                )
            elif anchor:
                problems.append(
                    Diagnostic(
                        file,
                        line,
                        col,
                        "GR004",
                        f"anchor `&{anchor}` is not allowed in profiles",
                        "remove the anchor",
                    )
                )
            elif _explicit_tag(event):
                problems.append(
                    Diagnostic(
                        file,
                        line,
                        col,
                        "GR004",
                        f"tag `{getattr(event, 'tag', '')}` is not allowed in profiles",
                        "remove the tag; profiles hold plain data only",
                    )
                )
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader)) if not problems else []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = (exc.problem or "malformed YAML").strip()
        raise YamlProblem(
            [
                Diagnostic(
                    file,
                    line,
                    col,
                    "GR002",
                    f"the file is not valid YAML: {what}",
                    exc.context.strip() if exc.context else None,
                )
            ]
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text input
        raise YamlProblem([Diagnostic(file, 1, 1, "GR002", f"the file is not valid YAML: {exc}")]) from None
    if problems:
        raise YamlProblem(problems)
    if len(nodes) > 1:
        line, col = _pos(nodes[1])
        raise YamlProblem(
            [
                Diagnostic(
                    file, line, col, "GR004", "a profile is one YAML document", "remove the `---` and what follows it"
                )
            ]
        )
    doc = Document(file, None)
    if nodes:
        doc.data = _build(nodes[0], (), doc, problems)
    if problems:
        raise YamlProblem(problems)
    return doc


def _explicit_tag(event: yaml.Event) -> bool:
    tag = getattr(event, "tag", None)
    if tag is None:
        return False
    implicit = getattr(event, "implicit", True)
    if isinstance(implicit, tuple):
        return not any(implicit)
    return not implicit


def _build(node: yaml.Node, path: Path_, doc: Document, problems: list[Diagnostic]) -> Any:
    doc.values[path] = _pos(node)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, (*path, i), doc, problems) for i, child in enumerate(node.value)]
    assert isinstance(node, yaml.MappingNode)
    out: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            line, col = _pos(key_node)
            problems.append(Diagnostic(doc.file, line, col, "GR012", "mapping keys must be plain strings"))
            continue
        key = key_node.value
        if key in out:
            line, col = _pos(key_node)
            first = doc.keys[(*path, key)]
            problems.append(
                Diagnostic(
                    doc.file, line, col, "GR003", f"duplicate key `{key}`", f"it was first given at line {first[0]}"
                )
            )
            continue
        doc.keys[(*path, key)] = _pos(key_node)
        out[key] = _build(value_node, (*path, key), doc, problems)
    return out


def read(path: str | Path) -> Document:
    """Read and parse a file; unreadable files become a GR001 diagnostic."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise YamlProblem([Diagnostic(name, 1, 1, "GR001", f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(
            [Diagnostic(name, 1, 1, "GR001", f"the file is not UTF-8 text (byte {exc.start})", "save it as UTF-8")]
        ) from None
    return parse(text, name)
