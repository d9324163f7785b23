from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet

from gongkao.core.models import BackgroundJob, WorkdayOverride
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


def jobs_for_user(user: AbstractBaseUser) -> QuerySet[BackgroundJob]:
    """The background jobs `user` started: nobody else, whatever their role, sees them."""
    return BackgroundJob.objects.filter(started_by_id=user.pk)
