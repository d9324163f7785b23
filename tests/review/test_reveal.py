"""Issue 11, point 6: the unit clerk and the office of an applicant see the
full ID and mobile number on demand (each reveal audited, the number never in
the audit row); the upward summary export carries them (audited), other
exports stay masked; every other role gets 404."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkao.applications.states import Status
from gongkao.core.models import AuditEvent
from tests.factories import advance, assignment_of
from tests.review.test_review_chain import health_commission_reviewer  # noqa: F401

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _reveal_url(user, application, field):
    return reverse(
        "review:reveal", args=[assignment_of(user).pk, application.pk, field]
    )


def _reveals():
    return AuditEvent.objects.filter(action=AuditEvent.Action.NUMBER_REVEALED)


@pytest.mark.parametrize("who", ["clerk", "office_reviewer", "office_admin"])
@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_clerk_and_office_see_the_full_number_once_asked(
    client, submitted, applicant, who, field, request
):
    user = request.getfixturevalue(who)
    client.force_login(user, backend=BACKEND)
    page = client.get(
        reverse("review:review", args=[assignment_of(user).pk, submitted.pk])
    ).content.decode()
    full = getattr(applicant, field)
    assert full not in page
    assert _reveal_url(user, submitted, field) in page
    response = client.post(_reveal_url(user, submitted, field), **HTMX)
    assert response.status_code == 200
    assert full in response.content.decode()
    assert "<html" not in response.content.decode()  # a fragment for htmx
    [event] = _reveals()
    assert event.actor_id == user.pk
    assert event.target_id == str(submitted.pk)
    assert event.after["field"] == field
    row = json.dumps(
        [event.before, event.after, event.target_label], ensure_ascii=False
    )
    assert full not in row


def test_without_javascript_the_number_comes_on_a_page(
    client, submitted, applicant, clerk
):
    client.force_login(clerk, backend=BACKEND)
    response = client.post(_reveal_url(clerk, submitted, "id_number"))
    body = response.content.decode()
    assert applicant.id_number in body and "返回申报" in body
    assert _reveals().count() == 1


def test_a_reveal_is_a_post(client, submitted, clerk):
    client.force_login(clerk, backend=BACKEND)
    assert client.get(_reveal_url(clerk, submitted, "phone")).status_code == 405
    assert not _reveals().exists()


def test_an_unknown_field_is_404(client, submitted, clerk):
    client.force_login(clerk, backend=BACKEND)
    response = client.post(_reveal_url(clerk, submitted, "password"), **HTMX)
    assert response.status_code == 404
    assert not _reveals().exists()


@pytest.mark.parametrize(
    "persona",
    [
        "department_reviewer",
        "county_clerk",
        "county_reviewer",
        "county_admin",
        "health_commission_reviewer",
    ],
)
@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_every_other_role_gets_404(
    client, submitted, reviewers, persona, field, request
):
    advance(submitted, Status.DEPARTMENT_REVIEW, reviewers)
    user = request.getfixturevalue(persona)
    client.force_login(user, backend=BACKEND)
    response = client.post(_reveal_url(user, submitted, field), **HTMX)
    assert response.status_code == 404
    assert not _reveals().exists()


@pytest.mark.parametrize("persona", ["applicant", "system_admin"])
def test_roles_without_a_reviewer_assignment_get_404(
    client, submitted, clerk, persona, request
):
    user = request.getfixturevalue(persona)
    client.force_login(user, backend=BACKEND)
    # Their own assignment, or the clerk's: neither reveals anything.
    urls = [_reveal_url(clerk, submitted, "id_number")]
    own = user.role_assignments.first() if hasattr(user, "role_assignments") else None
    if own is not None:
        urls.append(reverse("review:reveal", args=[own.pk, submitted.pk, "id_number"]))
    for url in urls:
        assert client.post(url, **HTMX).status_code == 404
    assert not _reveals().exists()


def test_department_page_has_no_reveal_button(client, submitted, reviewers):
    advance(submitted, Status.DEPARTMENT_REVIEW, reviewers)
    user = reviewers.department
    client.force_login(user, backend=BACKEND)
    page = client.get(
        reverse("review:review", args=[assignment_of(user).pk, submitted.pk])
    ).content.decode()
    assert "/reveal/" not in page


def test_summary_export_has_full_numbers_and_says_so(
    client, submitted, applicant, reviewers
):
    advance(submitted, Status.QUALIFIED, reviewers)
    office = reviewers.office
    client.force_login(office, backend=BACKEND)
    response = client.get(
        reverse("review:summary_export", args=[assignment_of(office).pk])
    )
    people = [
        str(c.value)
        for row in load_workbook(io.BytesIO(response.content)).worksheets[1].iter_rows()
        for c in row
    ]
    assert applicant.id_number in people and applicant.phone in people
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).latest("seq")
    assert event.after["what"] == "summary"
    assert event.after["full_numbers"] == ["id_number", "phone"]


def test_other_exports_stay_masked(client, submitted, applicant, reviewers):
    advance(submitted, Status.QUALIFIED, reviewers)
    office = reviewers.office
    client.force_login(office, backend=BACKEND)
    assignment = assignment_of(office)
    for name, params in [("queue_export", {"status": ""}), ("dashboard_export", {})]:
        response = client.get(reverse(f"review:{name}", args=[assignment.pk]), params)
        book = load_workbook(io.BytesIO(response.content))
        cells = [
            str(c.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for c in row
        ]
        assert applicant.id_number not in cells and applicant.phone not in cells
        assert not any(applicant.phone in c or applicant.id_number in c for c in cells)
