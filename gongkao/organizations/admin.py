from __future__ import annotations

from django.contrib import admin

from gongkao.core.admin import AuditedAdmin
from gongkao.organizations.models import Division, ExamOffice, Jurisdiction, Unit


@admin.register(Division)
class DivisionAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


class JurisdictionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Jurisdiction
    extra = 0


@admin.register(ExamOffice)
class ExamOfficeAdmin(AuditedAdmin):
    list_display = ["name", "division", "mailbox", "phone"]
    inlines = [JurisdictionInline]


@admin.register(Jurisdiction)
class JurisdictionAdmin(AuditedAdmin):
    list_display = [
        "office",
        "category",
        "division",
        "requires_list_mail",
        "requires_signed_rosters",
    ]
    list_filter = ["office", "category"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = [
        "name",
        "category",
        "division",
        "supervising_department",
        "credit_code",
        "is_active",
    ]
    list_filter = ["category", "division", "is_active"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["supervising_department"]
