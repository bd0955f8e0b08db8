"""Hostile input: every YAML reader refuses it with a located diagnostic, and nothing else happens.

The corpus is ``tests/fixtures/hostile/``: its ``manifest.yaml`` pairs each file with the first
diagnostic ``[code, line, column]`` it must produce. Files too large to commit, and paths that are
not regular files, are written at run time by :data:`GENERATORS`. Every case goes through every
reader, and through ``load`` on the pure-Python parser too. How long each case takes and
how much memory it costs is measured by ``benchmarks/bench_hostile.py``, never asserted here.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import govrules
from govrules import loader
from govrules.cli import main
from govrules.diagnostics import Diagnostic
from govrules.errors import ProfileError
from govrules.scenarios import read_scenarios
from govrules.sources import MAX_SOURCE_BYTES, check_quotes
from govrules.validate import check_file

from .conftest import FIXTURES

CORPUS = FIXTURES / "hostile"
Expected = tuple[str, int, int]


def _write(text: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(text, encoding="utf-8")


def _sparse(path: Path) -> None:
    with path.open("wb") as f:
        f.truncate(50 << 20)  # 50 MiB that cost no disk: only the size is ever looked at


def _symlink_to_dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


#: How each ``generated`` entry of the manifest is written (into a fresh folder).
GENERATORS: dict[str, Callable[[Path], None]] = {
    "deep_flow_200k.yaml": _write("[" * 100_000 + "]" * 100_000),
    "deep_flow_mapping_200k.yaml": _write("{a: " * 50_000 + "x" + "}" * 50_000),
    "deep_block_1mb.yaml": _write("".join(" " * i + "a:\n" for i in range(1_400))),
    "deep_block_compact.yaml": _write("- " * 300_000 + "x\n"),
    "huge_integer_900k.yaml": _write("articles: " + "9" * 900_000 + "\n"),
    "long_string.yaml": _write("name: " + "x" * 900_000 + "\n"),
    "long_key.yaml": _write("k" * 20_000 + ": v\n"),
    "too_many_values.yaml": _write("[" + "1, " * 300_000 + "1]\n"),
    "too_many_keys.yaml": _write("".join(f"k{i}: {i}\n" for i in range(12_000))),
    "alias_flood.yaml": _write("a: &a x\nb: [" + "*a, " * 250_000 + "*a]\n"),
    "duplicate_flood.yaml": _write("a: 1\n" * 200_000),
    "oversized.yaml": _write("# padding\n" * (loader.MAX_BYTES // 10 + 1)),
    "oversized_sparse_50mb.yaml": _sparse,
    "fifo.yaml": os.mkfifo,
    "dev_zero.yaml": _symlink_to_dev_zero,
    "folder.yaml": Path.mkdir,
}


def manifest() -> dict[str, dict[str, Expected]]:
    """``{"files": {name: (code, line, column)}, "generated": {...}}`` from the corpus manifest."""
    data = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    return {part: {name: (str(c), int(line), int(col)) for name, (c, line, col) in data[part].items()} for part in data}


def materialise(folder: Path) -> list[tuple[str, Path, Expected]]:
    """Every case of the corpus as ``(name, path, expected)``; generated ones are written to ``folder``."""
    table = manifest()
    cases = [(name, CORPUS / name, expected) for name, expected in table["files"].items()]
    for name, expected in table["generated"].items():
        path = folder / name
        if not path.exists() and not path.is_symlink():
            GENERATORS[name](path)
        cases.append((name, path, expected))
    return cases


NAMES = [*manifest()["files"], *manifest()["generated"]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Expected]]:
    folder = tmp_path_factory.mktemp("hostile")
    return {name: (path, expected) for name, path, expected in materialise(folder)}


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A reader that blocks (on a pipe, say) fails the test instead of hanging the suite."""

    def fail(_signum: int, _frame: object) -> None:
        raise TimeoutError("a reader blocked on hostile input")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(params=["libyaml", "pure"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "libyaml":
        if loader.CParser is None:
            pytest.skip("PyYAML was built without libyaml")
    else:
        monkeypatch.setattr(loader, "CParser", None)
    return str(request.param)


# -- the readers -------------------------------------------------------------------------------


def _raised(call: Callable[[], object]) -> list[Diagnostic]:
    with pytest.raises(ProfileError) as info:
        call()
    return list(info.value.diagnostics)


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _validate(path: Path) -> list[Diagnostic]:
    code, out, _err = _cli(["validate", "--format", "json", str(path)])
    assert code in (1, 2)
    found = json.loads(out)["diagnostics"]
    return [Diagnostic(d["file"], d["line"], d["column"], d["code"], d["message"], d["help"]) for d in found]


def _document(path: Path) -> list[Diagnostic]:
    code, _out, err = _cli(["check", govrules.profiles()[0], "--document", str(path)])
    assert code in (1, 2)
    first = err.splitlines()[0]
    where, rest = first.split(": ", 1)
    file, line, col = where.rsplit(":", 2)
    return [Diagnostic(file, int(line), int(col), rest.split(" ", 1)[0], rest.split(" ", 1)[1])]


def _quotes(path: Path) -> list[Diagnostic]:
    return check_quotes(path, FIXTURES / "sources" / "yi_style.txt")


READERS: dict[str, Callable[[Path], list[Diagnostic]]] = {
    "load": lambda path: _raised(lambda: govrules.load(path)),
    "validate": _validate,
    "roster": lambda path: _raised(lambda: govrules.Roster.from_yaml(path)),
    "absences": lambda path: _raised(lambda: govrules.absences_from_yaml(path)),
    "scenarios": lambda path: _raised(lambda: read_scenarios(path)),
    "calendar": lambda path: _raised(lambda: govrules.Calendar.from_yaml(path)),
    "document": _document,
    "quotes": _quotes,
}


def _check(found: list[Diagnostic], path: Path, expected: Expected) -> None:
    assert found, "no diagnostic"
    first = found[0]
    assert (first.code, first.line, first.column) == expected, "\n".join(d.render() for d in found)
    assert first.file == str(path)
    assert first.message[0].islower() or first.message[0] == "`", first.message
    assert len(found) <= loader.MAX_PROBLEMS + 1


# -- the corpus ----------------------------------------------------------------------------------


def test_the_manifest_and_the_corpus_agree() -> None:
    table = manifest()
    on_disk = {p.name for p in CORPUS.iterdir()} - {"manifest.yaml"}
    assert on_disk == set(table["files"])
    assert set(table["generated"]) == set(GENERATORS)
    assert not set(table["files"]) & set(table["generated"])
    # each kind of hostile input the loader knows about has a case
    codes = {code for part in table.values() for code, _line, _col in part.values()}
    assert {"GR001", "GR002", "GR003", "GR004", "GR005", "GR006", "GR007"} <= codes


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("name", NAMES)
def test_every_reader_refuses_hostile_input(corpus: dict[str, tuple[Path, Expected]], name: str, reader: str) -> None:
    path, expected = corpus[name]
    _check(READERS[reader](path), path, expected)


@pytest.mark.parametrize("name", NAMES)
def test_the_pure_python_parser_refuses_it_alike(
    corpus: dict[str, tuple[Path, Expected]], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "CParser", None)  # every reader goes through the same parse
    path, expected = corpus[name]
    _check(READERS["load"](path), path, expected)


def test_the_limits_let_the_bundled_profiles_through_with_room(root: Path) -> None:
    """The caps sit well above what real files need (ratios, so a cap cannot creep down unnoticed)."""
    deepest = nodes = longest = 0
    for path in [*(root / "profiles").glob("*.yaml"), *(root / "tests").rglob("*.yaml")]:
        if "hostile" in path.parts or "invalid" in path.parts:
            continue
        depth = count = 0
        for event in yaml.parse(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if isinstance(event, yaml.NodeEvent):
                count += 1
            if isinstance(event, yaml.ScalarEvent):
                longest = max(longest, len(event.value))
        nodes = max(nodes, count)
    assert 8 * deepest <= loader.MAX_DEPTH
    # bilingual readings and the new sections brought the largest profile near 3,000 nodes: the node
    # cap keeps four times that, and stays where the worst hostile file is refused within 100 ms
    assert 4 * nodes <= loader.MAX_NODES
    assert 16 * longest <= loader.MAX_SCALAR


def test_nothing_past_the_size_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sparse = tmp_path / "big.yaml"
    _sparse(sparse)
    calls: list[int] = []
    real_read = os.read

    def counting(fd: int, n: int) -> bytes:
        calls.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(os, "read", counting)
    with pytest.raises(loader.YamlProblem):
        loader.read(sparse)
    assert calls == []  # refused on its size alone
    # a file that grows after the size check is still cut off at the limit
    small = tmp_path / "small.yaml"
    small.write_text("a: 1\n", encoding="utf-8")
    assert loader.read_regular(small, 1 << 20) == b"a: 1\n"
    assert sum(calls) <= (1 << 20) + 1


def test_an_integer_past_pythons_own_limit_is_a_diagnostic_not_a_value_error() -> None:
    with pytest.raises(loader.YamlProblem) as info:
        loader.parse("a: " + "1" * 4_301 + "\n", "x.yaml")
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.line, diag.column) == ("GR007", 1, 4)
    assert loader.parse(f"a: {'9' * 18}\nb: -{'9' * 18}\n", "x.yaml").data == {"a": 10**18 - 1, "b": 1 - 10**18}


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path, parser: str) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\nb: [x]\n")
    doc = loader.read(path)
    assert doc.data == {"a": 1, "b": ["x"]}
    assert doc.position(("b", 0)) == (2, 5)


# -- profile.source ------------------------------------------------------------------------------


def _profile_naming(folder: Path, source: str) -> tuple[Path, Expected]:
    """A valid profile in ``folder`` whose ``profile.source`` is ``source``; where that value sits."""
    text = (FIXTURES / "sources" / "yi_style.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  articles:"))
    lines.insert(at, f"  source: {json.dumps(source)}\n")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "yi_style.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path, ("GR043", at + 1, 11)


