"""The analysis API: compare, sweep, diff, gaps, verify, drawing; on the five bundled profiles."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import govrules
from govrules import analysis
from govrules.analysis import domain
from govrules.analysis import questions as q
from govrules.families.signing import Signing

from .conftest import FIXTURES, ROOT

pd = pytest.importorskip("pandas")

ON = dt.date(2025, 3, 3)
CITIES = govrules.profiles()


@pytest.mark.parametrize("topic", q.TOPICS)
def test_compare_every_topic_with_every_city(topic: str) -> None:
    table = govrules.compare(topic)
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == ["question", *CITIES]
    assert len(table) > 0 and table.index.is_unique
    assert table.index.str.startswith(f"{topic}.").all()
    assert table[CITIES].map(lambda cell: isinstance(cell, str) and cell != "").all().all()


def test_compare_says_not_covered_the_same_way_in_every_topic() -> None:
    """Silence is 未规定 / "not covered" whatever the topic (the text sets no 会签 limit in one city)."""
    zh = govrules.compare("deadlines")
    en = govrules.compare("deadlines", lang="en")
    assert zh.loc["deadlines.countersign_reply", "quzhou"] == "未规定"
    assert en.loc["deadlines.countersign_reply", "quzhou"] == "not covered"
    meetings = govrules.compare("meetings", profiles=["jining", "zhengzhou"])
    assert meetings.loc["meetings.executive.quorum", "zhengzhou"] == "未规定"
    assert meetings.loc["meetings.executive.quorum", "jining"] == "超过1/2"
    signing = govrules.compare("signing", profiles=["jining"])
    assert signing.loc["signing.agreement", "jining"] == "未规定"


def test_compare_shows_an_unresolved_answer_as_its_reason() -> None:
    acting = govrules.compare("acting", profiles=["zhengzhou"], lang="en")
    cell = acting.loc["acting.vice_mayor.sign", "zhengzhou"]
    assert cell.startswith("unresolved: ") and "substitution rules pass only" in cell
    assert acting.loc["acting.vice_mayor.sign_urgent", "zhengzhou"] == "AB partner"


def test_compare_given_documents() -> None:
    docs = [govrules.Document("request", recipient="provincial_government"), govrules.Document("agreement")]
    table = govrules.compare(documents=docs, profiles=["jining", "luoyang"])
    assert list(table.index) == ["document[0]", "document[1]"]
    assert table.loc["document[0]", "jining"] == "审核：部门主要负责人 → 签发：市长或常务副市长"
    assert table.loc["document[1]", "jining"] == "未规定"


def test_compare_arguments() -> None:
    with pytest.raises(govrules.InvalidArgument, match="did you mean `signing`"):
        govrules.compare("signin")
    with pytest.raises(govrules.InvalidArgument, match="`topic`: give one of"):
        govrules.compare()
    with pytest.raises(govrules.InvalidArgument, match="expected a list"):
        govrules.compare("signing", profiles="jining")
    with pytest.raises(govrules.InvalidArgument, match="not `deadlines`"):
        govrules.compare("deadlines", documents=[govrules.Document("notice")])


@pytest.mark.parametrize("city", CITIES)
def test_sweep_agrees_with_sign_at_every_point(city: str) -> None:
    gov = govrules.load(city)
    table = gov.sweep("signing")
    points = domain.points(gov.family(Signing).rules)
    assert len(table) == len(points) > 0
    assert table.columns[0] == "kind" or "kind" not in table.columns
    for point, row in zip(points, table.itertuples(index=False), strict=True):
        try:
            route = gov.sign(domain.document(point))
        except govrules.NotCovered:
            assert row.outcome == "not_covered" and not row.covered
            continue
        assert (row.outcome, row.signers, row.reviewers, row.rules) == (
            "answered",
            route.signers,
            route.reviewers,
            route.rules,
        )
        assert all(getattr(row, k) == (v if k in point else domain.ANY) for k, v in point.items() if k in table.columns)


def test_sweep_other_topics() -> None:
    gov = govrules.load("jining")
    assert set(gov.sweep("seals").seal) == {"municipal_government", "mayor", "general_office"}
    deadlines = gov.sweep("deadlines")
    assert (
        deadlines.loc[deadlines.question == "deadlines.countersign_reply", "answer"]
        .item()
        .startswith("原则上3个工作日")
    )
    assert "meetings.executive.quorum" in set(gov.sweep("meetings").question)
    with pytest.raises(govrules.InvalidArgument):
        gov.sweep("nothing")


def _edited(tmp_path: Path) -> Path:
    """A copy of one bundled profile in which the executive vice mayor may also sign what the mayor signs."""
    text = (ROOT / "profiles" / "zhengzhou.yaml").read_text(encoding="utf-8")
    old = "    steps:\n      - action: sign\n        roles: [mayor]\n    basis:\n      - article: 52\n"
    assert text.count(old) == 1
    new = text.replace(old, old.replace("[mayor]", "[mayor, executive_vice_mayor]"))
    path = tmp_path / "zhengzhou.yaml"
    path.write_text(new, encoding="utf-8")
    return path


def test_diff_finds_a_changed_signer(tmp_path: Path) -> None:
    edited = _edited(tmp_path)
    found = govrules.diff("zhengzhou", edited)
    assert found and {c.topic for c in found.changes} == {"signing"}
    assert set(found.gained) == {"executive_vice_mayor"} and not found.lost
    assert all(c.after.startswith("签发：市长或负责常务工作") for c in found.changes)
    assert any("kind=personnel" in question for question in found.gained["executive_vice_mayor"])
    back = govrules.diff(edited, "zhengzhou")
    assert set(back.lost) == {"executive_vice_mayor"} and not back.gained
    frame = found.to_frame()
    assert list(frame.columns) == ["topic", "question", "description", "before", "after"] and len(frame) == len(
        found.changes
    )


@pytest.mark.parametrize("city", CITIES)
def test_diff_with_itself_is_empty(city: str) -> None:
    found = govrules.diff(city, city)
    assert not found and found.changes == () and not found.gained and not found.lost


def test_diff_between_two_cities() -> None:
    found = govrules.diff("quzhou", "jining", lang="en")
    topics = {c.topic for c in found.changes}
    assert {"signing", "deadlines", "meetings", "compliance"} <= topics
    row = next(c for c in found.changes if c.question == "deadlines.countersign_reply")
    assert (row.before, row.after) == ("not covered", "3 working days (in principle) (on expiry: …)")
    with pytest.raises(govrules.InvalidArgument):
        govrules.diff("quzhou", "jining", topic="seal")


def test_diff_cli_exit_codes(tmp_path: Path) -> None:
    from govrules.cli import main

    out = __import__("io").StringIO()
    assert main(["diff", "zhengzhou", str(_edited(tmp_path)), "--format", "json"], stdout=out) == 1
    payload = json.loads(out.getvalue())
    assert payload["gained"]["executive_vice_mayor"] and payload["changes"][0]["topic"] == "signing"
    assert main(["diff", "zhengzhou", "zhengzhou"], stdout=__import__("io").StringIO()) == 0


def _ab_roster() -> govrules.Roster:
    P = govrules.Person
    return govrules.Roster(
        [
            P("mayor_li", "mayor"),
            P("evm_wang", "executive_vice_mayor", portfolios=["finance"]),
            P("vm_zhao", "vice_mayor", portfolios=["education"], ab_partner="vm_qian"),
            P("vm_qian", "vice_mayor", portfolios=["health"], ab_partner="vm_zhao"),
            P("sg_wu", "secretary_general"),
        ]
    )


@pytest.mark.parametrize(("city", "duty"), [("chaoyang", "sign"), ("jining", "sign"), ("zhengzhou", "sign_urgent")])
def test_gaps_find_an_ab_pair_away_together(city: str, duty: str) -> None:
    """These texts let AB partners stand in for each other's signature: both away leaves no one."""
    found = govrules.load(city).gaps(roster=_ab_roster(), on=ON, duty=duty)
    pair = [g for g in found if g.absent == ("vm_zhao", "vm_qian")]
    assert pair and all("absent too" in g.reason for g in pair)
    assert not any(g.absent in {("vm_zhao",), ("vm_qian",)} for g in found)  # one away: the partner signs
    assert all(len(g.absent) <= 2 for g in found)
    for g in found:  # minimal: no smaller set leaves the same question without a signer
        assert not any(h.question == g.question and set(h.absent) < set(g.absent) for h in found)


