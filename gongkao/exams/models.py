"""The exam plan of a campaign (notice 四（三）–（四）): subjects per level, test
centres and their rooms, sittings, and the seat of every candidate."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from gongkao.applications.models import Application
from gongkao.campaigns.models import LEVEL_CHOICES, Campaign, JobType
from gongkao.core.models import TimeStampedModel, by_needs_at
from gongkao.organizations.models import ExamOffice


class Subject(models.Model):
    """One subject a level sits (岗位技能, 职业道德 …), scored out of 100."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="subjects",
        verbose_name="年度考务",
    )
    level = models.PositiveSmallIntegerField("等级", choices=LEVEL_CHOICES)
    code = models.CharField("代码", max_length=20)
    name = models.CharField("科目", max_length=30)
    # 岗位技能 is set per job type and level; the others are common to a level.
    per_job_type = models.BooleanField("按工种命题", default=False)
    theory = models.BooleanField(
        "一级理论考试", default=False, help_text="2.4 免于理论考试的申报人不考此科目。"
    )
    duration_minutes = models.PositiveSmallIntegerField(
        "时长（分钟）",
        default=60,
        validators=[MinValueValidator(10), MaxValueValidator(300)],
    )
    full_marks = models.DecimalField(
        "满分", max_digits=5, decimal_places=1, default=Decimal("100")
    )
    pass_mark = models.DecimalField(
        "合格分数线", max_digits=5, decimal_places=1, default=Decimal("60")
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "考试科目"
        verbose_name_plural = "考试科目"
        ordering = ["campaign", "-level", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "level", "code"], name="one_subject_code_per_level"
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark__lte=models.F("full_marks")),
                name="pass_mark_within_full_marks",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.name}"


