from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkao.policies.models import StoredPolicy


@admin.register(StoredPolicy)
class StoredPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only here: policies are written on the office's policy pages, which
    validate the file and keep a judged policy frozen."""

    list_display = ["policy_id", "title", "office", "created_by", "created_at"]
    search_fields = ["policy_id", "title"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
