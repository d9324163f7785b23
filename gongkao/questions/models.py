"""The question bank (题库), blueprints (组卷规则) and papers (试卷) of the
computer-based tests.

A bank belongs to an exam office and serves the offices below it. A question
keeps every version: editing an approved question adds a version, and a
paper names the version rows it was built with, which are never changed
afterwards.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from gongkao.campaigns.models import LEVEL_CHOICES, JobType
from gongkao.core.models import TimeStampedModel
from gongkao.exams.models import SeatAssignment, Sitting, Subject
from gongkao.organizations.models import ExamOffice
from gongkao.questions.exchange import KIND_NAMES, SUBJECT_NAMES


class Question(models.Model):
    """One version of a question; `uid` (编号) is shared by its versions."""

    class Kind(models.TextChoices):
        SINGLE = "single", KIND_NAMES["single"]
        MULTIPLE = "multiple", KIND_NAMES["multiple"]
        JUDGE = "judge", KIND_NAMES["judge"]

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        APPROVED = "approved", "已审核"
        RETIRED = "retired", "已停用"

    office = models.ForeignKey(
        ExamOffice,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name="题库所属机构",
    )
    uid = models.CharField("编号", max_length=40)
    version = models.PositiveSmallIntegerField("版本", default=1)
    is_current = models.BooleanField("现行版本", default=True)
    subject = models.CharField(
        "科目", max_length=20, choices=list(SUBJECT_NAMES.items())
    )
    level = models.PositiveSmallIntegerField("等级", choices=LEVEL_CHOICES)
    job_type = models.ForeignKey(
        JobType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name="工种",
    )
    kind = models.CharField("题型", max_length=10, choices=Kind.choices)
    stem = models.TextField("题干")
    options = models.JSONField("选项", default=list, blank=True)
    # Letters of the correct options in A–H order; true/false: A 对, B 错.
    answer = models.CharField("答案", max_length=8)
    difficulty = models.PositiveSmallIntegerField(
        "难度",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    knowledge_point = models.CharField("知识点", max_length=100, blank=True)
    explanation = models.TextField("解析", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # The office marks some questions public: the practice test (模拟练习)
    # draws from those, and never from the others.
    public = models.BooleanField("公开练习题", default=False)
    # Duplicates are the same stem and options in one subject, level and job type.
    fingerprint = models.CharField("内容指纹", max_length=64, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "试题"
        verbose_name_plural = "题库"
        ordering = ["office", "subject", "-level", "uid", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "uid", "version"], name="one_question_version"
            ),
            models.UniqueConstraint(
                fields=["office", "uid"],
                condition=models.Q(is_current=True),
                name="one_current_question_version",
            ),
        ]
        indexes = [
            models.Index(
                fields=["office", "subject", "level", "job_type", "status"],
                condition=models.Q(is_current=True),
                name="question_pool",
            ),
            models.Index(fields=["office", "fingerprint"], name="question_print"),
        ]

    def __str__(self) -> str:
        return f"{self.uid} v{self.version}"

    @property
    def answer_display(self) -> str:
        if self.kind == self.Kind.JUDGE:
            return "对" if self.answer == "A" else "错"
        return self.answer

    def shown_options(self, order: str) -> list[list[str]]:
        """[own letter, text] in a paper's shuffled `order` ("CADB" shows
        option C first); true/false shows 对 and 错, which never move."""
        if not order:
            return [["A", "对"], ["B", "错"]]
        return [[letter, self.options[ord(letter) - ord("A")]] for letter in order]

    @property
    def lettered_options(self) -> list[tuple[str, str]]:
        return [(chr(ord("A") + i), text) for i, text in enumerate(self.options)]


class Blueprint(TimeStampedModel):
    """组卷规则 of one subject of a campaign (a subject belongs to a level):
    the rows say how many questions of which type, knowledge point and
    difficulty; each type's questions are worth the same points."""

    subject = models.OneToOneField(
        Subject,
        on_delete=models.CASCADE,
        related_name="blueprint",
        verbose_name="科目",
    )
    single_points = models.DecimalField(
        "单选每题分值", max_digits=4, decimal_places=1, default=Decimal("1")
    )
    multiple_points = models.DecimalField(
        "多选每题分值", max_digits=4, decimal_places=1, default=Decimal("2")
    )
    judge_points = models.DecimalField(
        "判断每题分值", max_digits=4, decimal_places=1, default=Decimal("1")
    )
    # 少选得分、错选不得分 (the CBT issue scores with it).
    multiple_partial = models.BooleanField(
        "多选题少选按比例得分", default=False, help_text="错选不得分。"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "组卷规则"
        verbose_name_plural = "组卷规则"

    def __str__(self) -> str:
        return f"{self.subject} 组卷规则"

    def points(self) -> dict[str, Decimal]:
        return {
            "single": self.single_points,
            "multiple": self.multiple_points,
            "judge": self.judge_points,
        }


class BlueprintRow(models.Model):
    blueprint = models.ForeignKey(
        Blueprint, on_delete=models.CASCADE, related_name="rows"
    )
    kind = models.CharField("题型", max_length=10, choices=Question.Kind.choices)
    knowledge_point = models.CharField(
        "知识点", max_length=100, blank=True, help_text="空为不限"
    )
    difficulty = models.PositiveSmallIntegerField(
        "难度",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="空为不限",
    )
    count = models.PositiveSmallIntegerField(
        "题数", validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "组卷规则行"
        verbose_name_plural = "组卷规则行"
        ordering = ["blueprint", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.count}题"


class PaperSet(models.Model):
    """The papers of one subject of a sitting for one job type (none for a
    common subject): the blueprint and the pool as they were when built, so
    that any paper can be rebuilt from its seed."""

    sitting = models.ForeignKey(
        Sitting, on_delete=models.CASCADE, related_name="paper_sets"
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="paper_sets"
    )
    job_type = models.ForeignKey(
        JobType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rows = models.JSONField("组卷规则")  # [[kind, count, knowledge point, difficulty]]
    points = models.JSONField("分值")  # {kind: "2.0"}
    multiple_partial = models.BooleanField("多选题少选按比例得分", default=False)
    pool = models.JSONField("题目范围")  # sorted question version ids
    built_at = models.DateTimeField("组卷时间")
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "试卷组"
        verbose_name_plural = "试卷组"
        constraints = [
            # Two partial constraints, as SQLite has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["sitting", "subject", "job_type"],
                condition=models.Q(job_type__isnull=False),
                name="one_paper_set_per_job_type",
            ),
            models.UniqueConstraint(
                fields=["sitting", "subject"],
                condition=models.Q(job_type__isnull=True),
                name="one_common_paper_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sitting} {self.subject}"


class Paper(models.Model):
    """试卷: one candidate's questions for one subject, in the order shown.

    `items` is [[question version id, option order, points], …]; the option
    order "CADB" shows option C first.
    """

    seat = models.ForeignKey(
        SeatAssignment, on_delete=models.CASCADE, related_name="papers"
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="papers"
    )
    paper_set = models.ForeignKey(
        PaperSet, on_delete=models.CASCADE, related_name="papers"
    )
    seed = models.BigIntegerField("随机种子")
    items = models.JSONField("试题")
    built_at = models.DateTimeField("组卷时间")

    class Meta:
        verbose_name = "试卷"
        verbose_name_plural = "试卷"
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "subject"], name="one_paper_per_seat_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat} {self.subject}"
