"""等级证书: numbered certificates of those whose result became final, their
reissue and revocation, and the public verification token.

A certificate is also written to the holder's profile as a held certificate
(applications.HeldCertificate, `issued`), so next year's application and its
eligibility check count "满5年" from its date without the holder typing it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkao.applications.models import Application, HeldCertificate
from gongkao.certificates.numbering import DEFAULT_PATTERN
from gongkao.core.models import by_needs_at
from gongkao.organizations.models import ExamOffice


class CertificateSettings(models.Model):
    """A campaign's numbering, date and print layout."""

    class Layout(models.TextChoices):
        FULL = "full", "完整证书（白纸打印）"
        PREPRINTED = "preprinted", "套打（只打印变动内容）"

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="certificate_settings",
    )
    pattern = models.CharField(
        "编号格式",
        max_length=60,
        default=DEFAULT_PATTERN,
        help_text="可用 {year} 年度、{division} 行政区划代码、{level} 等级、{seq:06d} 序号（按工考办和年度连续编号）；末位自动加校验码。",
    )
    cert_date = models.DateField(
        "统一发证日期",
        null=True,
        blank=True,
        help_text="留空则以公示期满之日为发证日期（次年申报计算“满5年”由此日期起算）。",
    )
    numbers_from_province = models.BooleanField(
        "证书编号由省里分配",
        default=False,
        help_text="勾选后不再自动编号，证书编号从省里下发的名单（Excel）导入。",
    )
    layout = models.CharField(
        "打印版式", max_length=12, choices=Layout.choices, default=Layout.FULL
    )
    # Pre-printed stock: each variable field's position in mm from the page's
    # top-left corner, {"name": [x, y], ...}; see document.PREPRINTED_FIELDS.
    positions = models.JSONField("套打位置（毫米）", default=dict, blank=True)

    class Meta:
        verbose_name = "证书设置"
        verbose_name_plural = "证书设置"

    def __str__(self) -> str:
        return f"{self.campaign} 证书设置"


class CertificateCounter(models.Model):
    """The last sequence number an office used in a year: locked while a
    certificate takes the next, so numbers are unique and without gaps."""

    office = models.ForeignKey(ExamOffice, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "证书序号"
        verbose_name_plural = "证书序号"
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="one_counter"),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.year} {self.last}"


class Certificate(models.Model):
    """机关事业单位工勤技能岗位等级证书."""

    class Status(models.TextChoices):
        VALID = "valid", "有效"
        REPLACED = "replaced", "已补发新证（本证作废）"
        REVOKED = "revoked", "已撤销"

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="certificates"
    )
    office = models.ForeignKey(ExamOffice, on_delete=models.PROTECT, related_name="+")
    number = models.CharField("证书编号", max_length=64, unique=True)
    # The QR code's key: random, never the id (nothing to enumerate).
    token = models.CharField("核验码", max_length=32, unique=True)
    name = models.CharField("姓名", max_length=50)
    level = models.PositiveSmallIntegerField("等级")
    job_type_name = models.CharField("工种", max_length=100)
    unit_name = models.CharField("单位", max_length=200)
    cert_date = models.DateField("发证日期")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.VALID
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name="补发所替代的证书",
    )
    reason = models.CharField("补发或撤销原因", max_length=300, blank=True)
    held = models.OneToOneField(
        HeldCertificate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issued_certificate",
    )
    issued_at = models.DateTimeField("颁发时间")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "等级证书"
        verbose_name_plural = "等级证书"
        ordering = ["number"]
        constraints = [
            by_needs_at("revoked_by", "revoked_at"),
            # One valid certificate per application at a time.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status="valid"),
                name="one_valid_certificate",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class RetentionRule(models.Model):
    """How many years after its campaign's year an office keeps a kind of
    record; what has passed it is listed for the office to delete, never
    deleted silently (services.purge)."""

    class Kind(models.TextChoices):
        MATERIALS = "materials", "申报材料文件（上传的扫描件和照片）"
        ANSWERS = "answers", "人机对话逐题作答记录（成绩保留）"

    DEFAULT_YEARS = {Kind.MATERIALS: 5, Kind.ANSWERS: 3}

    office = models.ForeignKey(ExamOffice, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("记录类别", max_length=12, choices=Kind.choices)
    years = models.PositiveSmallIntegerField("保存年限（年）")

    class Meta:
        verbose_name = "档案保存期限"
        verbose_name_plural = "档案保存期限"
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind"], name="one_rule_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.get_kind_display()} {self.years}年"


class Purge(models.Model):
    """What an office deleted once its retention had passed, and who did it."""

    office = models.ForeignKey(ExamOffice, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        "记录类别", max_length=12, choices=RetentionRule.Kind.choices
    )
    count = models.PositiveIntegerField("删除条数")
    purged_at = models.DateTimeField("删除时间")
    purged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "到期删除记录"
        verbose_name_plural = "到期删除记录"
        ordering = ["-purged_at"]

    def __str__(self) -> str:
        return f"{self.campaign} {self.get_kind_display()} {self.count}"
