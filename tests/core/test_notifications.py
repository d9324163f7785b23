"""Notifications point at any object, and are sent once per dedupe key."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from gongkao.core.models import Notification
from gongkao.core.notifications import mark_read, notifications_about, notify
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_notification_points_at_any_object():
    user = UserFactory()
    unit = UnitFactory()
    note = notify(user, Notification.Kind.REMINDER, "提醒", "请核对", target=unit)
    assert note is not None and note.target == unit
    assert list(notifications_about(unit)) == [note]
    assert list(notifications_about(UnitFactory())) == []


def test_notification_without_target_and_without_phone_sends_no_sms():
    note = notify(UserFactory(), Notification.Kind.REMINDER, "提醒", "请核对")
    assert note is not None and note.target is None
    assert note.sms_status == Notification.SmsStatus.NONE


def test_dedupe_key_sends_a_reminder_once_and_mark_read():
    user = UserFactory()
    first = notify(user, Notification.Kind.REMINDER, "提醒", "一", dedupe_key="k")
    again = notify(user, Notification.Kind.REMINDER, "提醒", "二", dedupe_key="k")
    assert first is not None and again is None
    mark_read(user)
    assert Notification.objects.get().read_at is not None


def test_target_type_and_id_come_together():
    note = notify(UserFactory(), Notification.Kind.REMINDER, "提醒", "请核对")
    assert note is not None
    with pytest.raises(IntegrityError):
        Notification.objects.filter(pk=note.pk).update(target_id=1)
