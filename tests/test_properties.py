"""Properties over hostile input and invariants over generated days (hypothesis).

1. A bundled profile mutated in any way (keys deleted, duplicated, retyped, renamed; values swapped;
   the text truncated; bytes corrupted) makes ``govrules.load`` raise ``ProfileError`` or load; a
   mutant that loads answers questions or raises a ``GovrulesError``. Nothing else escapes.
2. Any arguments to the public constructors and queries (wrong types, unknown ids, huge strings,
   dates at the ends of the range, None) give an answer or a ``GovrulesError``.
3. Invariants: more absences never put an absent person in an answer; deadlines never move earlier
   when the start moves later; quorum is monotone in attendance.

Some properties already live beside their feature (``test_acting.py``, ``test_deadlines.py``,
``test_meetings.py``): these extend them to every bundled profile, random rosters and every kind.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import govrules
from govrules import Absence, AgendaItem, Calendar, Document, Person, Roster
from govrules import vocabulary as v
from govrules.registry import bundled_dir

from .test_oracle import ON, absences, rosters

PROFILES = govrules.profiles()
TEXTS = {pid: (bundled_dir() / f"{pid}.yaml").read_bytes() for pid in PROFILES}
TREES = {pid: yaml.safe_load(text) for pid, text in TEXTS.items()}

# -- 1. mutated profiles ---------------------------------------------------------------------------

ODD_VALUES: list[Any] = [
    None,
    0,
    -1,
    10**30,
    1.5,
    True,
    "",
    "x",
    "2024-13-45",
    "mayor",
    "none",
    "x" * 5000,
    [],
    ["x"],
    [[]],
    {},
    {"x": 1},
    {"article": 1, "quote": "q"},
]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a parsed YAML tree, containers included (not the root)."""
    out = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        out.append((*prefix, key))
        out += _paths(child, (*prefix, key))
    return out


def _parent(tree: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        tree = tree[step]
    return tree


@st.composite
def structural_mutants(draw: st.DrawFn) -> tuple[str, bytes]:
    """A bundled profile with one to three edits of its data, written back as YAML."""
    pid = draw(st.sampled_from(PROFILES))
    tree = copy.deepcopy(TREES[pid])
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(tree)
        path = draw(st.sampled_from(paths))
        parent, last = _parent(tree, path), path[-1]
        op = draw(st.sampled_from(["delete", "retype", "rename", "swap", "copy"]))
        if op == "delete":
            del parent[last]
        elif op == "retype":
            parent[last] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif op == "rename" and isinstance(parent, dict):
            new = draw(st.sampled_from([f"{last}x", "id", "when", "steps", "overrides", "kind", "basis", "fallback"]))
            parent[new] = parent.pop(last)
        elif op in ("swap", "copy"):
            other = draw(st.sampled_from(paths))
            try:
                there = _parent(tree, other)
                mine, theirs = parent[last], there[other[-1]]
            except (KeyError, IndexError, TypeError):
                continue  # an earlier edit removed it
            parent[last] = copy.deepcopy(theirs)
            if op == "swap":
                there[other[-1]] = copy.deepcopy(mine)
    return pid, yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode("utf-8")


@st.composite
def textual_mutants(draw: st.DrawFn) -> tuple[str, bytes]:
    """A bundled profile's bytes truncated, corrupted, or with a line duplicated, deleted or re-indented."""
    pid = draw(st.sampled_from(PROFILES))
    data = bytearray(TEXTS[pid])
    op = draw(st.sampled_from(["truncate", "corrupt", "duplicate_line", "delete_line", "indent"]))
    if op == "truncate":
        return pid, bytes(data[: draw(st.integers(0, len(data)))])
    if op == "corrupt":
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return pid, bytes(data)
    lines = bytes(data).split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    if op == "duplicate_line":  # inside a mapping, this is a duplicate key
        lines.insert(i, lines[i])
    elif op == "delete_line":
        del lines[i]
    else:
        lines[i] = draw(st.sampled_from([b" ", b"\t", b"  - ", b"? "])) + lines[i]
    return pid, b"\n".join(lines)


def _questions(gov: govrules.Profile) -> None:
    """A few questions of every family; each may answer or raise a GovrulesError."""
    asks: list[Callable[[], object]] = [
        lambda: gov.sign(Document("request", recipient="provincial_government")),
        lambda: gov.sign(Document("minutes", meeting="executive", portfolios=("a", "b"))),
        lambda: gov.sign(Document("notice", issuer="general_office", office_routine=True)),
        lambda: gov.acting(
            "p0",
            on=max(ON, gov.effective),
            roster=Roster([Person("p0", "mayor"), Person("p1", "executive_vice_mayor")]),
            absences=[Absence("p0", max(ON, gov.effective), max(ON, gov.effective), "out_of_city", entrusted=True)],
            duty="preside",
        ),
        *(lambda kind=kind: gov.meeting(kind) for kind in sorted(v.MEETINGS)),
        *(
            lambda kind=kind: gov.deadline(kind, max(ON, gov.effective), urgency="urgent")
            for kind in sorted(v.DEADLINE_KINDS)
        ),
        lambda: gov.quorum("executive", expected=10, present=6),
        lambda: gov.check(Document("report", contains_request=True, matters=2)),
        lambda: gov.seal("municipal_government"),
    ]
    for ask in asks:
        with contextlib.suppress(govrules.GovrulesError):
            ask()


def _load_mutant(folder: Path, pid: str, data: bytes) -> None:
    path = folder / f"{pid}.yaml"  # the file name matches the profile id, so more mutants get far
    path.write_bytes(data)
    try:
        gov = govrules.load(path)
    except govrules.ProfileError:
        return
    _questions(gov)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutant=structural_mutants())
