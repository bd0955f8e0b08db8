"""Every answer is a value: frozen, hashable, picklable, ``as_dict``/``from_dict`` lossless through
JSON, shown in notebooks; checked on values produced by real queries of every bundled profile."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import pickle
import subprocess
import sys
from collections.abc import Iterator, Mapping
from functools import cache
from types import MappingProxyType
from typing import Any

import pytest

import govrules
from govrules import analysis, families
from govrules.analysis import domain
from govrules.analysis import questions as q
from govrules.answers import Answer, Citation, FrozenMap
from govrules.families.signing import Signing

from .conftest import FIXTURES, ROOT

ROSTER = ROOT / "examples" / "roster.yaml"
ON = dt.date(2025, 3, 3)


def _walk(value: Any) -> Iterator[Answer]:
    if isinstance(value, Answer):
        yield value
        for f in dataclasses.fields(value):  # type: ignore[arg-type]
            yield from _walk(getattr(value, f.name))
    elif isinstance(value, (tuple, list)):
        for x in value:
            yield from _walk(x)
    elif isinstance(value, FrozenMap):
        for x in value.values():
            yield from _walk(x)


@cache
def samples() -> dict[str, list[Answer]]:
    """Answers of every type, from real queries of the five bundled profiles."""
    found: list[Any] = []
    roster = govrules.Roster.from_yaml(ROSTER)
    for pid in govrules.profiles():
        gov = govrules.load(pid)
        for point in domain.points(gov.family(Signing).rules)[::25]:
            with contextlib.suppress(govrules.NotCovered):
                found.append(gov.sign(domain.document(point)))
        for topic in ("signing", "seals", "acting", "deadlines", "compliance"):
            for question in q.of_topic(topic, [gov]):
                outcome = question.outcome(gov)
                found.append(outcome.answer)
                if topic == "compliance" and outcome.state == "answered":
                    found.extend(outcome.answer.found)
        for kind in gov.meetings():
            rule = gov.meeting(kind)
            found.append(rule)
            if rule.quorum is not None:
                found.append(gov.quorum(kind, expected=11, present=6))
            attendees = [p.id for p in roster][:4]
            found.append(gov.check_meeting(kind, attendees=attendees, roster=roster, chair="mayor_li"))
            with contextlib.suppress(govrules.NotCovered):
                found.append(gov.agenda_chain(kind))
        for question in q.deadlines([gov]):
            outcome = question.outcome(gov)
            if outcome.state == "answered":
                found += [outcome.answer.status(outcome.answer.due), outcome.answer.status(dt.datetime(2099, 1, 1))]
        found.append(gov.sign(govrules.Document("notice", portfolios=["education"]), on=ON, roster=roster))
        trip = govrules.Absence("vm_zhao", ON, ON, "business_trip", place="out_of_province")
        with contextlib.suppress(govrules.NotCovered):
            found.append(gov.absence_approval("vm_zhao", trip, roster=roster))
        found += gov.gaps(roster=roster, on=ON, duty="sign_urgent", max_absent=1)
        found.append(gov.verify())
    found.append(govrules.diff("quzhou", "jining", topic=("deadlines", "seals")))
    found.append(analysis.verify_source(FIXTURES / "invalid" / "conflict.yaml"))
    by_type: dict[str, list[Answer]] = {}
    for value in _walk(found):
        by_type.setdefault(type(value).__name__, []).append(value)
    return by_type


def answer_types() -> list[type[Answer]]:
    """Every answer type: the families' (registered in ``families.ANSWERS``), citations, and the analysis values."""
    extra = (
        Citation,
        analysis.Change,
        analysis.ProfileDiff,
        analysis.Gap,
        analysis.VerifyReport,
        analysis.Counterexample,
    )
    return [*families.ANSWERS.values(), *extra]


def test_every_answer_type_inherits_the_shared_base() -> None:
    for cls in answer_types():
        assert issubclass(cls, Answer), cls
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, cls  # type: ignore[attr-defined]
        assert "__slots__" in vars(cls), cls


@pytest.mark.parametrize("name", sorted(t.__name__ for t in answer_types()))
def test_answer_round_trips(name: str) -> None:
    values = samples().get(name)
    assert values, f"no real query produced a `{name}`"
    cls = type(values[0])
    for value in values[:60]:
        data = value.as_dict()
        again = json.loads(json.dumps(data, ensure_ascii=False))
        assert cls.from_dict(again) == value
        assert cls.from_dict(again).as_dict() == data
        assert pickle.loads(pickle.dumps(value)) == value
        assert hash(value) == hash(cls.from_dict(again))
        assert not any(isinstance(getattr(value, f.name), MappingProxyType) for f in dataclasses.fields(value))
        shown = value._repr_html_()
        assert shown.startswith("<div") and "<script" not in shown


