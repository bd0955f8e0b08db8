"""Eight threads asking a mix of questions get exactly the answers one thread gets.

The mix (``question_mix``) is also what ``benchmarks/soak.py`` runs a million times.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import random
import threading
from collections.abc import Callable
from functools import partial

import govrules
from govrules import Absence, Document, Person, Roster
from govrules import vocabulary as v

ON = dt.date(2025, 3, 3)

Question = tuple[str, Callable[[], object]]


def _roster(rng: random.Random) -> Roster:
    """A plausible city government: a mayor, an executive vice mayor, paired vice mayors, a deputy
    secretary-general serving one of them, with portfolios."""
    people = [
        Person("mayor", "mayor", portfolios=["general"]),
        Person("exec", "executive_vice_mayor", portfolios=["finance"]),
        Person("vm1", "vice_mayor", portfolios=["education"], ab_partner="vm2"),
        Person("vm2", "vice_mayor", portfolios=["health"], ab_partner="vm1"),
        Person("vm3", "vice_mayor", portfolios=["water"]),
        Person("sg", "secretary_general"),
        Person("dsg", "deputy_secretary_general", counterpart=rng.choice(["vm1", "vm2", "exec"])),
    ]
    return Roster(people)


def _absences(rng: random.Random, roster: Roster) -> list[Absence]:
    out = []
    people = [p.id for p in roster]
    chosen = rng.sample(people, rng.randint(0, 3))
    if rng.random() < 0.3:  # AB partners, or a leader and their counterpart, away together
        chosen = [*{*chosen, *rng.choice([("vm1", "vm2"), ("dsg", roster["dsg"].counterpart or "exec")])}]
    places = list(v.PLACES)  # nearest to farthest
    for person in sorted(chosen):
        start = ON - dt.timedelta(days=rng.randint(0, 2))
        reason = rng.choice(sorted(v.REASONS))
        implied = v.PLACE_REASONS.get(reason)
        farther = places[places.index(implied) if implied else 0 :]
        out.append(
            Absence(
                person,
                start,
                start + dt.timedelta(days=rng.randint(0, 4)),
                reason,
                place=rng.choice([None, *farther]),  # not given, or where the reason allows
                entrusted=rng.random() < 0.5,
            )
        )
    return out


def _document(rng: random.Random) -> Document:
    return Document(
        rng.choice(sorted(v.KINDS)),
        issuer=rng.choice(["municipal_government", "municipal_government", "general_office", "department"]),
        recipient=rng.choice([None, *sorted(v.RECIPIENTS)]),
        portfolios=rng.choice([(), ("education",), ("education", "finance")]),
        urgency=rng.choice(sorted(v.URGENCIES)),
        meeting=rng.choice([None, *sorted(v.MEETINGS)]),
        decided_at=rng.choice([None, "executive"]),
        important=rng.random() < 0.3,
        major_policy=rng.random() < 0.2,
        emergency=rng.random() < 0.2,
        office_routine=rng.random() < 0.2,
        contains_request=rng.random() < 0.2,
        matters=rng.choice([1, 1, 2]),
        addressed_to_leader_personally=rng.random() < 0.2,
        skips_level=rng.random() < 0.2,
        multiple_recipients=rng.random() < 0.2,
        sender_kind=rng.choice([None, *sorted(v.SENDER_KINDS)]),
        countersigned=rng.choice([None, False, True]),
        signed_by_head=rng.choice([None, False, True]),
    )


def question_mix(n: int, seed: int) -> list[Question]:
    """``n`` questions to bundled profiles: sign, sign on a day, acting, deadline, meeting, check."""
    rng = random.Random(seed)
    profiles = [govrules.load(pid) for pid in govrules.profiles()]
    out: list[Question] = []
    for i in range(n):
        gov = rng.choice(profiles)
        roster = _roster(rng)
        away = _absences(rng, roster)
        doc = _document(rng)
        kind = i % 6
        question: Callable[[], object]
        if kind == 0:
            label, question = "sign", partial(gov.sign, doc)
        elif kind == 1:
            label, question = "sign on a day", partial(gov.sign, doc, on=ON, roster=roster, absences=away)
        elif kind == 2:
            who, duty = rng.choice([p.id for p in roster]), rng.choice(sorted(v.DUTIES))
            label, question = "acting", partial(gov.acting, who, on=ON, roster=roster, absences=away, duty=duty)
        elif kind == 3:
            deadline = rng.choice(gov.deadlines() if rng.random() < 0.8 else sorted(v.DEADLINE_KINDS))
            at: dt.date = ON + dt.timedelta(days=rng.randint(0, 400))
            when = dt.datetime.combine(at, dt.time(9, 30)) if rng.random() < 0.3 else at
            urgency = rng.choice([None, *sorted(v.URGENCIES)])
            whose = rng.choice([None, "county_head", "department_head", "vice_mayor", "executive_vice_mayor"])
            label, question = "deadline", partial(gov.deadline, deadline, when, urgency=urgency, for_office=whose)
        elif kind == 4:
            label, question = "meeting", partial(gov.meeting, rng.choice(sorted(v.MEETINGS)))
        elif rng.random() < 0.5:
            label, question = "check", partial(gov.check, doc)
        else:
            label, question = "check absences", partial(gov.check, absences=away, roster=roster, on=ON)
        out.append((label, question))
    return out


def answer(question: Question) -> str:
    """The answer as comparable text: the value's plain data, or the error's type and message."""
    try:
        value = question[1]()
    except govrules.GovrulesError as exc:
        return f"{type(exc).__name__}: {exc}"
    if isinstance(value, list):
        return json.dumps([x.as_dict() for x in value], ensure_ascii=False, sort_keys=True)
    as_dict = getattr(value, "as_dict", None)
    return json.dumps(as_dict(), ensure_ascii=False, sort_keys=True) if as_dict else repr(value)


def test_the_mix_asks_every_kind_of_question_and_gets_answers() -> None:
    questions = question_mix(120, seed=1)
    assert {label for label, _q in questions} == {
        "sign",
        "sign on a day",
        "acting",
        "deadline",
        "meeting",
        "check",
        "check absences",
    }
    answers = [answer(q) for q in questions]
    assert sum(not a.startswith(("NotCovered", "InvalidArgument", "CalendarError")) for a in answers) > 60


def test_eight_threads_answer_a_mixed_load_as_one_thread_does() -> None:
    questions = question_mix(300, seed=3)
    expected = [answer(q) for q in questions]
    start = threading.Barrier(8)

    def worker(seed: int) -> list[tuple[int, str]]:
        order = list(range(len(questions)))
        random.Random(seed).shuffle(order)  # every thread asks in its own order
        start.wait()
        return [(i, answer(questions[i])) for i in order for _round in range(2)]

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(worker, range(8)))
    wrong = [(questions[i][0], i) for got in results for i, text in got if text != expected[i]]
    assert not wrong, f"{len(wrong)} answers changed under threads, e.g. {wrong[:5]}"
    assert sum(len(got) for got in results) == 8 * 2 * len(questions)
