"""Time and memory of refusing hostile YAML, next to floors measured in the same run.

Run: `python benchmarks/bench_hostile.py [--pure] [--repeat 5] [--only NAME ...]` from the repository
root. Not a test: numbers vary by machine. Every case of the corpus (tests/fixtures/hostile/, with the
large files generated into a temporary folder) runs in a fresh interpreter, so that its peak RSS is
its own: the interpreter imports govrules, notes its peak RSS, refuses the case once through
`govrules.load()` and once through `govrules validate`, and reports the growth of its peak RSS and
the best of `--repeat` timings of each. The floors are measured the same way: reading (parsing) the
largest bundled profile, and loading it (parse, validate, compile) in a fresh process. The design
bounds are 100 ms and 50 MB per hostile file; `over` marks a case above either.

Also printed: the parse time of the five bundled profiles with the loader's event builder against
the way the loader used to parse them (PyYAML's pure-Python parser run twice: events, then compose).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import yaml  # noqa: E402

import govrules  # noqa: E402
from govrules import loader  # noqa: E402
from govrules.cli import main as cli  # noqa: E402
from govrules.registry import bundled_dir  # noqa: E402

TIME_BOUND_MS, MEMORY_BOUND_MB = 100.0, 50.0


def _status(field: str) -> float | None:
    """A ``Vm…`` figure of /proc/self/status in MB (Linux), or None."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return None


def reset_peak() -> float:
    """Start peak-RSS accounting from now (Linux: clear_refs); return the current RSS in MB.

    ru_maxrss cannot be used: Linux carries it over from the parent across fork and exec.
    """
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_mb() -> float:
    return _status("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def best_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return min(times)


def refuse_load(path: Path) -> str:
    try:
        govrules.load(path)
    except govrules.ProfileError as exc:
        return exc.diagnostics[0].code
    return "accepted"


def refuse_validate(path: Path) -> str:
    out = io.StringIO()
    cli(["validate", "--format", "json", str(path)], stdout=out, stderr=io.StringIO())
    found = json.loads(out.getvalue())["diagnostics"]
    return str(found[0]["code"]) if found else "accepted"


def child(kind: str, target: str, repeat: int, pure: bool) -> None:
    """One measurement in this (fresh) interpreter; prints a JSON line."""
    if pure:
        loader.CParser = None
    loader.parse("warm: [up]\n", "warm.yaml")  # lazy imports and first-call costs out of the way
    base = reset_peak()
    if kind == "floor-read":
        path = Path(target)
        first = best_ms(lambda: loader.read(path), 1)
        grew = peak_mb() - base
        result = {"load": best_ms(lambda: loader.read(path), repeat), "first": first, "code": "ok"}
    elif kind == "floor-load":
        t0 = time.perf_counter()
        govrules.load(target)  # first time: parse, validate, lint, compile
        first = (time.perf_counter() - t0) * 1000
        grew = peak_mb() - base
        result = {"load": first, "first": first, "code": "ok"}
    else:
        path = Path(target)
        code = refuse_load(path)
        grew = peak_mb() - base
        result = {
            "load": best_ms(lambda: refuse_load(path), repeat),
            "validate": best_ms(lambda: refuse_validate(path), repeat),
            "code": code if code == refuse_validate(path) else f"{code}/validate differs",
        }
    result["rss"] = grew
    print(json.dumps(result))


def measure(kind: str, target: str, repeat: int, pure: bool) -> dict[str, float | str]:
    argv = [sys.executable, __file__, "--child", kind, target, "--repeat", str(repeat)]
    if pure:
        argv.append("--pure")
    done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=600)
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def old_parse(text: str) -> None:
    """What the loader did before: all events in pure Python, then a pure-Python compose."""
    list(yaml.parse(text, Loader=yaml.SafeLoader))
    list(yaml.compose_all(text, Loader=yaml.SafeLoader))


def bundled_parse_times(repeat: int) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(bundled_dir().glob("*.yaml"))}
    new = sum(best_ms(lambda t=t: loader.parse(t, "p.yaml"), repeat) for t in texts.values())
    saved = loader.CParser
    loader.CParser = None
    pure = sum(best_ms(lambda t=t: loader.parse(t, "p.yaml"), repeat) for t in texts.values())
    loader.CParser = saved
    old = sum(best_ms(lambda t=t: old_parse(t), repeat) for t in texts.values())
    print(
        f"parsing the {len(texts)} bundled profiles (best of {repeat}): {new:.0f} ms "
        f"({'libyaml' if saved else 'pure Python'} events); pure-Python events {pure:.0f} ms; "
        f"the old double pure-Python parse {old:.0f} ms (×{old / new:.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pure", action="store_true", help="use PyYAML's pure-Python parser")
    parser.add_argument("--repeat", type=int, default=5, help="timings per case (the best is kept)")
    parser.add_argument("--only", nargs="*", default=None, metavar="NAME", help="these cases only")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.repeat, args.pure)
        return
    from tests.test_hostile import materialise

    mode = "pure-Python parser" if args.pure or loader.CParser is None else "libyaml parser"
    print(f"python {platform.python_version()} on {platform.machine()}, PyYAML {yaml.__version__}, {mode}")
    bundled_parse_times(args.repeat)
    largest = max(bundled_dir().glob("*.yaml"), key=lambda p: p.stat().st_size)
    read_floor = measure("floor-read", str(largest), args.repeat, args.pure)
    load_floor = measure("floor-load", str(largest), 1, args.pure)
    print(
        f"floors ({largest.name}, {largest.stat().st_size // 1024} KiB): read {read_floor['load']:.1f} ms, "
        f"+{read_floor['rss']:.1f} MB peak; load() in a fresh process {load_floor['load']:.0f} ms, "
        f"+{load_floor['rss']:.1f} MB peak"
    )
    floor_ms = float(read_floor["load"])
    floor_mb = max(float(load_floor["rss"]), 0.1)
    print(
        f"\n{'case':<30} {'size':>9} {'code':>6} {'load ms':>8} {'validate':>9} {'÷read':>6} "
        f"{'peak MB':>8} {'÷load':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        worst_ms = worst_mb = 0.0
        for name, path, expected in materialise(Path(tmp)):
            if args.only and name not in args.only:
                continue
            got = measure("case", str(path), args.repeat, args.pure)
            load_ms, validate_ms, grew = float(got["load"]), float(got["validate"]), float(got["rss"])
            worst_ms, worst_mb = max(worst_ms, load_ms, validate_ms), max(worst_mb, grew)
            size = path.lstat().st_size if path.is_file() else 0
            flag = "  over" if max(load_ms, validate_ms) > TIME_BOUND_MS or grew > MEMORY_BOUND_MB else ""
            flag += "" if got["code"] == expected[0] else f"  expected {expected[0]}"
            print(
                f"{name:<30} {size / 1024:>8.0f}K {got['code']!s:>6} {load_ms:>8.1f} {validate_ms:>9.1f} "
                f"{max(load_ms, validate_ms) / floor_ms:>6.1f} {grew:>8.1f} {grew / floor_mb:>6.2f}{flag}"
            )
        print(
            f"\nworst: {worst_ms:.1f} ms (bound {TIME_BOUND_MS:.0f}), +{worst_mb:.1f} MB peak RSS "
            f"(bound {MEMORY_BOUND_MB:.0f})"
        )


if __name__ == "__main__":
    main()
