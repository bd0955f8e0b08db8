"""Readings in the reader's language, and citations that fit the case (issue 15).

The people who check a govrules answer read Chinese; others read English. Every reading of the
bundled profiles (outside the `meetings:` and `substitution:` sections, which their own rewrite
translates) is given in both, each answer shows the reader's, and the tour speaks one language.
A citation says which alternative of its rule's conditions (`when`) and which field of an answer
(`supports`) it is about; answers cite only the clauses about what was asked and what applied.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
import pytest

import govrules
from govrules import scenarios
from govrules.answers import Citation
from govrules.cli import main
from govrules.engine import Result
from govrules.families import FAMILIES
from govrules.families.base import cited, fired
from govrules.loader import parse
from govrules.model import Citation as CitationSpec
from govrules.model import Reading, RuleEntry
from govrules.profile import Profile
from govrules.validate import check_file

from .conftest import FIXTURES, SCENARIOS

CITIES = ["chaoyang", "jining", "luoyang", "quzhou", "zhengzhou"]
#: the sections whose readings the meetings and absences rewrites translate
OTHERS = {"meetings", "substitution"}
#: sections written in both languages by their own authors (the absences work's `approvals:`)
OWN_STYLE = OTHERS | {"approvals"}

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def english_outside_quotes(text: str) -> str:
    """``text`` without what a Chinese reader may see in an English sentence: quotes of the source
    (“…”), titles (《…》) and ids (`…`)."""
    return re.sub(r"“[^”]*”|《[^》]*》|`[^`]*`", "", text)


def chinese_outside_ids(text: str) -> str:
    """``text`` without ids (`…`) and quotes of the source (“…”)."""
    return re.sub(r"`[^`]*`|“[^”]*”", "", text)


def readings(pid: str) -> Iterator[tuple[str, RuleEntry, CitationSpec]]:
    spec = govrules.load(pid).spec
    for family in FAMILIES:
        for rule in family.entries(spec):
            for cite in rule.basis:
                if cite.interpretation is not None:
                    yield family.section, rule, cite


# -- readings in both languages -------------------------------------------------------------------


@pytest.mark.parametrize("pid", CITIES)
def test_every_reading_is_in_chinese_and_english(pid: str) -> None:
    missing = [
        f"{rule.id} article {cite.article} “{cite.quote}”"
        for section, rule, cite in readings(pid)
        if section not in OTHERS and not ((r := cite.reading()) and r.zh and r.en)
    ]
    assert not missing, "readings in one language only:\n" + "\n".join(missing)


@pytest.mark.parametrize("pid", CITIES)
def test_each_language_stays_in_its_script(pid: str) -> None:
    """English readings quote Chinese terms as “…”; Chinese readings write ids as `…`."""
    for section, rule, cite in readings(pid):
        reading = cite.reading()
        if section in OWN_STYLE or reading is None or not (reading.zh and reading.en):
            continue
        stray = CJK.findall(english_outside_quotes(reading.en))
        assert not stray, f"{rule.id} “{cite.quote}”: unquoted Chinese in the English reading: {reading.en}"
        stray = LATIN.findall(chinese_outside_ids(reading.zh))
        assert not stray, f"{rule.id} “{cite.quote}”: Latin letters outside ids in the Chinese reading: {reading.zh}"
        assert CJK.search(reading.zh), reading.zh
        assert not re.search(r"[\u3400-\u9fff，。；：、] [\u3400-\u9fff，。；：、]", reading.zh), reading.zh


def test_a_folded_chinese_reading_has_no_spaces() -> None:
    """YAML folds the line break of a wrapped reading into a space; between Chinese characters it is dropped."""
    text = "r:\n  zh: >-\n    本规则将“审签”按市长最终\n    签发处理。\n"
    folded = parse(text, "reading.yaml").data["r"]["zh"]
    assert folded == "本规则将“审签”按市长最终 签发处理。"
    assert Reading(zh=folded).zh == "本规则将“审签”按市长最终签发处理。"
    assert Reading(zh="按 `important` 标记处理").zh == "按 `important` 标记处理"


def _tour(lang: str) -> str:
    out = io.StringIO()
    assert main(["tour", "--lang", lang], stdout=out) == 0
    return out.getvalue()


def test_the_chinese_tour_has_no_english_sentence() -> None:
    text = _tour("zh")
    for line in text.splitlines():
        said = line.split("适用规则：", 1)[0]  # rule ids
        for pid in govrules.profiles():
            said = said.replace(f"({pid}, ", "(")
        assert not LATIN.search(chinese_outside_ids(said)), line
    assert "解读：" in text and "〔英文〕" not in text


def test_the_english_tour_has_no_chinese_sentence() -> None:
    text = _tour("en")
    for line in text.splitlines():
        assert not CJK.search(english_outside_quotes(line)), line
    assert "reading: " in text and "[in Chinese]" not in text


def test_one_language_readings_are_information() -> None:
    path = FIXTURES / "valid" / "one_language.yaml"
    spec, diagnostics = check_file(path)
    assert spec is not None
    found = [(d.code, d.line, d.severity) for d in diagnostics if d.code == "GR058"]
    assert found == [("GR058", 29, "info"), ("GR058", 43, "info")]
    assert [d for d in diagnostics if d.severity != "info"] == []
    messages = [d.message for d in diagnostics if d.code == "GR058"]
    assert messages[0] == "the reading of article 3 `报省政府的请示` is in English only"
    assert messages[1] == "the reading of article 3 `由市长签发` is in Chinese only"


def test_bundled_profiles_have_one_language_readings_only_where_others_translate() -> None:
    for pid in CITIES:
        _spec, diagnostics = check_file(Path(govrules.load(pid).source))
        for d in diagnostics:
            if d.code == "GR058":
                section = _section_at(Path(d.file), d.line)
                assert section in OTHERS, d.render()


def _section_at(path: Path, line: int) -> str:
    found = ""
    for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if n > line:
            break
        if m := re.match(r"^([a-z_]+):", text):
            found = m.group(1)
    return found


# -- every answer shows the reading in the reader's language ----------------------------------------


def _readings_shown(text: str, lang: str) -> list[str]:
    marker = "解读：" if lang == "zh" else "reading: "
    return [line.split(marker, 1)[1] for line in text.splitlines() if marker in line]


def test_explain_shows_readings_in_the_readers_language() -> None:
    gov = govrules.load("chaoyang")
    deadline = gov.deadline("meeting_request", dt.date(2024, 6, 20))
    rule = gov.meeting("plenary")
    route = gov.sign(govrules.Document(kind="outbound_approval"))
    violations = gov.check(
        govrules.Document(kind="request", issuer="department", recipient="municipal_government", matters=2)
    )
    assert violations
    answers: list[Any] = [deadline, rule, route, *violations]
    for answer in answers:
        zh, en = _readings_shown(answer.explain("zh"), "zh"), _readings_shown(answer.explain("en"), "en")
        assert zh and en, type(answer).__name__
        if answer is not rule:  # the meetings rewrite translates those
            assert all(CJK.search(r) for r in zh), zh
            assert all(not CJK.search(english_outside_quotes(r)) for r in en), en


def test_acting_explain_shows_readings() -> None:
    gov = govrules.load("chaoyang")
    roster = govrules.Roster(
        [
            govrules.Person("mayor_a", "mayor"),
            govrules.Person("evm_b", "executive_vice_mayor"),
        ]
    )
    absence = govrules.Absence("mayor_a", dt.date(2024, 5, 6), dt.date(2024, 5, 7), "out_of_city", entrusted=True)
    acting = gov.acting("mayor", on=dt.date(2024, 5, 6), roster=roster, absences=[absence], duty="preside")
    assert acting.person == "evm_b"
    assert _readings_shown(acting.explain("zh"), "zh") and _readings_shown(acting.explain("en"), "en")


def test_role_names_follow_the_readers_language() -> None:
    gov = govrules.load("chaoyang")
    rule = gov.meeting("plenary")
    assert "市政府秘书长" in rule.explain("zh")  # the profile's own wording (roles: name)
    assert "secretary-general" in rule.explain("en")
    route = gov.sign(govrules.Document(kind="personnel"))
    assert "审核：市政府分管负责同志" in route.explain("zh")
    assert "review: leader in charge" in route.explain("en")
    assert "市政府分管负责同志 <code>leader_in_charge</code>" in route.html("zh")
    assert "leader in charge <code>leader_in_charge</code>" in route.html("en")
    assert "市政府分管负责同志 <code>" not in route.html("en")


def test_html_shows_the_reading_in_the_chosen_language() -> None:
    gov = govrules.load("chaoyang")
    route = gov.sign(govrules.Document(kind="outbound_approval"))
    zh, en = route.html("zh"), route.html("en")
    assert "按市长最终签发处理" in zh and "taken as the mayor's final signature" not in zh
    assert "taken as the mayor&#x27;s final signature" in en and "按市长最终签发处理" not in en
    assert "依据：" in zh and "basis:" in en and "签发人 <small>signers</small>" in zh and "<th>signers</th>" in en
    assert route._repr_html_() == zh
    deadline = gov.deadline("meeting_request", dt.date(2024, 6, 20))  # every answer, not only routes
    assert "须事先经市政府分管领导同志同意" in deadline.html("zh")
    assert "after the leader in charge has agreed" in deadline.html("en")
    with pytest.raises(govrules.InvalidArgument):
        route.html("fr")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("argv", "chinese", "english"),
    [
        (
            ["deadline", "chaoyang", "meeting_request", "--at", "2024-06-20"],
            "须事先经市政府分管领导同志同意",
            "after the leader in charge has agreed",
        ),
        (["meeting", "jining", "executive"], "法定人数", "quorum"),
        (["sign", "chaoyang", "--kind", "outbound_approval"], "按市长最终签发处理", "final signature"),
    ],
)
def test_cli_answers_in_the_chosen_language(argv: list[str], chinese: str, english: str) -> None:
    zh, en = io.StringIO(), io.StringIO()
    assert main([*argv, "--lang", "zh"], stdout=zh) == 0
    assert main([*argv, "--lang", "en"], stdout=en) == 0
    assert chinese in zh.getvalue() and chinese not in en.getvalue()
    assert english in en.getvalue()


def test_cli_check_in_english(tmp_path: Path) -> None:
    doc = tmp_path / "doc.yaml"
    doc.write_text("kind: request\nissuer: department\nrecipient: municipal_government\nmatters: 2\n", "utf-8")
    zh, en = io.StringIO(), io.StringIO()
    assert main(["check", "chaoyang", "--document", str(doc)], stdout=zh) == 1
    assert main(["check", "chaoyang", "--document", str(doc), "--lang", "en"], stdout=en) == 1
    assert zh.getvalue().startswith("错误 one_matter_per_request：请示应当一文一事")
    assert en.getvalue().startswith("error one_matter_per_request: “请示应当一文一事”")
    assert "reading: The rules of article 27" in en.getvalue()
    assert "解读：第27条的行文规则" in zh.getvalue()


# -- citations fit the case --------------------------------------------------------------------------


def test_the_motion_to_the_congress_cites_no_clause_on_the_party_committee() -> None:
    """The issue's example: 朝阳 31(2) has two branches; each answer cites its own."""
    gov = govrules.load("chaoyang")
    motion = gov.sign(govrules.Document(kind="motion", recipient="people_congress"))
    request = gov.sign(govrules.Document(kind="request", recipient="party_committee"))
    assert [c.quote for c in motion.basis] == ["向市人大及其常委会提出的议案", "经市政府分管负责同志审核后，由市长签发"]
    assert [c.quote for c in request.basis] == [
        "以市政府名义报市委的请示、报告",
        "经市政府分管负责同志审核后，由市长签发",
    ]


