"""Build the wheel, install it into a fresh virtual environment outside the repository, use it."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest


@pytest.mark.slow
def test_wheel_installs_and_loads_every_profile(root: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(root)],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = dist.glob("govrules-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True)
    script = (
        "import govrules, json; ids = govrules.profiles(); "
        "routes = {i: govrules.load(i).name for i in ids}; "
        "r = govrules.load('quzhou').sign(govrules.Document(kind='regulation')); "
        "print(json.dumps({'ids': ids, 'signers': r.signers, 'file': govrules.__file__}))"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: val for k, val in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [str(python), "-c", script], cwd=elsewhere, env=env, check=True, capture_output=True, text=True
    )
    import json

    data = json.loads(out.stdout)
    assert data["ids"] == ["chaoyang", "jining", "luoyang", "quzhou", "zhengzhou"]
    assert data["signers"] == ["mayor"]
    assert str(env_dir) in data["file"]
    cli = subprocess.run(
        [str(env_dir / "bin" / "govrules"), "list"], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    )
    assert len(cli.stdout.splitlines()) == 5


@pytest.mark.slow
def test_pre_commit_hook_runs_against_the_bundled_profiles(root: Path, tmp_path: Path) -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    profiles = sorted(str(p.relative_to(root)) for p in (root / "profiles").glob("*.yaml"))
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [str(pre_commit), "try-repo", str(root), "govrules-validate", "--files", *profiles],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "govrules validate" in result.stdout
    assert "Passed" in result.stdout
