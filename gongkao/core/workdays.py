"""Chinese working days: weekends, public holidays and 调休 make-up working days.

Pure Python (no Django), so that rules and tests can use it anywhere. The
built-in tables follow the State Council's holiday schedules (国务院办公厅关于
…年部分节假日安排的通知) for 2025 and 2026; office staff add later years as
overrides in the admin (core.WorkdayOverride), which `core.queries` merges in.
For a year with neither, Monday–Friday is assumed and `WorkCalendar.covers`
says so, so that pages can show a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta


def _days(start: str, end: str | None = None) -> set[date]:
    first = date.fromisoformat(start)
    last = date.fromisoformat(end) if end else first
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


# 国办发明电〔2024〕12号 (2025) and 国办发明电〔2025〕7号 (2026).
BUILTIN_HOLIDAYS: frozenset[date] = frozenset(
    set()
    # 2025
    | _days("2025-01-01")
    | _days("2025-01-28", "2025-02-04")
    | _days("2025-04-04", "2025-04-06")
    | _days("2025-05-01", "2025-05-05")
    | _days("2025-05-31", "2025-06-02")
    | _days("2025-10-01", "2025-10-08")
    # 2026
    | _days("2026-01-01", "2026-01-03")
    | _days("2026-02-15", "2026-02-23")
    | _days("2026-04-04", "2026-04-06")
    | _days("2026-05-01", "2026-05-05")
    | _days("2026-06-19", "2026-06-21")
    | _days("2026-09-25", "2026-09-27")
    | _days("2026-10-01", "2026-10-07")
)
# Weekend days that are working days (调休上班).
BUILTIN_MAKEUP_WORKDAYS: frozenset[date] = frozenset(
    _days("2025-01-26")
    | _days("2025-02-08")
    | _days("2025-04-27")
    | _days("2025-09-28")
    | _days("2025-10-11")
    | _days("2026-01-04")
    | _days("2026-02-14")
    | _days("2026-02-28")
    | _days("2026-05-09")
    | _days("2026-09-20")
    | _days("2026-10-10")
)
BUILTIN_YEARS: frozenset[int] = frozenset({2025, 2026})


@dataclass(frozen=True)
class WorkCalendar:
    """A working-day calendar: built-in tables plus per-date overrides."""

    holidays: frozenset[date] = BUILTIN_HOLIDAYS
    makeup_workdays: frozenset[date] = BUILTIN_MAKEUP_WORKDAYS
    years: frozenset[int] = BUILTIN_YEARS
    overrides: Mapping[date, bool] = field(default_factory=dict)

    def with_overrides(
        self, overrides: Mapping[date, bool], years: Iterable[int] = ()
    ) -> WorkCalendar:
        """A copy where `overrides` (date → is working day) win; `years` become covered."""
        return WorkCalendar(
            holidays=self.holidays,
            makeup_workdays=self.makeup_workdays,
            years=self.years | frozenset(years),
            overrides={**self.overrides, **overrides},
        )

    def covers(self, year: int) -> bool:
        """False when the year's schedule is unknown and Monday–Friday is assumed."""
        return year in self.years

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day in self.holidays:
            return False
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5


DEFAULT_CALENDAR = WorkCalendar()


def is_working_day(day: date, calendar: WorkCalendar = DEFAULT_CALENDAR) -> bool:
    return calendar.is_working_day(day)


def add_working_days(
    start: date,
    n: int,
    count_start_day: bool = False,
    calendar: WorkCalendar = DEFAULT_CALENDAR,
) -> date:
    """The day on which the n-th working day counted from `start` ends.

    With `count_start_day` the trigger day itself is the first working day
    when it is one (a return on Friday morning, due "within 2 working days",
    ends on Monday); otherwise counting starts the next day (it ends on
    Tuesday). Which reading applies is a campaign setting.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    remaining = n
    day = start
    if count_start_day and calendar.is_working_day(day):
        remaining -= 1
        if remaining == 0:
            return day
    while remaining:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(
    start: date, end: date, calendar: WorkCalendar = DEFAULT_CALENDAR
) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count
