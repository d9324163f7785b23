"""The applicant's profile, their application per campaign, its materials and history.

Models are thin: every write that matters is in services.py, every status
change goes through services.transition.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkao.applications.states import Status
from gongkao.campaigns.models import LEVEL_CHOICES, Campaign, JobType
from gongkao.core.models import TimeStampedModel, by_needs_at
from gongkao.eligibility.labels import ROUTE_LABELS
from gongkao.organizations.models import Unit


class Employment(models.TextChoices):
    FORMAL = "formal", "在岗正式工作人员"
    CONTRACT = "contract", "聘用工作人员"
    OTHER = "other", "其他（劳务派遣、临时用工等）"


class Education(models.TextChoices):
    PRIMARY = "primary", "小学"
    JUNIOR_MIDDLE = "junior_middle", "初中"
    HIGH_SCHOOL = "high_school", "高中"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中专"
    TECHNICAL_SCHOOL = "technical_school", "技工院校"
    JUNIOR_COLLEGE = "junior_college", "大专"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士研究生"
    DOCTOR = "doctor", "博士研究生"


class RetirementGroup(models.TextChoices):
    MALE_60 = "male_60", "男职工（原法定退休年龄60周岁）"
    FEMALE_55 = "female_55", "女职工（原法定退休年龄55周岁，如管理岗位）"
    FEMALE_50 = "female_50", "女职工（原法定退休年龄50周岁，工人岗位）"


# What the applicant's forms set, saved by name (services): a full-row save
# could write back a status read before a reviewer changed it.
PROFILE_FIELDS = (
    "unit",
    "employment",
    "retired",
    "work_start_date",
    "regularized_date",
    "education",
    "appointed_level",
    "professional_technical",
    "retirement_group",
    "under_investigation",
    "sanction_until",
)
CHOICE_FIELDS = ("level", "job_type", "job_type_change", "job_type_change_reason")


class ApplicantProfile(TimeStampedModel):
    """What an applicant states about themselves; the application snapshots it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applicant_profile",
        verbose_name="申报人",
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applicant_profiles",
        verbose_name="工作单位",
    )
    employment = models.CharField(
        "用工性质", max_length=20, choices=Employment.choices, blank=True
    )
    retired = models.BooleanField("已办理退休手续", default=False)
    work_start_date = models.DateField("参加工作时间", null=True, blank=True)
    regularized_date = models.DateField(
        "转正定级时间", null=True, blank=True, help_text="尚未转正定级的请留空。"
    )
    education = models.CharField(
        "最高文化程度", max_length=30, choices=Education.choices, blank=True
    )
    appointed_level = models.PositiveSmallIntegerField(
        "现聘任工勤技能岗位等级",
        choices=LEVEL_CHOICES,
        null=True,
        blank=True,
        help_text="未聘任到工勤技能等级岗位的请留空。",
    )
    professional_technical = models.BooleanField("属于专业技术人员", default=False)
    retirement_group = models.CharField(
        "退休年龄类别", max_length=20, choices=RetirementGroup.choices, blank=True
    )
    under_investigation = models.BooleanField("被立案审查尚未结案", default=False)
    sanction_until = models.DateField(
        "党纪处分影响期或政务处分期截止日",
        null=True,
        blank=True,
        help_text="没有处分的请留空。",
    )
    declared_at = models.DateTimeField("不得申报情形声明时间", null=True, blank=True)

    class Meta:
        verbose_name = "申报人信息"
        verbose_name_plural = "申报人信息"

    def __str__(self) -> str:
        return str(self.user)


