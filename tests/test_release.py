"""Release hygiene: the licence, the changelog, the version and the versioning policy stay in step."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest

import govrules


def pyproject_version(root: Path) -> str:
    with (root / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


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
