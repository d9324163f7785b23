"""Filling a blueprint from a pool and drawing one candidate's paper.

Pure Python, so that a paper can be rebuilt from its recorded seed and pool
and compared with the stored one. A question serves the most specific
blueprint row it matches (knowledge point and difficulty named before either
alone, before neither), so the rows never compete and whether a blueprint
can be filled does not depend on the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

# The order of the types on a paper, as Chinese papers print them.
KIND_ORDER = ("judge", "single", "multiple")


@dataclass(frozen=True)
class PoolQuestion:
    id: int
    kind: str
    knowledge_point: str
    difficulty: int | None
    n_options: int


@dataclass(frozen=True)
class Row:
    kind: str
    count: int
    knowledge_point: str = ""  # empty: any
    difficulty: int | None = None  # None: any

    def matches(self, q: PoolQuestion) -> bool:
        return (
            q.kind == self.kind
            and (not self.knowledge_point or q.knowledge_point == self.knowledge_point)
            and (self.difficulty is None or q.difficulty == self.difficulty)
        )

    def specificity(self) -> int:
        return (2 if self.knowledge_point else 0) + (1 if self.difficulty else 0)


@dataclass(frozen=True)
class Item:
    question_id: int
    # The options in the order shown: "CADB" shows option C first. Empty for
    # true/false, whose 对/错 never move.
    order: str
    points: Decimal


@dataclass(frozen=True)
class Shortfall:
    row: Row
    have: int


def _ordered(rows: list[Row]) -> list[tuple[int, Row]]:
    return sorted(enumerate(rows), key=lambda pair: (-pair[1].specificity(), pair[0]))


def partition(
    rows: list[Row], pool: list[PoolQuestion]
) -> dict[int, list[PoolQuestion]]:
    """Row index → the questions it draws from (each question in one row)."""
    parts: dict[int, list[PoolQuestion]] = {i: [] for i in range(len(rows))}
    ordered = _ordered(rows)
    for q in sorted(pool, key=lambda q: q.id):
        for i, row in ordered:
            if row.matches(q):
                parts[i].append(q)
                break
    return parts


def shortfalls(rows: list[Row], pool: list[PoolQuestion]) -> list[Shortfall]:
    parts = partition(rows, pool)
    return [
        Shortfall(row, len(parts[i]))
        for i, row in enumerate(rows)
        if len(parts[i]) < row.count
    ]


class CannotFill(Exception):
    def __init__(self, missing: list[Shortfall]) -> None:
        super().__init__(missing)
        self.missing = missing


def draw(
    rows: list[Row],
    pool: list[PoolQuestion],
    points: dict[str, Decimal],
    seed: int,
) -> list[Item]:
    """One paper: the questions each row draws, grouped by type in
    KIND_ORDER, shuffled within the type, options shuffled; all from `seed`."""
    missing = shortfalls(rows, pool)
    if missing:
        raise CannotFill(missing)
    rng = random.Random(seed)
    parts = partition(rows, pool)
    chosen: dict[str, list[PoolQuestion]] = {kind: [] for kind in KIND_ORDER}
    for i, row in enumerate(rows):
        chosen.setdefault(row.kind, []).extend(rng.sample(parts[i], row.count))
    items: list[Item] = []
    for kind in sorted(
        chosen, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else 9
    ):
        questions = chosen[kind]
        rng.shuffle(questions)
        for q in questions:
            order = ""
            if kind != "judge":
                letters = [chr(ord("A") + n) for n in range(q.n_options)]
                rng.shuffle(letters)
                order = "".join(letters)
            items.append(Item(q.id, order, points[kind]))
    return items


def total_points(rows: list[Row], points: dict[str, Decimal]) -> Decimal:
    return sum(
        (row.count * points.get(row.kind, Decimal(0)) for row in rows), Decimal(0)
    )