def test_structural_mutants_only_raise_profile_error(
    tmp_path_factory: pytest.TempPathFactory, mutant: tuple[str, bytes]
) -> None:
    _load_mutant(tmp_path_factory.mktemp("mutant"), *mutant)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutant=textual_mutants())
def test_textual_mutants_only_raise_profile_error(
    tmp_path_factory: pytest.TempPathFactory, mutant: tuple[str, bytes]
) -> None:
    _load_mutant(tmp_path_factory.mktemp("mutant"), *mutant)


# -- 2. any arguments ------------------------------------------------------------------------------

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(10**40),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.just("x" * 70_000),  # beyond the engine's 16-bit value lengths
    st.just("none"),
    st.binary(max_size=4),
    st.just(dt.date.min),
    st.just(dt.date.max),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(dt.UTC)),
    st.lists(st.text(max_size=4), max_size=3),
    st.lists(st.integers(), max_size=2).map(tuple),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(object()),
)


def mix(*valid: Any) -> st.SearchStrategy[Any]:
    """Mostly plausible values, often junk."""
    return st.one_of(st.sampled_from(valid), junk) if valid else junk


# Collections given where the API wants an iterable, and junk that is not one (None, 5, a date), which
# must be refused the same way (test_non_iterable_arguments_are_invalid asks each boundary directly).
iterable_junk = st.one_of(
    st.text(max_size=8),
    st.just("x" * 70_000),
    st.binary(max_size=4),
    st.lists(junk, max_size=3),
    st.lists(junk, max_size=2).map(tuple),
    st.dictionaries(st.text(max_size=3), junk, max_size=2),
    junk,
)


ROLE_IDS = sorted(set(v.OFFICES) | set(v.RELATIONAL_ROLES))
FIELD_VALUES: dict[str, tuple[Any, ...]] = {
    "issuer": tuple(sorted(v.ISSUERS)),
    "recipient": (None, *sorted(v.RECIPIENTS)),
    "portfolios": ((), ("a",), ("a", "b"), ("a", "a"), ("",)),
    "urgency": tuple(sorted(v.URGENCIES)),
    "decided_at": (None, *sorted(v.MEETINGS)),
    "meeting": (None, *sorted(v.MEETINGS)),
    "chaired_by": (None, *ROLE_IDS, "nobody"),
    "matters": (1, 2, 0),
    "sender": (None, "dept"),
    "sender_kind": (None, *sorted(v.SENDER_KINDS)),
    "authorised": ((), ("secretary_general",), ("nobody",)),
    **{flag: (False, True) for flag in v.FLAGS},
    **{key: (None, False, True) for key in v.TRISTATE},
}


@st.composite
def any_document(draw: st.DrawFn) -> Any:
    kind = draw(mix(*sorted(v.KINDS)))
    keys = draw(st.lists(st.sampled_from([*sorted(FIELD_VALUES), "colour"]), max_size=6, unique=True))
    attrs = {k: draw(mix(*FIELD_VALUES.get(k, ()))) for k in keys}
    return kind, attrs


