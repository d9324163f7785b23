"""The level-1 panel review (综合评审, issue #17): the office's expert pool,
the campaign's panel settings, panels drawn from the pool, their candidates,
declared conflicts, sessions (评审会), the secret ballots and the results
frozen when the chair closes a session."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from gongkao.applications.models import Application
from gongkao.campaigns.models import Campaign, JobType
from gongkao.core.models import by_needs_at
from gongkao.organizations.models import ExamOffice, Unit


def default_rubric() -> list[dict[str, object]]:
    return [
        {"name": "业绩", "points": 40},
        {"name": "技能", "points": 30},
        {"name": "答辩", "points": 30},
    ]


class Expert(models.Model):
    """评审专家: one expert of an office's pool (专家库)."""

    office = models.ForeignKey(
        ExamOffice,
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name="工考管理机构",
    )
    name = models.CharField("姓名", max_length=30)
    unit_name = models.CharField("工作单位", max_length=100)
    # The unit as registered, where it is one: conflicts are computed on it.
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="单位（已登记）",
    )
    title = models.CharField("职称", max_length=30)
    job_types = models.ManyToManyField(
        JobType, related_name="experts", verbose_name="可评审工种"
    )
    phone = models.CharField("手机号", max_length=11)
    term_start = models.DateField("聘期开始")
    term_end = models.DateField("聘期结束")
    active = models.BooleanField("在库", default=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_entries",
        verbose_name="账号",
    )

    class Meta:
        verbose_name = "评审专家"
        verbose_name_plural = "专家库"
        ordering = ["office", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "phone"], name="expert_phone_once_per_office"
            ),
            models.CheckConstraint(
                condition=models.Q(term_end__gte=models.F("term_start")),
                name="expert_term_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit_name}）"


class PanelSettings(models.Model):
    """The campaign's pass rule and panel shape (Henan's exact rule is not
    published: each is a setting)."""

    campaign = models.OneToOneField(
        Campaign,
        on_delete=models.CASCADE,
        related_name="panel_settings",
        verbose_name="年度考务",
    )
    committee_size = models.PositiveSmallIntegerField(
        "评审组人数",
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(15)],
    )
    reserves = models.PositiveSmallIntegerField(
        "候补专家人数", default=2, validators=[MaxValueValidator(10)]
    )
    quorum_numerator = models.PositiveSmallIntegerField("到会比例（分子）", default=2)
    quorum_denominator = models.PositiveSmallIntegerField("到会比例（分母）", default=3)
    majority_numerator = models.PositiveSmallIntegerField("同意比例（分子）", default=2)
    majority_denominator = models.PositiveSmallIntegerField(
        "同意比例（分母）", default=3
    )
    pass_mark = models.DecimalField(
        "平均分合格线", max_digits=5, decimal_places=1, default=Decimal("60")
    )
    rubric = models.JSONField("评分项目", default=default_rubric)
    blind = models.BooleanField("匿名评分（以编号代替姓名和单位）", default=True)
    defence = models.BooleanField("安排答辩", default=True)

    class Meta:
        verbose_name = "综合评审设置"
        verbose_name_plural = "综合评审设置"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(committee_size__in=[3, 5, 7, 9, 11, 13, 15]),
                name="panel_size_odd",
            ),
            models.CheckConstraint(
                condition=models.Q(quorum_numerator__lte=models.F("quorum_denominator"))
                & models.Q(quorum_denominator__gt=0),
                name="panel_quorum_fraction",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    majority_numerator__lte=models.F("majority_denominator")
                )
                & models.Q(majority_denominator__gt=0),
                name="panel_majority_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} 综合评审设置"


