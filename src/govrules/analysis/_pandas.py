"""pandas, which only the table-returning analysis functions need (the `notebook` extra)."""

from __future__ import annotations

import importlib.util


def require_pandas() -> None:
    """Return if pandas can be imported; otherwise an ImportError that says how to install it."""
    if importlib.util.find_spec("pandas") is None:
        raise ImportError(
            "this govrules function returns a pandas DataFrame, and pandas is not installed: "
            "pip install 'govrules[notebook]'"
        )
