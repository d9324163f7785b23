"""Issue 11, point 7: registration extensions take only a day after today,
tell the applicant by SMS, and each grant is its own audited row."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkao.accounts.models import Role
from gongkao.applications import services
from gongkao.applications.models import RegistrationExtension
from gongkao.core.models import AuditEvent, Notification
from tests.factories import assignment_of, fill_level4_application

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


@pytest.fixture
def draft(applicant, school, campaign, in_window):
    return fill_level4_application(applicant, unit=school, campaign=campaign)


@pytest.mark.parametrize("until", [date(2025, 3, 20), date(2025, 3, 1)])
def test_today_or_a_past_day_is_refused(draft, office_admin, until):
    with pytest.raises(services.ExtensionRefused, match="须晚于今天"):
        services.extend_registration(draft, until=until, reason="住院", by=office_admin)
    draft.refresh_from_db()
    assert draft.extended_until is None
    assert not RegistrationExtension.objects.exists()
    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.REGISTRATION_EXTENDED
    ).exists()


def test_the_applicant_gets_an_sms(
    draft, office_admin, applicant, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.extend_registration(
            draft, until=date(2025, 4, 5), reason="住院", by=office_admin
        )
    note = Notification.objects.get(user=applicant, title="报名延期获准")
    assert "2025年4月5日" in note.body
    assert note.sms_status == Notification.SmsStatus.SENT
    assert any("2025年4月5日" in message for _, message in sms_outbox)


def test_a_second_grant_keeps_the_first(draft, office_admin, city_office):
    from tests.factories import office_admin as make_office_admin

    other = make_office_admin(city_office, name="赵六")
    services.extend_registration(
        draft, until=date(2025, 4, 5), reason="住院", by=office_admin
    )
    services.extend_registration(
        draft, until=date(2025, 4, 9), reason="仍在住院，医院证明", by=other
    )
    grants = list(draft.extensions.order_by("granted_at", "id"))
    assert [(g.until, g.reason, g.granted_by) for g in grants] == [
        (date(2025, 4, 5), "住院", office_admin),
        (date(2025, 4, 9), "仍在住院，医院证明", other),
    ]
    draft.refresh_from_db()
    assert draft.extended_until == date(2025, 4, 9)
    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.REGISTRATION_EXTENDED
    ).order_by("seq")
    assert [e.after["grant"] for e in events] == [g.pk for g in grants]
    assert events[1].before["extended_until"] == "2025-04-05"


def test_the_page_refuses_a_past_day_in_chinese(client, draft, office_admin):
    assignment = assignment_of(office_admin, Role.OFFICE_ADMIN)
    client.force_login(office_admin, backend=BACKEND)
    url = reverse("review:office_extensions", args=[assignment.pk])
    response = client.post(
        url, {"application": draft.pk, "until": "2025-03-19", "reason": "住院"}
    )
    assert response.status_code == 200
    assert "延期日期须晚于今天" in response.content.decode()
    assert not RegistrationExtension.objects.exists()


def test_the_page_lists_every_grant(client, draft, office_admin):
    assignment = assignment_of(office_admin, Role.OFFICE_ADMIN)
    client.force_login(office_admin, backend=BACKEND)
    url = reverse("review:office_extensions", args=[assignment.pk])
    for until, reason in [("2025-04-05", "住院"), ("2025-04-09", "仍在住院")]:
        client.post(url, {"application": draft.pk, "until": until, "reason": reason})
    body = client.get(url).content.decode()
    assert "<s>2025年4月5日</s>" in body
    assert "<strong>2025年4月9日</strong>" in body
    assert "仍在住院" in body and "住院 ·" in body
