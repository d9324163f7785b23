"""归档: one candidate's archive holds what the campaign recorded of them; a
campaign's archives come as a ZIP from a job; both are scoped."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from gongkao.certificates import archives, services
from gongkao.core.models import AuditEvent, BackgroundJob
from tests import factories
from tests.pdfs import text_of
from tests.results.conftest import aware

pytestmark = pytest.mark.django_db

BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


@pytest.fixture
def issued(past, final):
    return services.issue(final, by=past.admin, now=aware(date(2025, 12, 1)))


def test_the_archive_holds_every_stage(past, issued, tmp_path: Path):
    application = past.seats[0].application
    factories.ReviewFactory.create(application=application, note="材料齐全，同意")
    path = tmp_path / "a.pdf"
    path.write_bytes(archives.render(application))
    text = text_of(path).replace("\n", "")
    applicant = application.applicant
    for expected in [
        applicant.name,
        applicant.id_number,
        "材料齐全，同意",  # a review decision with its note
        past.tickets[0].number,  # the ticket
        "岗位技能",
        "100.0",  # the released score
        "考核结果：合格",
        "合格人员公示",
        issued[0].number,  # the certificate
    ]:
        assert expected in text, expected


def test_a_failed_candidate_is_archived_too(past, final, tmp_path: Path):
    application = past.seats[1].application
    path = tmp_path / "b.pdf"
    path.write_bytes(archives.render(application))
    assert "考核结果：不合格" in text_of(path).replace("\n", "")


def test_the_campaign_archive_is_a_zip_job_and_scoped(
    client, past, issued, county_admin, django_capture_on_commit_callbacks
):
    client.force_login(past.admin, backend=BACKEND)
    a = factories.assignment_of(past.admin)
    q = f"?campaign={past.campaign.pk}"
    page = client.get(
        reverse("certificates:archives", args=[a.pk])
        + q
        + f"&q={past.tickets[0].number}"
    )
    assert past.seats[0].application.applicant.name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:archives", args=[a.pk]) + q)
    job = BackgroundJob.objects.get()
    assert job.state == BackgroundJob.State.DONE, job.error
    with job.result_file.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert len(names) == archives.candidates(past.campaign, None).count() == 5
    one = reverse("certificates:archive_pdf", args=[a.pk, past.seats[0].application_id])
    assert client.get(one + q)["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(after__what="archive").exists()
    # Another office, a unit clerk: 404.
    client.force_login(county_admin, backend=BACKEND)
    b = factories.assignment_of(county_admin)
    other = reverse(
        "certificates:archive_pdf", args=[b.pk, past.seats[0].application_id]
    )
    assert client.get(other + q).status_code == 404
    assert (
        client.get(reverse("certificates:archives", args=[b.pk]) + q).status_code == 404
    )
