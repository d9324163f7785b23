from __future__ import annotations

from django.contrib import admin

from gongkao.core.admin import AuditedAdmin
from gongkao.review.models import AppealSettings, ReturnReasonCode


@admin.register(ReturnReasonCode)
class ReturnReasonCodeAdmin(AuditedAdmin):
    list_display = ["code", "label", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(AppealSettings)
class AppealSettingsAdmin(AuditedAdmin):
    """A campaign's appeal periods (复核): edited here, audited like any setting."""

    list_display = ["campaign", "appeal_working_days", "answer_working_days"]
