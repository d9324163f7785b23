"""The draw (pure): size, qualification, term, conflicts, reproducible."""

from __future__ import annotations

from datetime import date

import pytest

from gongkao.panels import draw

FROM, UNTIL = date(2025, 10, 1), date(2025, 12, 31)


def expert(i, kinds=(1,), start=date(2025, 1, 1), end=date(2027, 12, 31), unit=None):
    return draw.PoolExpert(i, frozenset(kinds), start, end, unit)


def run(pool, seed=1, size=5, reserves=2, **kw):
    return draw.draw(
        pool,
        job_types=kw.pop("job_types", [1]),
        review_from=FROM,
        review_until=UNTIL,
        size=size,
        reserves=reserves,
        seed=seed,
        **kw,
    )


def test_size_and_reserves_distinct():
    result = run([expert(i) for i in range(1, 21)])
    assert len(result.members) == 5 and len(result.reserves) == 2
    assert len(set(result.members + result.reserves)) == 7
    assert result.chair == result.members[0]


def test_same_seed_same_draw_whatever_the_pool_order():
    pool = [expert(i) for i in range(1, 21)]
    assert run(pool, seed=42) == run(list(reversed(pool)), seed=42)
    assert any(run(pool, seed=s) != run(pool, seed=42) for s in range(1, 5))


def test_only_experts_qualified_for_every_job_type_and_term():
    pool = [expert(i, kinds=(1, 2)) for i in range(1, 8)] + [
        expert(10, kinds=(1,)),  # not qualified for 2
        expert(11, kinds=(1, 2), end=date(2025, 11, 30)),  # term ends too soon
        expert(12, kinds=(1, 2), start=date(2025, 10, 2)),  # starts too late
    ]
    for seed in range(20):
        result = run(pool, seed=seed, job_types=[1, 2])
        assert set(result.members + result.reserves) <= set(range(1, 8))


def test_conflicted_units_excluded_and_short_pool_refused():
    pool = [expert(i, unit=100 + i) for i in range(1, 9)]
    for seed in range(20):
        result = run(pool, seed=seed, conflicted_units={101})
        assert 1 not in result.members + result.reserves
    with pytest.raises(draw.ShortPool) as short:
        run(pool, conflicted_units={101, 102})
    assert (short.value.need, short.value.have) == (7, 6)


def test_even_size_refused():
    with pytest.raises(ValueError):
        run([expert(i) for i in range(10)], size=4)


def test_bench_replaces_conflicted_members_by_reserves_in_order():
    b = draw.bench([1, 2, 3, 4, 5], [6, 7], {2, 6})
    assert b.sitting == (1, 3, 4, 5, 7)
    assert (b.stood_aside, b.stood_in, b.short) == ((2,), (7,), 0)
    b = draw.bench([1, 2, 3, 4, 5], [6, 7], {1, 2, 3})
    assert len(b.sitting) == 4 and b.short == 1
