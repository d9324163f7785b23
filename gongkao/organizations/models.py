"""Administrative divisions, units and the exam offices that review them.

Which office reviews a unit (notice 3.4) is data: `Jurisdiction` rows map a
unit category in a division (and every division below it) to an office and its
procedure; the deepest line wins. See `queries.jurisdiction_for_unit`. One
installation holds every city of a province: nothing here names one city.
"""

from __future__ import annotations

from django.db import models

from gongkao.core.models import TimeStampedModel
from gongkao.organizations.validators import validate_credit_code


class Division(models.Model):
    """An administrative division by its GB/T 2260 code (410800 焦作市 …)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "地级市"
        URBAN_DISTRICT = "urban_district", "城区"
        COUNTY = "county", "县（市）"

    code = models.CharField("区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=50)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级区划",
    )
    # Words and numbers that carry the place: "中央和省驻焦单位", batch "JZ2025-…".
    short_name = models.CharField(
        "简称", max_length=10, blank=True, help_text="如 焦（中央和省驻焦单位）。"
    )
    letters = models.CharField(
        "字母代码", max_length=6, blank=True, help_text="编号前缀，如 JZ。"
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class UnitCategory(models.TextChoices):
    COUNTY = "county", "县（市）单位"
    URBAN_DISTRICT = "urban_district", "城区单位"
    CITY_DIRECT = "city_direct", "市直单位"
    # Shown as "中央和省驻焦单位" in 焦作市: see `category_label`.
    CENTRAL_PROVINCIAL = "central_provincial", "中央和省驻市单位"


def category_label(category: str, division: Division | None) -> str:
    """The category in the words of the unit's city (驻焦 in 焦作市)."""
    label = str(UnitCategory(category).label)
    if category == UnitCategory.CENTRAL_PROVINCIAL and division is not None:
        place = division.short_name or (
            division.parent.short_name if division.parent_id and division.parent else ""
        )
        if place:
            return label.replace("驻市", f"驻{place}")
    return label


class ExamOffice(TimeStampedModel):
    """工考管理机构: a county (county-level city) office or the city office (市工考办)."""

    name = models.CharField("名称", max_length=100, unique=True)
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        related_name="exam_offices",
        verbose_name="所在区划",
    )
    mailbox = models.EmailField("工作邮箱", blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    hours = models.CharField(
        "办公时间",
        max_length=100,
        blank=True,
        help_text="如 工作日 8:30—12:00，14:30—17:30",
    )

    class Meta:
        verbose_name = "工考管理机构"
        verbose_name_plural = "工考管理机构"
        ordering = ["division__code"]

    def __str__(self) -> str:
        return self.name


class Jurisdiction(models.Model):
    """One line of an office's jurisdiction: units of `category` in `division`
    or any division below it are reviewed by `office`, following this procedure.

    The line of the deepest division wins, so a city line covers the whole city
    and a county office can take over one district without touching the others.
    """

    office = models.ForeignKey(
        ExamOffice,
        on_delete=models.PROTECT,
        related_name="jurisdictions",
        verbose_name="工考管理机构",
    )
    category = models.CharField("单位类别", max_length=30, choices=UnitCategory.choices)
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        related_name="jurisdictions",
        verbose_name="区划（含下级区划）",
    )
    # Notice 3.5.1 and 3.5.3 set both for city-direct and central/provincial
    # units; other offices may switch them on.
    requires_list_mail = models.BooleanField(
        "须在2个工作日内报送申报人员名单", default=False
    )
    requires_signed_rosters = models.BooleanField("须报送签字盖章名册表", default=False)

    class Meta:
        verbose_name = "审查管辖"
        verbose_name_plural = "审查管辖"
        constraints = [
            models.UniqueConstraint(
                fields=["category", "division"], name="one_office_per_category_division"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office}：{self.division}{self.get_category_display()}"

    # Replaces Django's generated display: the label carries the city.
    def get_category_display(self) -> str:  # type: ignore[no-redef]
        return category_label(self.category, self.division)


class Unit(TimeStampedModel):
    """单位: an employer; a supervising department (主管部门) is a unit too."""

    name = models.CharField("单位名称", max_length=100)
    category = models.CharField("单位类别", max_length=30, choices=UnitCategory.choices)
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name="所在区划",
    )
    supervising_department = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinate_units",
        verbose_name="主管部门",
        help_text="为空表示本单位无单独的主管部门，跳过主管部门审核。",
    )
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    email = models.EmailField("电子邮箱", blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["division__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "name"], name="unit_name_unique_in_division"
            ),
            models.CheckConstraint(
                condition=~models.Q(supervising_department=models.F("id")),
                name="unit_not_its_own_department",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # Replaces Django's generated display: the label carries the city.
    def get_category_display(self) -> str:  # type: ignore[no-redef]
        return category_label(self.category, self.division)
