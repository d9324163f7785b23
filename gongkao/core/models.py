from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


def by_needs_at(by: str, at: str) -> models.CheckConstraint:
    """A `*_by` (who acted) never exists without its `*_at` (when); the `*_by`
    may be empty where the system acted (job-server's paired fields)."""
    return models.CheckConstraint(
        name=f"%(class)s_{by}_needs_at",
        condition=models.Q(**{f"{by}__isnull": True})
        | models.Q(**{f"{at}__isnull": False}),
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Who did what to which object, and when: for auditors, not for program logic.

    No foreign keys, so that an audit row never blocks deleting or changing
    what it describes (job-server's AuditableEvent).
    """

    class Action(models.TextChoices):
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGOUT = "logout", "退出"
        PASSWORD_CHANGED = "password_changed", "修改密码"
        PASSWORD_RESET = "password_reset", "短信重置密码"
        USER_REGISTERED = "user_registered", "实名注册"
        ACCOUNT_ISSUED = "account_issued", "开通账号"
        ROLE_GRANTED = "role_granted", "授予角色"
        ROLE_REVOKED = "role_revoked", "撤销角色"
        CONFIG_CREATED = "config_created", "新增配置"
        CONFIG_CHANGED = "config_changed", "修改配置"
        CONFIG_DELETED = "config_deleted", "删除配置"
        CATALOGUE_IMPORTED = "catalogue_imported", "导入工种目录"
        CATALOGUE_EXPORTED = "catalogue_exported", "导出工种目录"
        DEMO_SEEDED = "demo_seeded", "生成演示数据"
        REVIEW_DECIDED = "review_decided", "审核决定"
        BATCH_CHANGED = "batch_changed", "批次办理"
        FEE_RECORDED = "fee_recorded", "登记缴费"
        ORIGINALS_RECORDED = "originals_recorded", "原件交接"
        LIST_MAILED = "list_mailed", "报送申报人员名单"
        EXPORTED = "exported", "导出数据"
        CIRCULAR_ISSUED = "circular_issued", "生成通报"
        MATERIAL_UPLOADED = "material_uploaded", "上传材料"
        SUBMITTED = "submitted", "提交申报"
        RESUBMITTED = "resubmitted", "重新提交申报"
        WITHDRAWN = "withdrawn", "撤回申报"
        REGISTRATION_EXTENDED = "registration_extended", "延长报名"
        CHECKED_IN = "checked_in", "考场入场登记"
        EXAM_WITHDRAWN = "exam_withdrawn", "放弃考试"
        NUMBER_REVEALED = "number_revealed", "查看完整证件号码或手机号"
        APPEAL_FILED = "appeal_filed", "申请复核"
        APPEAL_ANSWERED = "appeal_answered", "答复复核"
        MATERIAL_READ = "material_read", "查看材料文件"
        QUESTIONS_IMPORTED = "questions_imported", "导入试题"
        QUESTION_CHANGED = "question_changed", "修改试题"
        PAPERS_BUILT = "papers_built", "生成试卷"
        CBT_ACTION = "cbt_action", "考场操作"
        PANEL_ACTION = "panel_action", "综合评审操作"
        RESULTS_ACTION = "results_action", "成绩与公示操作"
        CERTIFICATE_ACTION = "certificate_action", "证书操作"

    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True)
    actor_label = models.CharField("操作人", max_length=100, blank=True)
    action = models.CharField("操作", max_length=40, choices=Action.choices)
    target_type = models.CharField("对象类型", max_length=60, blank=True)
    target_id = models.CharField("对象ID", max_length=60, blank=True)
    target_label = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    # Set by record_audit before the hash is computed (not auto_now_add,
    # which would change it on save).
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    # The chain (core/audit.py): 1, 2, 3 … without gaps, and a keyed SM3 HMAC
    # over the previous row's hash and this row's fields.
    seq = models.PositiveBigIntegerField("序号", unique=True, editable=False)
    chain_hash = models.CharField("链式校验值", max_length=64, editable=False)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        # Auditors look up the history of one object.
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()}"
        )


class AuditChainHead(models.Model):
    """The one row naming the newest audit row: locked by every append, so
    that appends from every process take their turn (core/audit.py)."""

    seq = models.PositiveBigIntegerField("最新序号", default=0)
    hash = models.CharField("最新校验值", max_length=64, blank=True)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1), name="audit_chain_head_single_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


class WorkdayOverride(models.Model):
    """A date whose working-day status differs from the built-in tables.

    Office staff enter the State Council schedule for a year the code does not
    know yet (or correct a local arrangement) here; see core/workdays.py.
    """

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=100, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="维护人",
        related_name="+",
    )
    updated_at = models.DateTimeField("维护时间", auto_now=True)

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_working_day else '休息'}"


class Notification(models.Model):
    """An in-site message, also sent by SMS; the outbox staff can read.

    It may point at any object (an application, later an admission ticket or
    a certificate) through a content type and id.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "提交成功"
        RETURNED = "returned", "申报被退回"
        REMINDER = "reminder", "截止提醒"
        DECISION = "decision", "审核结果"
        DEFERRED = "deferred", "容缺后补"
        TICKET = "ticket", "准考证"
        RESULT = "result", "成绩与合格"

    class SmsStatus(models.TextChoices):
        NONE = "none", "不发短信"
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="接收人",
    )
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="关于",
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容")
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    sms_status = models.CharField(
        "短信", max_length=10, choices=SmsStatus.choices, default=SmsStatus.NONE
    )
    sms_sent_at = models.DateTimeField("短信发送时间", null=True, blank=True)
    dedupe_key = models.CharField(
        max_length=100, blank=True, help_text="同一提醒只发一次（定时任务可重复运行）。"
    )

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息（发件箱）"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_dedupe_key",
            ),
            models.CheckConstraint(
                name="notification_target_complete",
                condition=models.Q(target_type__isnull=True, target_id__isnull=True)
                | models.Q(target_type__isnull=False, target_id__isnull=False),
            ),
        ]
        # The messages about one object (an application's history of notices).
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return self.title


