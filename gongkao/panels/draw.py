"""Drawing a panel from an expert pool, and who sits for each candidate.

Pure Python, so that a draw can be repeated from its recorded seed and pool:
the same pool, job types, dates, size and seed give the same members, chair
and reserves. An expert is drawable when qualified for every job type of the
panel, their term covers the review dates, and they have no computed conflict
with the panel's candidates (their unit is a candidate's unit or its
supervising department).
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PoolExpert:
    id: int
    job_types: frozenset[int]
    term_start: date
    term_end: date
    unit_id: int | None = None


@dataclass(frozen=True)
class Draw:
    seed: int
    members: tuple[int, ...]  # in draw order; the first is the chair
    reserves: tuple[int, ...]

    @property
    def chair(self) -> int:
        return self.members[0]


class ShortPool(ValueError):
    """Fewer drawable experts than the panel and its reserves need."""

    def __init__(self, need: int, have: int) -> None:
        super().__init__(f"need {need}, have {have}")
        self.need = need
        self.have = have


def drawable(
    pool: Iterable[PoolExpert],
    *,
    job_types: Collection[int],
    review_from: date,
    review_until: date,
    conflicted_units: Collection[int] = (),
) -> list[PoolExpert]:
    """The experts a panel may draw, by id."""
    wanted = frozenset(job_types)
    return sorted(
        (
            e
            for e in pool
            if wanted <= e.job_types
            and e.term_start <= review_from
            and e.term_end >= review_until
            and (e.unit_id is None or e.unit_id not in conflicted_units)
        ),
        key=lambda e: e.id,
    )


def draw(
    pool: Iterable[PoolExpert],
    *,
    job_types: Collection[int],
    review_from: date,
    review_until: date,
    size: int,
    reserves: int,
    seed: int,
    conflicted_units: Collection[int] = (),
) -> Draw:
    """Draw `size` members (the first drawn chairs) and `reserves` reserves."""
    if size < 1 or size % 2 == 0:
        raise ValueError("a panel has an odd number of members")
    candidates = drawable(
        pool,
        job_types=job_types,
        review_from=review_from,
        review_until=review_until,
        conflicted_units=conflicted_units,
    )
    need = size + reserves
    if len(candidates) < need:
        raise ShortPool(need, len(candidates))
    picked = random.Random(seed).sample([e.id for e in candidates], need)
    return Draw(seed=seed, members=tuple(picked[:size]), reserves=tuple(picked[size:]))


@dataclass(frozen=True)
class Bench:
    """Who sits for one candidate."""

    sitting: tuple[int, ...]  # members and the reserves standing in
    stood_aside: tuple[int, ...]  # conflicted members
    stood_in: tuple[int, ...]  # reserves replacing them
    short: int  # seats no reserve could fill (the office is told)


def bench(
    members: Sequence[int], reserves: Sequence[int], conflicted: Collection[int]
) -> Bench:
    """The members free of conflict with a candidate, each conflicted one
    replaced by the next free reserve in draw order, so the panel keeps its
    size; `short` counts the seats left empty when reserves run out."""
    aside = tuple(m for m in members if m in conflicted)
    free_reserves = [r for r in reserves if r not in conflicted]
    stood_in = tuple(free_reserves[: len(aside)])
    sitting = tuple(m for m in members if m not in conflicted) + stood_in
    return Bench(
        sitting=sitting,
        stood_aside=aside,
        stood_in=stood_in,
        short=len(aside) - len(stood_in),
    )
