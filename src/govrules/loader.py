"""Safe YAML loading that keeps where every value came from, within fixed bounds.

Files are parsed once into events (libyaml's C parser when PyYAML has it, PyYAML's pure-Python
parser otherwise) and plain Python values are built from the events here, without recursion, so:

- only YAML 1.2 core scalars are resolved (``yes``/``no``/``on``/``off`` stay strings, timestamps
  stay strings), and every value's and key's line and column is kept for diagnostics;
- duplicate keys are reported; anchors, aliases, explicit tags and multi-document streams are refused
  before anything is expanded or constructed;
- hostile input is contained: a file is checked to be a regular file of at most :data:`MAX_BYTES`
  before it is read, and nesting depth, the number of nodes, the length of a scalar and the digits
  of an integer are capped while parsing, so that no input can exhaust the stack, the memory or the
  time of the process (the figures are in ``docs/limits.md``).
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from govrules.diagnostics import Diagnostic, Severity

#: Largest file accepted, in bytes.
MAX_BYTES = 1 << 20
#: Deepest nesting of mappings and sequences accepted (bundled profiles nest 6 levels).
MAX_DEPTH = 64
#: Most nodes (keys, scalars, mappings and sequences) in one file (a bundled profile has < 2,500).
MAX_NODES = 20_000
#: Longest scalar, key or value, in characters (the longest in a bundled profile has < 500).
MAX_SCALAR = 10_000
#: Most digits in a plain integer: every accepted integer fits in 64 bits.
MAX_INT_DIGITS = 18
#: Diagnostics collected before the loader stops looking (a billion-laughs file would give one per alias).
MAX_PROBLEMS = 100

Path_ = tuple[str | int, ...]

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# What YAML forbids in a stream (PyYAML's own test, so both parsers agree): C0 controls other than
# tab and line breaks, DEL, C1 controls other than NEL, surrogates, U+FFFE and U+FFFF.
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


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


# -- reading files ------------------------------------------------------------------------------


class FileRefused(Exception):
    """A path that is not a regular file (``kind`` says what it is), or a file larger than allowed."""

    def __init__(self, kind: str | None, limit: int) -> None:
        super().__init__(kind or f"larger than {limit} bytes")
        self.kind = kind  # "a device", "a pipe", "a folder" … or None when the file is too large
        self.limit = limit


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, never reading more than ``limit + 1``.

    The file is opened without blocking and checked with ``fstat`` before anything is read, so a
    device (``/dev/zero``), a pipe or terminal (``/dev/stdin``) or a folder is refused at once, and a
    file that grows while it is read is cut off. Raises :class:`FileRefused`, or ``OSError`` when the
    file cannot be opened or read.

    Examples
    --------
    >>> read_regular("/dev/zero", 1024)
    Traceback (most recent call last):
    ...
    govrules.loader.FileRefused: a device
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(_kind(info.st_mode), limit)
        if info.st_size > limit:
            raise FileRefused(None, limit)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:
        raise FileRefused(None, limit)
    return raw


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a YAML file (see :func:`read_regular`), or :class:`YamlProblem`.

    GR001 when it cannot be read or is not a regular file, GR005 when it is larger than :data:`MAX_BYTES`.

    Examples
    --------
    >>> try:
    ...     read_bytes("/dev/zero")
    ... except YamlProblem as problem:
    ...     print(problem.diagnostics[0].render())
    /dev/zero:1:1: GR001 the file is a device, not a regular file
        help: give the path of a plain text file
    """
    name = str(path)
    try:
        return read_regular(path, MAX_BYTES)
    except FileRefused as refused:
        if refused.kind is None:
            raise YamlProblem([_too_large(name)]) from None
        message = f"the file is {refused.kind}, not a regular file"
        raise YamlProblem([Diagnostic(name, 1, 1, "GR001", message, "give the path of a plain text file")]) from None
    except OSError as exc:
        raise YamlProblem([Diagnostic(name, 1, 1, "GR001", f"cannot read the file: {exc.strerror or exc}")]) from None
    except ValueError:  # os.open refuses a path with a NUL byte before asking the system
        shown = name.replace("\x00", "\\x00")
        raise YamlProblem(
            [Diagnostic(shown, 1, 1, "GR001", "cannot read the file: the path contains a NUL byte")]
        ) from None


def read_text(path: str | Path) -> str:
    """The text of a YAML file: a regular UTF-8 file of at most :data:`MAX_BYTES` (see :func:`read_bytes`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".yaml") as f:
    ...     _ = f.write("name: 市".encode("utf-16"))
    ...     f.flush()
    ...     try:
    ...         read_text(f.name)
    ...     except YamlProblem as problem:
    ...         print(problem.diagnostics[0].message)
    the file is UTF-16 text, not UTF-8
    """
    name = str(path)
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem([_not_utf8(name, raw, exc.start)]) from None
    if "\0" in text and _wide_encoding(raw) is not None:
        raise YamlProblem([_not_utf8(name, raw, 0)])
    return text


