"""Seat allocation (座位编排), pure Python: candidates and rooms in, seats out.

The rules, in order of priority (the office sees them on the plan page):
1. a candidate sits every subject of a sitting at one seat, and never has two
   sittings at the same time (a clash is reported, not seated twice);
2. spare seats of each room stay free for machine failures;
3. one job type and level per room where possible: groups are kept whole and
   placed largest first, a group that fills a room opens the next;
4. candidates of one unit are not side by side: within a room the seating
   interleaves units, so consecutive seat numbers (in a row) differ in unit
   wherever the room's mix allows;
5. when seats run out, the candidates left over are reported (capacity warning).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# The rules in the words the office reads on the plan page, in priority order.
RULES = [
    "同一考生同一场次的各科目在同一座位连续考试；两个场次时间重叠的考生不重复编排，列为冲突。",
    "每个考场保留备用座位，供机器故障时调换。",
    "同一等级、同一工种的考生尽量安排在同一考场，人数多的先排。",
    "同一单位的考生不相邻（同一排相邻座位号）。",
    "座位不足时列出未编排的考生，请增加考场或场次。",
]


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    level: int
    job_type: int  # job type id
    unit: int  # unit id


@dataclass(frozen=True, slots=True)
class Room:
    id: int
    seats: int
    spare: int = 0

    @property
    def usable(self) -> int:
        return max(0, self.seats - self.spare)


@dataclass(frozen=True, slots=True)
class Sitting:
    id: int
    starts: int  # minutes since an epoch, for clashes
    ends: int
    levels: frozenset[int]
    job_types: frozenset[int] = frozenset()  # empty: every job type
    rooms: tuple[Room, ...] = ()
    theory_only: bool = False  # the level-1 theory exam (2.4 exempts some)

    def takes(self, candidate: Candidate) -> bool:
        return candidate.level in self.levels and (
            not self.job_types or candidate.job_type in self.job_types
        )


@dataclass(frozen=True, slots=True)
class Seat:
    candidate: int
    sitting: int
    room: int
    number: int  # 1-based seat number in the room


@dataclass
class Plan:
    seats: list[Seat] = field(default_factory=list)
    unseated: dict[int, list[int]] = field(default_factory=dict)  # sitting → ids
    clashes: list[tuple[int, int, int]] = field(default_factory=list)  # (cand, s1, s2)
    mixed_rooms: list[tuple[int, int]] = field(default_factory=list)  # (sitting, room)
    neighbours: int = 0  # same-unit pairs seated side by side (unavoidable ones)
    not_planned: set[int] = field(default_factory=set)  # no sitting takes them


def allocate(
    candidates: Iterable[Candidate],
    sittings: Sequence[Sitting],
    *,
    exempt_from_theory: frozenset[int] | set[int] = frozenset(),
    row_length: int = 10,
) -> Plan:
    """Seat every candidate in every sitting that takes them (see the rules)."""
    plan = Plan()
    people = list(candidates)
    busy: dict[int, list[Sitting]] = defaultdict(list)
    for sitting in sorted(sittings, key=lambda s: (s.starts, s.id)):
        takers = []
        for person in people:
            if not sitting.takes(person):
                continue
            if sitting.theory_only and person.id in exempt_from_theory:
                continue
            clash = next(
                (
                    o
                    for o in busy[person.id]
                    if o.starts < sitting.ends and sitting.starts < o.ends
                ),
                None,
            )
            if clash is not None:
                plan.clashes.append((person.id, clash.id, sitting.id))
                continue
            takers.append(person)
            busy[person.id].append(sitting)
        _seat_sitting(sitting, takers, plan, row_length)
    clashed = {c[0] for c in plan.clashes}
    plan.not_planned = {
        p.id
        for p in people
        if not busy[p.id]
        and not (p.id in exempt_from_theory and p.level == 1)
        and p.id not in clashed
    }
    return plan


def _seat_sitting(
    sitting: Sitting, takers: list[Candidate], plan: Plan, row_length: int
) -> None:
    groups: dict[tuple[int, int], list[Candidate]] = defaultdict(list)
    for person in takers:
        groups[(person.level, person.job_type)].append(person)
    # Largest group first, then by level and job type, for a stable plan.
    queue = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    rooms = [room for room in sitting.rooms if room.usable > 0]
    free = {room.id: room.usable for room in rooms}
    contents: dict[int, list[Candidate]] = {room.id: [] for room in rooms}
    for key, members in queue:
        remaining = list(members)
        while remaining:
            # A room this group already uses, else an empty room that fits it
            # whole (the smallest such), else the emptiest room left.
            used = [
                r
                for r in rooms
                if free[r.id] and contents[r.id] and _key(contents[r.id][-1]) == key
            ]
            empty_fit = [
                r for r in rooms if not contents[r.id] and free[r.id] >= len(remaining)
            ]
            if used:
                room = used[0]
            elif empty_fit:
                room = min(empty_fit, key=lambda r: free[r.id])
            else:
                open_rooms = [r for r in rooms if free[r.id]]
                if not open_rooms:
                    plan.unseated.setdefault(sitting.id, []).extend(
                        p.id for p in remaining
                    )
                    break
                room = max(open_rooms, key=lambda r: (not contents[r.id], free[r.id]))
            take = min(free[room.id], len(remaining))
            contents[room.id] += remaining[:take]
            remaining = remaining[take:]
            free[room.id] -= take
    for room in rooms:
        seated = contents[room.id]
        if len({_key(p) for p in seated}) > 1:
            plan.mixed_rooms.append((sitting.id, room.id))
        order = _spread_units(seated)
        for number, person in enumerate(order, start=1):
            plan.seats.append(Seat(person.id, sitting.id, room.id, number))
        plan.neighbours += sum(
            1
            for i in range(1, len(order))
            if order[i].unit == order[i - 1].unit and i % row_length != 0
        )


def _key(person: Candidate) -> tuple[int, int]:
    return (person.level, person.job_type)


def _spread_units(people: list[Candidate]) -> list[Candidate]:
    """Order so that no two neighbours share a unit where the mix allows:
    always take from the unit with most people left that is not the last one
    seated (a greedy that is optimal for this "no equal neighbours" case)."""
    by_unit: dict[int, list[Candidate]] = defaultdict(list)
    for person in sorted(people, key=lambda p: (p.level, p.job_type, p.id)):
        by_unit[person.unit].append(person)
    order: list[Candidate] = []
    last: int | None = None
    while by_unit:
        ranked = sorted(by_unit, key=lambda u: (-len(by_unit[u]), u))
        unit = next((u for u in ranked if u != last), ranked[0])
        order.append(by_unit[unit].pop(0))
        if not by_unit[unit]:
            del by_unit[unit]
        last = unit
    return order
