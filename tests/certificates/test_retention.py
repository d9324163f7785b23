"""Retention: records past their years are listed and deleted only by the
office administrator, recorded and audited; nothing is deleted silently."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkao.applications.models import MaterialFile
from gongkao.cbt.models import Answer
from gongkao.certificates import retention, services
from gongkao.certificates.models import Purge, RetentionRule
from gongkao.core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


def test_answers_are_due_after_three_years_and_materials_after_five(past, city_office):
    assert Answer.objects.count() == 5
    assert retention.due(city_office, date(2028, 12, 31)) == []
    due = retention.due(city_office, date(2029, 1, 1))
    assert [(d.kind, d.count, d.kept_until) for d in due] == [("answers", 5, 2028)]
    factories.MaterialFileFactory.create(
        material__application=past.seats[0].application
    )
    kinds = {d.kind for d in retention.due(city_office, date(2031, 1, 1))}
    assert kinds == {"answers", "materials"}


def test_purge_deletes_what_is_due_once_and_records_it(
    past, city_office, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(date(2029, 1, 2))
    stored = factories.MaterialFileFactory.create(
        material__application=past.seats[0].application
    )
    name = stored.file.name
    storage = stored.file.storage
    with pytest.raises(services.Refused, match="尚未到保存期限"):
        services.purge(city_office, past.campaign, "materials", by=past.admin)
    done = services.purge(city_office, past.campaign, "answers", by=past.admin)
    assert (done.count, Answer.objects.count()) == (5, 0)
    assert AuditEvent.objects.filter(after__action="purged").exists()
    with pytest.raises(services.Refused):
        services.purge(city_office, past.campaign, "answers", by=past.admin)
    services.save_retention(city_office, {"materials": 1, "answers": 3}, by=past.admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.purge(city_office, past.campaign, "materials", by=past.admin)
    assert not MaterialFile.objects.exists() and not storage.exists(name)
    assert Purge.objects.count() == 2


def test_the_page_is_the_office_administrators(
    client, past, city_office, office_reviewer, time_machine
):
    time_machine.move_to(date(2029, 1, 2))
    client.force_login(past.admin, backend=BACKEND)
    a = factories.assignment_of(past.admin)
    page = client.get(reverse("certificates:retention", args=[a.pk])).content.decode()
    assert "人机对话逐题作答记录" in page and "2028年底" in page
    client.post(
        reverse("certificates:retention", args=[a.pk]),
        {"action": "purge", "campaign": past.campaign.pk, "kind": "answers"},
    )
    assert not Answer.objects.exists()
    client.post(
        reverse("certificates:retention", args=[a.pk]),
        {"materials": "0", "answers": "3"},
    )
    assert not RetentionRule.objects.filter(kind="materials").exists()  # refused
    client.force_login(office_reviewer, backend=BACKEND)
    b = factories.assignment_of(office_reviewer)
    assert client.get(reverse("certificates:retention", args=[b.pk])).status_code == 404


def test_a_county_office_sees_only_its_jurisdiction(past, county_office):
    assert retention.due(county_office, date(2029, 1, 2)) == []
