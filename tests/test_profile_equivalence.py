"""The bundled profiles answer exactly as their frozen copies in tests/fixtures/before-fallback do.

The profiles were rewritten with `fallback: true` and `{except: [...]}` to say less; the rewrite
must not change one answer. Signing: the domain is every combination of the document attributes
some signing rule of either version tests (``attribute_domains`` over the old and the new rules),
every kind, issuer, recipient and urgency of the vocabulary included. Millions of documents are too
many to ask the engine about one by one, so the domain is split into classes: a search assigns
attributes until every rule of both versions is decided (it applies to each document of the class,
or to none of them); every document of a class then meets the same rules in both versions, and one
document per class is asked of both. Every class is checked, plus a sample of raw combinations;
``slow`` asks three documents of every class (an engine rule that looked at an attribute its
condition does not name would show there).

Deadlines: every kind × urgency (none or each) × complex, at a date and at a datetime. The whole
answer is compared (``as_dict`` and the step values, or the exception's type and message).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import pytest

import govrules
from govrules import vocabulary as v
from govrules.families.signing import SigningRule, attribute_domains
from govrules.validate import check_file

from .conftest import FIXTURES, ROOT
from .reference import to_document

CITIES = ["chaoyang", "jining", "luoyang", "quzhou", "zhengzhou"]
BEFORE = FIXTURES / "before-fallback"

Attrs = dict[str, Any]
Terms = Mapping[str, "tuple[str, ...] | bool"]


def _pair(city: str) -> tuple[govrules.Profile, govrules.Profile]:
    return govrules.load(BEFORE / f"{city}.yaml"), govrules.load(ROOT / "profiles" / f"{city}.yaml")


def domains(rules: Sequence[SigningRule]) -> dict[str, list[Any]]:
    """``attribute_domains`` of ``rules``, with every kind, issuer, recipient and urgency of the vocabulary."""
    found = attribute_domains(rules)
    extra = {
        "kind": v.KINDS,
        "issuer": v.ISSUERS,
        "recipient": (*v.RECIPIENTS, "none"),
        "urgency": v.URGENCIES,
    }
    for key, values in extra.items():
        found[key] = sorted(set(found.get(key, ())) | set(values), key=str)
    return found


def _status(terms: Terms, attrs: Attrs) -> bool | None:
    """Whether one condition holds for every document with ``attrs`` (True), for none (False), or open."""
    open_ = False
    for key, wanted in terms.items():
        if key not in attrs:
            open_ = True
        elif isinstance(wanted, bool):
            if attrs[key] is not wanted:  # an unknown (None) tri-state fact meets neither true nor false
                return False
        elif attrs[key] not in wanted:
            return False
    return None if open_ else True


def classes(rules: Sequence[SigningRule], domain: Mapping[str, list[Any]]) -> Iterator[Attrs]:
    """Partial assignments that split ``domain`` into classes on which every rule is decided."""
    conditions = [[c.terms() for c in rule.when] for rule in rules]

    def visit(attrs: Attrs) -> Iterator[Attrs]:
        keys: list[str] = []
        for conds in conditions:
            states = [_status(c, attrs) for c in conds]
            if True not in states and None in states:
                keys += [k for c in conds for k in c if k not in attrs]
        if not keys:
            yield attrs
            return
        key = min(keys, key=lambda k: (-keys.count(k), k))
        for value in domain[key]:
            yield from visit({**attrs, key: value})

    yield from visit({})


def document(attrs: Attrs) -> govrules.Document:
    if "matters" in attrs:
        attrs = {**attrs, "matters": {"one": 1, "several": 2}[attrs["matters"]]}
    return to_document(attrs)


def members(cls: Attrs, domain: Mapping[str, list[Any]], rng: random.Random, n: int) -> Iterator[Attrs]:
    """``n`` documents of the class ``cls``: its free attributes drawn from ``domain``."""
    free = [k for k in domain if k not in cls]
    for _ in range(n):
        yield {**cls, **{k: rng.choice(domain[k]) for k in free}}


def outcome(ask: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The whole answer of ``ask(*args, **kwargs)`` as plain data, or the exception's type and message.

    The basis is left out: since the frozen copies were made, citations say which alternative of a
    rule they are about and answers cite only those (and the readings gained Chinese), which changes
    the basis on purpose; tests/test_readings.py checks it.
    """
    try:
        answer = ask(*args, **kwargs)
    except govrules.GovrulesError as exc:
        return (type(exc).__name__, str(exc))
    steps = getattr(answer, "steps", None)
    data = answer.as_dict()
    data.pop("basis")
    return (data, steps)


def sign_differences(old: govrules.Profile, new: govrules.Profile, documents: Iterator[Attrs]) -> tuple[int, list[str]]:
    seen, diffs = 0, []
    for attrs in documents:
        doc = document(attrs)
        before, after = outcome(old.sign, doc), outcome(new.sign, doc)
        seen += 1
        if before != after and not silent_minutes(new, doc, before, after):
            diffs.append(f"{attrs}\n  {difference(before, after)}")
    return seen, diffs