class TestCentre(TimeStampedModel):
    """考点."""

    __test__ = False  # a model, not a test class for pytest

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="test_centres",
        verbose_name="年度考务",
    )
    office = models.ForeignKey(
        ExamOffice,
        on_delete=models.PROTECT,
        related_name="test_centres",
        verbose_name="工考办",
    )
    name = models.CharField("考点名称", max_length=100)
    address = models.CharField("地址", max_length=200)
    contact = models.CharField("联系人及电话", max_length=100, blank=True)
    map_note = models.CharField("乘车路线及入口", max_length=300, blank=True)

    class Meta:
        verbose_name = "考点"
        verbose_name_plural = "考点"
        ordering = ["campaign", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"], name="test_centre_name_unique_in_campaign"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    """考场: numbered seats at computers, some kept spare for machine failures."""

    centre = models.ForeignKey(
        TestCentre, on_delete=models.CASCADE, related_name="rooms", verbose_name="考点"
    )
    number = models.CharField("考场号", max_length=20)
    seats = models.PositiveSmallIntegerField(
        "座位数", validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    spare_seats = models.PositiveSmallIntegerField("备用座位", default=2)
    row_length = models.PositiveSmallIntegerField("每排座位", default=10)

    class Meta:
        verbose_name = "考场"
        verbose_name_plural = "考场"
        ordering = ["centre", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "number"], name="room_number_unique_in_centre"
            ),
            models.CheckConstraint(
                condition=models.Q(spare_seats__lt=models.F("seats")),
                name="spare_seats_below_seats",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} 第{self.number}考场"


class Sitting(models.Model):
    """场次: a date and start time, the subjects taken one after another, the
    levels and job types it takes, the rooms it uses."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="sittings",
        verbose_name="年度考务",
    )
    # The office that planned it: the city office, or a county office when the
    # campaign's exams are not run by the city (Campaign.exams_run_by_city).
    office = models.ForeignKey(
        ExamOffice,
        on_delete=models.PROTECT,
        related_name="sittings",
        verbose_name="工考办",
    )
    name = models.CharField("场次名称", max_length=60)
    date = models.DateField("日期")
    start_time = models.TimeField("开考时间")
    subjects = models.ManyToManyField(
        Subject, related_name="sittings", verbose_name="科目"
    )
    job_types = models.ManyToManyField(
        JobType, blank=True, related_name="sittings", verbose_name="工种（空为不限）"
    )
    rooms = models.ManyToManyField(Room, related_name="sittings", verbose_name="考场")
    entry_opens_minutes = models.PositiveSmallIntegerField(
        "开考前可入场（分钟）", default=30
    )
    late_entry_minutes = models.PositiveSmallIntegerField(
        "开考后禁止入场（分钟）", default=30
    )
    earliest_submit_minutes = models.PositiveSmallIntegerField(
        "开考后最早交卷（分钟）", default=30
    )
    closed_at = models.DateTimeField("入场结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "考试场次"
        verbose_name_plural = "考试场次"
        ordering = ["campaign", "date", "start_time"]

    def __str__(self) -> str:
        return f"{self.name}（{self.date.month}月{self.date.day}日 {self.start_time:%H:%M}）"


class ExamPlan(models.Model):
    """The plan of a campaign: when it was allocated and locked (before
    tickets). One for the whole city (`office` empty) when the city office runs
    the exams, else one per county office for its jurisdiction
    (Campaign.exams_run_by_city)."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="exam_plans",
        verbose_name="年度考务",
    )
    office = models.ForeignKey(
        ExamOffice,
        on_delete=models.PROTECT,
        related_name="exam_plans",
        verbose_name="工考办（空为全市）",
        null=True,
        blank=True,
    )
    allocated_at = models.DateTimeField("编排时间", null=True, blank=True)
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    report = models.JSONField("编排结果", default=dict, blank=True)
    # 准考证: printed online in a window before the exam (2023: a week).
    tickets_open_at = models.DateTimeField("准考证打印开始", null=True, blank=True)
    tickets_close_at = models.DateTimeField("准考证打印截止", null=True, blank=True)
    tickets_issued_at = models.DateTimeField("准考证发放时间", null=True, blank=True)
    training_required = models.BooleanField(
        "须参加培训方可考试",
        default=False,
        help_text="勾选后，未参加培训（没有到课记录）的考生不编排考场。",
    )
    withdraw_until = models.DateField(
        "放弃考试截止日期",
        null=True,
        blank=True,
        help_text="空为第一场考试的前一天。",
    )

    class Meta:
        verbose_name = "考试编排"
        verbose_name_plural = "考试编排"
        constraints = [
            by_needs_at("locked_by", "locked_at"),
            models.UniqueConstraint(
                fields=["campaign", "office"], name="one_exam_plan_per_office"
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=models.Q(office__isnull=True),
                name="one_city_wide_exam_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.office or ''} 考试编排"


class SeatAssignment(models.Model):
    """One candidate's seat in one sitting (all its subjects at that seat)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="seats", verbose_name="申报"
    )
    sitting = models.ForeignKey(
        Sitting, on_delete=models.CASCADE, related_name="seats", verbose_name="场次"
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="assignments", verbose_name="考场"
    )
    number = models.PositiveSmallIntegerField("座位号")
    moved_by_hand = models.BooleanField("手工调整", default=False)

    class Meta:
        verbose_name = "座位"
        verbose_name_plural = "座位"
        ordering = ["sitting", "room", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "room", "number"], name="one_candidate_per_seat"
            ),
            models.UniqueConstraint(
                fields=["application", "sitting"], name="one_seat_per_sitting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.number}号"


class AdmissionTicket(TimeStampedModel):
    """准考证: one per candidate and campaign. A change after issue (a room moved,
    a seat reassigned) reissues it: `version` goes up and the QR tokens of the
    earlier versions no longer check in."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="ticket",
        verbose_name="申报",
    )
    number = models.CharField("准考证号", max_length=24, unique=True)
    version = models.PositiveSmallIntegerField("版本", default=1)
    issued_at = models.DateTimeField("发放时间")
    # 放弃考试: the seats are freed and the ticket no longer checks in.
    withdrawn_at = models.DateTimeField("放弃考试时间", null=True, blank=True)

    class Meta:
        verbose_name = "准考证"
        verbose_name_plural = "准考证"
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class ProctorAssignment(models.Model):
    """A proctor on duty in one room for one sitting (two or more a room)."""

    sitting = models.ForeignKey(
        Sitting, on_delete=models.CASCADE, related_name="proctors", verbose_name="场次"
    )
    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="proctors", verbose_name="考场"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proctor_duties",
        verbose_name="监考人员",
    )

    class Meta:
        verbose_name = "监考安排"
        verbose_name_plural = "监考安排"
        ordering = ["sitting", "room", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "room", "user"], name="one_duty_per_proctor_room"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sitting} {self.room} {self.user}"


class Attendance(models.Model):
    """At the door: present (checked in, late with a reason) or absent (缺考,
    written when the sitting closes; before that it is derived when read)."""

    class Status(models.TextChoices):
        PRESENT = "present", "已到场"
        ABSENT = "absent", "缺考"

    seat = models.OneToOneField(
        SeatAssignment,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name="座位",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    at = models.DateTimeField("时间")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    late_reason = models.CharField("迟到放行理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "考生到场"
        verbose_name_plural = "考生到场"

    def __str__(self) -> str:
        return f"{self.seat} {self.get_status_display()}"


class TrainingClass(TimeStampedModel):
    """培训班 (notice 四（三）: training for levels 5–1, April to July)."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="training_classes",
        verbose_name="年度考务",
    )
    office = models.ForeignKey(
        ExamOffice,
        on_delete=models.PROTECT,
        related_name="training_classes",
        verbose_name="工考办",
    )
    name = models.CharField("培训班名称", max_length=100)
    level = models.PositiveSmallIntegerField(
        "等级", choices=LEVEL_CHOICES, null=True, blank=True, help_text="空为各等级。"
    )
    job_types = models.ManyToManyField(
        JobType,
        blank=True,
        related_name="training_classes",
        verbose_name="工种（空为不限）",
    )
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    place = models.CharField("地点", max_length=200)
    teacher = models.CharField("授课教师", max_length=100, blank=True)
    capacity = models.PositiveSmallIntegerField(
        "人数上限", validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    # Training is recorded on the candidate's file as completed or not.
    min_sessions = models.PositiveSmallIntegerField(
        "完成培训须到课次数",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="空为全部课次。",
    )

    class Meta:
        verbose_name = "培训班"
        verbose_name_plural = "培训班"
        ordering = ["campaign", "start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")),
                name="training_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TrainingSession(models.Model):
    """One day (or half-day) of a class, with its attendance register."""

    training_class = models.ForeignKey(
        TrainingClass,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name="培训班",
    )
    date = models.DateField("日期")
    start_time = models.TimeField("开始时间")
    topic = models.CharField("内容", max_length=100, blank=True)

    class Meta:
        verbose_name = "培训课次"
        verbose_name_plural = "培训课次"
        ordering = ["training_class", "date", "start_time"]

    def __str__(self) -> str:
        return (
            f"{self.date.month}月{self.date.day}日 {self.start_time:%H:%M} {self.topic}"
        )


