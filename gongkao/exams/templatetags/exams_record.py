"""The exam half's panels on pages of lower apps: a template tag, so that the
review page (review sits below exams) shows training without importing exams."""

from __future__ import annotations

from typing import Any

from django import template

from gongkao.applications.models import Application
from gongkao.exams.training import record_of

register = template.Library()


@register.inclusion_tag("exams/_training_record.html")
def training_record(application: Application) -> dict[str, Any]:
    """培训记录 on the candidate's file: class, sessions attended, completed."""
    return {"record": record_of(application)}
