"""Benchmark `gongkao eligibility check` against a bare JSON pass over the same file.

    python bench/eligibility.py [--n 200000] [--seed 1] [--keep]

Generates N synthetic applicant records (tests/eligibility/gen.py, the golden
test's generator) into a temporary JSONL file, then times, in wall seconds and
CPU seconds (time.process_time; the child's rusage for the subprocess):
  1. a bare pass: json.loads + json.dumps(ensure_ascii=False) of every line,
     written to a file (and the same with one cached encoder, as the CLI uses);
  2. the CLI in-process (gongkao.__main__.main; with --repeat, later runs
     reuse the engine's caches, so this is the warm figure);
  3. the CLI as a subprocess (python -m gongkao eligibility check).
Targets, judged on the subprocess's CPU time and printed as PASS or FAIL:
>= 50,000 records/s through the CLI, and CLI time <= 3x the bare pass. Wall
time is printed too, for information: a shared host skews it.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongkao.__main__ import main as gongkao_main  # noqa: E402
from tests.eligibility.gen import bench_lines  # noqa: E402  (the golden test's too)

TARGET_RATE = 50_000
TARGET_RATIO = 3.0


def write_records(path: Path, n: int, seed: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for line in bench_lines(n, seed):
            out.write(line)
            out.write("\n")


class Timing(NamedTuple):
    wall: float  # seconds, as a user waits
    cpu: float  # seconds of CPU in this process or the child: robust on a busy host


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(run: Callable[[], object], *, child: bool = False) -> tuple[Timing, object]:
    """Wall and CPU seconds of run(): time.process_time() for this process,
    the children's user + system time for a subprocess (process_time cannot
    see it)."""
    cpu_clock = _child_cpu if child else time.process_time
    cpu_before = cpu_clock()
    started = time.perf_counter()
    outcome = run()
    wall = time.perf_counter() - started
    return Timing(wall, cpu_clock() - cpu_before), outcome


def bare_json_pass(source: Path, target: Path, *, cached_encoder: bool) -> None:
    """json.loads + json.dumps of every line, written in chunks like the CLI.

    cached_encoder=False is the literal json.dumps(obj, ensure_ascii=False),
    which builds an encoder per call; True reuses one, as the CLI does.
    """
    loads = json.loads
    encode: Callable[[object], str] = json.JSONEncoder(ensure_ascii=False).encode
    if not cached_encoder:
        encode = functools.partial(json.dumps, ensure_ascii=False)
    with (
        source.open(encoding="utf-8") as lines,
        target.open("w", encoding="utf-8") as out,
    ):
        buffer: list[str] = []
        for line in lines:
            buffer.append(encode(loads(line)))
            if len(buffer) >= 4096:
                out.write("\n".join(buffer) + "\n")
                buffer.clear()
        out.write("\n".join(buffer) + "\n")


def cli_in_process(source: Path, target: Path) -> int:
    return gongkao_main(["eligibility", "check", str(source), "-o", str(target)])


def cli_subprocess(source: Path, target: Path) -> int:
    command = [sys.executable, "-m", "gongkao", "eligibility", "check", str(source)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(
        [*command, "-o", str(target)], env=env, cwd=ROOT, check=False
    )
    return completed.returncode


def _count_results(path: Path) -> dict[str, int]:
    counts = {"eligible": 0, "not eligible": 0, "error": 0}
    with path.open(encoding="utf-8") as results:
        for line in results:
            result = json.loads(line)
            if "error" in result:
                counts["error"] += 1
            else:
                counts["eligible" if result["eligible"] else "not eligible"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="records (200000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat", type=int, default=1, help="interleaved runs; the best is kept"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp files")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="gongkao-bench-"))
    source = workdir / "input.jsonl"
    print(f"generating {args.n:,} records into {source} ...")
    write_records(source, args.n, args.seed)
    size_mb = source.stat().st_size / 1e6
    print(f"input: {size_mb:.1f} MB, {size_mb * 1e6 / args.n:.0f} bytes/record")

    runs: dict[str, Callable[[], object]] = {
        "bare json.loads+json.dumps": lambda: bare_json_pass(
            source, workdir / "bare.jsonl", cached_encoder=False
        ),
        "bare, one cached encoder": lambda: bare_json_pass(
            source, workdir / "bare.jsonl", cached_encoder=True
        ),
        "CLI in-process": lambda: cli_in_process(source, workdir / "inproc.jsonl"),
        "CLI subprocess": lambda: cli_subprocess(source, workdir / "subproc.jsonl"),
    }
    best: dict[str, Timing] = {}
    codes: dict[str, object] = {}
    for _ in range(args.repeat):
        for name, run in runs.items():
            timing, codes[name] = _timed(run, child=name == "CLI subprocess")
            old = best.get(name, timing)
            best[name] = Timing(min(old.wall, timing.wall), min(old.cpu, timing.cpu))

    same = (workdir / "inproc.jsonl").read_bytes() == (
        workdir / "subproc.jsonl"
    ).read_bytes()
    print(
        f"results: {_count_results(workdir / 'inproc.jsonl')}, exit codes "
        f"{codes['CLI in-process']}/{codes['CLI subprocess']}, identical={same}"
    )
    bare = best["bare json.loads+json.dumps"]
    strict = best["bare, one cached encoder"]
    print(
        f"{'':28s} {'wall s':>8s} {'cpu s':>8s} {'rec/s (cpu)':>12s} "
        f"{'x bare':>7s} {'x cached':>8s}"
    )
    for name, timing in best.items():
        print(
            f"{name:28s} {timing.wall:8.2f} {timing.cpu:8.2f} "
            f"{args.n / timing.cpu:12,.0f} {timing.cpu / bare.cpu:7.2f} "
            f"{timing.cpu / strict.cpu:8.2f}"
        )
    # The targets are for the command as users run it: the subprocess.
    sub = best["CLI subprocess"]
    rate, ratio = args.n / sub.cpu, sub.cpu / bare.cpu
    print(
        f"target records/s >= {TARGET_RATE:,} (CPU): {rate:,.0f} "
        f"{'PASS' if rate >= TARGET_RATE else 'FAIL'}"
    )
    print(
        f"target <= {TARGET_RATIO:.0f}x the bare pass (CPU): {ratio:.2f}x "
        f"{'PASS' if ratio <= TARGET_RATIO else 'FAIL'}"
    )
    print(
        f"(wall time, for information; it swings with the host's load: "
        f"{args.n / sub.wall:,.0f} records/s, {sub.wall / bare.wall:.2f}x)"
    )
    if args.keep:
        print(f"files kept in {workdir}")
    else:
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