def read(path: str | Path) -> Document:
    """Read and parse a YAML file (see :func:`read_text` and :func:`parse`)."""
    return parse(read_text(path), str(path))


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "not a file"


def _too_large(name: str) -> Diagnostic:
    return Diagnostic(
        name,
        1,
        1,
        "GR005",
        f"the file is larger than {MAX_BYTES // 1024} KiB",
        "split it or remove what does not belong in it",
    )


def _not_utf8(name: str, raw: bytes, start: int) -> Diagnostic:
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None) or _wide_encoding(raw)
    if encoding is not None:
        return Diagnostic(name, 1, 1, "GR001", f"the file is {encoding} text, not UTF-8", "save it as UTF-8")
    line, col = _offset_position(raw[:start].decode("utf-8"), start)  # the prefix is valid UTF-8
    return Diagnostic(name, line, col, "GR001", f"the file is not UTF-8 text (byte {start})", "save it as UTF-8")


def _wide_encoding(raw: bytes) -> str | None:
    """``UTF-16`` or ``UTF-32`` when ``raw``, without a byte-order mark, reads as YAML in one of them.

    YAML is mostly ASCII (keys, colons, line breaks), which puts zero bytes in at least a tenth of
    a UTF-16 file and two fifths of a UTF-32 one; a UTF-8 file with a stray NUL has far fewer.
    """
    zeros = raw.count(0) / max(len(raw), 1)
    for name, codec, least in (
        ("UTF-32", "utf-32-le", 0.4),
        ("UTF-32", "utf-32-be", 0.4),
        ("UTF-16", "utf-16-le", 0.1),
        ("UTF-16", "utf-16-be", 0.1),
    ):
        if zeros < least:
            continue
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if not _NON_PRINTABLE.search(text):
            return name
    return None


# -- parsing ------------------------------------------------------------------------------------


class _EventSource(Protocol):
    def get_event(self) -> Event | None: ...


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark | None) -> None:
        super().__init__(mark)
        self.mark = mark


class _Scanner(yaml.scanner.Scanner):
    """PyYAML's scanner, refusing to open flow collections deeper than :data:`MAX_DEPTH`.

    The pure-Python scanner looks up to 1,024 characters ahead for a simple key and checks every
    open flow level at each token, so ``[[[[…`` costs quadratic time before the first event; this
    check stops it at the depth the loader would refuse anyway (open block collections, which the
    scanner counts in ``indents``, included).
    """

    def fetch_flow_collection_start(self, TokenClass: type[yaml.Token]) -> None:
        if self.flow_level + len(self.indents) >= MAX_DEPTH:
            raise _TooDeep(self.get_mark())  # type: ignore[attr-defined]
        super().fetch_flow_collection_start(TokenClass)


class _PureParser(yaml.reader.Reader, _Scanner, yaml.parser.Parser):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        _Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


_Parsers = Callable[[str], _EventSource]
try:
    from yaml._yaml import CParser as _CParser

    _libyaml: _Parsers | None = _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _libyaml = None

#: libyaml's event parser, or None where PyYAML was built without it (tests set None to try both).
CParser: _Parsers | None = _libyaml


