"""Analysis for notebooks and audits: compare profiles, sweep a family's finite domain, diff two
profiles, find absence gaps, verify a profile over every domain, and draw delegation graphs.

pandas is imported only by the functions that return tables (``pip install 'govrules[notebook]'``).
"""

from __future__ import annotations

from govrules.analysis.compare import compare
from govrules.analysis.diff import Change, ProfileDiff, diff
from govrules.analysis.draw import Drawing, draw
from govrules.analysis.gaps import Gap, gaps
from govrules.analysis.sweep import sweep
from govrules.analysis.verify import Counterexample, VerifyReport, verify, verify_source

__all__ = [
    "Change",
    "Counterexample",
    "Drawing",
    "Gap",
    "ProfileDiff",
    "VerifyReport",
    "compare",
    "diff",
    "draw",
    "gaps",
    "sweep",
    "verify",
    "verify_source",
]