class HeldCertificate(models.Model):
    """等级证书: a 工勤技能岗位等级 certificate the applicant holds."""

    profile = models.ForeignKey(
        ApplicantProfile, on_delete=models.CASCADE, related_name="certificates"
    )
    level = models.PositiveSmallIntegerField("等级", choices=LEVEL_CHOICES)
    job_type_name = models.CharField("工种", max_length=50)
    cert_date = models.DateField("发证日期")
    number = models.CharField("证书编号", max_length=60)
    # Issued by this system (certificates app): the holder cannot edit or
    # delete it; a reissue changes its number, a revocation removes it.
    issued = models.BooleanField("本系统颁发", default=False)

    class Meta:
        verbose_name = "等级证书"
        verbose_name_plural = "等级证书"
        ordering = ["cert_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.job_type_name}"


class ExamBan(models.Model):
    """禁考: an irregularity whose category carries a ban (cbt records it)
    bars the person from applying until `until`; later campaigns' checks
    show it as an exclusion (services.submission_problems)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_bans"
    )
    until = models.DateField("禁考截止日期")
    reason = models.CharField("原因", max_length=200)
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "考试禁考记录"
        verbose_name_plural = "考试禁考记录"
        ordering = ["-until"]

    def __str__(self) -> str:
        return f"{self.user} 禁考至{self.until}"


class AnnualReviewResult(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "合格（称职）"
    BASIC = "basic", "基本合格"
    INCOMPETENT = "incompetent", "不合格"
    PENDING = "pending", "结果尚未备案（容缺后补）"


class AnnualReview(models.Model):
    profile = models.ForeignKey(
        ApplicantProfile, on_delete=models.CASCADE, related_name="annual_reviews"
    )
    year = models.PositiveSmallIntegerField("年度")
    result = models.CharField(
        "年度考核结果", max_length=20, choices=AnnualReviewResult.choices
    )
    excellent_party_member = models.BooleanField(
        "当年被评定为优秀共产党员",
        default=False,
        help_text="须由具有独立人事管理权的单位评定。",
    )

    class Meta:
        verbose_name = "年度考核"
        verbose_name_plural = "年度考核"
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "year"], name="one_review_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度 {self.get_result_display()}"


class HonorKind(models.TextChoices):
    LABOR_MODEL = "labor_model", "劳动模范、先进工作者"
    MAY_DAY_MEDAL = "may_day_medal", "五一劳动奖章"
    TECHNICAL_EXPERT = "technical_expert", "技术能手"
    COMPETITION = "competition", "技能竞赛个人奖"
    COMMENDATION = "commendation", "党委、政府表彰"
    DEPARTMENT_COMMENDATION = "department_commendation", "政府工作部门工作表彰"
    SPECIAL_TALENT = "special_talent", "绝招、绝技、绝活（行业认可）"


class HonorLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "省辖市级"
    COUNTY = "county", "县级"


class Honor(models.Model):
    profile = models.ForeignKey(
        ApplicantProfile, on_delete=models.CASCADE, related_name="honors"
    )
    kind = models.CharField("荣誉类别", max_length=30, choices=HonorKind.choices)
    level = models.CharField("级别", max_length=20, choices=HonorLevel.choices)
    title = models.CharField("荣誉名称", max_length=100)
    issuer = models.CharField("授予单位", max_length=100)
    date = models.DateField("获得时间")
    rank = models.PositiveSmallIntegerField(
        "竞赛名次",
        null=True,
        blank=True,
        help_text="技能竞赛填写：一等奖填1，二等奖填2，三等奖填3，其他奖项填4。",
    )

    class Meta:
        verbose_name = "荣誉"
        verbose_name_plural = "荣誉"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return self.title


class PatentKind(models.TextChoices):
    INVENTION = "invention", "发明专利"
    UTILITY_MODEL = "utility_model", "实用新型专利"


class Patent(models.Model):
    profile = models.ForeignKey(
        ApplicantProfile, on_delete=models.CASCADE, related_name="patents"
    )
    kind = models.CharField("专利类型", max_length=20, choices=PatentKind.choices)
    title = models.CharField("专利名称", max_length=100)
    number = models.CharField("专利号", max_length=40)
    rank = models.PositiveSmallIntegerField(
        "本人排名", help_text="在发明人中的名次，如第1名填1。"
    )
    date = models.DateField("授权日期")
    related = models.BooleanField("与申报工种相关", default=True)

    class Meta:
        verbose_name = "专利"
        verbose_name_plural = "专利"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return self.title


class JobTypeChange(models.TextChoices):
    NONE = "none", "未转换工种"
    VOLUNTARY = "voluntary", "本人转换岗位工种（经单位同意）"
    REFORM = "reform", "因机构改革岗位工种发生变化"


class Application(TimeStampedModel):
    """申报: one applicant, one campaign, one level and job type."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="申报人",
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="年度考务",
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="工作单位",
    )
    level = models.PositiveSmallIntegerField(
        "申报等级", choices=LEVEL_CHOICES, null=True, blank=True
    )
    job_type = models.ForeignKey(
        JobType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="申报工种",
    )
    job_type_change = models.CharField(
        "工种转换",
        max_length=20,
        choices=JobTypeChange.choices,
        default=JobTypeChange.NONE,
    )
    job_type_change_reason = models.TextField("工种转换说明", blank=True)
    status = models.CharField(
        "状态",
        max_length=30,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    status_since = models.DateTimeField("进入当前状态时间", auto_now_add=True)
    returned_from = models.CharField(
        "退回环节", max_length=30, choices=Status.choices, blank=True
    )
    return_items = models.JSONField("退回须修改的事项", default=list, blank=True)
    resubmit_by = models.DateField("重新提交截止日", null=True, blank=True)
    resubmit_overdue = models.BooleanField("曾逾期未重新提交", default=False)
    returns_count = models.PositiveSmallIntegerField("被退回次数", default=0)
    # Set by the office at qualification review: originals to be seen on site.
    onsite_required = models.BooleanField("需现场审查原件", default=False)
    originals_seen = models.JSONField("已核验原件", default=list, blank=True)
    round = models.PositiveSmallIntegerField("审核轮次", default=0)
    submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    policy_id = models.CharField("资格条件政策", max_length=40, blank=True)
    # SHA-256 of the policy file the submission was judged by (policies app).
    policy_hash = models.CharField("资格条件政策校验值", max_length=64, blank=True)
    eligibility = models.JSONField("提交时资格自查结果", null=True, blank=True)
    # The route the engine found at submission, copied out of `eligibility`
    # so that queues filter on an indexed column (review.queries.filter_queue).
    route = models.CharField("申报途径", max_length=30, blank=True)
    snapshot = models.JSONField("提交时申报信息快照", null=True, blank=True)
    # Acknowledgements the notice requires (一, 二, 五（二）) and the pledge (三（二）).
    ack_policy_at = models.DateTimeField("已知悉岗位聘用政策", null=True, blank=True)
    ack_retirement_at = models.DateTimeField(
        "已知悉退休年度申报规定", null=True, blank=True
    )
    ack_level1_at = models.DateTimeField("已阅读一级考评提示", null=True, blank=True)
    pledged_at = models.DateTimeField("真实性承诺时间", null=True, blank=True)
    # 容缺后补 (3.3): the applicant commits, the unit allows.
    deferred_committed_at = models.DateTimeField(
        "容缺后补承诺时间", null=True, blank=True
    )
    deferred_allowed_at = models.DateTimeField(
        "单位同意容缺后补时间", null=True, blank=True
    )
    deferred_allowed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="同意容缺后补人",
    )
    # An office may extend the registration window for one applicant.
    extended_until = models.DateField("报名延期至", null=True, blank=True)
    extension_reason = models.CharField("延期原因", max_length=200, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="批准延期人",
    )

    class Meta:
        verbose_name = "申报"
        verbose_name_plural = "申报"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "campaign"], name="one_application_per_campaign"
            ),
            models.CheckConstraint(
                name="returned_has_origin",
                condition=~models.Q(status=Status.RETURNED)
                | ~models.Q(returned_from=""),
            ),
            by_needs_at("deferred_allowed_by", "deferred_allowed_at"),
            by_needs_at("extended_by", "extended_until"),
            models.CheckConstraint(
                name="extension_has_reason",
                condition=models.Q(extended_until__isnull=True)
                | ~models.Q(extension_reason=""),
            ),
        ]
        # Queues filter by unit and status; the sweep by status and deadline.
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["status", "resubmit_by"]),
            # Every reviewer queue is ordered so (review.views.chain): the
            # index serves the sort instead of a sort spilled to disk.
            models.Index(
                fields=["status", "status_since", "id"], name="application_queue_order"
            ),
            # The dashboard's oldest unreviewed files.
            models.Index(fields=["status_since"], name="application_status_since"),
            # A queue filtered by route, in queue order.
            models.Index(
                fields=["route", "status", "status_since", "id"],
                name="application_route_queue",
            ),
            # Dashboards, circulars, batch checks and a queue's total (its
            # campaign, scope, status, never the reviewer's own file, the
            # route filter) aggregate a scope from this index alone
            # (PostgreSQL index-only scans), never reading the wide rows (the
            # snapshot and the engine's result); a queue's page finds its
            # rows' keys in queue order (status_since) here too.
            models.Index(
                fields=["campaign", "unit", "status"],
                include=[
                    "id",
                    "level",
                    "job_type",
                    "applicant",
                    "returns_count",
                    "resubmit_overdue",
                    "resubmit_by",
                    "submitted_at",
                    "route",
                    "status_since",
                ],
                name="application_scope_counts",
            ),
            # The circular's returns per unit: the files ever returned or
            # overdue, a few in a hundred, read from this index alone.
            models.Index(
                fields=["campaign", "unit"],
                include=[
                    "id",
                    "status",
                    "applicant",
                    "returns_count",
                    "resubmit_overdue",
                ],
                condition=models.Q(returns_count__gt=0)
                | models.Q(resubmit_overdue=True),
                name="application_returned",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.applicant} {self.campaign.year}年 {self.get_level_display() or ''}"
        )

    @property
    def route_label(self) -> str:
        """The route the engine found at submission, in words ("" before)."""
        route = self.route or (self.eligibility or {}).get("route") or ""
        return ROUTE_LABELS.get(route, "")


