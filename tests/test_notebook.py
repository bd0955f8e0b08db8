"""The example notebook runs from top to bottom (and is stored without outputs)."""

from __future__ import annotations

import json
import os

import pytest

from .conftest import ROOT

NOTEBOOK = ROOT / "examples" / "compare-cities.ipynb"


def test_the_notebook_is_stored_without_outputs() -> None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    assert all(
        c.get("outputs", []) == [] and c.get("execution_count") is None for c in cells if c["cell_type"] == "code"
    )


def test_the_notebook_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")

    # the `python3` kernel is ipykernel's own, on this interpreter; this checkout's sources come first
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = json.dumps([o.get("data", {}) for o in outputs], ensure_ascii=False)
    assert "image/svg+xml" in shown and "text/html" in shown
