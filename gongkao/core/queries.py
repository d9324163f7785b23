from __future__ import annotations

from gongkao.core.models import WorkdayOverride
from gongkao.core.workdays import DEFAULT_CALENDAR, WorkCalendar


def work_calendar() -> WorkCalendar:
    """The built-in calendar with the admin's overrides applied.

    A year with overrides counts as covered: staff enter a whole year's
    schedule at once when the code does not know it.
    """
    rows = list(WorkdayOverride.objects.values_list("date", "is_working_day"))
    if not rows:
        return DEFAULT_CALENDAR
    return DEFAULT_CALENDAR.with_overrides(
        dict(rows), years={day.year for day, _ in rows}
    )