class ApplicationCount(models.Model):
    """How many applications share a campaign, unit, status, level, job type
    and route (0, or "" for the route, where an application has none).
    Database triggers keep it in the transaction of every insert, update and
    delete of an application (migrations 0017 and 0019), so it is never
    stale: dashboards and queue totals add these rows up instead of scanning
    a scope of tens of thousands of files."""

    campaign_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    status = models.CharField(max_length=30)
    level = models.PositiveSmallIntegerField()
    job_type_id = models.BigIntegerField()
    route = models.CharField(max_length=30, default="", blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "campaign_id",
                    "unit_id",
                    "status",
                    "level",
                    "job_type_id",
                    "route",
                ],
                name="one_count_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.unit_id}/{self.status}: {self.n}"


class StatusChange(models.Model):
    """One row per transition: the application's history, and the audit of decisions."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField("原状态", max_length=30, choices=Status.choices)
    to_status = models.CharField("新状态", max_length=30, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    by_label = models.CharField("操作人（显示）", max_length=100, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    round = models.PositiveSmallIntegerField("轮次", default=0)
    reasons = models.JSONField("原因", default=list, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ReturnedItem(models.Model):
    """One item a reviewer returned, what it unlocked for the applicant, and
    how the resubmission answered it: a change, or the applicant's reason for
    changing nothing (applications.unlocks)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="returned_items",
        verbose_name="申报",
    )
    round = models.PositiveSmallIntegerField("被退回的轮次")
    # The reviewer's item: "material:photo", "clause:2.2.4.3", "consent:…", a section.
    item = models.CharField("退回事项", max_length=80)
    label = models.CharField("事项名称", max_length=200)
    code = models.CharField("退回原因代码", max_length=30, blank=True)
    text = models.CharField("退回意见", max_length=500)
    # Sections and "material:<slot>" / "material:<rule>:*" the return unlocked.
    unlocks = models.JSONField("可修改的内容", default=list)
    # A digest of each unlocked key's data at the return, to tell a change.
    baseline = models.JSONField("退回时的内容摘要", default=dict)
    changes = models.JSONField("重新提交时已修改的内容", default=list, blank=True)
    explanation = models.CharField("未修改的说明", max_length=200, blank=True)
    answered_at = models.DateTimeField("重新提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "退回事项"
        verbose_name_plural = "退回事项"
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "round", "item"],
                name="one_returned_item_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} 第{self.round}轮 {self.label}"

    @property
    def changed(self) -> bool:
        return bool(self.changes)


