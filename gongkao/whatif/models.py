"""A what-if run: a policy judged again over a campaign's submitted applications.

It writes only here: the applications, their results and their statuses are
never touched.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkao.campaigns.models import Campaign
from gongkao.core.models import BackgroundJob
from gongkao.organizations.models import ExamOffice


class WhatIfRun(models.Model):
    office = models.ForeignKey(
        ExamOffice, on_delete=models.PROTECT, related_name="+", verbose_name="工考办"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="+", verbose_name="年度考务"
    )
    policy_id = models.CharField("试算政策", max_length=40)
    policy_hash = models.CharField("试算政策校验值", max_length=64)
    job = models.ForeignKey(
        BackgroundJob,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="后台任务",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="发起人",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    total = models.PositiveIntegerField("试算申报数", default=0)
    errors = models.PositiveIntegerField("无法试算数", default=0)
    lost = models.PositiveIntegerField("由符合变为不符合", default=0)
    gained = models.PositiveIntegerField("由不符合变为符合", default=0)
    # [[level, applications, lost, gained], …] and [[unit, …], …]
    by_level = models.JSONField("按等级统计", default=list, blank=True)
    by_unit = models.JSONField("按单位统计", default=list, blank=True)
    # [{application_id, name, unit, level, job_type, direction, clauses, lines}, …]
    flips = models.JSONField("变化名单", default=list, blank=True)

    class Meta:
        verbose_name = "政策试算"
        verbose_name_plural = "政策试算"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.policy_id} × {self.campaign}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None
