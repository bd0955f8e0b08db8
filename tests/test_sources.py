"""Quotes checked against an author's own copy of the source text (govrules.sources)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from govrules import sources
from govrules.sources import SOURCE_CODES, check_quotes, chinese_number, normalise, split_articles
from govrules.validate import check_file

from .conftest import FIXTURES, ROOT

SOURCES = FIXTURES / "sources"
SHARED = ROOT.parent / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def reference() -> ModuleType:
    """The project's CI quote checker, whose behaviour this module must match on the seeds."""
    path = SHARED / "tools" / "check_quotes.py"
    if not path.is_file() or not SEEDS:
        pytest.skip("the shared seeds and quote checker are not beside this checkout")
    spec = importlib.util.spec_from_file_location("shared_check_quotes", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _text(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("市长 或\n\n常务副市长\u3000签发", "市长或常务副市长签发"),
        ("由分管\n\n—2—\n\n领导签发", "由分管领导签发"),
        ("由分管—41—领导签发", "由分管领导签发"),
        ("由分管\n  - 9 -  \n领导签发", "由分管领导签发"),
        ("由分管\n－9－\n领导签发", "由分管领导签发"),
        ("由分管\n第 9 页 共 41 页\n领导签发", "由分管领导签发"),
        ("由分管\n第9页\n领导签发", "由分管领导签发"),
        ("由分管\n9 / 41\n领导签发", "由分管领导签发"),
        ("[bookmark: _GoBack]十四、牢固树立", "十四、牢固树立"),
        ("签发（限于临时性，事务性事项）：１２３ＡＢ", "签发(限于临时性,事务性事项):123AB"),
        ("自2023-04-15起施行", "自2023-04-15起施行"),  # a date is not a page marker
        ("讨论——3项——议题", "讨论——3项——议题"),
        ("第9页的表格", "第9页的表格"),  # only a line of its own is a page marker
        ("\ufeff市长\u200b签发", "市长签发"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected
    assert normalise(expected) == expected


@pytest.mark.parametrize(("numeral", "value"), [("一", 1), ("十", 10), ("十四", 14), ("六十八", 68), ("九十二", 92)])
def test_chinese_number(numeral: str, value: int) -> None:
    assert chinese_number(numeral) == value
    assert chinese_number("一百零二") == 102


def test_split_numbered_style_across_pdf_artefacts() -> None:
    articles = split_articles(_text("yi_style.txt"))
    assert list(articles) == [1, 2, 3, 4, 5, 6]
    assert articles[1].startswith("一、为规范市政府工作")
    assert "常务副市长协助市长" in articles[2]  # across a line break
    assert articles[2].endswith("第二章公文审批")  # a chapter heading stays with the article before it
    assert "其他公文由分管领导签发" in articles[4]  # across a page marker
    assert articles[4].endswith("三、四季度的公文印发计划,由市政府办公室统一安排。")  # not article 3 again
    assert articles[6] == "六、市长印章须经市长同意后使用,由市政府办公室负责保管。"  # bookmark gone


def test_split_article_style_with_items_and_chapters() -> None:
    articles = split_articles(_text("tiao_style.txt"))
    assert list(articles) == [1, 2, 3, 4, 5, 6]
    assert "(一)一般事项,由市长或常务副市长签发;(二)涉及多名领导分管的" in articles[2]
    assert "三、四季度的请示计划" in articles[2]  # one style per text: 三、 is not article 3 here
    assert articles[2].endswith("第二章公文审批")  # a chapter heading is not an article
    assert articles[3] == "第三条以市政府名义印发的其他公文,由分管领导签发。"
    assert articles[4].endswith("第二条规定的请示,不得授权签发。")  # a stray number is not a header
    assert articles[5].endswith("第三章附则")
    assert articles[6] == "第六条本规则自通过之日起施行。"


def test_split_only_takes_the_increasing_sequence() -> None:
    text = "前言\n二、不是第一条\n一、甲\n（一）子项\n一、又一个一\n 二、乙\n—3—三、丙\n五、跳过\n四、丁\n"
    assert split_articles(text) == {1: "一、甲(一)子项一、又一个一", 2: "二、乙", 3: "三、丙五、跳过", 4: "四、丁"}
    assert split_articles("第一章 总则\n第9章 附则\n本文没有条文。") == {}
    assert split_articles("") == {}


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_split_agrees_with_the_shared_checker(reference: ModuleType, seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    theirs: dict[int, str] = reference.articles(text)
    ours = split_articles(text)
    assert list(ours) == list(theirs) == list(range(1, len(ours) + 1))
    # Theirs keeps [bookmark: …] markers, so compare after our normalisation of their bodies.
    assert ours == {num: normalise(body) for num, body in theirs.items()}


def test_bundled_profiles_quote_their_seeds(reference: ModuleType) -> None:
    seed_of: dict[str, str] = reference.SEED_OF
    checked = 0
    for profile in sorted((ROOT / "profiles").glob("*.yaml")):
        if profile.stem in seed_of:
            diagnostics = check_quotes(profile, SHARED / "seeds" / seed_of[profile.stem])
            assert diagnostics == [], "\n".join(d.render() for d in diagnostics)
            checked += 1
    assert checked == len(seed_of)


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        (
            "yi_style",
            [
                ("GR040", 69, 16, "quote `紧急情况可授权签发` is not in article 3", "it is in article 5"),
                ("GR041", 80, 18, "article 9 does not exist in `{source}`", "the source has 6 articles"),
            ],
        ),
        (
            "tiao_style",
            [
                (
                    "GR040",
                    69,
                    16,
                    "quote `紧急情况可授权签发` is not in article 4",
                    "check the wording against the source",
                ),
                ("GR041", 80, 18, "article 8 does not exist in `{source}`", "the source has 6 articles"),
            ],
        ),
    ],
)
def test_fixture_profiles(stem: str, expected: list[tuple[str, int, int, str, str]]) -> None:
    profile, source = SOURCES / f"{stem}.yaml", SOURCES / f"{stem}.txt"
    diagnostics = check_quotes(profile, source)
    found = [(d.code, d.line, d.column, d.message, d.help) for d in diagnostics]
    assert found == [(c, line, col, m.format(source=source), h) for c, line, col, m, h in expected]
    assert all(d.file == str(profile) and d.severity == "error" for d in diagnostics)
    # The fixtures are otherwise valid profiles, so only the quote check finds fault with them.
    _spec, others = check_file(profile)
    assert [d.render() for d in others if d.severity != "info"] == []


def test_citations_anywhere_and_ill_typed_ones_left_to_validate(tmp_path: Path) -> None:
    source = tmp_path / "s.txt"
    source.write_text("一、市长签发。\n二、秘书长审核。\n三、市长签发，秘书长审核。\n", encoding="utf-8")
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "anything:\n"
        "  deep:\n"
        "    - {article: 1, quote: 秘书长审核}\n"
        "    - {article: 2, quote: '秘书长 审核'}\n"
        "    - {article: '1', quote: 不存在}\n"  # a string article is GR012 in check_file
        "    - {article: true, quote: 不存在}\n"
        "    - {article: 1, quote: ''}\n"  # an empty quote is GR025 in check_file
        "    - {article: 1, quote: 2020}\n"
        "other: {article: 3, quote: 市长签发}\n",
        encoding="utf-8",
    )
    (diag,) = check_quotes(profile, source)
    assert (diag.code, diag.line, diag.column) == ("GR040", 3, 27)
    assert diag.help == "it is in articles 2 and 3"


def test_one_article_source(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("第一条 本规则自印发之日起施行。", encoding="utf-8")
    (tmp_path / "p.yaml").write_text("basis:\n  - article: 2\n    quote: 施行\n", encoding="utf-8")
    (diag,) = check_quotes(tmp_path / "p.yaml", tmp_path / "s.txt")
    assert (diag.code, diag.line, diag.column, diag.help) == ("GR041", 2, 14, "the source has 1 article")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the source text: No such file or directory"),
        ("一、市长签发。".encode("utf-16"), "the source text is not UTF-8 (byte 0)"),
        ("第一章 总则\n第9章 附则\n".encode(), "the source text has no recognisable articles"),
    ],
    ids=["missing", "utf-16", "no-articles"],
)
def test_unusable_source(tmp_path: Path, content: bytes | None, message: str) -> None:
    source = tmp_path / "source.txt"
    if content is not None:
        source.write_bytes(content)
    (diag,) = check_quotes(SOURCES / "yi_style.yaml", source)
    assert (diag.file, diag.line, diag.column, diag.code, diag.message) == (str(source), 1, 1, "GR042", message)
    assert diag.help