class RegistrationExtension(models.Model):
    """One grant of a later registration deadline to one applicant: every
    grant is its own row (a second one never overwrites the first); the
    application's `extended_until` is the latest grant's day."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="extensions",
        verbose_name="申报",
    )
    until = models.DateField("允许提交至")
    reason = models.CharField("延期原因", max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="批准人",
    )
    granted_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        verbose_name = "报名延期"
        verbose_name_plural = "报名延期"
        ordering = ["granted_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="registration_extension_has_reason", condition=~models.Q(reason="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} 延期至 {self.until}"


def material_upload_to(instance: MaterialFile, filename: str) -> str:
    # Never the applicant's file name on disk: it may hold their name or ID number.
    app = instance.material.application
    return (
        f"materials/{app.campaign_id}/{app.pk}/{instance.material.slot.replace(':', '-')}"
        f"-v{instance.version}{instance.extension}"
    )


class Material(models.Model):
    """One slot of the materials checklist (身份证, 学历证书, 2023年度考核 …)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="materials"
    )
    slot = models.CharField("材料项", max_length=60)
    current = models.ForeignKey(
        "MaterialFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="当前版本",
    )

    class Meta:
        verbose_name = "申报材料"
        verbose_name_plural = "申报材料"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "slot"], name="one_material_per_slot"
            ),
        ]

    def __str__(self) -> str:
        return self.slot


class MaterialFile(models.Model):
    """One uploaded version of a material; replacing a file adds a version."""

    material = models.ForeignKey(
        Material, on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField("版本")
    file = models.FileField("文件", upload_to=material_upload_to, max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField("类型", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    original_name = models.CharField("原文件名", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "材料文件"
        verbose_name_plural = "材料文件"
        ordering = ["material", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["material", "version"], name="one_file_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material.slot} v{self.version}"
