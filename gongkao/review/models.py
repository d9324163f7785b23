"""What reviewers do with an application: their decisions, the unit's batch,
its rosters and scans, fees and originals at the on-site check.

Models are thin: decisions are written by services.py, batches by batches.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkao.applications.models import Application
from gongkao.campaigns.models import Campaign
from gongkao.core.models import TimeStampedModel, by_needs_at
from gongkao.organizations.models import Unit


class ReturnReasonCode(models.Model):
    """The configurable list of coded return reasons (照片不合格, 证书不清晰 …)."""

    code = models.CharField("代码", max_length=30, unique=True)
    label = models.CharField("退回原因", max_length=60)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "退回原因"
        verbose_name_plural = "退回原因"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label


class ReviewStep(models.TextChoices):
    UNIT = "unit", "单位审核"
    DEPARTMENT = "department", "主管部门审核"
    OFFICE = "office", "资格审查"
    ONSITE = "onsite", "现场审查确认"


class Review(models.Model):
    """One decision per application, step and round, with the item checklist.

    `checks` maps an item key (a material slot, a manual-review clause, a
    consent) to {"ok": bool, "code": …, "text": …}.
    """

    class Decision(models.TextChoices):
        PASS = "pass", "通过"
        RETURN = "return", "退回"
        NOT_QUALIFIED = "not_qualified", "不通过"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews"
    )
    step = models.CharField("环节", max_length=20, choices=ReviewStep.choices)
    round = models.PositiveSmallIntegerField("轮次")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审核人",
    )
    decision = models.CharField("结论", max_length=20, choices=Decision.choices)
    decided_at = models.DateTimeField("审核时间")
    checks = models.JSONField("逐项审核", default=dict, blank=True)
    note = models.CharField("意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "step", "round"],
                name="one_review_per_step_round",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_step_display()} 第{self.round}轮 {self.get_decision_display()}"
        )


class Batch(TimeStampedModel):
    """A unit's applications in one campaign, handled together at the office (3.5.3)."""

    class State(models.TextChoices):
        OPEN = "open", "网上审核中"
        ONLINE_REVIEW_COMPLETE = "online_review_complete", "网上资格审查已全部通过"
        ROSTERS_PRINTED = "rosters_printed", "名册表已打印"
        SCANS_UPLOADED = "scans_uploaded", "签字盖章名册表已上传"
        DEPARTMENT_STAMPED = "department_stamped", "主管部门已盖章"
        ONSITE_CHECKED = "onsite_checked", "已现场审查确认"
        CLOSED = "closed", "已办结"

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="batches",
        verbose_name="年度考务",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="batches", verbose_name="单位"
    )
    state = models.CharField(
        "状态", max_length=30, choices=State.choices, default=State.OPEN
    )
    reference = models.CharField("编号", max_length=30, unique=True)
    # 3.5.1: the applicant list mailed to the office within 2 working days.
    list_due = models.DateField("申报人员名单报送期限", null=True, blank=True)
    list_mailed_at = models.DateTimeField("名单报送时间", null=True, blank=True)
    list_mailed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rosters_printed_at = models.DateTimeField("名册表打印时间", null=True, blank=True)
    department_stamped_at = models.DateTimeField(
        "主管部门盖章确认时间", null=True, blank=True
    )
    department_stamped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_in_at = models.DateTimeField("现场审查时间", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    fee_total = models.DecimalField(
        "收费合计（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "单位批次"
        verbose_name_plural = "单位批次"
        ordering = ["campaign", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"], name="one_batch_per_unit"
            ),
            by_needs_at("list_mailed_by", "list_mailed_at"),
            by_needs_at("department_stamped_by", "department_stamped_at"),
            by_needs_at("checked_in_by", "checked_in_at"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.campaign.year}"


class BatchChange(models.Model):
    """The batch's own history, one row per state change."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="changes")
    from_state = models.CharField(max_length=30, choices=Batch.State.choices)
    to_state = models.CharField(max_length=30, choices=Batch.State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


def batch_scan_upload_to(instance: BatchScan, filename: str) -> str:
    return (
        f"rosters/{instance.batch.campaign_id}/{instance.batch_id}/"
        f"{instance.kind}-v{instance.version}{instance.extension}"
    )


class BatchScan(models.Model):
    """A signed and stamped roster, scanned and uploaded back (versioned)."""

    class Kind(models.TextChoices):
        PASSED = "passed", "网上资格审查通过人员名册表"
        ONSITE = "onsite", "需现场审查人员名册表"

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="scans")
    kind = models.CharField("名册表", max_length=10, choices=Kind.choices)
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to=batch_scan_upload_to, max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=40)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "kind", "version"], name="one_scan_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class FeePayment(models.Model):
    """报名缴费 of one applicant, recorded at the on-site check."""

    class Method(models.TextChoices):
        CASH = "cash", "现金"
        TRANSFER = "transfer", "银行转账"
        POS = "pos", "刷卡"
        ONLINE = "online", "线上支付"

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="fee", verbose_name="申报"
    )
    amount = models.DecimalField("金额（元）", max_digits=8, decimal_places=2)
    method = models.CharField("缴费方式", max_length=20, choices=Method.choices)
    receipt_number = models.CharField("票据号", max_length=40)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "缴费记录"
        verbose_name_plural = "缴费记录"

    def __str__(self) -> str:
        return f"{self.application} {self.amount}"


class OriginalCustody(models.Model):
    """An original document handed over at the on-site check and returned (3.4)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="originals"
    )
    item = models.CharField("原件", max_length=100)
    received_from = models.CharField("交件人", max_length=50)
    received_at = models.DateTimeField("接收时间")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    returned_to = models.CharField("退还给", max_length=50, blank=True)
    returned_at = models.DateTimeField("退还时间", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "原件交接"
        verbose_name_plural = "原件交接"
        ordering = ["received_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="custody_return_complete",
                condition=(
                    models.Q(returned_at__isnull=True, returned_to="")
                    | (models.Q(returned_at__isnull=False) & ~models.Q(returned_to=""))
                ),
            ),
            by_needs_at("returned_by", "returned_at"),
        ]

    def __str__(self) -> str:
        return self.item


class AppealSettings(models.Model):
    """A campaign's appeal (复核) periods, in working days. Without a row the
    defaults apply (review.appeals.settings_for)."""

    campaign = models.OneToOneField(
        Campaign,
        on_delete=models.CASCADE,
        related_name="appeal_settings",
        verbose_name="年度考务",
    )
    appeal_working_days = models.PositiveSmallIntegerField(
        "申请复核期限（工作日）",
        default=5,
        help_text="资格审查不通过后，申报人可在此期限内申请复核。",
    )
    answer_working_days = models.PositiveSmallIntegerField(
        "答复复核期限（工作日）",
        default=10,
        help_text="工考办收到复核申请后，在此期限内答复。",
    )

    class Meta:
        verbose_name = "复核期限"
        verbose_name_plural = "复核期限"

    def __str__(self) -> str:
        return f"{self.campaign} 复核期限"


def appeal_upload_to(instance: Appeal, filename: str) -> str:
    # Never the applicant's file name on disk: it may hold their ID number.
    app = instance.application
    return f"appeals/{app.campaign_id}/{app.pk}/material{instance.file_extension}"


class Appeal(models.Model):
    """An applicant found not qualified asks the office to reconsider (复核):
    a reason, optionally new material, and the office's answer. One per
    application; written by review.appeals."""

    class Decision(models.TextChoices):
        UPHELD = "upheld", "维持原结论"
        OVERTURNED = "overturned", "撤销原结论，重新审查"

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="appeal",
        verbose_name="申报",
    )
    reason = models.TextField("复核理由", max_length=1000)
    file = models.FileField(
        "补充材料", upload_to=appeal_upload_to, blank=True, max_length=200
    )
    file_content_type = models.CharField(max_length=40, blank=True)
    file_extension = models.CharField(max_length=8, blank=True)
    filed_at = models.DateTimeField("申请时间", auto_now_add=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="申请人",
    )
    answer_due = models.DateField("答复期限")
    decision = models.CharField(
        "复核结论", max_length=20, choices=Decision.choices, blank=True
    )
    answer = models.TextField("答复意见", max_length=1000, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )

    class Meta:
        verbose_name = "复核申请"
        verbose_name_plural = "复核申请"
        ordering = ["answer_due", "id"]
        constraints = [
            by_needs_at("answered_by", "answered_at"),
            models.CheckConstraint(
                name="appeal_decided_when_answered",
                condition=models.Q(decision="", answered_at__isnull=True)
                | (~models.Q(decision="") & models.Q(answered_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="appeal_has_reason", condition=~models.Q(reason="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} 复核"