def test_gaps_without_a_substitution_rule_for_signing() -> None:
    """One text passes a vice mayor's ordinary signature to no one: one absence is a gap."""
    found = govrules.load("zhengzhou").gaps(roster=_ab_roster(), on=ON, duty="sign")
    assert ("vm_zhao",) in {g.absent for g in found}
    assert govrules.load("zhengzhou").gaps(roster=_ab_roster(), on=ON, duty="sign", max_absent=1)


def test_gaps_arguments() -> None:
    gov = govrules.load("jining")
    with pytest.raises(govrules.InvalidArgument, match="`max_absent`"):
        gov.gaps(roster=_ab_roster(), on=ON, max_absent=0)
    with pytest.raises(govrules.InvalidArgument, match="`roster`"):
        gov.gaps(roster=[], on=ON)  # type: ignore[arg-type]
    with pytest.raises(govrules.InvalidArgument, match="before profile"):
        gov.gaps(roster=_ab_roster(), on=dt.date(2000, 1, 1))


@pytest.mark.parametrize("city", CITIES)
def test_verify_holds_on_the_bundled_profiles(city: str) -> None:
    report = govrules.load(city).verify()
    assert report.ok, report.summary()
    assert report.checked["signing"] > 0 and report.checked["meetings"] == 6


def test_verify_finds_an_overlap_with_a_counterexample() -> None:
    report = analysis.verify_source(FIXTURES / "invalid" / "conflict.yaml")
    assert not report.ok and not report
    conflicts = [c for c in report.counterexamples if c.problem == "conflict"]
    assert {c.rules for c in conflicts} == {  # in profile order
        ("conflict.signing.provincial", "conflict.signing.other"),
        ("conflict.signing.provincial", "conflict.signing.several"),
    }
    assert all("kind=report" in c.question and "recipient=provincial_government" in c.question for c in conflicts)


