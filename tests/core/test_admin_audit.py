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


def test_user_edited_in_the_admin_leaves_no_secret_in_the_audit_row(
    client, system_admin
):
    """Password hash, ciphertext and blind indexes stay out of before and after;
    the numbers appear only masked."""
    from tests.factories import UserFactory, make_id_number

    old_id = make_id_number("19800101", sex="M")
    user = UserFactory(username="wangwu", name="王五", phone="13700001111")
    user.set_id_number(old_id)
    user.save()
    new_id = make_id_number("19810202", sex="F")
    client.force_login(
        system_admin, backend="gongkao.accounts.backends.PhoneOrIdNumberBackend"
    )
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": "wangwu",
            "name": "王五",
            "new_phone": "13700002222",
            "new_id_number": new_id,
            "new_password": "Another-pass-456",
            "is_active": "on",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
            "role_assignments-MIN_NUM_FORMS": "0",
            "role_assignments-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.phone == "13700002222"
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.CONFIG_CHANGED, target_type="accounts.User"
    )
    text = str(event.before) + str(event.after)
    secrets = [
        user.password,
        user.phone_encrypted,
        user.phone_index,
        user.id_number_encrypted,
        user.id_number_index,
        "13700001111",
        "13700002222",
        old_id,
        new_id,
    ]
    assert [s for s in secrets if s and s in text] == []
    for snapshot in (event.before, event.after):
        assert not {"password", "phone_encrypted", "phone_index"} & set(snapshot)
        assert not {"id_number_encrypted", "id_number_index"} & set(snapshot)
    assert event.before["phone_masked"] == "137****1111"
    assert event.after["phone_masked"] == "137****2222"
    assert event.after["id_number_masked"] != event.before["id_number_masked"]
