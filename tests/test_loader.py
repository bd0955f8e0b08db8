"""The YAML loader: YAML 1.2 scalars, positions, and refusal of what profiles may not contain."""

from __future__ import annotations

from pathlib import Path

import pytest

import govrules
from govrules.loader import MAX_BYTES, YamlProblem, parse, read
from govrules.validate import check_file


def test_yaml_1_2_booleans_only() -> None:
    doc = parse("a: yes\nb: no\nc: on\nd: off\ne: true\nf: False\ng: y\n", "x.yaml")
    assert doc.data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": True, "f": False, "g": "y"}


def test_dates_stay_strings_and_numbers_are_numbers() -> None:
    doc = parse("d: 2024-01-02\ni: 52\nf: 1.5\nn: null\nq: '52'\ne: ~\n", "x.yaml")
    assert doc.data == {"d": "2024-01-02", "i": 52, "f": 1.5, "n": None, "q": "52", "e": None}


def test_positions_are_one_based_line_and_column() -> None:
    doc = parse("top:\n  items:\n    - first\n    - second\n", "x.yaml")
    assert doc.position(("top", "items", 1)) == (4, 7)
    assert doc.position(("top", "items"), key=True) == (2, 3)
    # a path the data lacks resolves to its nearest ancestor
    assert doc.position(("top", "items", 9)) == (3, 5)


def test_alias_bomb_is_refused_before_expansion() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n"
    with pytest.raises(YamlProblem) as info:
        parse(bomb, "bomb.yaml")
    assert {d.code for d in info.value.diagnostics} == {"GR004"}


def test_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("x: " + "a" * MAX_BYTES, encoding="utf-8")
    _spec, diagnostics = check_file(path)
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("GR005", 1, 1)]


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    _spec, diagnostics = check_file(tmp_path / "missing.yaml")
    assert [d.code for d in diagnostics] == ["GR001"]
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: 市".encode("gb18030"))
    with pytest.raises(YamlProblem) as info:
        read(latin)
    assert info.value.diagnostics[0].code == "GR001"
    assert "UTF-8" in info.value.diagnostics[0].message


def test_multiple_documents_are_refused() -> None:
    with pytest.raises(YamlProblem) as info:
        parse("a: 1\n---\nb: 2\n", "x.yaml")
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.line) == ("GR004", 3)


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    _spec, diagnostics = check_file(path)
    assert [d.code for d in diagnostics] == ["GR012"]


def test_load_raises_profile_error_with_every_diagnostic(tmp_path: Path, root: Path) -> None:
    text = (root / "tests" / "fixtures" / "valid" / "sample.yaml").read_text(encoding="utf-8")
    bad = text.replace("roles: [mayor, executive_vice_mayor]", "roles: [mayer, executive_vice_mayor]")
    bad = bad.replace("  city: 示例市\n", "  city: 示例市\n  colour: red\n")
    path = tmp_path / "sample.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(govrules.ProfileError) as info:
        govrules.load(path)
    # the shape error stops the semantic pass; fixing it reveals the role
    assert [d.code for d in info.value.diagnostics] == ["GR010"]
    assert str(path) in str(info.value)
    path.write_text(bad.replace("  colour: red\n", ""), encoding="utf-8")
    with pytest.raises(govrules.ProfileError) as info:
        govrules.load(path)
    assert [d.code for d in info.value.diagnostics] == ["GR022"]
    assert isinstance(info.value, ValueError)


def test_loading_the_same_content_twice_reuses_the_profile(tmp_path: Path, root: Path) -> None:
    src = root / "tests" / "fixtures" / "valid" / "sample.yaml"
    path = tmp_path / "sample.yaml"
    path.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    assert govrules.load(path) is govrules.load(path)


def test_the_same_text_from_another_path_shares_the_compiled_profile(tmp_path: Path, root: Path) -> None:
    text = (root / "tests" / "fixtures" / "valid" / "sample.yaml").read_text(encoding="utf-8")
    first, second = tmp_path / "a" / "sample.yaml", tmp_path / "b" / "sample.yaml"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    one, two = govrules.load(first), govrules.load(second)
    assert one is not two and (one.source, two.source) == (str(first), str(second))
    assert one.spec is two.spec and one.compiled is two.compiled  # validated and compiled once
    assert govrules.load(second) is two
    assert two.sign(govrules.Document(kind="notice")) == one.sign(govrules.Document(kind="notice"))


def test_the_same_text_under_another_file_name_is_still_checked(tmp_path: Path, root: Path) -> None:
    text = (root / "tests" / "fixtures" / "valid" / "sample.yaml").read_text(encoding="utf-8")
    (tmp_path / "sample.yaml").write_text(text, encoding="utf-8")
    govrules.load(tmp_path / "sample.yaml")
    (tmp_path / "other.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(govrules.ProfileError) as info:
        govrules.load(tmp_path / "other.yaml")
    assert [d.code for d in info.value.diagnostics if d.severity == "error"] == ["GR028"]
