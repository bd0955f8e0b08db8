"""Follow docs/walkthrough.md as a new author would, and keep the shipped schema in step."""

from __future__ import annotations

import io
import json
from pathlib import Path

from govrules.cli import main
from govrules.scaffold import profile_schema

from .conftest import ROOT

WALK = ROOT / "docs" / "walkthrough"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_the_walkthrough_steps(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert run("new", "anytown")[0] == 0  # step 1
    assert run("validate", "anytown.yaml")[0] == 0
    code, out, _ = run("validate", str(WALK / "anytown.yaml"), "--source", str(WALK / "anytown-source.txt"))
    assert code == 0, out  # step 3
    assert out.strip().endswith("1 file checked, 0 errors, 0 warnings")
    code, out, _ = run("test", str(WALK / "scenarios"))  # step 4
    assert code == 0, out
    assert out.strip().splitlines()[-1].endswith("passed, 0 failed")


def test_the_walkthrough_s_experiments_fail_as_it_says(tmp_path: Path) -> None:
    text = (WALK / "anytown.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "anytown.yaml"
    broken.write_text(
        text.replace(
            "overrides: [anytown.signing.other, anytown.signing.several]", "overrides: [anytown.signing.other]"
        ),
        encoding="utf-8",
    )
    code, out, _ = run("validate", str(broken))
    assert code == 1
    assert " GR050 rules `anytown.signing.provincial`, `anytown.signing.several`" in out
    broken.write_text(text.replace("quote: 以市政府办公室名义制发的公文，由秘书长签发", "quote: 由秘书长审核"))
    code, out, _ = run("validate", str(broken), "--source", str(WALK / "anytown-source.txt"))
    assert code == 1
    assert "GR040" in out


def test_shipped_schema_is_current() -> None:
    shipped = json.loads((ROOT / "profile.schema.json").read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(profile_schema()))