def test_verify_cli(capsys: pytest.CaptureFixture[str]) -> None:
    from govrules.cli import main

    assert main(["verify", *CITIES]) == 0
    assert capsys.readouterr().out.count(": ok: ") == len(CITIES)
    assert main(["verify", "quzhou", str(FIXTURES / "invalid" / "conflict.yaml"), "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False and [p["ok"] for p in payload["profiles"]] == [True, False]
    assert main(["verify", str(FIXTURES / "invalid" / "unknown_key.yaml")]) == 1  # other errors: refused


def test_delegation_graph_renders_as_svg() -> None:
    gov = govrules.load("chaoyang")
    away = [govrules.Absence("vm_zhao", ON, ON, "business_trip"), govrules.Absence("vm_qian", ON, ON, "business_trip")]
    graph = gov.delegation_graph(on=ON, roster=_ab_roster(), absences=away)
    svg = graph._repr_svg_()
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "vm_zhao · 副市长" in svg and svg.count("marker-end") == 2  # the pair stand in for each other
    assert govrules.to_dot(graph).startswith("digraph")  # still a networkx graph
    assert govrules.draw(graph).svg.count("<rect") == len(_ab_roster())


def test_profile_summary_html() -> None:
    gov = govrules.load("jining")
    page = gov._repr_html_()
    assert gov.name in page and gov.effective.isoformat() in page
    assert "常务会议 <code>executive</code>" in page and "<code>one_matter_per_request</code>" in page


def test_tables_without_pandas_say_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pandas" else real(name, *a))
    with pytest.raises(ImportError, match=r"pip install 'govrules\[notebook\]'"):
        govrules.compare("signing")