def silent_minutes(new: govrules.Profile, doc: govrules.Document, before: Any, after: Any) -> bool:
    """The one intended change since the freeze (issue 10): minutes of a meeting whose text sets no
    minutes route are no longer given a catch-all (`fallback`) route, which now leaves minutes out."""
    if doc.kind != "minutes" or after[0] != "NotCovered" or not isinstance(before[0], dict):
        return False
    fallbacks = {r.id for r in new.spec.signing if r.fallback}
    return bool(before[0]["rules"]) and set(before[0]["rules"]) <= fallbacks


def difference(before: Any, after: Any) -> str:
    """What differs between two outcomes: the answer fields, or the whole outcome."""
    if isinstance(before[0], dict) and isinstance(after[0], dict):
        keys = [k for k in before[0] if before[0][k] != after[0].get(k)]
        return "; ".join(f"{k}: {before[0][k]!r} → {after[0].get(k)!r}" for k in keys) or "steps differ"
    return f"{before!r} → {after!r}"


def _report(city: str, diffs: list[str]) -> str:
    return f"{city}: {len(diffs)} documents answer differently\n" + "\n".join(diffs[:5])


@pytest.mark.parametrize("city", CITIES)
def test_frozen_copy_still_validates(city: str) -> None:
    spec, diagnostics = check_file(BEFORE / f"{city}.yaml")
    assert spec is not None
    assert [d.render() for d in diagnostics if d.severity != "info"] == []


@pytest.mark.parametrize("city", CITIES)
def test_every_class_of_the_signing_domain_answers_as_before(city: str) -> None:
    old, new = _pair(city)
    rules = [*old.spec.signing, *new.spec.signing]
    domain = domains(rules)
    rng = random.Random(f"{city}-classes")
    found = (m for cls in classes(rules, domain) for m in members(cls, domain, rng, 1))
    seen, diffs = sign_differences(old, new, found)
    assert seen > len(rules)
    assert not diffs, _report(city, diffs)


@pytest.mark.slow
@pytest.mark.parametrize("city", CITIES)
def test_several_documents_of_every_class_answer_as_before(city: str) -> None:
    old, new = _pair(city)
    rules = [*old.spec.signing, *new.spec.signing]
    domain = domains(rules)
    rng = random.Random(f"{city}-members")
    found = (m for cls in classes(rules, domain) for m in members(cls, domain, rng, 3))
    _seen, diffs = sign_differences(old, new, found)
    assert not diffs, _report(city, diffs)


@pytest.mark.parametrize("city", CITIES)
def test_a_sample_of_raw_combinations_answers_as_before(city: str) -> None:
    old, new = _pair(city)
    domain = domains([*old.spec.signing, *new.spec.signing])
    _seen, diffs = sign_differences(old, new, members({}, domain, random.Random(f"{city}-raw"), 500))
    assert not diffs, _report(city, diffs)


@pytest.mark.parametrize("city", CITIES)
def test_every_deadline_question_answers_as_before(city: str) -> None:
    old, new = _pair(city)
    start = max(old.effective, dt.date(2025, 1, 6))
    diffs = []
    for kind in v.DEADLINE_KINDS:
        for urgency in (None, *v.URGENCIES):
            for complex_ in (False, True):
                for at in (start, dt.datetime.combine(start, dt.time(9, 30))):
                    question = {"kind": kind, "at": at, "urgency": urgency, "complex": complex_}
                    before, after = outcome(old.deadline, **question), outcome(new.deadline, **question)
                    if before != after and not office_required(new, kind, after):
                        diffs.append(f"{question}\n  {difference(before, after)}")
    assert not diffs, "\n".join(diffs)


def office_required(new: govrules.Profile, kind: str, after: Any) -> bool:
    """The intended change since the freeze (issue 10): a limit the text sets for some offices only
    (济宁 80: county and department heads' leave) now asks whose limit it is."""
    offices = any(r.kind == kind and r.when.office is not None for r in new.spec.deadlines)
    return offices and after[0] == "InvalidArgument" and "`for_office`" in after[1]


def test_the_class_search_meets_every_combination_of_applying_rules() -> None:
    """The split is sound: on a small profile, every raw document meets the rules its class decided."""
    _old, new = _pair("quzhou")
    rules = list(new.spec.signing)
    domain = domains(rules)
    decided = list(classes(rules, domain))
    rng = random.Random("quzhou-soundness")
    for attrs in members({}, domain, rng, 300):
        (cls,) = [c for c in decided if all(attrs[k] == val for k, val in c.items())]
        for rule in rules:
            states = {_status(c.terms(), cls) for c in rule.when}
            holds = any(_status(c.terms(), attrs) for c in rule.when)
            assert holds == (True in states), (rule.id, attrs)


def test_every_bundled_profile_has_a_frozen_copy() -> None:
    assert sorted(p.stem for p in (ROOT / "profiles").glob("*.yaml")) == CITIES
    assert sorted(p.stem for p in BEFORE.glob("*.yaml")) == CITIES
