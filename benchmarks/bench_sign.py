"""Latency of `Profile.sign()` per bundled profile, next to the raw engine on the same ruleset.

Run: `python benchmarks/bench_sign.py [--n 20000]`. Not a test: numbers vary by machine. The raw
figure drives the durable-rules C core directly (assert the sentinel and the document fact, run
the agenda, delete the session) with no govrules code in the loop, so the ratio is what the
library's validation, normalisation, precedence and answer-building cost on top of the engine.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable

import durable_rules_engine as dre

import govrules
from govrules.cli import TOUR


def percentiles(samples: list[int]) -> tuple[float, float]:
    qs = statistics.quantiles(samples, n=100)
    return qs[49] / 1000, qs[94] / 1000  # µs


def measure(fn: Callable[[], object], n: int) -> list[int]:
    for _ in range(min(n, 500)):  # warm-up
        fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        fn()
        out.append(time.perf_counter_ns() - t0)
    return out


def raw_query(handle: int, facts: list[str], sid_counter: list[int]) -> None:
    sid_counter[0] += 1
    sid = str(sid_counter[0])
    for text in facts:
        code, offset = dre.assert_fact(handle, text.replace('"__SID__"', json.dumps(sid)))
        if code == 1:
            continue
        started = dre.start_action_for_state(handle, offset)
        message = started[1] if started else None
        while message:
            message = dre.complete_and_start_action(handle, offset)
    dre.delete_state(handle, sid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="queries per profile")
    args = parser.parse_args()
    print(
        f"python {platform.python_version()} on {platform.machine()}, {platform.processor() or 'cpu ?'}; "
        f"n={args.n} per profile"
    )
    print(f"{'profile':<10} {'sign p50':>9} {'p95':>8} {'q/s':>8}   {'raw p50':>8} {'p95':>8}   ratio p50")
    for pid in govrules.profiles():
        bench_profile(pid, args.n)


def bench_profile(pid: str, n: int) -> None:
    gov = govrules.load(pid)
    docs = []
    for _title, attrs in TOUR:
        doc = govrules.Document(**attrs)
        try:
            gov.sign(doc)
        except govrules.NotCovered:
            continue
        docs.append(doc)
    handle = gov._engine._handle
    facts = [
        [
            json.dumps({"type": "__begin__", "sid": "__SID__"}),
            # the same projected fact the library asserts
            json.dumps({**gov._engine._project(d.fact()), "sid": "__SID__"}, ensure_ascii=False),
        ]
        for d in docs
    ]
    counter = [10**9]
    turn = iter(range(10**12))

    def sign() -> None:
        gov.sign(docs[next(turn) % len(docs)])

    def raw() -> None:
        raw_query(handle, facts[next(turn) % len(facts)], counter)

    samples = measure(sign, n)
    s50, s95 = percentiles(samples)
    r50, r95 = percentiles(measure(raw, n))
    qps = len(samples) / (sum(samples) / 1e9)
    print(f"{pid:<10} {s50:>7.1f}µs {s95:>6.1f}µs {qps:>8.0f}   {r50:>6.1f}µs {r95:>6.1f}µs   {s50 / r50:>6.1f}×")


if __name__ == "__main__":
    main()
