# Calendar arithmetic for "满N年", ages and retirement dates; stdlib only, no dateutil.
from __future__ import annotations

import calendar
from datetime import date


def full_years(start: date, end: date) -> int:
    """Whole years from start to end: start + N years <= end.

    Used with end = the day after the reference date for work years (2.5), and
    with end = the reference date for ages (reached on the birthday). An
    anniversary of 29 February falls on 1 March in common years.
    """
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def add_months(day: date, months: int) -> date:
    """day + months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year = day.year + years
    if year > date.max.year:
        return date.max
    month = month_index + 1
    if day.day <= 28:  # every month has the day: skip the calendar lookup
        return date(year, month, day.day)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
