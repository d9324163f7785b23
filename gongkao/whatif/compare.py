"""Judge submitted records again under another policy and list who flips.

Plain Python over the engine (no database): the task feeds it the snapshots
of a campaign's applications, the benchmark (bench/whatif.py) 100,000 records
made in memory. Each record is judged once, under the draft policy, on the
day it was submitted (the as-of day of its stored result), and compared with
the result it was judged with at submission.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from gongkao.eligibility import ApplicantRecord, Policy, RecordError, judge

LOST = "lost"  # eligible at submission, not under the draft
GAINED = "gained"  # not eligible at submission, eligible under the draft


@dataclass(frozen=True, slots=True)
class Submitted:
    """One submitted application: its snapshot record and the result it got."""

    application_id: int
    name: str
    unit: str
    level: int
    job_type: str
    record: dict[str, object]
    as_of: date
    eligible: bool
    failed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Flip:
    application_id: int
    name: str
    unit: str
    level: int
    job_type: str
    direction: str  # LOST or GAINED
    clauses: tuple[str, ...]  # failing under the draft (lost) / failing before (gained)
    lines: tuple[str, ...]  # the draft's explanation lines of those clauses


@dataclass
class Outcome:
    total: int = 0
    errors: int = 0
    lost: int = 0
    gained: int = 0
    # key -> [applications, lost, gained]
    by_level: dict[int, list[int]] = field(default_factory=dict)
    by_unit: dict[str, list[int]] = field(default_factory=dict)
    flips: list[Flip] = field(default_factory=list)


def compare(
    rows: Iterable[Submitted],
    policy: Policy,
    *,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> Outcome:
    """Judge every row under `policy`; count by level and unit; list the flips.

    `progress(done)` is called every `every` rows and at the end. A snapshot
    the engine cannot read (an old format) counts in `errors` and is skipped.
    """
    outcome = Outcome()
    from_json = ApplicantRecord.from_json
    by_level, by_unit, flips = outcome.by_level, outcome.by_unit, outcome.flips
    done = 0
    for row in rows:
        done += 1
        if progress is not None and done % every == 0:
            progress(done)
        try:
            record = from_json(row.record)
        except RecordError:
            outcome.errors += 1
            continue
        eligible, _, failed, _, _, _, explanation = judge(record, policy, row.as_of)
        level = by_level.get(row.level)
        if level is None:
            level = by_level[row.level] = [0, 0, 0]
        unit = by_unit.get(row.unit)
        if unit is None:
            unit = by_unit[row.unit] = [0, 0, 0]
        level[0] += 1
        unit[0] += 1
        outcome.total += 1
        if eligible == row.eligible:
            continue
        if eligible:
            direction, clauses, column = GAINED, row.failed, 2
            outcome.gained += 1
        else:
            direction, clauses, column = LOST, failed, 1
            outcome.lost += 1
        level[column] += 1
        unit[column] += 1
        wanted = set(clauses)
        lines = tuple(line for line in explanation if line.split(" ", 1)[0] in wanted)
        flips.append(
            Flip(
                row.application_id,
                row.name,
                row.unit,
                row.level,
                row.job_type,
                direction,
                tuple(clauses),
                lines,
            )
        )
    if progress is not None:
        progress(done)
    return outcome
