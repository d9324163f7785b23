from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkao.applications.models import Application, ReturnedItem, StatusChange


class StatusChangeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = StatusChange
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "at",
        "from_status",
        "to_status",
        "by_label",
        "reasons",
        "note",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReturnedItemInline(admin.TabularInline):  # type: ignore[type-arg]
    """Each returned item, what it unlocked and how the resubmission answered."""

    model = ReturnedItem
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "round",
        "label",
        "text",
        "unlocks",
        "changes",
        "explanation",
        "answered_at",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only here: every change goes through the services and their audit."""

    list_display = [
        "id",
        "applicant",
        "unit",
        "level",
        "job_type",
        "status",
        "status_since",
    ]
    list_filter = ["campaign", "status", "level"]
    search_fields = ["applicant__name", "unit__name"]
    inlines = [StatusChangeInline, ReturnedItemInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
