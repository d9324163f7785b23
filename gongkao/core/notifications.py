"""Notifications: an in-site message to a user, about any object, and an SMS
sent by a background task once the transaction commits (a gateway that takes
a second never holds a web worker)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django_tasks import task

from gongkao.core.models import Notification
from gongkao.core.sms import get_sms_sender

logger = logging.getLogger("gongkao.notifications")


def notify(
    user: Any,
    kind: Notification.Kind,
    title: str,
    body: str,
    *,
    target: models.Model | None = None,
    sms: bool = True,
    dedupe_key: str = "",
) -> Notification | None:
    """An in-site message, and an SMS sent after the transaction commits.

    With a `dedupe_key` the same reminder is created once, however often a
    sweep runs.
    """
    if (
        dedupe_key
        and Notification.objects.filter(user=user, dedupe_key=dedupe_key).exists()
    ):
        return None
    note = Notification.objects.create(
        user=user,
        target_type=ContentType.objects.get_for_model(target) if target else None,
        target_id=target.pk if target else None,
        kind=kind,
        title=title,
        body=body,
        sms_status=Notification.SmsStatus.PENDING
        if sms and user.phone_encrypted
        else Notification.SmsStatus.NONE,
        dedupe_key=dedupe_key,
    )
    if note.sms_status == Notification.SmsStatus.PENDING:
        transaction.on_commit(lambda: _enqueue_sms(note.pk))
    return note


def _enqueue_sms(notification_id: int) -> None:
    try:
        send_sms.enqueue(notification_id)
    except Exception:  # the in-site message stands; the SMS stays pending
        logger.exception("SMS for notification %s was not queued", notification_id)


@task()
def send_sms(notification_id: int) -> None:
    send_pending_sms(notification_id)


def send_pending_sms(notification_id: int) -> None:
    note = Notification.objects.select_related("user").get(pk=notification_id)
    if note.sms_status != Notification.SmsStatus.PENDING:
        return
    try:
        get_sms_sender().send(note.user.phone, f"【工考】{note.title}：{note.body}")
    except Exception:  # a gateway failure must not lose the in-site message
        logger.exception("SMS for notification %s failed", note.pk)
        note.sms_status = Notification.SmsStatus.FAILED
        note.save(update_fields=["sms_status"])
        return
    note.sms_status = Notification.SmsStatus.SENT
    note.sms_sent_at = timezone.now()
    note.save(update_fields=["sms_status", "sms_sent_at"])


def mark_read(user: Any) -> None:
    Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_about(target: models.Model) -> models.QuerySet[Notification]:
    """Every message sent about `target`."""
    return Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    )
