"""Every scenario file under tests/scenarios runs against its bundled profile."""

from __future__ import annotations

from pathlib import Path

import pytest

import govrules
from govrules import scenarios

from .conftest import SCENARIOS

FILES = sorted(SCENARIOS.glob("*/*.yaml"))


def _cases() -> list[object]:
    cases = []
    for path in FILES:
        found = scenarios.read_scenarios(path)
        cases += [pytest.param(path, s, id=s.id) for s in found.scenarios]
    return cases


@pytest.mark.parametrize(("path", "scenario"), _cases())
def test_scenario(path: Path, scenario: scenarios.Scenario) -> None:
    found = scenarios.read_scenarios(path)
    outcome = scenarios.run(scenario, govrules.load(found.profile), found.roster)
    assert outcome.passed, outcome.report()


def test_every_bundled_profile_has_signing_scenarios() -> None:
    for pid in govrules.profiles():
        path = SCENARIOS / pid / "signing.yaml"
        assert path.is_file(), f"no signing scenarios for `{pid}`"
        found = scenarios.read_scenarios(path).scenarios
        assert len(found) >= 10, f"`{pid}` has {len(found)} signing scenarios; at least 10 are required"


def test_scenarios_reach_every_article_the_profile_cites() -> None:
    """Every article a profile's rules cite is exercised by some scenario."""
    for pid in govrules.profiles():
        spec = govrules.load(pid).spec
        cited = {c.article for r in (*spec.signing, *spec.seals, *spec.substitution, *spec.compliance) for c in r.basis}
        covered: set[int] = set()
        for path in sorted((SCENARIOS / pid).glob("*.yaml")):
            for outcome in scenarios.run_file(path):
                covered |= {c.article for c in outcome.basis}
        assert cited <= covered, f"`{pid}`: no scenario reaches articles {sorted(cited - covered)}"