def _person(draw: st.DrawFn) -> Any:
    return (
        draw(mix("p0", "p1", "p2")),
        draw(mix(*sorted(v.OFFICES))),
        {
            "portfolios": draw(mix((), ("a",))),
            "ab_partner": draw(mix(None, "p0", "p1")),
            "counterpart": draw(mix(None, "p0")),
        },
    )


def _gently(make: Callable[[], Any]) -> Any:
    """Build a value from drawn arguments; a GovrulesError leaves junk in its place."""
    try:
        return make()
    except govrules.GovrulesError:
        return None


@st.composite
def calls(draw: st.DrawFn) -> tuple[str, Callable[[], object]]:
    """One call of the public API with drawn arguments."""
    gov = govrules.load(draw(st.sampled_from(PROFILES)))
    kind, attrs = draw(any_document())
    doc = _gently(lambda: Document(kind, **attrs)) if draw(st.booleans()) else draw(junk)
    people = [_person(draw) for _ in range(draw(st.integers(0, 3)))]
    roster = draw(
        st.sampled_from(
            [
                _gently(lambda: Roster([Person(i, o, **kw) for i, o, kw in people])),
                Roster([Person("p0", "mayor"), Person("p1", "vice_mayor")]),
            ]
        )
        | junk
    )
    on = draw(mix(ON, gov.effective))
    absence = (draw(mix("p0", "p1")), draw(mix(ON)), draw(mix(ON)), draw(mix(*sorted(v.REASONS))), draw(mix(False)))
    away = draw(st.sampled_from([[], [_gently(lambda: Absence(*absence[:4], entrusted=absence[4]))]]) | iterable_junk)
    agenda = draw(st.sampled_from([[], [AgendaItem("x", funding=True)]]) | iterable_junk)
    a = {  # every other argument, drawn now (a composite cannot draw once the test runs)
        "mapping": draw(mix({"kind": "notice"}, {"kind": "request"})),
        "people": draw(
            st.sampled_from([[Person("p0", "mayor")], [Person("p0", "mayor"), Person("p0", "mayor")]]) | iterable_junk
        ),
        "who": draw(mix("p0", "p1", "mayor", "vice_mayor")),
        "duty": draw(mix(*sorted(v.DUTIES))),
        "deadline_kind": draw(mix(*sorted(v.DEADLINE_KINDS))),
        "at": draw(mix(ON, dt.datetime(2025, 3, 3, 9, 0))),
        "urgency": draw(mix(None, *sorted(v.URGENCIES))),
        "complex": draw(mix(False, True)),
        "provisional": draw(mix(False, True)),
        "calendar": draw(mix(None, Calendar(), Calendar(provisional=True))),
        "meeting": draw(mix(*sorted(v.MEETINGS))),
        "expected": draw(mix(0, 10, 10**30)),
        "present": draw(mix(0, 6, 11)),
        "check_doc": draw(st.none() | st.just(doc)),
        "check_roster": draw(st.none() | st.just(roster)),
        "check_on": draw(mix(None, ON)),
        "attendees": draw(mix(["p0"], [], ["p0", "p0"], ["ghost"])),
        "chair": draw(st.sampled_from([None, "p0", "ghost"]) | st.text(max_size=8)),
    }
    options: dict[str, Callable[[], object]] = {
        "Document": lambda: Document(kind, **attrs),
        "Document.from_mapping": lambda: Document.from_mapping(a["mapping"]),
        "Person": lambda: [Person(i, o, **kw) for i, o, kw in people],
        "Roster": lambda: Roster(a["people"]),
        "Absence": lambda: Absence(*absence[:4], entrusted=absence[4]),
        "sign": lambda: gov.sign(doc),
        "sign on a day": lambda: gov.sign(doc, on=on, roster=roster, absences=away),
        "acting": lambda: gov.acting(a["who"], on=on, roster=roster, absences=away, duty=a["duty"]),
        "deadline": lambda: gov.deadline(
            a["deadline_kind"],
            a["at"],
            urgency=a["urgency"],
            complex=a["complex"],
            provisional=a["provisional"],
            calendar=a["calendar"],
        ),
        "meeting": lambda: gov.meeting(a["meeting"]),
        "quorum": lambda: gov.quorum(a["meeting"], expected=a["expected"], present=a["present"]),
        "check": lambda: gov.check(a["check_doc"], absences=away, roster=a["check_roster"], on=a["check_on"]),
        "check_meeting": lambda: gov.check_meeting(
            a["meeting"],
            attendees=a["attendees"],
            roster=roster,
            chair=a["chair"],
            on=a["check_on"],
            absences=away,
            agenda=agenda,
        ),
    }
    name = draw(st.sampled_from(sorted(options)))
    return name, options[name]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(call=calls())
