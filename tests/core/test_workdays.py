from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from gongkao.core.workdays import (
    DEFAULT_CALENDAR,
    add_working_days,
    is_working_day,
    working_days_between,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2025-01-01", False),  # 元旦
        ("2025-01-26", True),  # Sunday, 调休上班 for 春节
        ("2025-01-28", False),
        ("2025-02-04", False),
        ("2025-02-05", True),
        ("2025-02-08", True),  # Saturday, 调休上班
        ("2025-03-13", True),  # registration opens (Thursday)
        ("2025-03-15", False),  # ordinary Saturday
        ("2025-04-04", False),  # 清明
        ("2025-04-27", True),  # Sunday, 调休上班 for 劳动节
        ("2025-05-05", False),
        ("2025-06-02", False),  # 端午
        ("2025-09-28", True),  # Sunday, 调休上班 for 国庆
        ("2025-10-01", False),
        ("2025-10-08", False),
        ("2025-10-09", True),
        ("2025-10-11", True),  # Saturday, 调休上班
        ("2026-01-03", False),
        ("2026-01-04", True),  # Sunday, 调休上班 for 元旦
        ("2026-02-14", True),  # Saturday, 调休上班 for 春节
        ("2026-02-15", False),
        ("2026-02-23", False),
        ("2026-02-24", True),
        ("2026-02-28", True),  # Saturday, 调休上班
        ("2026-05-09", True),
        ("2026-06-19", False),
        ("2026-09-20", True),
        ("2026-09-25", False),
        ("2026-10-07", False),
        ("2026-10-10", True),
    ],
)
def test_is_working_day_follows_state_council_schedule(day, working):
    assert is_working_day(D(day)) is working


@pytest.mark.parametrize("year", [2025, 2026])
def test_is_working_day_agrees_with_chinesecalendar_every_day(year):
    day = date(year, 1, 1)
    disagreements = []
    while day.year == year:
        if is_working_day(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []


@pytest.mark.parametrize(
    ("start", "n", "count_start_day", "expected"),
    [
        ("2025-03-14", 2, False, "2025-03-18"),  # Friday → Tuesday
        ("2025-03-14", 2, True, "2025-03-17"),  # Friday counts → Monday
        ("2025-03-15", 2, True, "2025-03-18"),  # Saturday never counts
        ("2025-03-15", 2, False, "2025-03-18"),
        ("2025-09-26", 2, False, "2025-09-29"),  # Sunday 9/28 is a working day
        ("2025-09-30", 2, False, "2025-10-10"),  # across 国庆 10/1–10/8
        ("2025-09-30", 1, True, "2025-09-30"),
        ("2025-10-09", 2, False, "2025-10-11"),  # Saturday 10/11 is a working day
        ("2025-01-24", 2, False, "2025-01-27"),  # Sunday 1/26 working, Monday 1/27
        ("2025-01-24", 3, False, "2025-02-05"),  # then 春节 1/28–2/4
        ("2025-04-03", 2, False, "2025-04-08"),  # across 清明
        ("2026-02-13", 2, False, "2026-02-24"),  # 2/14 working, then 春节
        ("2026-02-27", 1, False, "2026-02-28"),  # Saturday 2/28 is a working day
        ("2026-09-30", 2, False, "2026-10-09"),
        ("2026-12-31", 1, False, "2027-01-01"),  # unknown year: Monday–Friday
    ],
)
def test_add_working_days_boundaries(start, n, count_start_day, expected):
    assert add_working_days(D(start), n, count_start_day=count_start_day) == D(expected)


def test_add_working_days_rejects_zero():
    with pytest.raises(ValueError):
        add_working_days(D("2025-03-14"), 0)


def test_calendar_covers_only_known_years():
    assert DEFAULT_CALENDAR.covers(2025)
    assert DEFAULT_CALENDAR.covers(2026)
    assert not DEFAULT_CALENDAR.covers(2027)


def test_overrides_win_over_builtin_tables():
    calendar = DEFAULT_CALENDAR.with_overrides(
        {D("2027-02-06"): True, D("2027-02-08"): False}, years={2027}
    )
    assert calendar.covers(2027)
    assert calendar.is_working_day(D("2027-02-06"))  # a Saturday made a working day
    assert not calendar.is_working_day(D("2027-02-08"))  # a Monday made a holiday
    assert add_working_days(D("2027-02-05"), 1, calendar=calendar) == D("2027-02-06")


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(D("2025-09-30"), D("2025-10-10")) == 2
    assert working_days_between(D("2025-03-18"), D("2025-03-14")) == 0


@pytest.mark.django_db
def test_work_calendar_merges_admin_overrides():
    from gongkao.core.models import WorkdayOverride
    from gongkao.core.queries import work_calendar

    assert work_calendar() is DEFAULT_CALENDAR
    WorkdayOverride.objects.create(
        date=D("2027-01-01"), is_working_day=False, note="元旦"
    )
    calendar = work_calendar()
    assert calendar.covers(2027)
    assert not calendar.is_working_day(D("2027-01-01"))