def _place(case: str, folder: Path, outside: Path) -> str:
    """Create what ``profile.source`` names for ``case``; return the value to write in the profile."""
    folder.mkdir(parents=True, exist_ok=True)
    if case == "dev_zero":
        return "/dev/zero"
    if case == "dev_stdin":
        return "/dev/stdin"
    if case == "parent_folder":
        return "../outside.txt"
    if case == "absolute_outside":
        return str(outside)
    if case == "fifo":
        os.mkfifo(folder / "pipe.txt")
        return "pipe.txt"
    if case == "symlink_to_device":
        (folder / "zero.txt").symlink_to("/dev/zero")
        return "zero.txt"
    if case == "symlink_outside":
        (folder / "link.txt").symlink_to(outside)
        return "link.txt"
    if case == "the_folder_itself":
        return "."
    assert case == "oversized"
    with (folder / "huge.txt").open("wb") as f:
        f.truncate(MAX_SOURCE_BYTES + 1)
    return "huge.txt"


SOURCE_CASES = [
    "dev_zero",
    "dev_stdin",
    "parent_folder",
    "absolute_outside",
    "fifo",
    "symlink_to_device",
    "symlink_outside",
    "the_folder_itself",
    "oversized",
]


@pytest.mark.parametrize("case", SOURCE_CASES)
def test_profile_source_must_be_a_bounded_regular_file_beside_the_profile(tmp_path: Path, case: str) -> None:
    outside = tmp_path / "outside.txt"
    shutil.copy(FIXTURES / "sources" / "yi_style.txt", outside)
    folder = tmp_path / "profile"
    path, expected = _profile_naming(folder, _place(case, folder, outside))
    code, out, _err = _cli(["validate", "--format", "json", str(path)])
    found = [d for d in json.loads(out)["diagnostics"] if d["severity"] != "info"]
    assert code == 1
    assert [(d["code"], d["line"], d["column"], d["file"]) for d in found] == [(*expected, str(path))]
    assert "`" in found[0]["message"] and found[0]["help"]


