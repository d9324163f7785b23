from __future__ import annotations

from django.contrib import admin

from gongkao.campaigns.models import Campaign, FeeRate, JobType
from gongkao.core.admin import AuditedAdmin


class FeeRateInline(admin.TabularInline):  # type: ignore[type-arg]
    model = FeeRate
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = [
        "name",
        "year",
        "division",
        "policy_id",
        "registration_start",
        "registration_end",
        "is_active",
    ]
    list_filter = ["year", "is_active"]
    inlines = [FeeRateInline]


@admin.register(JobType)
class JobTypeAdmin(AuditedAdmin):
    list_display = [
        "code",
        "name",
        "category",
        "levels",
        "valid_from",
        "valid_until",
        "is_starter",
    ]
    list_filter = ["category", "is_starter"]
    search_fields = ["code", "name"]
