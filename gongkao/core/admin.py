from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from gongkao.core.models import AuditEvent, Notification, WorkdayOverride
from gongkao.core.services import model_snapshot, record_audit


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Back-office configuration edits leave an audit row (before and after)."""

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        before = None
        if change and obj.pk:
            old = type(obj).objects.filter(pk=obj.pk).first()
            before = model_snapshot(old) if old else None
        super().save_model(request, obj, form, change)
        record_audit(
            AuditEvent.Action.CONFIG_CHANGED
            if change
            else AuditEvent.Action.CONFIG_CREATED,
            by=request.user,
            target=obj,
            before=before,
            after=model_snapshot(obj),
            request=request,
        )

    def save_formset(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        """Inline rows (jurisdiction lines, fee rates, role assignments) are
        configuration too: each created, changed or deleted row gets its row."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_audit(
                AuditEvent.Action.CONFIG_DELETED,
                by=request.user,
                target=obj,
                before=model_snapshot(obj),
                request=request,
            )
            obj.delete()
        changed = {obj.pk: fields for obj, fields in formset.changed_objects}
        for obj in instances:
            is_new = obj.pk is None
            obj.save()
            record_audit(
                AuditEvent.Action.CONFIG_CREATED
                if is_new
                else AuditEvent.Action.CONFIG_CHANGED,
                by=request.user,
                target=obj,
                after=model_snapshot(obj),
                request=request,
                before=None if is_new else {"changed_fields": changed.get(obj.pk, [])},
            )
        formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        snapshot = model_snapshot(obj)
        record_audit(
            AuditEvent.Action.CONFIG_DELETED,
            by=request.user,
            target=obj,
            before=snapshot,
            request=request,
        )
        super().delete_model(request, obj)

    def delete_queryset(
        self, request: HttpRequest, queryset: models.QuerySet[Any]
    ) -> None:
        for obj in queryset:
            record_audit(
                AuditEvent.Action.CONFIG_DELETED,
                by=request.user,
                target=obj,
                before=model_snapshot(obj),
                request=request,
            )
        super().delete_queryset(request, queryset)


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(AuditedAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "seq",
        "at",
        "actor_label",
        "action",
        "target_type",
        "target_label",
        "ip",
    ]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_label", "target_id"]
    # The chain's order (core/audit.py); `manage.py verify_audit` checks it.
    ordering = ["-seq"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The outbox: every in-site message and the state of its SMS."""

    list_display = ["created_at", "user", "kind", "title", "sms_status", "read_at"]
    list_filter = ["kind", "sms_status"]
    search_fields = ["title", "user__name"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