class Enrolment(models.Model):
    """A qualified candidate in a class: by their unit or by themselves."""

    training_class = models.ForeignKey(
        TrainingClass,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name="培训班",
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name="申报",
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="报名人",
    )
    enrolled_at = models.DateTimeField("报名时间", auto_now_add=True)

    class Meta:
        verbose_name = "培训报名"
        verbose_name_plural = "培训报名"
        ordering = ["training_class", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "application"], name="one_enrolment_per_class"
            )
        ]

    def __str__(self) -> str:
        return f"{self.training_class} {self.application}"


class TrainingAttendance(models.Model):
    """One line of a session's register (到/缺), ticked by the office."""

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="register",
        verbose_name="课次",
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name="报名",
    )
    present = models.BooleanField("到课", default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="登记人",
    )
    marked_at = models.DateTimeField("登记时间", auto_now=True)

    class Meta:
        verbose_name = "培训考勤"
        verbose_name_plural = "培训考勤"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="one_register_line_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.enrolment}"


class TheoryExemption(models.Model):
    """The office's answer to a level-1 candidate's request to skip the theory
    exam (notice 2.4): only a confirmed exemption frees them from its seat."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="theory_exemption",
        verbose_name="申报",
    )
    confirmed = models.BooleanField("确认免于理论考试")
    note = models.CharField("说明", max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="确认人",
    )
    decided_at = models.DateTimeField("确认时间", auto_now=True)

    class Meta:
        verbose_name = "免理论考试确认"
        verbose_name_plural = "免理论考试确认"

    def __str__(self) -> str:
        return f"{self.application} {'免考' if self.confirmed else '不免考'}"
