"""Forking while other threads query: the child must not inherit a lock held by a thread it does not have.

Before: the process-wide engine lock (and the profile cache's) were inherited held whenever another
thread was inside a query at the moment of the fork, and the child hung on its first query (18 of 20
children in the report). Children here are bounded by a deadline and killed if they hang, so a
regression fails the test instead of hanging it.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pytest

import govrules
from govrules.engine import register_lock
from govrules.registry import bundled_dir

pytestmark = [
    pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="this platform cannot fork"),
    # 3.12+ warns that forking a threaded process may deadlock the child: exactly what is tested here
    pytest.mark.filterwarnings("ignore:.*multi-threaded.*fork.*:DeprecationWarning"),
]

PROFILE = "jining"
DOCUMENT = govrules.Document(kind="request", recipient="provincial_government")
CHILDREN = 20
DEADLINE = 30.0  # seconds for all children together; each needs well under one when nothing is held
QUERIES = 100_000  # per thread at most; the threads stop as soon as the children are done


def _ask() -> tuple[str, ...]:
    return govrules.load(PROFILE).sign(DOCUMENT).signers  # `load` takes the cache lock, `sign` the engine's


def _busy() -> int:
    """A query that keeps the engine lock for a while: a roster's worth of facts in one session."""
    people = [govrules.Person(f"v{i}", "vice_mayor") for i in range(300)]
    return len(govrules.load(PROFILE)._engine.run([p.fact() for p in people]).firings)


def _child(expected: tuple[str, ...]) -> None:
    for _ in range(3):
        if _ask() != expected:
            raise SystemExit(3)


def _wait(processes: list[multiprocessing.process.BaseProcess]) -> list[int | None]:
    """Exit codes, None for a child still running at the deadline (it is killed)."""
    end = time.monotonic() + DEADLINE
    for p in processes:
        p.join(max(0.0, end - time.monotonic()))
    codes = [p.exitcode for p in processes]
    for p in processes:
        if p.is_alive():
            p.kill()
            p.join(5)
    return codes


def test_children_forked_during_two_thread_traffic_can_query() -> None:
    expected = _ask()
    ctx = multiprocessing.get_context("fork")
    stop = threading.Event()
    counts = [0, 0]

    def hammer(slot: int) -> None:
        while not stop.is_set() and counts[slot] < QUERIES:
            assert _ask() == expected
            _busy()
            counts[slot] += 1

    threads = [threading.Thread(target=hammer, args=(i,), daemon=True) for i in range(2)]
    for t in threads:
        t.start()
    try:
        while min(counts) < 5:  # both threads are in their loops
            time.sleep(0.01)
        processes = []
        for _ in range(CHILDREN):
            p = ctx.Process(target=_child, args=(expected,))
            p.start()
            processes.append(p)
            time.sleep(0.005)
        codes = _wait(processes)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert all(not t.is_alive() for t in threads)
    hung = codes.count(None)
    assert hung == 0, f"{hung} of {CHILDREN} children hung on their first query"
    assert codes == [0] * CHILDREN
    assert min(counts) >= 5


def _load_cached() -> None:
    govrules.load(PROFILE)


def test_children_forked_while_a_profile_loads_can_load(tmp_path: Path) -> None:
    """The profile cache's lock is held for the whole of a first load (most of a second): fork then."""
    text = (bundled_dir() / f"{PROFILE}.yaml").read_text(encoding="utf-8")
    govrules.load(PROFILE)
    stop = threading.Event()
    loaded = []

    def loader() -> None:
        for i in range(20):  # each copy differs by a comment, so each is a first load
            if stop.is_set():
                return
            path = tmp_path / str(i) / f"{PROFILE}.yaml"
            path.parent.mkdir()
            path.write_text(f"{text}\n# copy {i}\n", encoding="utf-8")
            loaded.append(govrules.load(path))

    thread = threading.Thread(target=loader, daemon=True)
    thread.start()
    try:
        processes = []
        for _ in range(5):
            time.sleep(0.15)
            p = multiprocessing.get_context("fork").Process(target=_load_cached)
            p.start()
            processes.append(p)
        codes = _wait(processes)
    finally:
        stop.set()
        thread.join(60)
    assert codes == [0] * 5, f"{codes.count(None)} of 5 children hung"
    assert loaded


def test_a_registered_lock_held_by_another_thread_is_free_in_the_child() -> None:
    """The fork waits for the holder to let go, so the child gets the lock free and the data whole."""
    lock = threading.Lock()
    register_lock(lock)
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with lock:
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder, daemon=True)
    thread.start()
    held.wait(10)
    threading.Timer(0.2, release.set).start()  # the fork below blocks until the holder is done
    p = multiprocessing.get_context("fork").Process(target=_acquire, args=(lock,))
    p.start()
    codes = _wait([p])
    thread.join(10)
    assert codes == [0]


def _acquire(lock: threading.Lock) -> None:
    if not lock.acquire(timeout=10):
        raise SystemExit(4)
