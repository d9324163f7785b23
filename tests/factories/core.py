"""Audit rows, working-day overrides, messages and background jobs."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import factory
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from gongkao.core import audit
from gongkao.core.models import (
    AuditChainHead,
    AuditEvent,
    BackgroundJob,
    Notification,
    WorkdayOverride,
)
from tests.factories.accounts import UserFactory


class AuditEventFactory(factory.django.DjangoModelFactory[AuditEvent]):
    """A login by nobody in particular; services.record_audit writes the real ones."""

    class Meta:
        model = AuditEvent

    action = AuditEvent.Action.LOGIN
    actor_label = "测试用户"

    @classmethod
    def _create(cls, model_class: type[AuditEvent], *args: Any, **kwargs: Any) -> Any:
        # The next link of the chain, as record_audit writes it.
        return audit.append(model_class(**kwargs))


class AuditChainHeadFactory(factory.django.DjangoModelFactory[AuditChainHead]):
    """The chain's one head row (core/audit.py makes it on the first append)."""

    class Meta:
        model = AuditChainHead
        django_get_or_create = ("id",)

    id = 1


class WorkdayOverrideFactory(factory.django.DjangoModelFactory[WorkdayOverride]):
    """A day off in 2030 (a year the built-in tables do not know), one day
    further with each row."""

    class Meta:
        model = WorkdayOverride

    date = factory.Sequence(lambda n: date(2030, 1, 1) + timedelta(days=n))
    is_working_day = False
    note = "调休"


class NotificationFactory(factory.django.DjangoModelFactory[Notification]):
    """An unread in-site message about nothing in particular, without SMS;
    `target=obj` points it at an object (an application …).
    core.notifications.notify is the real sender."""

    class Meta:
        model = Notification
        exclude = ("target",)

    target = None
    user = factory.SubFactory(UserFactory)
    target_type = factory.LazyAttribute(
        lambda o: ContentType.objects.get_for_model(o.target) if o.target else None
    )
    target_id = factory.LazyAttribute(lambda o: o.target.pk if o.target else None)
    kind = Notification.Kind.SUBMITTED
    title = "申报已提交"
    body = "您的申报已提交，等待单位审核。"


class BackgroundJobFactory(factory.django.DjangoModelFactory[BackgroundJob]):
    """A raw queued job of a new user, for pages and queries; the job of a test
    of behaviour comes from core.jobs.start_job. `finished=True` gives a done
    job with a small CSV to download."""

    class Meta:
        model = BackgroundJob

    kind = "campaigns.catalogue_export"
    title = "导出工种目录"
    started_by = factory.SubFactory(UserFactory)

    class Params:
        finished = factory.Trait(
            state=BackgroundJob.State.DONE,
            finished_at=factory.LazyFunction(timezone.now),
            result_file=factory.LazyFunction(
                lambda: ContentFile(b"code,name\n", name="result.csv")
            ),
            result_name="工种目录.csv",
            result_content_type="text/csv",
        )
