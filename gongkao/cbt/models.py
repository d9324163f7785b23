"""The computer-based test (人机对话): a candidate's login at their seat, one
attempt per paper, answers saved one by one, the room's start, proctors'
actions and irregularities.

The clock is the server's: an attempt's end is its start plus the subject's
duration, the extra time given and the time it spent paused; an attempt past
its end (plus the grace) is closed with the answers the server acknowledged,
whether or not its browser is still there.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from gongkao.core.models import by_needs_at
from gongkao.exams.models import Room, SeatAssignment, Sitting, Subject
from gongkao.questions.models import Paper, Question


class CbtSettings(models.Model):
    """A campaign's settings of the exam screen."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="cbt_settings"
    )
    show_scores = models.BooleanField(
        "交卷后在考试机上显示成绩",
        default=True,
        help_text="河南省的做法：交卷后当场显示成绩。",
    )
    grace_seconds = models.PositiveSmallIntegerField(
        "网络宽限（秒）",
        default=30,
        help_text="考试结束后在此时间内到达的答案仍然接收。",
    )
    login_minutes = models.PositiveSmallIntegerField("开考前可登录（分钟）", default=15)

    class Meta:
        verbose_name = "人机对话设置"
        verbose_name_plural = "人机对话设置"

    def __str__(self) -> str:
        return f"{self.campaign} 人机对话设置"


class RoomSession(models.Model):
    """One room in one sitting on exam day: when the proctor started it."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField("开考时间", null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    paused_at = models.DateTimeField("全场暂停时间", null=True, blank=True)

    class Meta:
        verbose_name = "考场开考"
        verbose_name_plural = "考场开考"
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "room"], name="one_room_session"
            ),
            by_needs_at("started_by", "started_at"),
        ]

    def __str__(self) -> str:
        return f"{self.sitting} {self.room}"


class ExamLogin(models.Model):
    """A candidate logged in at a PC for a sitting. `version` goes up at each
    authorised move to a spare seat, and the old PC's cookie stops working."""

    seat = models.OneToOneField(
        SeatAssignment, on_delete=models.CASCADE, related_name="exam_login"
    )
    version = models.PositiveIntegerField("登录序号", default=1)
    logged_in_at = models.DateTimeField("登录时间")
    pc = models.CharField("所在机位", max_length=40, blank=True)
    # Set by the proctor: the next login (at a spare seat) is allowed.
    move_to = models.CharField("获准换至备用机位", max_length=40, blank=True)

    class Meta:
        verbose_name = "考生登录"
        verbose_name_plural = "考生登录"

    def __str__(self) -> str:
        return f"{self.seat} 登录"


class Attempt(models.Model):
    """作答: one candidate sitting one paper."""

    class State(models.TextChoices):
        WAITING = "waiting", "等待开考"
        ANSWERING = "answering", "作答中"
        PAUSED = "paused", "暂停"
        SUBMITTED = "submitted", "已交卷"

    class Ending(models.TextChoices):
        SUBMITTED = "submitted", "考生交卷"
        TIME_UP = "time_up", "时间到自动交卷"
        FORCED = "forced", "监考强制交卷"

    paper = models.OneToOneField(
        Paper, on_delete=models.CASCADE, related_name="attempt"
    )
    seat = models.ForeignKey(
        SeatAssignment, on_delete=models.CASCADE, related_name="attempts"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField("科目顺序")
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.WAITING
    )
    started_at = models.DateTimeField("开始作答", null=True, blank=True)
    duration_seconds = models.PositiveIntegerField("考试时长（秒）")
    extra_seconds = models.PositiveIntegerField("延长时间（秒）", default=0)
    paused_seconds = models.PositiveIntegerField("暂停累计（秒）", default=0)
    paused_at = models.DateTimeField("暂停开始", null=True, blank=True)
    ended_at = models.DateTimeField("交卷时间", null=True, blank=True)
    ending = models.CharField(
        "交卷方式", max_length=10, choices=Ending.choices, blank=True
    )
    score = models.DecimalField(
        "成绩", max_digits=5, decimal_places=1, null=True, blank=True
    )
    # An irregularity's decision: the subject's result is void.
    voided = models.CharField("成绩无效原因", max_length=200, blank=True)
    n_items = models.PositiveSmallIntegerField("题数")

    class Meta:
        verbose_name = "作答"
        verbose_name_plural = "作答"
        ordering = ["seat", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "order"], name="one_attempt_per_order"
            ),
        ]
        indexes = [models.Index(fields=["state", "started_at"], name="attempt_open")]

    def __str__(self) -> str:
        return f"{self.seat} {self.subject}"

    def unpause(self, now: datetime) -> int:
        """Fold the running pause into `paused_seconds` (the time is given
        back); returns the seconds it lasted (0 when not paused)."""
        if self.paused_at is None:
            return 0
        lost = int((now - self.paused_at).total_seconds())
        self.paused_seconds += lost
        self.paused_at = None
        return lost

    def time_up(self, now: datetime, grace_seconds: int) -> bool:
        """Past its end plus the network's grace: closed with what it has."""
        ends = self.ends_at()
        return ends is not None and now > ends + timedelta(seconds=grace_seconds)

    def ends_at(self) -> datetime | None:
        """The end by the server's clock (None before the start); a paused
        attempt's end moves on while it stays paused."""
        if self.started_at is None:
            return None
        paused = self.paused_seconds
        if self.paused_at is not None:
            paused += int((timezone.now() - self.paused_at).total_seconds())
        return self.started_at + timedelta(
            seconds=self.duration_seconds + self.extra_seconds + paused
        )


