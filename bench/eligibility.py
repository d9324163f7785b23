"""Benchmark `gongkao eligibility check` against a bare JSON pass over the same file.

    python bench/eligibility.py [--n 200000] [--seed 1] [--keep]

Generates N synthetic applicant records into a temporary JSONL file, then times,
in wall and CPU seconds:
  1. a bare pass: json.loads + json.dumps(ensure_ascii=False) of every line,
     written to a file (and the same with one cached encoder, as the CLI uses);
  2. the CLI in-process (gongkao.__main__.main);
  3. the CLI as a subprocess (python -m gongkao eligibility check).
Targets: >= 50,000 records/s through the CLI, and CLI time <= 3x the bare pass.
CPU time is reported beside wall time because a shared host skews wall time.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongkao.__main__ import main as gongkao_main  # noqa: E402

JOB_TYPES = ["汽车驾驶员", "电工", "炊事员", "水工", "绿化工", "保安员", "收费员"]
EDUCATIONS = [
    "primary",
    "junior_middle",
    "high_school",
    "secondary_vocational",
    "technical_school",
    "junior_college",
    "bachelor",
    "master",
]
RATINGS = ["excellent", "competent", "competent", "competent", "basic", "pending"]
HONOR_KINDS = [
    "labor_model",
    "may_day_medal",
    "technical_expert",
    "competition",
    "commendation",
    "department_commendation",
    "special_talent",
]
HONOR_LEVELS = ["national", "provincial", "city", "county"]

TARGET_RATE = 50_000
TARGET_RATIO = 3.0


def _day(rng: random.Random, first: int, last: int) -> date:
    start = date(first, 1, 1)
    return start + timedelta(days=rng.randrange((date(last, 12, 31) - start).days))


def synthetic_record(rng: random.Random, index: int) -> dict[str, object]:
    """A plausible applicant: mostly valid, every route and level represented."""
    gender = rng.choice("MF")
    birth = _day(rng, 1962, 2003)
    work_start = min(_day(rng, birth.year + 17, birth.year + 30), date(2025, 6, 1))
    level = rng.choice([5, 5, 4, 4, 4, 3, 3, 2, 1])
    job = rng.choice(JOB_TYPES)
    certificates = []
    day = work_start + timedelta(days=365 * rng.randint(1, 4))
    for held in range(5, level, -1):
        if rng.random() < 0.9 and day < date(2025, 12, 1):
            other = rng.random() < 0.1
            certificates.append(
                {
                    "level": held,
                    "job_type": rng.choice(JOB_TYPES) if other else job,
                    "cert_date": day.isoformat(),
                }
            )
        day += timedelta(days=365 * rng.randint(3, 7))
    record: dict[str, object] = {
        "id": f"B{index:07d}",
        "gender": gender,
        "birth_date": birth.isoformat(),
        "employment": rng.choice(["formal"] * 8 + ["contract", "临时"]),
        "work_start_date": work_start.isoformat(),
        "regularized_date": (work_start + timedelta(days=365)).isoformat(),
        "education": rng.choice(EDUCATIONS),
        "certificates": certificates,
        "applied_level": level,
        "applied_job_type": job,
    }
    if level <= 2:
        record["appointed_level"] = 2 if rng.random() < 0.8 else 3
        record["annual_reviews"] = {
            str(year): rng.choice(RATINGS) for year in range(2020, 2025)
        }
    if rng.random() < 0.15:
        record["honors"] = [
            {
                "kind": rng.choice(HONOR_KINDS),
                "level": rng.choice(HONOR_LEVELS),
                "date": _day(rng, 2010, 2025).isoformat(),
                "rank": rng.randint(1, 5),
            }
        ]
    if rng.random() < 0.05:
        record["patents"] = [
            {
                "kind": "utility_model",
                "rank": rng.randint(1, 8),
                "date": _day(rng, 2010, 2025).isoformat(),
                "related": True,
            }
        ]
    if rng.random() < 0.05:
        record["job_type_change"] = rng.choice(["voluntary", "reform"])
    if rng.random() < 0.02:
        record["sanction_until"] = _day(rng, 2023, 2026).isoformat()
    if rng.random() < 0.01:
        record["under_investigation"] = True
    return record


def write_records(path: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for index in range(n):
            out.write(json.dumps(synthetic_record(rng, index), ensure_ascii=False))
            out.write("\n")


class Timing(NamedTuple):
    wall: float  # seconds, as a user waits
    cpu: float  # seconds of CPU in this process or the child: robust on a busy host


def _timed(run: Callable[[], object], *, child: bool = False) -> tuple[Timing, object]:
    who = resource.RUSAGE_CHILDREN if child else resource.RUSAGE_SELF
    before = resource.getrusage(who)
    started = time.perf_counter()
    outcome = run()
    wall = time.perf_counter() - started
    after = resource.getrusage(who)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Timing(wall, cpu), outcome


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
    sub = best["CLI subprocess"]
    for label, seconds, base in (
        ("CPU time", sub.cpu, bare.cpu),
        ("wall time", sub.wall, bare.wall),
    ):
        rate = args.n / seconds
        ratio = seconds / base
        print(
            f"{label}: {rate:,.0f} records/s "
            f"(target >= {TARGET_RATE:,}: {'MET' if rate >= TARGET_RATE else 'NOT MET'}), "
            f"{ratio:.2f}x the bare pass "
            f"(target <= {TARGET_RATIO:.0f}x: {'MET' if ratio <= TARGET_RATIO else 'NOT MET'})"
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