def test_display_uses_the_profile_wording_with_ids() -> None:
    gov = govrules.load("zhengzhou")
    route = gov.sign(govrules.Document("request", recipient="provincial_government"))
    page = route._repr_html_()
    assert "市长 <code>mayor</code>" in page and "第52条" in page
    meeting = gov.meeting("executive")._repr_html_()
    assert "负责常务工作（或综合工作）的副市长 <code>executive_vice_mayor</code>" in meeting
    assert "常务会议 <code>executive</code>" in meeting
    back = govrules.MeetingRule.from_dict(gov.meeting("executive").as_dict())
    assert back._repr_html_() == meeting  # the labels of the roles it names travel with it


def test_a_route_goes_into_a_data_frame() -> None:
    pd = pytest.importorskip("pandas")
    route = govrules.load("jining").sign(govrules.Document("request", recipient="provincial_government"))
    frame = pd.DataFrame([route])  # used to fail: cannot pickle 'mappingproxy'
    assert frame.loc[0, "signers"] == ("mayor", "executive_vice_mayor")
    assert pd.DataFrame([route.as_dict()]).loc[0, "profile"] == "jining"


def test_existing_json_keys_are_kept() -> None:
    gov = govrules.load("jining")
    route = gov.sign(govrules.Document("request", recipient="provincial_government")).as_dict()
    assert {"profile", "question", "steps", "signers", "reviewers", "delegable_to", "rules", "persons"} <= set(route)
    assert {"acting_for", "unresolved", "basis"} <= set(route)
    assert list(route)[-1] == "basis"
    assert set(route["basis"][0]) >= {"article", "item", "quote", "interpretation", "interpretation_zh"}
    rule = gov.meeting("executive").as_dict()
    assert rule["quorum"] == {"fraction": [1, 2], "strictly_more": True}


def test_from_dict_says_what_is_wrong() -> None:
    data = govrules.load("jining").meeting("executive").as_dict()
    with pytest.raises(govrules.InvalidArgument, match=r"`MeetingRule\.quorum\.fraction`: expected a list of 2"):
        govrules.MeetingRule.from_dict({**data, "quorum": {"fraction": [1], "strictly_more": True}})
    with pytest.raises(govrules.InvalidArgument, match=r"has no field `membrs`; did you mean `members`"):
        govrules.MeetingRule.from_dict({**data, "membrs": []})
    with pytest.raises(govrules.InvalidArgument, match=r"missing `kind`"):
        govrules.MeetingRule.from_dict({k: x for k, x in data.items() if k != "kind"})
    with pytest.raises(govrules.InvalidArgument, match=r"`Step\.action`: expected one of"):
        govrules.Step.from_dict({"action": "veto"})
    with pytest.raises(govrules.InvalidArgument, match=r"`Quorum\.needed`: expected a whole number"):
        govrules.Quorum.from_dict(
            {"kind": "x", "quorate": True, "needed": True, "expected": 1, "present": 1, "basis": []}
        )


def test_dates_and_datetimes_stay_apart() -> None:
    gov = govrules.load("zhengzhou")
    by_day = gov.deadline("countersign_reply", dt.date(2025, 9, 29))
    by_hour = gov.deadline("public_opinion_release", dt.datetime(2025, 9, 29, 9, 30))
    for value in (by_day, by_hour):
        back = govrules.Deadline.from_dict(json.loads(json.dumps(value.as_dict())))
        assert type(back.start) is type(value.start) and type(back.due) is type(value.due)


def test_frozen_map_is_a_value() -> None:
    m = FrozenMap({"a": "b"})
    assert m == {"a": "b"} and m != {"a": "c"} and hash(m) == hash(FrozenMap({"a": "b"}))
    assert pickle.loads(pickle.dumps(m)) == m
    route = govrules.load("jining").sign(govrules.Document("request", recipient="provincial_government"))
    assert type(dataclasses.replace(route, acting_for={"x": "y"}).acting_for) is FrozenMap


def test_a_new_answer_type_only_inherits() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Approval(Answer):
        approvers: tuple[str, ...]
        due: dt.date
        informed: Mapping[str, str] = FrozenMap()

    value = Approval(("mayor",), dt.date(2025, 1, 2), {"a": "b"})  # type: ignore[arg-type]
    assert Approval.from_dict(json.loads(json.dumps(value.as_dict()))) == value
    assert hash(value) and "<table>" in value._repr_html_()


def test_import_does_not_import_pandas() -> None:
    code = "import sys, govrules; govrules.Route; print('pandas' in sys.modules, 'govrules.analysis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False"]
