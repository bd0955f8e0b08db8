"""Soak: a million mixed questions in one process, with the resident set size sampled as it goes.

Run: ``python benchmarks/soak.py [--queries 1000000] [--every 50000]`` from the repository root.
The mix is the one ``tests/test_concurrency.py`` asks from eight threads (sign, sign on a day with a
roster and absences, acting, deadline, meeting, check of a document or of absences), generated
afresh in batches so the process keeps building and dropping documents, rosters and answers as a
long-running service would. Prints RSS (``VmRSS`` from ``/proc/self/status``) every ``--every``
questions and the growth from the first sample to the last. Not a test: numbers vary by machine.
"""

from __future__ import annotations

import argparse
import collections
import platform
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.test_concurrency

from tests.test_concurrency import answer, question_mix

BATCH = 5_000


def rss_mib() -> float:
    """The resident set size now (Linux), else the peak so far."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--queries", type=int, default=1_000_000, help="how many questions to ask")
    parser.add_argument("--every", type=int, default=50_000, help="sample RSS every this many questions")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.queries < 1 or args.every < 1:
        parser.error("--queries and --every must be at least 1")

    print(f"python {platform.python_version()} on {platform.machine()}, {args.queries:,} questions")
    start_rss = rss_mib()
    question_mix(60, seed=-1)  # load every bundled profile before the first sample
    print(f"RSS after import: {start_rss:.1f} MiB; after loading the profiles: {rss_mib():.1f} MiB")
    print(f"{'questions':>10} {'seconds':>8} {'per s':>7} {'RSS MiB':>8}")
    samples: list[tuple[int, float]] = []
    outcomes: collections.Counter[str] = collections.Counter()
    asked, batch_no = 0, 0
    began, cpu_began = time.perf_counter(), time.process_time()
    while asked < args.queries:
        batch = question_mix(min(BATCH, args.queries - asked), seed=args.seed * 1_000_003 + batch_no)
        batch_no += 1
        for question in batch:
            text = answer(question)
            outcomes[question[0] + (" (error)" if not text.startswith(("{", "[")) else "")] += 1
            asked += 1
            if asked % args.every == 0 or asked == args.queries:
                elapsed = time.perf_counter() - began
                rss = rss_mib()
                samples.append((asked, rss))
                print(f"{asked:>10,} {elapsed:>8.1f} {asked / elapsed:>7,.0f} {rss:>8.1f}", flush=True)
        del batch
    wall = time.perf_counter() - began
    cpu = time.process_time() - cpu_began
    (first_n, first), (last_n, last) = samples[0], samples[-1]
    print(f"wall time: {wall:.1f} s ({args.queries / wall:,.0f} questions/s); CPU time: {cpu:.1f} s")
    print(
        f"RSS growth from the first sample ({first_n:,}) to the last ({last_n:,}): "
        f"{last - first:+.1f} MiB ({first:.1f} → {last:.1f}); peak sample {max(r for _n, r in samples):.1f} MiB"
    )
    print("mix: " + ", ".join(f"{k} {n:,}" for k, n in sorted(outcomes.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
