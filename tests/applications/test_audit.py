"""Every write of consequence on an application leaves an audit row (actor and
target), written by the service, without personal data in clear."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkao.applications import services
from gongkao.core import audit
from gongkao.core.models import AuditEvent
from gongkao.core.uploads import UploadRejected
from gongkao.review import services as review
from gongkao.review.models import ReviewStep
from tests.factories import jpeg

pytestmark = pytest.mark.django_db


def _rows(action: AuditEvent.Action, application) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=action,
            target_type="applications.Application",
            target_id=str(application.pk),
        ).order_by("seq")
    )


def _no_personal_data(event: AuditEvent, user) -> None:
    text = str(event.before) + str(event.after) + event.target_label
    assert user.phone not in text
    assert user.id_number not in text


def test_material_upload_is_audited_without_the_file_name(ready_application, applicant):
    stored = services.upload_material(
        ready_application,
        "photo",
        jpeg(),
        f"{applicant.id_number}.jpg",
        by=applicant,
    )
    assert applicant.id_number not in stored.original_name
    assert stored.original_name == f"{applicant.id_number_masked}.jpg"
    event = _rows(AuditEvent.Action.MATERIAL_UPLOADED, ready_application)[-1]
    assert event.actor_id == applicant.pk
    assert event.after == {
        "slot": "photo",
        "version": stored.version,
        "sha256": stored.sha256,
        "size": stored.size,
        "content_type": stored.content_type,
    }
    _no_personal_data(event, applicant)


def test_submission_return_and_resubmission_are_audited(
    ready_application, applicant, clerk
):
    services.submit_application(ready_application, by=applicant)
    [submitted] = _rows(AuditEvent.Action.SUBMITTED, ready_application)
    assert submitted.actor_id == applicant.pk
    assert submitted.after["round"] == 1
    assert submitted.after["materials"]
    # A return is audited by the decision that makes it (one row, written
    # after the batch's lock: review.services.record_review).
    checks = review.approve_all_items(ready_application, ReviewStep.UNIT)
    checks["material:photo"] = {"ok": False, "code": "photo", "text": "照片不清楚"}
    review.record_review(
        ready_application, step=ReviewStep.UNIT, by=clerk, checks=checks
    )
    [returned] = _rows(AuditEvent.Action.REVIEW_DECIDED, ready_application)
    assert returned.actor_id == clerk.pk
    assert returned.after == {
        "step": "unit",
        "round": 1,
        "decision": "return",
        "returned": ["material:photo"],
        "unlocked": ["material:photo"],
    }
    services.upload_material(
        ready_application, "photo", jpeg(), "new.jpg", by=applicant
    )
    assert services.submit_application(ready_application, by=applicant)
    [resubmitted] = _rows(AuditEvent.Action.RESUBMITTED, ready_application)
    assert resubmitted.actor_id == applicant.pk
    assert resubmitted.after["round"] == 2
    assert resubmitted.after["returned"] == [
        {"item": "material:photo", "changed": True, "explained": False}
    ]
    for event in (submitted, returned, resubmitted):
        _no_personal_data(event, applicant)
    assert audit.verify_chain().ok


def test_a_second_click_of_submit_writes_no_second_row(ready_application, applicant):
    services.submit_application(ready_application, by=applicant)
    assert not services.submit_application(ready_application, by=applicant)
    assert len(_rows(AuditEvent.Action.SUBMITTED, ready_application)) == 1


def test_withdrawal_is_audited(ready_application, applicant):
    services.withdraw_application(ready_application, by=applicant)
    [event] = _rows(AuditEvent.Action.WITHDRAWN, ready_application)
    assert event.actor_id == applicant.pk
    assert (event.before, event.after) == (
        {"status": "draft"},
        {"status": "withdrawn"},
    )


def test_registration_extension_is_audited(ready_application, office_admin):
    services.extend_registration(
        ready_application,
        until=date(2025, 4, 5),
        reason=" 住院治疗，单位证明 ",
        by=office_admin,
    )
    [event] = _rows(AuditEvent.Action.REGISTRATION_EXTENDED, ready_application)
    assert event.actor_id == office_admin.pk
    assert event.before == {"extended_until": None, "extension_reason": ""}
    grant = ready_application.extensions.get()
    assert event.after == {
        "extended_until": "2025-04-05",
        "extension_reason": "住院治疗，单位证明",
        "grant": grant.pk,
    }


def test_a_refused_upload_writes_no_row(ready_application, applicant):
    before = AuditEvent.objects.count()
    with pytest.raises(UploadRejected):
        services.upload_material(
            ready_application, "id_card", b"%PDF-1.4 truncated", "id.pdf", by=applicant
        )
    assert AuditEvent.objects.count() == before
    assert audit.verify_chain().ok


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("身份证410802198001011234.pdf", "身份证4108**********1234.pdf"),
        ("41080219800101123x正面.jpg", "4108**********123x正面.jpg"),
        ("电话13912345678.jpg", "电话139****5678.jpg"),
        ("2025年度考核表.pdf", "2025年度考核表.pdf"),
        ("扫描件20250320103015123456.pdf", "扫描件20250320103015123456.pdf"),
    ],
)
def test_numbers_in_a_file_name_are_masked(name, shown):
    assert services.mask_numbers(name) == shown


def _a_file(application):
    return application.materials.exclude(current=None).first().current


def test_reading_a_material_file_is_audited(client, submitted, applicant, clerk):
    stored = _a_file(submitted)
    url = reverse("applications:file", args=[stored.pk])
    client.force_login(applicant)
    response = client.get(url)
    assert b"".join(response.streaming_content)  # closes the file, not the db
    assert response.status_code == 200
    client.force_login(clerk)
    response = client.get(url, {"download": "1"})
    assert b"".join(response.streaming_content)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = _rows(AuditEvent.Action.MATERIAL_READ, submitted)
    assert [(r.actor_id, r.after) for r in rows] == [
        (
            reader.pk,
            {
                "file": stored.pk,
                "slot": stored.material.slot,
                "version": stored.version,
                "download": download,
            },
        )
        for reader, download in [(applicant, False), (clerk, True)]
    ]
    for row in rows:
        _no_personal_data(row, applicant)
    assert audit.verify_chain().ok


def test_a_refused_read_writes_no_row(client, submitted, county_clerk):
    stored = _a_file(submitted)
    client.force_login(county_clerk)
    url = reverse("applications:file", args=[stored.pk])
    assert client.get(url).status_code == 404
    assert _rows(AuditEvent.Action.MATERIAL_READ, submitted) == []