def test_unreadable_profile_reports_loader_diagnostics(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text("basis: [\n", encoding="utf-8")
    assert [d.code for d in check_quotes(profile, SOURCES / "yi_style.txt")] == ["GR002"]
    assert [d.code for d in check_quotes(profile, tmp_path / "missing.txt")] == ["GR002", "GR042"]


def test_source_codes_are_the_emitted_ones() -> None:
    text = Path(sources.__file__).read_text(encoding="utf-8")
    assert set(re.findall(r'"(GR\d{3})"', text)) == set(SOURCE_CODES) == {"GR040", "GR041", "GR042", "GR043"}
    assert all(d[0].islower() and "\n" not in d for d in SOURCE_CODES.values())


def test_a_source_named_in_the_profile_is_checked_by_validate(tmp_path: Path) -> None:
    """`profile.source` makes every `govrules validate` check the quotes, without `--source`."""
    from govrules.validate import check_file

    fixtures = Path(__file__).parent / "fixtures" / "sources"
    text = (fixtures / "yi_style.yaml").read_text(encoding="utf-8")
    assert "\n  source:" not in text
    (tmp_path / "yi_style.txt").write_text((fixtures / "yi_style.txt").read_text(encoding="utf-8"), encoding="utf-8")
    profile = tmp_path / "yi_style.yaml"
    profile.write_text(text.replace("  articles:", "  source: yi_style.txt\n  articles:", 1), encoding="utf-8")
    _spec, diagnostics = check_file(profile)
    assert {"GR040", "GR041"} <= {d.code for d in diagnostics}
