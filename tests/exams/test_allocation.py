"""The seat allocation's rules (exams.allocation, pure Python)."""

from __future__ import annotations

from collections import Counter

from gongkao.exams.allocation import Candidate, Room, Sitting, allocate


def _sitting(rooms, levels=(4,), sid=1, starts=0, ends=60, **kw):
    return Sitting(sid, starts, ends, frozenset(levels), rooms=tuple(rooms), **kw)


def test_every_candidate_gets_one_seat_and_spare_seats_stay_free():
    people = [Candidate(i, 4, 1 + i % 3, 100 + i % 7) for i in range(50)]
    rooms = [Room(1, 30, 2), Room(2, 30, 2)]
    plan = allocate(people, [_sitting(rooms)])
    assert len(plan.seats) == 50 and not plan.unseated
    per_room = Counter(seat.room for seat in plan.seats)
    assert all(n <= 28 for n in per_room.values())
    seats = {(s.room, s.number) for s in plan.seats}
    assert len(seats) == 50  # nobody shares a seat


def test_one_job_type_and_level_per_room_where_possible():
    people = [Candidate(i, 4, 1, i) for i in range(20)] + [
        Candidate(100 + i, 4, 2, i) for i in range(20)
    ]
    plan = allocate(people, [_sitting([Room(1, 22, 2), Room(2, 22, 2)])])
    rooms_of = {}
    for seat in plan.seats:
        rooms_of.setdefault(seat.room, set()).add(1 if seat.candidate < 100 else 2)
    assert all(len(kinds) == 1 for kinds in rooms_of.values())
    assert not plan.mixed_rooms


def test_one_unit_is_never_side_by_side_when_the_mix_allows():
    # 10 from unit 1, 10 from others: alternating is possible.
    people = [Candidate(i, 4, 1, 1) for i in range(10)] + [
        Candidate(20 + i, 4, 1, 2 + i) for i in range(10)
    ]
    plan = allocate(people, [_sitting([Room(1, 22, 2)])], row_length=10)
    order = sorted(plan.seats, key=lambda s: s.number)
    units = {p.id: p.unit for p in people}
    assert all(
        units[a.candidate] != units[b.candidate]
        for a, b in zip(order, order[1:], strict=False)
    )
    assert plan.neighbours == 0


def test_capacity_warning_lists_who_has_no_seat():
    people = [Candidate(i, 4, 1, i) for i in range(12)]
    plan = allocate(people, [_sitting([Room(1, 12, 2)])])
    assert len(plan.seats) == 10
    assert len(plan.unseated[1]) == 2


def test_two_subjects_never_in_two_places_at_once():
    person = Candidate(1, 4, 1, 1)
    first = _sitting([Room(1, 10, 0)], sid=1, starts=0, ends=60)
    overlapping = _sitting([Room(2, 10, 0)], sid=2, starts=30, ends=90)
    later = _sitting([Room(3, 10, 0)], sid=3, starts=120, ends=180)
    plan = allocate([person], [first, overlapping, later])
    assert [s.sitting for s in plan.seats] == [1, 3]
    assert plan.clashes == [(1, 1, 2)]


def test_theory_exempt_level_one_gets_no_theory_seat():
    people = [Candidate(1, 1, 1, 1), Candidate(2, 1, 1, 2)]
    theory = _sitting([Room(1, 10, 0)], levels=(1,), theory_only=True)
    plan = allocate(people, [theory], exempt_from_theory={2})
    assert [s.candidate for s in plan.seats] == [1]
    assert not plan.not_planned


def test_candidates_of_a_level_with_no_sitting_are_reported():
    plan = allocate([Candidate(1, 3, 1, 1)], [_sitting([Room(1, 10, 0)], levels=(4,))])
    assert plan.not_planned == {1}
