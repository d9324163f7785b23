from __future__ import annotations

import pytest
from django.urls import reverse

from gongkao.core.models import AuditEvent
from gongkao.organizations.models import ExamOffice, Jurisdiction

pytestmark = pytest.mark.django_db


def test_inline_configuration_edit_is_audited(client, system_admin, county_office):
    """A county office switching signed rosters on in the admin's inline leaves a row."""
    client.force_login(
        system_admin, backend="gongkao.accounts.backends.PhoneOrIdNumberBackend"
    )
    office = ExamOffice.objects.get(name="温县工考办")
    line = Jurisdiction.objects.get(office=office)
    data = {
        "name": office.name,
        "division": office.division_id,
        "mailbox": "",
        "phone": "",
        "address": "",
        "jurisdictions-TOTAL_FORMS": "1",
        "jurisdictions-INITIAL_FORMS": "1",
        "jurisdictions-MIN_NUM_FORMS": "0",
        "jurisdictions-MAX_NUM_FORMS": "1000",
        "jurisdictions-0-id": line.pk,
        "jurisdictions-0-office": office.pk,
        "jurisdictions-0-category": line.category,
        "jurisdictions-0-division": line.division_id,
        "jurisdictions-0-requires_signed_rosters": "on",
    }
    url = reverse("admin:organizations_examoffice_change", args=[office.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    line.refresh_from_db()
    assert line.requires_signed_rosters
    event = AuditEvent.objects.get(target_type="organizations.Jurisdiction")
    assert event.action == AuditEvent.Action.CONFIG_CHANGED
    assert event.before == {"changed_fields": ["requires_signed_rosters"]}
    assert event.after["requires_signed_rosters"] is True
