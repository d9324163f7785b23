"""`{% load cn_dates %}`: `{{ day|cn_date }}` → 2025年3月4日, `{{ day|cn_month_day }}`
→ 3月4日. A datetime is shown in local time, ISO text (JSON snapshots) is
read as a date; None, "" or anything else gives ""."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from gongkao.core.dates import chinese_date, chinese_month_day

register = template.Library()


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).date()
            if timezone.is_aware(value)
            else value.date()
        )
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        # A date kept as ISO text (an application's JSON snapshot).
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


@register.filter
def cn_date(value: object) -> str:
    day = _day(value)
    return chinese_date(day) if day else ""


@register.filter
def cn_month_day(value: object) -> str:
    day = _day(value)
    return chinese_month_day(day) if day else ""