class Answer(models.Model):
    """The latest acknowledged answer to one question of a paper: `choice` is
    in the question's own letters (not the shuffled display); `seq` is the
    screen's sequence number, and an older or repeated one changes nothing."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers"
    )
    position = models.PositiveSmallIntegerField("题号")
    choice = models.CharField("所选", max_length=8, blank=True)
    marked = models.BooleanField("标记", default=False)
    seq = models.PositiveIntegerField("序号")
    saved_at = models.DateTimeField("保存时间")

    class Meta:
        verbose_name = "答案"
        verbose_name_plural = "答案"
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="one_answer_per_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} 第{self.position}题"


class IrregularityCategory(models.Model):
    """A kind of 违纪违规 and what it voids (data; the defaults are those of
    人社部令第31号, the nearest national rule)."""

    class Voids(models.TextChoices):
        SUBJECT = "subject", "该科目成绩无效"
        ALL = "all", "本次考试全部科目成绩无效"

    class Record(models.TextChoices):
        NONE = "none", "不记入诚信档案"
        FIVE_YEARS = "five_years", "记入诚信档案库，记录期限五年"
        LONG_TERM = "long_term", "记入诚信档案库，长期记录"

    code = models.CharField("代码", max_length=20, unique=True)
    act = models.CharField("违纪违规行为", max_length=300)
    voids = models.CharField("处理", max_length=10, choices=Voids.choices)
    record = models.CharField(
        "诚信档案", max_length=12, choices=Record.choices, default=Record.NONE
    )
    ban_years = models.PositiveSmallIntegerField(
        "禁考年限",
        default=0,
        validators=[MaxValueValidator(50)],
        help_text="0为不禁考；大于0时，记录后该考生在此年限内不得申报考核。",
    )
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "违纪违规类别"
        verbose_name_plural = "违纪违规类别"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.act


class Irregularity(models.Model):
    """违纪违规 recorded by a proctor: the act, the subject it happened in,
    a note; its decision voids that subject's score or all of the sitting's."""

    seat = models.ForeignKey(
        SeatAssignment, on_delete=models.CASCADE, related_name="irregularities"
    )
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(
        IrregularityCategory, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("情况说明", max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "违纪违规记录"
        verbose_name_plural = "违纪违规记录"
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"{self.seat} {self.category}"


class VoidedQuestion(models.Model):
    """A question voided after the sitting, before scores are released:
    everyone gets its points, or the subject is rescaled to full marks."""

    class Mode(models.TextChoices):
        AWARD = "award", "全体考生得该题分值"
        RESCALE = "rescale", "不计该题，按满分折算"

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField("处理方式", max_length=10, choices=Mode.choices)
    reason = models.CharField("原因", max_length=300)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    voided_at = models.DateTimeField("作废时间")

    class Meta:
        verbose_name = "作废试题"
        verbose_name_plural = "作废试题"
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "question"], name="one_void_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sitting} {self.question}"


class ScoreRelease(models.Model):
    """The office released a sitting's scores (after item analysis and any
    voided question); from then on a question can no longer be voided."""

    sitting = models.OneToOneField(Sitting, on_delete=models.CASCADE, related_name="+")
    released_at = models.DateTimeField("发布时间")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "成绩发布"
        verbose_name_plural = "成绩发布"

    def __str__(self) -> str:
        return f"{self.sitting} 成绩发布"


class RoomAccess(models.Model):
    """Which PCs may sit a room's exam: the room's address ranges (empty:
    any), and Safe Exam Browser's config key where the room uses it."""

    room = models.OneToOneField(Room, on_delete=models.CASCADE, related_name="+")
    networks = models.TextField(
        "考场机位地址",
        blank=True,
        help_text="每行一个地址或地址段，如 10.12.3.0/24；留空为不限制。",
    )
    seb_config_key = models.CharField(
        "安全考试浏览器配置密钥",
        max_length=128,
        blank=True,
        help_text="使用 Safe Exam Browser 时填写其 Config Key；留空为不检查。",
    )

    class Meta:
        verbose_name = "考场机位限制"
        verbose_name_plural = "考场机位限制"

    def __str__(self) -> str:
        return f"{self.room} 机位限制"