def test_any_arguments_give_an_answer_or_a_govrules_error(call: tuple[str, Callable[[], object]]) -> None:
    _name, make = call
    with contextlib.suppress(govrules.GovrulesError):
        make()


def test_the_meeting_chair_as_the_chair_of_the_meeting_is_refused_or_unresolved() -> None:
    gov = govrules.load("chaoyang")  # 专题会议纪要由主持召开会议的市政府领导同志签发: the sign step is `meeting_chair`
    doc = Document("minutes", meeting="topical", chaired_by="meeting_chair")
    try:
        route = gov.sign(doc, on=ON, roster=Roster([Person("m", "mayor")]))
    except govrules.GovrulesError:
        return
    assert route.persons == ()
    assert route.unresolved


_ROSTER = Roster([Person("p0", "mayor"), Person("p1", "vice_mayor")])
_JINING = "jining"
NOT_ITERABLE = [None, 5, 1.5, ON]


@pytest.mark.parametrize("value", NOT_ITERABLE, ids=repr)
@pytest.mark.parametrize(
    "call",
    [
        lambda gov, x: gov.sign(Document("notice"), on=ON, roster=_ROSTER, absences=x),
        lambda gov, x: gov.acting("p0", on=ON, roster=_ROSTER, absences=x, duty="all"),
        lambda gov, x: gov.check(absences=x, roster=_ROSTER, on=ON),
        lambda gov, x: gov.delegation_graph(on=ON, roster=_ROSTER, absences=x),
        lambda gov, x: gov.check_meeting("executive", attendees=["p0"], roster=_ROSTER, on=ON, absences=x),
        lambda gov, x: gov.check_meeting("executive", attendees=["p0"], roster=_ROSTER, agenda=x),
        lambda gov, x: Roster(x),
    ],
    ids=["sign", "acting", "check", "delegation_graph", "check_meeting absences", "check_meeting agenda", "Roster"],
)
def test_non_iterable_arguments_are_invalid(call: Callable[[Any, Any], object], value: Any) -> None:
    with pytest.raises(govrules.InvalidArgument):
        call(govrules.load(_JINING), value)


@pytest.mark.parametrize("chair", [5, ["p0"], ("p0",)], ids=repr)
def test_a_chair_that_is_not_an_id_is_invalid(chair: Any) -> None:
    with pytest.raises(govrules.InvalidArgument, match="chair"):
        govrules.load(_JINING).check_meeting("executive", attendees=["p0"], roster=_ROSTER, chair=chair)


def test_looking_up_a_roster_by_a_list_is_invalid() -> None:
    with pytest.raises(govrules.InvalidArgument):
        _ROSTER[["p0"]]  # type: ignore[index]


def test_a_path_with_a_nul_byte_is_a_profile_error() -> None:
    with pytest.raises(govrules.GovrulesError):
        govrules.load("profiles/a\x00b.yaml")


# -- 3. invariants ---------------------------------------------------------------------------------

DUTIES = sorted(v.DUTIES)


@pytest.mark.parametrize("pid", PROFILES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), duty=st.sampled_from(DUTIES))
def test_more_absences_never_put_an_absent_person_in_an_answer(pid: str, data: st.DataObject, duty: str) -> None:
    """For every official and a document of every kind: whoever answers after more absences is present."""
    gov = govrules.load(pid)
    roster = data.draw(rosters(), label="roster")
    first = data.draw(absences(roster), label="absences")
    more = data.draw(absences(roster), label="more absences")
    everyone = first + more
    away = {a.person for a in everyone if a.covers(ON)}
    for person in roster:
        try:
            act = gov.acting(person.id, on=ON, roster=roster, absences=everyone, duty=duty)
        except (govrules.NotCovered, govrules.InvalidArgument):  # the answer turns on a place not given
            continue
        assert act.person is None or act.person not in away
        assert not set(act.candidates) & away
    doc = Document(
        data.draw(st.sampled_from(sorted(v.KINDS)), label="kind"),
        portfolios=("p1",),
        urgency=data.draw(st.sampled_from(sorted(v.URGENCIES)), label="urgency"),
    )
    try:
        route = gov.sign(doc, on=ON, roster=roster, absences=everyone)
    except (govrules.NotCovered, govrules.ConflictError, govrules.InvalidArgument):
        return
    assert not set(route.persons) & away
    assert not set(route.acting_for) & away


