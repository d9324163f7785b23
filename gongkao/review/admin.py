from __future__ import annotations

from django.contrib import admin

from gongkao.core.admin import AuditedAdmin
from gongkao.review.models import ReturnReasonCode


@admin.register(ReturnReasonCode)
class ReturnReasonCodeAdmin(AuditedAdmin):
    list_display = ["code", "label", "order", "is_active"]
    list_editable = ["order", "is_active"]
