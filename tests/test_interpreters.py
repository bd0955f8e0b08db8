"""Which interpreters govrules loads on, and what it says where it cannot."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _run(code: str, root: Path, *path: Path, python: str = sys.executable) -> subprocess.CompletedProcess[str]:
    pythonpath = os.pathsep.join([*map(str, path), str(root / "src")])
    env = {**os.environ, "PYTHONPATH": pythonpath}
    return subprocess.run([python, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=False)


def _interpreter(version: str) -> str | None:
    """A runnable `python<version>`: on the PATH, or installed by pyenv (whose shims refuse inactive versions)."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    builds = sorted(root.glob(f"versions/{version}.*/bin/python3"))
    for candidate in [shutil.which(f"python{version}"), *map(str, builds)]:
        if candidate and subprocess.run([candidate, "-c", "pass"], capture_output=True, check=False).returncode == 0:
            return candidate
    return None


def test_an_interpreter_older_than_3_11_is_refused_with_a_reason(root: Path) -> None:
    python = _interpreter("3.10")
    if python is None:
        pytest.skip("no python3.10 on this machine")
    result = _run("import govrules", root, python=python)
    assert result.returncode != 0
    assert "govrules needs CPython 3.11 or newer" in result.stderr


def test_the_c_core_is_loaded_with_lazy_binding_and_the_flags_restored(root: Path) -> None:
    """Lazy binding is what lets durable-rules' C core import on 3.13 (`PyEval_CallObject` is gone)."""
    code = (
        "import os, sys\n"
        "calls = []\n"
        "real = sys.setdlopenflags\n"
        "sys.setdlopenflags = lambda flags: (calls.append(flags), real(flags))\n"
        "before = sys.getdlopenflags()\n"
        "import govrules\n"
        "print(before, sys.getdlopenflags(), *calls)\n"
    )
    result = _run(code, root)
    assert result.returncode == 0, result.stderr
    before, after, *calls = map(int, result.stdout.split())
    assert after == before
    assert len(calls) == 2 and calls[-1] == before
    assert calls[0] & os.RTLD_LAZY and not calls[0] & os.RTLD_NOW


def test_an_engine_that_cannot_load_is_refused_at_import_with_the_reason(root: Path, tmp_path: Path) -> None:
    (tmp_path / "durable_rules_engine.py").write_text(
        'raise ImportError("durable_rules_engine.so: undefined symbol: PyEval_Frobnicate")\n', encoding="utf-8"
    )
    code = (
        "try:\n"
        "    import govrules\n"
        "except ImportError as exc:\n"
        "    print(type(exc).__name__, [c.__name__ for c in type(exc).__mro__])\n"
        "    print(exc)\n"
    )
    result = _run(code, root, tmp_path)
    assert result.returncode == 0, result.stderr
    head, message = result.stdout.split("\n", 1)
    assert head.startswith("EngineUnavailable") and "GovrulesError" in head
    assert message.startswith("govrules cannot load its rule engine, the C core of durable-rules")
    assert "undefined symbol: PyEval_Frobnicate" in message
    assert "help: `pip install durable-rules==2.0.28` builds it from source" in message
