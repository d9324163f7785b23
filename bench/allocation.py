"""Benchmark the seat allocation (issue #14): 20,000 candidates of levels 5–2
over 60 job types and 500 units, 12 sittings of 45 rooms of 40 seats.

    python bench/allocation.py [--n 20000]

Prints `allocate_<n>_s` (seconds for exams.allocation.allocate, the rules
engine of the plan: groups, rooms, unit spreading, clashes) and
`allocate_<n>_seats` (seats given). Target: under 10 s for 20,000.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gongkao.exams.allocation import Candidate, Room, Sitting, allocate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    n = parser.parse_args().n
    rng = random.Random(14)
    people = [
        Candidate(
            i, rng.choice([5, 4, 4, 3, 3, 2]), rng.randrange(60), rng.randrange(500)
        )
        for i in range(n)
    ]
    sittings = []
    room_id = 0
    for s in range(12):
        rooms = []
        for _ in range(45):
            room_id += 1
            rooms.append(Room(room_id, 40, 2))
        # Each sitting takes five job types of every level, 09:00 or 10:30 of a day.
        sittings.append(
            Sitting(
                s,
                starts=(s // 2) * 1440 + (s % 2) * 90,
                ends=(s // 2) * 1440 + (s % 2) * 90 + 60,
                levels=frozenset({5, 4, 3, 2}),
                job_types=frozenset(range(s * 5, s * 5 + 5)),
                rooms=tuple(rooms),
            )
        )
    started = time.perf_counter()
    plan = allocate(people, sittings)
    elapsed = time.perf_counter() - started
    print(f"allocate_{n}_s {elapsed:.2f}")
    print(f"allocate_{n}_seats {len(plan.seats)}")
    unseated = sum(len(v) for v in plan.unseated.values())
    print(f"allocate_{n}_unseated {unseated}")


if __name__ == "__main__":
    main()