def test_a_quorum_answer_cites_the_quorum_clause_only() -> None:
    gov = govrules.load("jining")
    quorum = gov.quorum("executive", expected=7, present=4)
    assert [c.quote for c in quorum.basis] == ["出席人数须超过应到人数的二分之一"]
    assert len(gov.meeting("executive").basis) > 1  # the whole meeting still cites everything


def test_selection_by_field_falls_back_to_the_rule_as_a_whole() -> None:
    rule = RuleEntry(
        id="x.meetings.a",
        basis=[
            CitationSpec(article=1, quote="组成"),
            CitationSpec(article=2, quote="过半数", supports=["quorum"]),
            CitationSpec(article=3, quote="每月一次", supports=["frequency"]),
        ],
    )
    assert [c.article for c in cited(rule, asked={"quorum"})] == [2]
    assert [c.article for c in cited(rule, asked={"members", "quorum"})] == [1, 2]
    assert [c.article for c in cited(rule)] == [1, 2, 3]


@pytest.mark.parametrize("pid", CITIES)
def test_every_clause_of_a_rule_with_alternatives_says_which(pid: str) -> None:
    """A rule with several alternatives: every citation declares `when`, and every alternative has a clause."""
    spec = govrules.load(pid).spec
    for family in FAMILIES:
        for rule in family.entries(spec):
            count = rule.alternatives()
            if count == 1:
                continue
            undeclared = [c.quote for c in rule.basis if c.when is None]
            assert not undeclared, f"{rule.id}: citations without `when`: {undeclared}"
            covered = {i for c in rule.basis for i in c.when or ()}
            assert covered == set(range(count)), f"{rule.id}: alternatives without a clause"


