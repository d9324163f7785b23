"""Benchmark a what-if run: 100,000 submitted applications judged under a draft.

    python bench/whatif.py [--n 100000] [--seed 1]

Generates N synthetic applicant records (tests/eligibility/gen.py, the golden
test's generator) and judges them once under 2025-jiaozuo, as submission did,
to make the stored results (not timed). Then times what the run's task does
after the database has handed over its rows: decode each snapshot's JSON
text, judge the record under a stricter draft policy (11 years at level 5,
18 years of work for level 4, as a stored policy file), count by level and
unit and list the flips (gongkao.whatif.compare), and build the Excel export
of the flips and counts. No database: the snapshots are made in memory.
Prints `whatif_<N>_s` (seconds, wall) and `whatif_records_per_s`; the target
is under 30 s for 100,000.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkao.settings")
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "0" * 64)

import django  # noqa: E402

django.setup()

from gongkao.core.exports import Column, workbook_bytes  # noqa: E402
from gongkao.eligibility import ApplicantRecord, get_policy, judge  # noqa: E402
from gongkao.eligibility.policies import shipped_policy_text  # noqa: E402
from gongkao.eligibility.policyfile import load_policy_text  # noqa: E402
from gongkao.whatif.compare import Submitted, compare  # noqa: E402
from tests.eligibility.gen import bench_lines  # noqa: E402

TARGET_SECONDS = 30.0
UNITS = [f"焦作市测试单位{number:03d}" for number in range(200)]
STRICTER = {
    'policy_id = "2025-jiaozuo"': 'policy_id = "bench-stricter"',
    "years_at_level = 5": "years_at_level = 11",
    "level4_work_years = 10": "level4_work_years = 18",
}


def snapshots(n: int, seed: int) -> list[tuple[int, str, int, str, bool, list[str]]]:
    """(pk, snapshot JSON text, level, unit, eligible, failed) per application."""
    policy = get_policy("2025-jiaozuo")
    as_of = date(2025, 3, 20)
    rows = []
    for pk, line in enumerate(bench_lines(n, seed), start=1):
        data = json.loads(line)
        try:
            record = ApplicantRecord.from_json(data)
        except Exception:
            continue  # the generator's few bad lines never reached submission
        eligible, _, failed, *_ = judge(record, policy, as_of)
        snapshot = json.dumps({"record": data, "submitted_on": as_of.isoformat()})
        rows.append(
            (
                pk,
                snapshot,
                record.applied_level,
                UNITS[pk % len(UNITS)],
                eligible,
                list(failed),
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    print(f"generating {args.n:,} submitted applications ...")
    rows = snapshots(args.n, args.seed)
    text = shipped_policy_text("2025-jiaozuo")
    for old, new in STRICTER.items():
        text = text.replace(old, new)

    started, cpu_started = time.perf_counter(), time.process_time()
    draft = load_policy_text(text)

    def submitted() -> Iterator[Submitted]:
        for pk, snapshot, level, unit, eligible, failed in rows:
            data = json.loads(snapshot)
            yield Submitted(
                pk,
                f"申报人{pk}",
                unit,
                level,
                data["record"]["applied_job_type"],
                data["record"],
                date.fromisoformat(data["submitted_on"]),
                eligible,
                tuple(failed),
            )

    outcome = compare(submitted(), draft, progress=lambda done: None)
    judged = time.perf_counter() - started
    flips = (
        (
            f.direction,
            f.name,
            f.unit,
            f.level,
            f.job_type,
            "、".join(f.clauses),
            "\n".join(f.lines),
        )
        for f in outcome.flips
    )
    data = workbook_bytes(
        [
            (
                "变化名单",
                [
                    Column(title)
                    for title in (
                        "变化",
                        "姓名",
                        "单位",
                        "等级",
                        "工种",
                        "条款",
                        "说明",
                    )
                ],
                flips,
            ),
            (
                "按单位",
                [Column("单位"), Column("申报数"), Column("失去"), Column("获得")],
                [(unit, *c) for unit, c in outcome.by_unit.items()],
            ),
        ]
    )
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(
        f"judged {outcome.total:,} ({outcome.errors} unreadable) in {judged:.2f} s; "
        f"eligible→not {outcome.lost:,}, not→eligible {outcome.gained:,}; "
        f"export {len(data) / 1e6:.1f} MB"
    )
    print(f"whatif_{args.n}_s {seconds:.2f}")
    print(f"whatif_{args.n}_cpu_s {cpu:.2f} (wall swings with the host's load)")
    print(f"whatif_records_per_s {outcome.total / seconds:,.0f}")
    verdict = "PASS" if seconds < TARGET_SECONDS * args.n / 100_000 else "FAIL"
    print(f"target < {TARGET_SECONDS:.0f} s per 100,000: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