def job_result_upload_to(instance: BackgroundJob, filename: str) -> str:
    # An opaque name: the download's file name (which may name a unit or a
    # person) lives in result_name, never on disk.
    return f"jobs/{instance.started_at:%Y/%m}/{uuid.uuid4().hex}"


class BackgroundJob(models.Model):
    """One piece of long work run by a background task, with its progress.

    The page that starts it shows `core/_job_progress.html`; the task reports
    through `core.jobs` (report_progress, finish_job, fail_job). Only the user
    who started a job may see it or download its result.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "正在处理"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=60)
    title = models.CharField("名称", max_length=100, blank=True)
    started_at = models.DateTimeField("发起时间", default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        verbose_name="发起人",
        related_name="+",
    )
    task_result_id = models.CharField("任务ID", max_length=64, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.QUEUED
    )
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.CharField("进度说明", max_length=200, blank=True)
    result_file = models.FileField(
        "结果文件", upload_to=job_result_upload_to, max_length=200, blank=True
    )
    result_name = models.CharField("结果文件名", max_length=200, blank=True)
    result_content_type = models.CharField("文件类型", max_length=100, blank=True)
    error = models.TextField("失败原因", blank=True)
    running_at = models.DateTimeField("开始处理时间", null=True, blank=True)
    # Touched by every progress write: a running job whose heartbeat stops is
    # shown as failed (core.jobs.expire_job_if_stale).
    updated_at = models.DateTimeField("最后更新", auto_now=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-started_at", "-id"]
        # A page looks up the user's latest job of one kind.
        indexes = [models.Index(fields=["started_by", "kind", "-started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_by__isnull=True) | Q(started_at__isnull=False),
                name="job_started_by_has_started_at",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state__in=["queued", "running"], finished_at__isnull=True)
                    | Q(state__in=["done", "failed"], finished_at__isnull=False)
                ),
                name="job_finished_at_iff_finished",
            ),
            models.CheckConstraint(
                condition=~Q(state="failed") | ~Q(error=""),
                name="job_failed_has_error",
            ),
            models.CheckConstraint(
                condition=Q(state="done") | Q(result_file=""),
                name="job_result_only_when_done",
            ),
            models.CheckConstraint(
                condition=Q(result_file="") | ~Q(result_name=""),
                name="job_result_has_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title or self.kind} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("core:job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def has_result(self) -> bool:
        return self.state == self.State.DONE and bool(self.result_file)

    @property
    def is_waiting_long(self) -> bool:
        """Queued for over a minute: perhaps no worker is running."""
        return (
            self.state == self.State.QUEUED
            and timezone.now() - self.started_at > timedelta(minutes=1)
        )
