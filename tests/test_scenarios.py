"""Scenario files: each one runs through the govrules pytest plugin (src/govrules/pytest_plugin.py),
which collects every file under tests/scenarios; these tests check that the files cover enough."""

from __future__ import annotations

import govrules
from govrules import scenarios

from .conftest import SCENARIOS


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