def test_profile_source_in_a_subfolder_or_a_named_folder_is_checked(tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    (folder / "texts").mkdir(parents=True)
    shutil.copy(FIXTURES / "sources" / "yi_style.txt", folder / "texts" / "yi.txt")
    path, _where = _profile_naming(folder, "texts/yi.txt")
    _spec, diagnostics = check_file(path)
    assert {"GR040", "GR041"} <= {d.code for d in diagnostics}  # the fixture's deliberate misquotes
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.copy(FIXTURES / "sources" / "yi_style.txt", shared / "yi.txt")
    path, where = _profile_naming(folder, "../shared/yi.txt")
    refused = check_quotes(path, folder / "../shared/yi.txt")
    assert [(d.code, d.line, d.column) for d in refused] == [where]
    allowed = check_quotes(path, folder / "../shared/yi.txt", folder=shared)
    assert {"GR040", "GR041"} <= {d.code for d in allowed}
    elsewhere = check_quotes(path, folder / "../shared/yi.txt", folder=folder / "texts")
    assert [d.code for d in elsewhere] == ["GR043"]
    assert "`" + str(folder / "texts") + "`" in elsewhere[0].message


def test_a_missing_profile_source_is_reported_where_the_profile_names_it(tmp_path: Path) -> None:
    path, (_code, line, col) = _profile_naming(tmp_path, "missing.txt")
    _spec, diagnostics = check_file(path)
    assert [(d.code, d.line, d.column, d.file) for d in diagnostics if d.severity == "error"] == [
        ("GR042", line, col, str(path))
    ]


def test_validate_source_option_refuses_devices() -> None:
    profile = FIXTURES / "sources" / "yi_style.yaml"
    code, out, _err = _cli(["validate", "--format", "json", str(profile), "--source", "/dev/zero"])
    found = [d for d in json.loads(out)["diagnostics"] if d["severity"] != "info"]
    assert code == 1
    assert [(d["code"], d["file"], d["line"]) for d in found] == [("GR043", "/dev/zero", 1)]
    assert "a device, not a regular file" in found[0]["message"]


# -- the same checks hold on both parsers ------------------------------------------------------


def test_both_parsers_read_every_file_of_the_repository_alike(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if loader.CParser is None:
        pytest.skip("PyYAML was built without libyaml")
    for path in sorted([*(root / "profiles").glob("*.yaml"), *(root / "tests").rglob("*.yaml")]):
        results = []
        for parser_class in (loader.CParser, None):
            monkeypatch.setattr(loader, "CParser", parser_class)
            try:
                doc = loader.read(path)
                results.append((doc.data, doc.values, doc.keys))
            except loader.YamlProblem as problem:
                results.append([(d.code, d.line, d.column) for d in problem.diagnostics])  # type: ignore[arg-type]
        assert results[0] == results[1], path


def test_yaml_is_parsed_once(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """One pass over the parser's events: PyYAML's composer and second parse are never called."""
    for name in ("parse", "compose", "compose_all", "load", "safe_load"):
        monkeypatch.setattr(yaml, name, _forbidden)
    made: list[object] = []
    real = loader.CParser

    def counting(text: str) -> object:
        assert real is not None
        made.append(text)
        return real(text)

    if real is not None:
        monkeypatch.setattr(loader, "CParser", counting)
    text = (root / "tests" / "fixtures" / "valid" / "sample.yaml").read_text(encoding="utf-8")
    doc = loader.parse(text, "sample.yaml")
    assert doc.data["profile"]["id"] == "sample"
    assert len(made) == (1 if real is not None else 0)


def _forbidden(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the loader must not parse or compose a second time")


# PyYAML's emitter folds NEL, LS and PS (line breaks in YAML) into spaces; leave them and CR out
_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\r\x85\u2028\u2029")
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=1 - 10**loader.MAX_INT_DIGITS, max_value=10**loader.MAX_INT_DIGITS - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    # not the strings PyYAML leaves unquoted as text in YAML 1.1 that 1.2 reads as numbers (`1e5`, `09`)
    | st.text(_CHARS, max_size=30).filter(lambda s: not (loader._INT.match(s) or loader._FLOAT.match(s)))
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(_CHARS, max_size=8), inner, max_size=4),
    max_leaves=30,
)


def _paths(value: object, path: loader.Path_ = ()) -> Iterator[loader.Path_]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*path, i))


@given(data=_DATA, flow=st.booleans())
def test_what_pyyaml_writes_reads_back_the_same_on_both_parsers(data: object, flow: bool) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow)
    docs = []
    for parser_class in {loader.CParser, None}:
        saved = loader.CParser
        loader.CParser = parser_class
        try:
            docs.append(loader.parse(text, "x.yaml"))
        finally:
            loader.CParser = saved
    for doc in docs:
        assert doc.data == data
        assert set(doc.values) == set(_paths(data))
    assert all((d.values, d.keys) == (docs[0].values, docs[0].keys) for d in docs)
