"""Policies an office wrote in the web interface (the shipped ones are files).

The content is the policy's TOML file as the administrator saved it; the engine
reads it through `queries.load_policy`. A policy that judged a submission is
never changed (`first_judged_at`); a change is a new policy id.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkao.organizations.models import ExamOffice


class StoredPolicy(models.Model):
    policy_id = models.CharField("政策编号", max_length=40, unique=True)
    title = models.CharField("名称", max_length=200)
    content = models.TextField("政策文件（TOML）")
    content_hash = models.CharField("内容校验值（SHA-256）", max_length=64)
    based_on = models.CharField("复制自", max_length=40, blank=True)
    office = models.ForeignKey(
        ExamOffice,
        on_delete=models.PROTECT,
        related_name="policies",
        verbose_name="所属工考办",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Set when the first submission was judged by this policy: from then on the
    # content is frozen (applications store the hash they were judged by).
    first_judged_at = models.DateTimeField("首次用于核查时间", null=True, blank=True)

    class Meta:
        verbose_name = "资格条件政策"
        verbose_name_plural = "资格条件政策"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.title}"

    @property
    def is_frozen(self) -> bool:
        return self.first_judged_at is not None
