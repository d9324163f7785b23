from __future__ import annotations

from django.contrib import admin

from gongkao.cbt.models import IrregularityCategory
from gongkao.core.admin import AuditedAdmin


@admin.register(IrregularityCategory)
class IrregularityCategoryAdmin(AuditedAdmin):
    """违纪违规类别 (人社部令第31号 by default): what each voids, its record
    and, where the province bars the person from later assessments, the
    years of the ban (0: none). Edited here, audited like any setting."""

    list_display = ["code", "act", "voids", "record", "ban_years", "active", "order"]
    list_editable = ["ban_years", "active", "order"]