Question = tuple[str, str, str | None, bool, str | None, bool]


def _deadline_questions() -> list[Question]:
    """Per bundled profile, one question for each distinct deadline rule selection it makes (asked
    for no office in particular, and for each office a rule names)."""
    out = []
    for pid in PROFILES:
        gov = govrules.load(pid)
        seen = set()
        for kind in gov.deadlines():
            offices = sorted({o for r in gov.spec.deadlines if r.kind == kind for o in r.when.offices()})
            for urgency in (None, *sorted(v.URGENCIES)):
                for complex_ in (False, True):
                    for office in (None, *offices):
                        try:
                            answer = gov.deadline(
                                kind, dt.datetime(2025, 6, 3, 9), urgency=urgency, complex=complex_, for_office=office
                            )
                        except (govrules.NotCovered, govrules.InvalidArgument):
                            continue
                        if answer.rules not in seen:
                            seen.add(answer.rules)
                            out.append((pid, kind, urgency, complex_, office, answer.unit == "hours"))
    return out


DEADLINES = _deadline_questions()
LAST = Calendar().covered()[1]


@pytest.mark.parametrize("question", DEADLINES, ids=lambda q: "-".join(str(x) for x in q[:5]))
@settings(max_examples=15, deadline=None)
@given(a=st.integers(0, 10**6), b=st.integers(0, 10**6))
def test_deadlines_never_move_earlier_when_the_start_moves_later(question: Question, a: int, b: int) -> None:
    """Over the covered calendar from the profile's effective date, in minutes (hours) or days."""
    pid, kind, urgency, complex_, office, hours = question
    gov = govrules.load(pid)
    first_day = dt.datetime.combine(gov.effective, dt.time())
    span = (LAST - gov.effective).days * 24 * 60
    early, late = (first_day + dt.timedelta(minutes=m * span // 10**6) for m in sorted((a, b)))
    starts: tuple[Any, Any] = (early, late) if hours else (early.date(), late.date())
    try:
        first, second = (gov.deadline(kind, s, urgency=urgency, complex=complex_, for_office=office) for s in starts)
    except govrules.CalendarError:
        assume(False)  # due beyond the published calendar
        raise
    assert first.due <= second.due, (starts, first.due, second.due)


def test_every_bundled_deadline_kind_is_asked() -> None:
    asked = {(pid, kind) for pid, kind, *_ in DEADLINES}
    assert asked == {(pid, kind) for pid in PROFILES for kind in govrules.load(pid).deadlines()}


QUORATE = [(pid, m.kind) for pid in PROFILES for m in govrules.load(pid).spec.meetings if m.quorum is not None]


@pytest.mark.parametrize(("pid", "kind"), QUORATE)
@settings(max_examples=60, deadline=None)
@given(expected=st.integers(0, 200), a=st.integers(0, 200), b=st.integers(0, 200))
def test_quorum_is_monotone_in_attendance_for_every_bundled_quorum(
    pid: str, kind: str, expected: int, a: int, b: int
) -> None:
    gov = govrules.load(pid)
    low, high = sorted((min(a, expected), min(b, expected)))
    if gov.quorum(kind, expected=expected, present=low).quorate:
        assert gov.quorum(kind, expected=expected, present=high).quorate


@pytest.mark.parametrize(("pid", "kind"), QUORATE)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roster=rosters(max_people=9), data=st.data())
def test_check_meeting_quorum_is_monotone_in_who_attends(
    pid: str, kind: str, roster: Roster, data: st.DataObject
) -> None:
    """Anyone more attending never makes a quorate meeting inquorate."""
    gov = govrules.load(pid)
    ids = [p.id for p in roster]
    some = data.draw(st.lists(st.sampled_from(ids), unique=True), label="attending")
    more = data.draw(st.lists(st.sampled_from(ids), unique=True), label="also attending")
    before = gov.check_meeting(kind, attendees=some, roster=roster).quorum
    after = gov.check_meeting(kind, attendees=list(dict.fromkeys(some + more)), roster=roster).quorum
    assert before is not None and after is not None
    assert after.present >= before.present
    assert not before.quorate or after.quorate
