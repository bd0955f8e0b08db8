"""Engine fact types and fields are declared once: a typo is an error, never "no rule covers this"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

import govrules
from govrules import facts
from govrules.compile import CompileError, RuleSink, compile_profile
from govrules.errors import EngineError
from govrules.families import FAMILIES
from govrules.families.base import Family
from govrules.families.signing import SigningRule


def _family(patterns: list[dict[str, Any]], derive: facts.FactType = facts.SIGNING, **template: Any) -> type:
    class Misspelt(Family[SigningRule]):
        section = "signing"
        entry = SigningRule

        @classmethod
        def compile(cls, rules: Sequence[SigningRule], out: RuleSink) -> None:
            out.add("typo#0", patterns, "typo", derive, **template)

    return Misspelt


@pytest.mark.parametrize(
    ("patterns", "words"),
    [
        ([{"m": {"$and": [{"type": "documnet"}, {"kind": "request"}]}}], "`documnet` is not declared"),
        ([{"m": {"$and": [{"type": "document"}, {"knd": "request"}]}}], "tests `knd`"),
        (
            [{"a": {"type": "absence"}}, {"p": {"$and": [{"type": "person"}, {"pid": {"a": "persn"}}]}}],
            "joins on `a.persn`",
        ),
    ],
)
def test_a_misspelt_fact_type_or_field_in_a_rule_fails_at_compile_time(
    patterns: list[dict[str, Any]], words: str
) -> None:
    spec = govrules.load("jining").spec
    with pytest.raises(CompileError, match=words) as raised:
        compile_profile(spec, [_family(patterns, rule="typo", effect="route")])
    assert isinstance(raised.value, EngineError)


def test_a_misspelt_derived_field_fails_at_compile_time() -> None:
    spec = govrules.load("jining").spec
    pattern = [{"m": {"$and": [{"type": "document"}, {"kind": "request"}]}}]
    with pytest.raises(EngineError, match="has no field `rul`"):
        compile_profile(spec, [_family(pattern, rul="typo", effect="route")])


def test_a_rule_cannot_derive_an_input_fact_type() -> None:
    spec = govrules.load("jining").spec
    pattern = [{"m": {"$and": [{"type": "document"}, {"kind": "request"}]}}]
    with pytest.raises(CompileError, match="input fact type"):
        compile_profile(spec, [_family(pattern, facts.DOCUMENT, kind="request")])


def test_fact_builders_refuse_undeclared_fields() -> None:
    with pytest.raises(EngineError, match="no field `knd`"):
        facts.DEADLINE_REQUEST.make(knd="countersign_reply")


def test_every_fact_the_library_builds_is_declared() -> None:
    document = govrules.Document(kind="request", recipient="provincial_government")
    for fact in (document.fact(), document.fact("check"), govrules.AgendaItem("议题").fact("executive", 0)):
        facts.declared(fact["type"]).check(fact)
    person = govrules.Person("p1", office="mayor")
    facts.declared(person.fact()["type"]).check(person.fact())


def test_every_bundled_profile_compiles_against_the_declarations() -> None:
    for pid in govrules.profiles():
        compiled = compile_profile(govrules.load(pid).spec, FAMILIES)
        for fact_type, fields in compiled.fields.items():
            assert fields <= facts.declared(fact_type).fields | {"type"}, (pid, fact_type)


def test_a_family_query_is_a_profile_question_without_a_profile_method(monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding a family is its module plus one registration line: its queries reach `Profile` at once."""
    from govrules import profile as profile_module
    from govrules.families.seals import Seals

    class Stamps(Seals):
        queries = ("stamp",)

        def stamp(self, seal: str) -> tuple[str, ...]:
            return self.seal(seal).signers

    monkeypatch.setattr(profile_module, "FAMILIES", (*(f for f in FAMILIES if f is not Seals), Stamps))
    gov = profile_module.Profile(govrules.load("jining").spec, source="test")
    assert gov.stamp("mayor") == govrules.load("jining").seal("mayor").signers
    with pytest.raises(AttributeError, match="no attribute `stmp`"):
        gov.stmp  # noqa: B018
