"""A pytest plugin that runs scenario files (docs/scenario-format.md) as tests.

Installed with govrules (entry point ``pytest11``): pytest collects every ``*.yaml`` file inside a
folder named ``scenarios`` whose first key is ``profile:``. Each scenario is one test item; a
failure shows what was expected, what came back, and the rules that decided it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govrules.errors import ProfileError
from govrules.registry import load
from govrules.scenarios import Outcome, Scenario, read_scenarios, run


def _is_scenario_file(path: Path) -> bool:
    if path.suffix not in (".yaml", ".yml") or "scenarios" not in path.parts[:-1]:
        return False
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip() and not line.lstrip().startswith("#"):
                    return line.startswith("profile:")
    except (OSError, UnicodeDecodeError):
        return False
    return False


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _is_scenario_file(file_path):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFailure(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.report())
        self.outcome = outcome


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            found = read_scenarios(self.path)
        except ProfileError as exc:
            raise self.CollectError(str(exc)) from None
        target = found.profile
        profile = load(target if "/" not in target else self.path.parent / target)
        for scenario in found.scenarios:
            yield ScenarioItem.from_parent(
                self, name=f"{scenario.area}:{scenario.name}", scenario=scenario, profile=profile, roster=found.roster
            )

    class CollectError(Exception):
        pass


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, profile: Any, roster: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.profile = profile
        self.roster = roster

    def runtest(self) -> None:
        outcome = run(self.scenario, self.profile, self.roster)
        if not outcome.passed:
            raise ScenarioFailure(outcome)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailure):
            return excinfo.value.outcome.report()
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.scenario.line - 1, f"scenario {self.scenario.area}: {self.scenario.name}"
