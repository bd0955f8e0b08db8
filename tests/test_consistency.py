"""Keep the registry, the profiles, the docs and the code in step."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import govrules
from govrules import vocabulary as v
from govrules.diagnostics import CODES


def city_words() -> re.Pattern[str]:
    """Every way a bundled city is named: its profile id, its name with and without 市, and the
    one-character abbreviation in the forms the texts use (离郑, 郑政文, 出洛 …)."""
    words: set[str] = set()
    for pid in govrules.profiles():
        city = govrules.load(pid).spec.profile.city
        short = city.removesuffix("市")
        words |= {pid, city, short, f"离{short[0]}", f"出{short[0]}", f"{short[0]}政"}
    return re.compile("|".join(sorted(map(re.escape, words))), re.IGNORECASE)


def test_no_python_module_names_a_city(root: Path) -> None:
    pattern = city_words()
    hits = [
        f"{path.relative_to(root)}:{n}"
        for path in (root / "src" / "govrules").rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not hits


def test_the_city_check_catches_abbreviations() -> None:
    pattern = city_words()
    for text in ("出市（离郑、离洛、离朝）", "郑政文〔2020〕31号", "Jining", "衢州市"):
        assert pattern.search(text), text


def test_error_code_table_matches_the_code(root: Path) -> None:
    text = (root / "docs" / "error-codes.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| `(GR\d{3})` \| (.+?) \|", text, re.MULTILINE))
    assert documented == CODES


def test_every_emitted_code_is_registered(root: Path) -> None:
    emitted = set()
    for path in (root / "src" / "govrules").rglob("*.py"):
        emitted |= set(re.findall(r'"(GR\d{3})"', path.read_text(encoding="utf-8")))
    assert emitted <= set(CODES)
    assert set(CODES) - emitted == set(), "registered codes that nothing emits"


def test_readme_lists_every_bundled_profile(root: Path) -> None:
    readme = (root / "README.md").read_text(encoding="utf-8")
    for pid in govrules.profiles():
        gov = govrules.load(pid)
        assert f"`{pid}`" in readme and gov.name in readme, pid


def test_profile_format_doc_lists_every_condition_value(root: Path) -> None:
    doc = (root / "docs" / "profile-format.md").read_text(encoding="utf-8")
    for table in (v.ISSUERS, v.KINDS, v.RECIPIENTS, v.MEETINGS, v.URGENCIES, v.FLAGS, v.SEALS):
        for key in table:
            assert f"`{key}`" in doc, key
    for role in v.SHARED_ROLES:
        assert f"`{role}`" in doc, role


def test_profiles_look_alike(root: Path) -> None:
    """Same top-level sections in the same order."""
    order = ["profile", "roles", "signing", "seals", "substitution", "approvals", "deadlines", "meetings", "compliance"]
    for path in sorted((root / "profiles").glob("*.yaml")):
        keys = re.findall(r"^([a-z_]+):", path.read_text(encoding="utf-8"), re.MULTILINE)
        assert keys == [k for k in order if k in keys], path.name
        assert keys[:3] == ["profile", "roles", "signing"], path.name


def test_every_quote_is_in_its_seed(root: Path) -> None:
    tool = root.parent / "shared" / "tools" / "check_quotes.py"
    if not tool.is_file():
        pytest.skip("the shared quote checker is not beside this checkout")
    result = subprocess.run([sys.executable, str(tool)], cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("tool", ["ruff", "mypy"])
def test_code_quality(root: Path, tool: str) -> None:
    exe = shutil.which(tool, path=str(Path(sys.executable).parent)) or shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed (pip install -e '.[dev]')")
    argv = [exe, "check", "src", "tests"] if tool == "ruff" else [exe]
    result = subprocess.run(argv, cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
