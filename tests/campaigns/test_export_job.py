"""The catalogue export as a background job, and audit rows written by services only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkao.accounts.models import User
from gongkao.campaigns import services
from gongkao.campaigns.catalogue import (
    COLUMNS,
    export_job_types,
)
from gongkao.campaigns.models import JobType
from gongkao.core.models import AuditEvent, BackgroundJob
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


@pytest.fixture
def admin_client(system_admin, starter_catalogue, client):
    client.force_login(system_admin, backend=BACKEND)
    return client


def _export_url(fmt: str = "xlsx") -> str:
    return reverse("campaigns:job_types_export", args=[fmt])


def test_export_reports_progress_per_row(starter_catalogue):
    calls = []
    export_job_types("csv", progress=lambda done, total: calls.append((done, total)))
    total = JobType.objects.count()
    assert total > 10
    assert calls == [(i, total) for i in range(1, total + 1)]


def test_export_starts_a_job_and_the_page_shows_its_progress(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_export_url("xlsx"))
    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('campaigns:job_types')}?job={job.pk}"
    assert (job.kind, job.title) == (services.CATALOGUE_EXPORT, "导出工种目录（Excel）")
    assert job.state == "done" and job.total == JobType.objects.count()
    assert job.result_name.startswith("jobtypes-") and job.result_name.endswith(".xlsx")

    body = admin_client.get(response["Location"]).content.decode()
    assert f'id="job-{job.pk}"' in body
    assert "已完成 — " in body
    assert f'href="/jobs/{job.pk}/download/"' in body
    # What users saw before is still there.
    assert "导出 Excel" in body and "导出 CSV" in body and "工种目录" in body


def test_page_shows_a_queued_export_polling(admin_client):
    response = admin_client.post(_export_url("csv"))  # not committed: still queued
    job = BackgroundJob.objects.get()
    body = admin_client.get(response["Location"]).content.decode()
    assert job.state == "queued"
    assert f'hx-get="/jobs/{job.pk}/" hx-trigger="every 1s"' in body
    assert "排队中" in body and "刷新进度" in body


def test_htmx_export_answers_with_the_progress_fragment(admin_client):
    response = admin_client.post(_export_url("csv"), HTTP_HX_REQUEST="true")
    job = BackgroundJob.objects.get()
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert f'id="job-{job.pk}"' in body and "<progress" in body
    assert response["HX-Push-Url"] == f"{reverse('campaigns:job_types')}?job={job.pk}"


def test_export_link_opened_by_get_starts_nothing(admin_client):
    response = admin_client.get(_export_url("xlsx"))
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:job_types")
    assert not BackgroundJob.objects.exists()


def test_export_audit_row_is_written_by_the_task(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin_client.post(_export_url("csv"), REMOTE_ADDR="10.1.2.3")
    # The request itself wrote no audit row: the task writes it when it runs.
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CATALOGUE_EXPORTED)
    for callback in callbacks:
        callback()
    job = BackgroundJob.objects.get()
    event = AuditEvent.objects.get(action=AuditEvent.Action.CATALOGUE_EXPORTED)
    assert event.actor_id == User.objects.get(username="admin").pk
    assert event.after == {"format": "csv", "job": job.pk}
    assert event.ip == "10.1.2.3"


def test_another_users_export_on_the_catalogue_page_is_404(
    admin_client, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(_export_url("csv"))
    job = BackgroundJob.objects.get()
    client.force_login(UserFactory(), backend=BACKEND)
    url = reverse("campaigns:job_types")
    assert client.get(url, {"job": job.pk}).status_code == 404
    assert client.get(url, {"job": "abc"}).status_code == 404


def test_a_job_of_another_kind_is_not_shown_on_the_catalogue_page(
    admin_client, system_admin
):
    job = BackgroundJob.objects.create(kind="tests.other", started_by=system_admin)
    url = reverse("campaigns:job_types")
    assert admin_client.get(url, {"job": job.pk}).status_code == 404


def test_import_service_audits_only_a_successful_import(
    system_admin, starter_catalogue
):
    user = system_admin
    header = ",".join(COLUMNS)
    bad = f"{header}\nS0201,,电力电气类,5,,\n".encode()
    assert not services.import_catalogue(
        bad, "bad.csv", retire_starter=False, by=user
    ).ok
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CATALOGUE_IMPORTED)
    good = f'{header}\nS0201,电工,电力电气类,"1,2,3,4,5",,\n'.encode()
    assert services.import_catalogue(good, "ok.csv", retire_starter=False, by=user).ok
    event = AuditEvent.objects.get(action=AuditEvent.Action.CATALOGUE_IMPORTED)
    assert event.actor_id == user.pk and event.after["file"] == "ok.csv"