@dataclass
class _Recorder:
    """Every engine result of the queries a scenario makes."""

    results: list[Result]


def _answers(answer: Any, profile: Profile) -> Iterator[tuple[tuple[Citation, ...], tuple[str, ...], set[str] | None]]:
    """(basis, rule ids, fields asked) of an answer and of the answers inside it."""
    meetings = {m.kind: m.id for m in profile.spec.meetings}  # type: ignore[attr-defined]
    if isinstance(answer, tuple):
        for part in answer:
            if part is not None and not isinstance(part, str):
                yield from _answers(part, profile)
        return
    name = type(answer).__name__
    if name == "Violation":
        yield answer.basis, (answer.rule,), None
    elif name == "Quorum":
        yield answer.basis, (meetings[answer.kind],), {"quorum"}
    elif name == "MeetingCheck":
        yield answer.basis, (meetings[answer.kind],), set()
        if answer.quorum is not None:
            yield from _answers(answer.quorum, profile)
        yield from _answers(answer.violations, profile)
    elif name == "MeetingRule":
        yield answer.basis, answer.rules, None
        if answer.minutes is not None:
            yield from _answers(answer.minutes, profile)
    else:
        yield answer.basis, answer.rules, None


def _scenario_answers() -> Iterator[tuple[str, Any, Profile, Mapping[str, frozenset[int]]]]:
    files = sorted(p for pid in CITIES for p in (SCENARIOS / pid).glob("*.yaml"))
    mp = pytest.MonkeyPatch()
    record = _Recorder([])
    original = Profile.run

    def run(self: Profile, facts: Any) -> Result:
        result = original(self, facts)
        record.results.append(result)
        return result

    mp.setattr(Profile, "run", run)
    try:
        for path in files:
            found = scenarios.read_scenarios(path)
            profile = govrules.load(found.profile)
            for scenario in found.scenarios:
                record.results.clear()
                outcome = scenarios.run(scenario, profile, found.roster)
                if outcome.answer is None:
                    continue
                alternatives = fired(f for r in record.results for f in r.firings)
                yield scenario.id, outcome.answer, profile, alternatives
    finally:
        mp.undo()


