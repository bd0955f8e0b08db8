"""Release hygiene: the licence, the changelog, the version and the versioning policy stay in step."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

import govrules

# The regular expression semver.org suggests for a SemVer 2.0.0 version.
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
SECTION = re.compile(r"^## \[(?P<name>[^\]]+)\](?: - (?P<date>\S+))?[ \t]*$", re.MULTILINE)
KINDS = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")


@dataclass(frozen=True)
class Section:
    name: str
    date: str | None
    body: str

    def entries(self) -> list[str]:
        return re.findall(r"^- \S.*$", self.body, re.MULTILINE)


def precedence(version: str) -> tuple[Any, ...]:
    """SemVer 2.0.0 precedence (section 11): a pre-release ranks below its release; build metadata is ignored."""
    match = SEMVER.match(version)
    assert match, version
    major, minor, patch, pre = int(match[1]), int(match[2]), int(match[3]), match[4]
    if pre is None:
        return (major, minor, patch, 1, ())
    # Numeric identifiers rank below alphanumeric ones; a shorter run of equal identifiers ranks lower.
    return (major, minor, patch, 0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")))


def sections(text: str) -> list[Section]:
    found = list(SECTION.finditer(text))
    ends = [m.start() for m in found[1:]] + [len(text)]
    return [Section(m["name"], m["date"], text[m.end() : end]) for m, end in zip(found, ends, strict=True)]


def pyproject_version(root: Path) -> str:
    with (root / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


@pytest.fixture(scope="module")
def changelog(root: Path) -> str:
    return (root / "CHANGELOG.md").read_text(encoding="utf-8")


def test_precedence_follows_the_semver_example() -> None:
    # semver.org, section 11.4.
    chain = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11"]
    chain += ["1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"]
    assert sorted(reversed(chain), key=precedence) == chain
    assert not SEMVER.match("1.0") and not SEMVER.match("01.0.0") and not SEMVER.match("v1.0.0")


def test_licence_is_mit(root: Path) -> None:
    text = (root / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 govrules developers" in text
    assert "Permission is hereby granted, free of charge, to any person obtaining a copy" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text
    with (root / "pyproject.toml").open("rb") as f:
        assert tomllib.load(f)["project"]["license"] == "MIT"


def test_changelog_follows_keep_a_changelog(changelog: str) -> None:
    assert changelog.startswith("# Changelog\n")
    assert "[Keep a Changelog](https://keepachangelog.com/en/1.1.0/)" in changelog
    assert "[Semantic Versioning](https://semver.org/spec/v2.0.0.html)" in changelog
    found = sections(changelog)
    assert found, "no `## [version]` sections"
    names = [s.name for s in found]
    assert "Unreleased" not in names[1:], "Unreleased goes at the top"
    for section in found:
        kinds = re.findall(r"^### (.+?)\s*$", section.body, re.MULTILINE)
        assert kinds, f"{section.name}: no `### Added`/`### Changed`/… subsection"
        assert set(kinds) <= set(KINDS), (section.name, kinds)
        assert len(kinds) == len(set(kinds)), f"{section.name}: a subsection twice"
        # An empty subsection is a placeholder: every heading needs at least one entry under it.
        for kind, block in zip(kinds, re.split(r"^### .+$", section.body, flags=re.MULTILINE)[1:], strict=True):
            assert re.search(r"^- \S", block, re.MULTILINE), f"{section.name}: `### {kind}` lists nothing"


def test_unreleased_lists_what_changed(root: Path, changelog: str) -> None:
    found = sections(changelog)
    if found[0].name != "Unreleased":
        # Only right after a release, until the next change opens the section again.
        assert found[0].name == pyproject_version(root), "no `## [Unreleased]` section at the top"
        return
    assert found[0].date is None
    assert len(found[0].entries()) >= 1, "an empty Unreleased section: list the change, or drop the heading"


def test_released_versions_are_semver_and_descending(changelog: str) -> None:
    released = [s for s in sections(changelog) if s.name != "Unreleased"]
    assert released, "no released version"
    for section in released:
        assert SEMVER.match(section.name), f"`{section.name}` is not a SemVer version"
        assert section.date is not None, f"{section.name}: no release date"
        dt.date.fromisoformat(section.date)  # YYYY-MM-DD
    versions = [precedence(s.name) for s in released]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions)
    dates = [s.date or "" for s in released]
    assert dates == sorted(dates, reverse=True)


def test_pyproject_version_is_released_or_unreleased(root: Path, changelog: str) -> None:
    version = pyproject_version(root)
    assert SEMVER.match(version), version
    found = sections(changelog)
    released = [s.name for s in found if s.name != "Unreleased"]
    if version in released:
        assert version == released[0], f"pyproject says {version}, but {released[0]} has been released"
    else:
        assert found[0].name == "Unreleased", f"{version} is neither released nor under way"
        assert not released or precedence(version) > precedence(released[0])


def test_version_is_the_pyproject_version(root: Path) -> None:
    assert govrules.__version__ == pyproject_version(root)
    assert "__version__" in govrules.__all__


@dataclass
class FakeDistribution:
    version: str
    package: Path

    def locate_file(self, path: str) -> Path:
        assert path == "govrules/__init__.py"
        return self.package


def _installed(monkeypatch: pytest.MonkeyPatch, dist: FakeDistribution | None) -> None:
    def distribution(name: str) -> FakeDistribution:
        assert name == "govrules"
        if dist is None:
            raise metadata.PackageNotFoundError(name)
        return dist

    monkeypatch.setattr(metadata, "distribution", distribution)


def test_version_comes_from_metadata_that_describes_this_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(monkeypatch, FakeDistribution("9.8.7", Path(govrules.__file__)))
    assert govrules._version() == "9.8.7"


@pytest.mark.parametrize("other", [True, False], ids=["another-copy-installed", "not-installed"])
def test_a_source_tree_reads_its_own_pyproject(
    monkeypatch: pytest.MonkeyPatch, root: Path, tmp_path: Path, other: bool
) -> None:
    # A checkout on PYTHONPATH beside another install (as in a shared development venv) must not
    # report that install's version.
    elsewhere = tmp_path / "site-packages" / "govrules" / "__init__.py"
    _installed(monkeypatch, FakeDistribution("9.8.7", elsewhere) if other else None)
    assert govrules._version() == pyproject_version(root)


def test_without_a_source_tree_the_installed_metadata_is_the_last_guess(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    vendored = tmp_path / "app" / "lib" / "govrules" / "__init__.py"
    vendored.parent.mkdir(parents=True)
    (tmp_path / "app" / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "3.0.0"\n')
    monkeypatch.setattr(govrules, "__file__", str(vendored))
    _installed(monkeypatch, FakeDistribution("9.8.7", tmp_path / "site-packages" / "govrules" / "__init__.py"))
    assert govrules._version() == "9.8.7"  # another project's pyproject is not ours
    _installed(monkeypatch, None)
    assert govrules._version() == "0+unknown"


def test_policy_and_changelog_are_linked(root: Path) -> None:
    readme = (root / "README.md").read_text(encoding="utf-8")
    for target in ("docs/versioning.md", "CHANGELOG.md", "LICENSE"):
        assert f"]({target})" in readme, target
    for doc in (root / "CHANGELOG.md", root / "docs" / "versioning.md"):
        for target in re.findall(r"\]\(([^)#:]+)\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).is_file(), f"{doc.name} links to missing {target}"