class Panel(models.Model):
    """评审组: one group of job types, drawn from the office's pool."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="panels",
        verbose_name="年度考务",
    )
    office = models.ForeignKey(
        ExamOffice,
        on_delete=models.PROTECT,
        related_name="panels",
        verbose_name="工考管理机构",
    )
    name = models.CharField("评审组名称", max_length=60)
    job_types = models.ManyToManyField(
        JobType, related_name="panels", verbose_name="评审工种"
    )
    size = models.PositiveSmallIntegerField("人数")
    review_from = models.DateField("评审开始日期")
    review_until = models.DateField("评审结束日期")
    seed = models.BigIntegerField("抽取种子", null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="抽取人",
    )
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)

    class Meta:
        verbose_name = "评审组"
        verbose_name_plural = "评审组"
        ordering = ["campaign", "name", "id"]
        constraints = [
            by_needs_at("drawn_by", "drawn_at"),
            models.CheckConstraint(
                condition=models.Q(size__in=[3, 5, 7, 9, 11, 13, 15]),
                name="panel_of_odd_size",
            ),
            models.CheckConstraint(
                condition=models.Q(review_until__gte=models.F("review_from")),
                name="panel_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    """An expert drawn for a panel: a member or a reserve (in draw order)."""

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="members", verbose_name="评审组"
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="seats", verbose_name="专家"
    )
    reserve = models.BooleanField("候补", default=False)
    chair = models.BooleanField("组长", default=False)
    order = models.PositiveSmallIntegerField("抽取顺序")

    class Meta:
        verbose_name = "评审组成员"
        verbose_name_plural = "评审组成员"
        ordering = ["panel", "reserve", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "expert"], name="expert_once_per_panel"
            ),
            models.UniqueConstraint(
                fields=["panel"],
                condition=models.Q(chair=True),
                name="one_chair_per_panel",
            ),
            models.CheckConstraint(
                condition=~models.Q(chair=True, reserve=True),
                name="chair_is_a_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel} {self.expert.name}{'（候补）' if self.reserve else ''}"


class PanelCandidate(models.Model):
    """A qualified level-1 application put before a panel, with its code (for
    blind scoring) and its optional defence (答辩) slot."""

    panel = models.ForeignKey(
        Panel,
        on_delete=models.CASCADE,
        related_name="candidates",
        verbose_name="评审组",
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="panel_entry",
        verbose_name="申报",
    )
    code = models.CharField("评审编号", max_length=10)
    exempt = models.BooleanField("免于理论考试", default=False)
    defence_at = models.DateTimeField("答辩时间", null=True, blank=True)
    defence_place = models.CharField("答辩地点", max_length=100, blank=True)
    defence_order = models.PositiveSmallIntegerField("答辩顺序", null=True, blank=True)

    class Meta:
        verbose_name = "评审对象"
        verbose_name_plural = "评审对象"
        ordering = ["panel", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "code"], name="candidate_code_once_per_panel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel} {self.code}"


class Conflict(models.Model):
    """An interest an expert declared in a candidate (回避); computed ones
    (the candidate's unit or its supervising department) are not stored."""

    member = models.ForeignKey(
        PanelMember,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name="专家",
    )
    candidate = models.ForeignKey(
        PanelCandidate,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name="评审对象",
    )
    reason = models.CharField("回避原因", max_length=200)
    declared_at = models.DateTimeField("申报回避时间", auto_now_add=True)

    class Meta:
        verbose_name = "回避申报"
        verbose_name_plural = "回避申报"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "candidate"], name="conflict_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} 回避 {self.candidate}"


class ReviewSession(models.Model):
    """评审会: open → ballots → closed by the chair (results frozen)."""

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="sessions", verbose_name="评审组"
    )
    held_on = models.DateField("会议日期")
    place = models.CharField("地点", max_length=100, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="开启人",
    )
    opened_at = models.DateTimeField("开启时间")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="关闭人",
    )
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    reopened = models.PositiveSmallIntegerField("重新开启次数", default=0)

    class Meta:
        verbose_name = "评审会"
        verbose_name_plural = "评审会"
        ordering = ["panel", "held_on", "id"]
        constraints = [by_needs_at("closed_by", "closed_at")]

    def __str__(self) -> str:
        return f"{self.panel} {self.held_on:%Y-%m-%d} 评审会"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Ballot(models.Model):
    """One expert's scores and vote on one candidate: secret until the
    session closes, then only counted."""

    class Vote(models.TextChoices):
        FOR = "for", "同意"
        AGAINST = "against", "不同意"
        ABSTAIN = "abstain", "弃权"

    session = models.ForeignKey(
        ReviewSession,
        on_delete=models.CASCADE,
        related_name="ballots",
        verbose_name="评审会",
    )
    member = models.ForeignKey(
        PanelMember, on_delete=models.PROTECT, related_name="+", verbose_name="专家"
    )
    candidate = models.ForeignKey(
        PanelCandidate,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="评审对象",
    )
    scores = models.JSONField("各项得分")
    total = models.DecimalField("总分", max_digits=5, decimal_places=1)
    vote = models.CharField("表决", max_length=10, choices=Vote.choices)
    cast_at = models.DateTimeField("投票时间")

    class Meta:
        verbose_name = "评分表决票"
        verbose_name_plural = "评分表决票"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member", "candidate"], name="one_ballot_each"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.candidate.code}"


class SessionResult(models.Model):
    """A candidate's result, computed by rule.py when the chair closes the
    session; never typed, and replaced when a reopened session closes again."""

    session = models.ForeignKey(
        ReviewSession,
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name="评审会",
    )
    candidate = models.ForeignKey(
        PanelCandidate,
        on_delete=models.PROTECT,
        related_name="results",
        verbose_name="评审对象",
    )
    eligible = models.PositiveSmallIntegerField("应参评人数")
    present = models.PositiveSmallIntegerField("实参评人数")
    in_favour = models.PositiveSmallIntegerField("同意")
    against = models.PositiveSmallIntegerField("不同意")
    abstained = models.PositiveSmallIntegerField("弃权")
    mean_score = models.DecimalField(
        "平均分", max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField("通过")
    reasons = models.JSONField("未通过原因", default=list, blank=True)
    stood_aside = models.JSONField("回避专家", default=list, blank=True)
    stood_in = models.JSONField("替补专家", default=list, blank=True)

    class Meta:
        verbose_name = "评审结果"
        verbose_name_plural = "评审结果"
        ordering = ["session", "candidate__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "candidate"], name="one_result_each"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.candidate.code} {'通过' if self.passed else '未通过'}"
