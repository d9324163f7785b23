"""A campaign is one year of the assessment in one jurisdiction (the notice)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from gongkao.core.models import TimeStampedModel
from gongkao.organizations.models import Division
from gongkao.policies.validators import validate_policy_id


class Campaign(TimeStampedModel):
    """Every date of section 四 of the notice, the fees and the policy id."""

    name = models.CharField("名称", max_length=100)
    year = models.PositiveIntegerField("年度")
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name="范围（区划）",
    )
    notice_number = models.CharField("通知文号", max_length=50, blank=True)
    notice_date = models.DateField("通知日期")
    policy_id = models.CharField(
        "资格条件政策",
        max_length=40,
        help_text="资格条件规则的版本，如 2025-jiaozuo。",
        validators=[validate_policy_id],
    )
    mailbox = models.EmailField("工考办邮箱", blank=True)
    # 四（一）–（二）
    registration_start = models.DateField("网上注册报名开始")
    registration_end = models.DateField("网上注册报名截止")
    review_start = models.DateField("资格审查开始")
    review_end = models.DateField("资格审查、现场审查确认截止")
    online_review_deadline = models.DateField("各县（市、区）完成网上资格审核截止")
    # 三（三）
    deferred_materials_deadline = models.DateField("容缺后补材料上传截止")
    # 四（三）–（五）
    training_start = models.DateField("培训开始")
    training_end = models.DateField("培训结束")
    exam_start = models.DateField("人机对话及一级理论考试开始")
    exam_end = models.DateField("人机对话及一级理论考试结束")
    panel_review_start = models.DateField("一级综合评审及公布结果开始")
    panel_review_end = models.DateField("一级综合评审及公布结果结束")
    # 三（五）2 and 1: "2个工作日内"
    resubmit_working_days = models.PositiveSmallIntegerField(
        "退回后重新提交时限（工作日）", default=2
    )
    list_mail_working_days = models.PositiveSmallIntegerField(
        "报送申报人员名单时限（工作日）", default=2
    )
    count_trigger_day = models.BooleanField(
        "起算日计入工作日",
        default=False,
        help_text="勾选：退回当天（工作日）算第1个工作日；不勾选：从次日起算。",
    )
    # 3.5.2: units named in the circular (通报).
    circular_repeated_returns = models.PositiveSmallIntegerField(
        "通报：多次退回（2次及以上）人数达到", default=1
    )
    circular_overdue = models.PositiveSmallIntegerField(
        "通报：逾期未重新提交人数达到", default=1
    )
    circular_late_list = models.BooleanField(
        "通报：未按时报送申报人员名单的单位", default=True
    )
    # Issue #14, scoping: the city office may run the exams of the whole city.
    exams_run_by_city = models.BooleanField(
        "由市工考办统一编排考试",
        default=True,
        help_text="勾选：市工考办为全市考生设置考点、场次并编排座位；"
        "不勾选：各县（市、区）工考办分别编排本辖区的考生。",
    )
    is_active = models.BooleanField("当前考务", default=True)

    class Meta:
        verbose_name = "年度考务"
        verbose_name_plural = "年度考务"
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "division"], name="one_campaign_per_year_division"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    registration_start__lte=models.F("registration_end")
                ),
                name="registration_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(review_start__lte=models.F("review_end")),
                name="review_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def schedule(self) -> list[tuple[str, object, object]]:
        """Section 四 as (what, from, to) rows, for pages and the admin."""
        return [
            ("网上注册报名", self.registration_start, self.registration_end),
            ("网上资格审查、现场审查确认", self.review_start, self.review_end),
            ("各县（市、区）完成网上资格审核", None, self.online_review_deadline),
            ("容缺后补材料上传", None, self.deferred_materials_deadline),
            ("五至一级培训", self.training_start, self.training_end),
            ("五至二级人机对话考试、一级理论考试", self.exam_start, self.exam_end),
            (
                "一级综合评审、公布结果、办理证书",
                self.panel_review_start,
                self.panel_review_end,
            ),
        ]


LEVEL_CHOICES = [
    (1, "一级（高级技师）"),
    (2, "二级（技师）"),
    (3, "三级（高级工）"),
    (4, "四级（中级工）"),
    (5, "五级（初级工）"),
]


class FeeRate(models.Model):
    """The fee per level. Zero until an office sets the amount approved for it."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="fee_rates",
        verbose_name="年度考务",
    )
    level = models.PositiveSmallIntegerField("等级", choices=LEVEL_CHOICES)
    amount = models.DecimalField(
        "金额（元）",
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = "考核费用标准"
        verbose_name_plural = "考核费用标准"
        ordering = ["campaign", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "level"], name="one_fee_per_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.amount}元"


class JobType(TimeStampedModel):
    """工种 of the provincial catalogue (豫人社办〔2022〕93号)."""

    code = models.CharField("工种代码", max_length=20, unique=True)
    name = models.CharField("工种名称", max_length=50, unique=True)
    category = models.CharField("类别", max_length=50)
    levels = models.JSONField(
        "可考核等级", default=list, help_text="如 [1, 2, 3, 4, 5]"
    )
    valid_from = models.DateField("启用日期", null=True, blank=True)
    valid_until = models.DateField("停用日期", null=True, blank=True)
    is_starter = models.BooleanField(
        "入门目录",
        default=False,
        help_text="随系统提供的常用工种入门目录，待工考办导入正式目录替换。",
    )

    class Meta:
        verbose_name = "工种"
        verbose_name_plural = "工种目录"
        ordering = ["category", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def levels_display(self) -> str:
        return "、".join(f"{n}级" for n in sorted(self.levels))


class PortalNotice(TimeStampedModel):
    """A notice published on the public portal for a campaign: the notice
    itself, later announcements (名单公示, 考试安排 …)."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name="年度考务",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", max_length=60000)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "公告"
        verbose_name_plural = "公告"
        ordering = ["campaign", "order", "id"]

    def __str__(self) -> str:
        return self.title


class FaqEntry(TimeStampedModel):
    """A question and its answer on the public portal."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="faq", verbose_name="年度考务"
    )
    question = models.CharField("问题", max_length=200)
    answer = models.TextField("解答", max_length=5000)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "常见问题"
        verbose_name_plural = "常见问题"
        ordering = ["campaign", "order", "id"]

    def __str__(self) -> str:
        return self.question
