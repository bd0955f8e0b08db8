"""The CI script and the test switches: slow tests opt-in locally, always on in CI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = """
import pytest

@pytest.mark.slow
def test_slow():
    pass

def test_quick():
    pass
"""


@pytest.fixture(scope="module")
def sample(root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with this suite's conftest, one slow test and one quick one."""
    project = tmp_path_factory.mktemp("project")
    (project / "tests").mkdir()
    shutil.copy(root / "tests" / "conftest.py", project / "tests" / "conftest.py")
    (project / "tests" / "test_sample.py").write_text(SAMPLE, encoding="utf-8")
    (project / "pytest.ini").write_text("[pytest]\nmarkers =\n    slow: slow\n", encoding="utf-8")
    return project


def _pytest(project: Path, *args: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "GOVRULES_SLOW", "PYTEST_ADDOPTS")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "tests", *args],
        cwd=project,
        env={**clean, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_slow_tests_are_skipped_locally_saying_how_to_run_them(sample: Path) -> None:
    out = _pytest(sample)
    assert "1 passed, 1 skipped" in out
    assert "run with `pytest --runslow` or GOVRULES_SLOW=1" in out
    assert "1 passed, 1 skipped" in _pytest(sample, CI="false")


@pytest.mark.parametrize(
    ("args", "env"),
    [(("--runslow",), {}), ((), {"GOVRULES_SLOW": "1"}), ((), {"CI": "true"})],
    ids=["--runslow", "GOVRULES_SLOW=1", "CI=true"],
)
def test_slow_tests_run_when_asked_and_in_ci(sample: Path, args: tuple[str, ...], env: dict[str, str]) -> None:
    assert "2 passed" in _pytest(sample, *args, **env)


def test_ci_runs_the_readme_quick_start_first_and_exactly(root: Path) -> None:
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    command = block.group(1).strip().splitlines()[1]
    script = (root / ".ci" / "run").read_text(encoding="utf-8")
    first = re.search(r'bash -c "([^"]*)"', script)  # the first run
    assert first is not None and first.group(1) == command
    for version in ("3.11", "3.12", "3.13"):
        assert version in script
    assert subprocess.run(["bash", "-n", str(root / ".ci" / "run")], check=False).returncode == 0