def parse(text: str, file: str) -> Document:
    """Parse ``text``; raise :class:`YamlProblem` with every diagnostic that prevents reading it.

    Examples
    --------
    >>> doc = parse("a: yes\\nb: [1, 2.5, null]\\n", "x.yaml")
    >>> doc.data
    {'a': 'yes', 'b': [1, 2.5, None]}
    >>> doc.position(("b", 1))
    (2, 8)
    >>> try:
    ...     parse("[" * 100 + "]" * 100, "deep.yaml")
    ... except YamlProblem as problem:
    ...     print(problem.diagnostics[0].render())
    deep.yaml:1:65: GR006 mappings and lists are nested more than 64 levels deep here
        help: a profile needs a handful of levels; flatten the structure
    """
    if len(text) > MAX_BYTES or (len(text) > MAX_BYTES // 4 and len(text.encode("utf-8", "replace")) > MAX_BYTES):
        raise YamlProblem([_too_large(file)])
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        line, col = _offset_position(text, bad.start())
        raise YamlProblem(
            [
                Diagnostic(
                    file,
                    line,
                    col,
                    "GR002",
                    f"the file is not valid YAML: control character U+{ord(bad.group()):04X} is not allowed",
                    "remove it; in a quoted string write it as an escape such as `\\t`",
                )
            ]
        )
    builder = _Builder(file)
    libyaml = CParser
    try:
        try:
            builder.run((libyaml or _PureParser)(text))
        except yaml.MarkedYAMLError as exc:
            if libyaml is None or exc.problem_mark is None or "maximum nesting depth" not in str(exc.problem):
                raise
            # libyaml stops at 1,000 open levels while it looks ahead, before the events that pass
            # MAX_DEPTH reach the builder; the text before that point holds them.
            builder = _Builder(file)
            with contextlib.suppress(yaml.MarkedYAMLError):
                builder.run(libyaml(_before(text, exc.problem_mark)))
            raise
    except _TooDeep as exc:
        line, col = _mark(exc.mark)
        builder.problems.append(_deep(file, line, col))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _mark(mark)
        what = (exc.problem or "malformed YAML").strip()
        builder.problems.append(
            Diagnostic(
                file,
                line,
                col,
                "GR002",
                f"the file is not valid YAML: {what}",
                exc.context.strip() if exc.context else None,
            )
        )
    except yaml.YAMLError as exc:  # pragma: no cover - the reader's checks ran above
        builder.problems.append(Diagnostic(file, 1, 1, "GR002", f"the file is not valid YAML: {exc}"))
    except _Stop:
        pass
    if builder.problems:
        raise YamlProblem(builder.problems)
    return builder.doc


def _before(text: str, mark: yaml.Mark) -> str:
    """The text before ``mark`` (str.splitlines breaks lines where YAML does, once controls are out)."""
    lines = text.splitlines(keepends=True)
    return "".join(lines[: mark.line]) + lines[mark.line][: mark.column] if mark.line < len(lines) else text


def _mark(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[offset]`` (or of the end of ``text``, if shorter)."""
    offset = min(offset, len(text))
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _deep(file: str, line: int, col: int) -> Diagnostic:
    return Diagnostic(
        file,
        line,
        col,
        "GR006",
        f"mappings and lists are nested more than {MAX_DEPTH} levels deep here",
        "a profile needs a handful of levels; flatten the structure",
    )


def _explicit_tag(event: Event) -> bool:
    tag = getattr(event, "tag", None)
    if tag is None:
        return False
    implicit = getattr(event, "implicit", True)
    if isinstance(implicit, tuple):
        return not any(implicit)
    return not implicit


class _Stop(Exception):
    """The builder has seen enough: its problems say why."""


_DISCARD: Any = object()  # the path of a value that is reported and thrown away, or its mapping key
_EXPECT_KEY: Any = object()  # a mapping's `key` while its next node is a key
_NUMERIC_START = frozenset("0123456789+-.")


class _Frame:
    """An open mapping or sequence."""

    __slots__ = ("container", "is_key", "is_map", "key", "path")

    def __init__(self, container: dict[Any, Any] | list[Any], path: Any, is_key: bool) -> None:
        self.container = container
        self.is_map = isinstance(container, dict)
        self.path = path  # where it is in the data, or _DISCARD
        self.is_key = is_key  # a collection used as a mapping key: reported, and its value dropped
        # A mapping alternates keys and values: _EXPECT_KEY, then the key (or _DISCARD) while its
        # value is built. A sequence keeps None.
        self.key: Any = _EXPECT_KEY if self.is_map else None


class _Builder:
    """Plain values and positions from a stream of parser events, with an explicit stack."""

    def __init__(self, file: str) -> None:
        self.doc = Document(file, None)
        self.problems: list[Diagnostic] = []

    def problem(self, line: int, col: int, code: str, message: str, help: str | None = None) -> None:
        self.problems.append(Diagnostic(self.doc.file, line, col, code, message, help))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _Stop

    def run(self, parser: _EventSource) -> None:
        values = self.doc.values
        stack: list[_Frame] = []
        top: _Frame | None = None
        documents = count = 0
        get_event = parser.get_event
        while True:
            event: Any = get_event()
            kind = type(event)
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                top = stack[-1] if stack else None
                if frame.is_key:
                    assert top is not None
                    top.key = _DISCARD
                elif top is not None and top.is_map:
                    top.key = _EXPECT_KEY
                continue
            if kind is not ScalarEvent and kind is not MappingStartEvent and kind is not SequenceStartEvent:
                if kind is StreamEndEvent:
                    return
                if kind is DocumentStartEvent:
                    documents += 1
                elif kind is AliasEvent:
                    line, col = event.start_mark.line + 1, event.start_mark.column + 1
                    self.problem(
                        line, col, "GR004", "aliases are not allowed in profiles", "write the value out in full"
                    )
                    if top is not None and top.is_map:  # already reported: drop its value quietly
                        top.key = _DISCARD if top.key is _EXPECT_KEY else _EXPECT_KEY
                continue  # StreamStart and DocumentEnd carry nothing
            line, col = event.start_mark.line + 1, event.start_mark.column + 1
            if documents > 1:
                self.problem(
                    line, col, "GR004", "a profile is one YAML document", "remove the `---` and what follows it"
                )
                raise _Stop
            if event.anchor or (event.tag is not None and _explicit_tag(event)):
                self._construct(event, line, col)
            count += 1
            if count > MAX_NODES:
                self.problem(
                    line,
                    col,
                    "GR005",
                    f"the file has more than {MAX_NODES:,} keys and values",
                    "split it or remove what does not belong in it",
                )
                raise _Stop
            if top is not None and top.key is _EXPECT_KEY:
                self._key(event, top, stack, line, col)
                top = stack[-1]
                continue
            if top is None:
                path: Any = ()
            elif top.path is _DISCARD or top.key is _DISCARD:
                path = _DISCARD
            elif top.is_map:
                path = (*top.path, top.key)
            else:
                path = (*top.path, len(top.container))
            if path is not _DISCARD:
                values[path] = (line, col)
            value: Any
            if kind is ScalarEvent:
                text: str = event.value
                if len(text) > MAX_SCALAR:
                    value = None
                    self._too_long(text, line, col)
                elif event.style:  # quoted and block scalars are always strings
                    value = text
                else:
                    value = self._plain(text, line, col)
            else:
                if len(stack) >= MAX_DEPTH:
                    self.problems.append(_deep(self.doc.file, line, col))
                    raise _Stop
                value = {} if kind is MappingStartEvent else []
            if top is None:
                self.doc.data = value
            elif path is not _DISCARD:
                if top.is_map:
                    top.container[top.key] = value
                else:
                    top.container.append(value)  # type: ignore[union-attr]
            if kind is ScalarEvent:
                if top is not None and top.is_map:
                    top.key = _EXPECT_KEY
            else:
                top = _Frame(value, path, False)
                stack.append(top)

    def _key(
        self,
        event: Any,
        top: _Frame,
        stack: list[_Frame],
        line: int,
        col: int,
    ) -> None:
        """The key of the mapping ``top``: recorded, or reported and its value marked to be dropped."""
        if type(event) is not ScalarEvent:
            if top.path is not _DISCARD:
                self.problem(line, col, "GR012", "mapping keys must be plain strings")
            if len(stack) >= MAX_DEPTH:
                self.problems.append(_deep(self.doc.file, line, col))
                raise _Stop
            stack.append(_Frame({} if type(event) is MappingStartEvent else [], _DISCARD, True))
            return
        key: str = event.value
        if len(key) > MAX_SCALAR:
            self._too_long(key, line, col)
            top.key = _DISCARD
            return
        if top.path is _DISCARD:
            top.key = _DISCARD
            return
        where = (*top.path, key)
        keys = self.doc.keys
        if key in top.container:
            first = keys[where]
            self.problem(line, col, "GR003", f"duplicate key `{key}`", f"it was first given at line {first[0]}")
            top.key = _DISCARD
            return
        keys[where] = (line, col)
        top.key = key

    def _construct(self, event: Any, line: int, col: int) -> None:
        if event.anchor:
            self.problem(
                line, col, "GR004", f"anchor `&{event.anchor}` is not allowed in profiles", "remove the anchor"
            )
        if event.tag is not None and _explicit_tag(event):
            self.problem(
                line,
                col,
                "GR004",
                f"tag `{event.tag}` is not allowed in profiles",
                "remove the tag; profiles hold plain data only",
            )

    def _too_long(self, text: str, line: int, col: int) -> None:
        """Report an over-long scalar (its value is None: the file is rejected anyway)."""
        self.problem(
            line,
            col,
            "GR007",
            f"a scalar of {len(text):,} characters; at most {MAX_SCALAR:,} are allowed",
            "profiles hold short values; keep long texts in the source document",
        )

    def _plain(self, text: str, line: int, col: int) -> Any:
        """A plain scalar as YAML 1.2's core schema reads it (timestamps stay strings)."""
        if text in _NULLS:
            return None
        if text in _BOOLS:
            return _BOOLS[text]
        if text[0] not in _NUMERIC_START:
            return text
        if _INT.match(text):
            digits = len(text.lstrip("+-"))
            if digits > MAX_INT_DIGITS:
                self.problem(
                    line,
                    col,
                    "GR007",
                    f"the integer `{text[:12]}…` has {digits:,} digits; at most {MAX_INT_DIGITS} are allowed",
                    "quote it if it is meant as text",
                )
                return None
            return int(text)
        if _FLOAT.match(text) and any(c.isdigit() for c in text):
            return float(text)
        return text