def _clauses(value: Any) -> Iterator[CitationSpec]:
    """Every citation a rule holds: its basis, and those it keeps elsewhere (a deadline's lead
    department's limit, a meeting's agenda steps)."""
    if isinstance(value, CitationSpec):
        yield value
    elif isinstance(value, pydantic.BaseModel):
        for name in type(value).model_fields:
            yield from _clauses(getattr(value, name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _clauses(item)


def test_no_scenario_answer_cites_a_clause_of_another_branch() -> None:
    """Every cited clause is one of the answer's rules' own, about an alternative that applied and
    (for a narrower answer) about the field asked, by the profile's annotations."""
    checked = 0
    for sid, answer, profile, alternatives in _scenario_answers():
        rules = {r.id: r for family in FAMILIES for r in family.entries(profile.spec)}
        for basis, rule_ids, asked in _answers(answer, profile):
            for cite in basis:
                key = (cite.article, cite.item, cite.quote)
                sources = [
                    c
                    for rid in rule_ids
                    for c in _clauses(rules[rid])
                    if (c.article, c.item, c.quote) == key
                    and c.fits(alternatives.get(rid))
                    and (not asked or not c.supports or set(c.supports) & asked)
                ]
                assert sources, f"{sid}: cites {cite.label('en')}, not a clause about this case"
                checked += 1
    assert checked > 500


def test_an_alternative_that_did_not_fire_is_not_cited() -> None:
    """The check above would fail on the old selection: every quote of every applying rule."""
    gov = govrules.load("zhengzhou")
    route = gov.sign(govrules.Document(kind="personnel"))
    assert [c.quote for c in route.basis] == ["人事任免文件", "由市长签署或签发"]
    rule = next(r for r in gov.spec.signing if r.id == "zhengzhou.signing.mayor-signs")
    assert len(rule.basis) == 7 and rule.alternatives() == 6


def test_violations_cite_the_alternative_of_their_subject() -> None:
    gov = govrules.load("quzhou")
    forwarded = govrules.Document(
        kind="notice", issuer="municipal_government", forwarded=True, within_department_remit=True
    )
    office = govrules.Document(kind="notice", issuer="general_office", within_department_remit=True)
    (by_government,) = [v for v in gov.check(forwarded) if v.code == "within_department_remit"]
    (by_office,) = [v for v in gov.check(office) if v.code == "within_department_remit"]
    assert "不得要求市政府批转" in [c.quote for c in by_government.basis]
    assert "或市政府办公室转发、印发" not in [c.quote for c in by_government.basis]
    assert "或市政府办公室转发、印发" in [c.quote for c in by_office.basis]
    assert "不得要求市政府批转" not in [c.quote for c in by_office.basis]
