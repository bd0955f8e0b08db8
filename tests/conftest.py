from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "scenarios"
FIXTURES = ROOT / "tests" / "fixtures"


def _on(name: str) -> bool:
    """An environment switch: set to anything but empty, `0`, `false`, `no` or `off`."""
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no", "off")


IN_CI = _on("CI")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


# No per-example deadline: time is measured in benchmarks/, never asserted in a test. CI runs the
# property tests with a fixed seed, so a red run can be reproduced exactly; developers' runs keep
# exploring new examples.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if IN_CI else "dev")


# Tests marked `slow` (building and installing the wheel, running the pre-commit hook) take most of
# a minute: opt-in locally, always on in CI.
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--runslow",
        action="store_true",
        default=False,
        help="also run the tests marked slow (also on with GOVRULES_SLOW=1, and always when CI=true)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow") or IN_CI or _on("GOVRULES_SLOW"):
        return
    skip = pytest.mark.skip(reason="slow: run with `pytest --runslow` or GOVRULES_SLOW=1 (CI=true always runs it)")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)
