"""Results (四（五）): released subject scores, re-checks (成绩复查), the
publication of who passed (公示) with its objections (异议).

A released score is a row of `SubjectScore`, whether the computer-based test
produced it (copied from the attempt when the office releases the sitting) or
the office imported it from Excel; everything after release reads these rows
only. Who passed is computed from them (passing.py), never stored, and each
row changes only through an audited decision (a re-check's correction).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkao.applications.models import Application
from gongkao.cbt.models import Attempt
from gongkao.core.models import by_needs_at
from gongkao.exams.models import Sitting, Subject
from gongkao.organizations.models import ExamOffice


class ResultSettings(models.Model):
    """A campaign's windows, in working days."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="result_settings"
    )
    recheck_days = models.PositiveSmallIntegerField(
        "成绩复查申请期（工作日）",
        default=5,
        help_text="成绩发布后的这些工作日内，考生可对每个科目申请一次复查。",
    )
    recheck_answer_days = models.PositiveSmallIntegerField(
        "复查答复期限（工作日）", default=7
    )
    publication_days = models.PositiveSmallIntegerField(
        "公示期（工作日）",
        default=5,
        help_text="公示次日起计算；公示期内可提出异议，期满无异议的结果为最终结果。",
    )

    class Meta:
        verbose_name = "成绩与公示设置"
        verbose_name_plural = "成绩与公示设置"

    def __str__(self) -> str:
        return f"{self.campaign} 成绩与公示设置"


class SubjectScore(models.Model):
    """成绩: a candidate's released score in one subject. `score` is None
    for an absent candidate (缺考); `voided` holds the irregularity decision
    that made the score void."""

    class Source(models.TextChoices):
        CBT = "cbt", "人机对话考试"
        IMPORT = "import", "导入"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="subject_scores"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    sitting = models.ForeignKey(
        Sitting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attempt = models.OneToOneField(
        Attempt, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    score = models.DecimalField(
        "成绩", max_digits=5, decimal_places=1, null=True, blank=True
    )
    voided = models.CharField("成绩无效原因", max_length=200, blank=True)
    released_at = models.DateTimeField("发布时间")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "科目成绩"
        verbose_name_plural = "科目成绩"
        ordering = ["application", "subject__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "subject"], name="one_score_per_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.subject.name}"

    @property
    def shown(self) -> str:
        """The score as a candidate reads it."""
        if self.voided:
            return "成绩无效"
        if self.score is None:
            return "缺考"
        return f"{self.score}"


class Recheck(models.Model):
    """成绩复查: asked once per subject within the window; the office checks
    the totals and the recorded answers and answers by `due_on`."""

    class Outcome(models.TextChoices):
        UNCHANGED = "unchanged", "经复查，成绩无误"
        CORRECTED = "corrected", "经复查，成绩已更正"

    score = models.OneToOneField(
        SubjectScore, on_delete=models.CASCADE, related_name="recheck"
    )
    reason = models.CharField("申请理由", max_length=300)
    asked_at = models.DateTimeField("申请时间")
    due_on = models.DateField("答复期限")
    outcome = models.CharField(
        "复查结果", max_length=10, choices=Outcome.choices, blank=True
    )
    score_before = models.DecimalField(
        "原成绩", max_digits=5, decimal_places=1, null=True, blank=True
    )
    score_after = models.DecimalField(
        "复查后成绩", max_digits=5, decimal_places=1, null=True, blank=True
    )
    answer = models.CharField("复查说明", max_length=500, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "成绩复查"
        verbose_name_plural = "成绩复查"
        ordering = ["due_on", "asked_at"]
        constraints = [by_needs_at("answered_by", "answered_at")]

    def __str__(self) -> str:
        return f"{self.score} 复查"


class Publication(models.Model):
    """公示: the list of those who passed, on the public portal until
    `ends_on` (the last day objections are taken)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="publications"
    )
    office = models.ForeignKey(ExamOffice, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("公示标题", max_length=100)
    published_at = models.DateTimeField("公示时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ends_on = models.DateField("公示截止日期")

    class Meta:
        verbose_name = "合格人员公示"
        verbose_name_plural = "合格人员公示"
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title


class PublishedResult(models.Model):
    """One person on a publication: what the public reads (name, unit,
    level, job type; nothing more), and its withdrawal if any."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="entries"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="published_results"
    )
    number = models.PositiveIntegerField("序号")
    name = models.CharField("姓名", max_length=50)
    unit_name = models.CharField("单位", max_length=200)
    level = models.PositiveSmallIntegerField("等级")
    job_type_name = models.CharField("工种", max_length=100)
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_reason = models.CharField("撤销原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "公示人员"
        verbose_name_plural = "公示人员"
        ordering = ["publication", "number"]
        constraints = [
            by_needs_at("withdrawn_by", "withdrawn_at"),
            # One standing entry per person; withdrawn ones stay as the record.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="published_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication} {self.number} {self.name}"


class Objection(models.Model):
    """异议 filed during the publication, with a reason and a contact;
    investigated and answered by the office (upheld: the result is
    withdrawn)."""

    entry = models.ForeignKey(
        PublishedResult, on_delete=models.CASCADE, related_name="objections"
    )
    reason = models.CharField("异议内容", max_length=1000)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)
    filed_at = models.DateTimeField("提出时间")
    upheld = models.BooleanField("异议成立", null=True, blank=True)
    answer = models.CharField("调查处理意见", max_length=1000, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["filed_at"]
        constraints = [by_needs_at("answered_by", "answered_at")]

    def __str__(self) -> str:
        return f"{self.entry} 异议"
