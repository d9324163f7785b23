"""Background jobs (core/jobs.py): lifecycle, progress, failure, pages and scoping.

The suite runs tasks on the immediate backend: a task runs when the
transaction that started its job commits, which inside a test means at the
end of `django_capture_on_commit_callbacks(execute=True)`. One test runs the
real database backend and its worker.
"""

from __future__ import annotations

import signal
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongkao.core import jobs
from gongkao.core.jobs import (
    ENQUEUE_ERROR,
    GENERIC_ERROR,
    LOST_ERROR,
    STALE_ERROR,
    JobError,
    fail_job,
    finish_job,
    job_task,
    report_progress,
    start_job,
)
from gongkao.core.models import BackgroundJob
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"
DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}

# What the tasks below saw of their own job while running.
seen_states: list[str] = []


@job_task
def count_to(job_id: int, n: int) -> None:
    seen_states.append(BackgroundJob.objects.get(pk=job_id).state)
    for i in range(1, n + 1):
        report_progress(job_id, i, n, "正在计数")
    finish_job(
        job_id,
        content=f"counted {n}".encode(),
        filename="计数结果.txt",
        content_type="text/plain; charset=utf-8",
    )


@job_task
def crash(job_id: int) -> None:
    report_progress(job_id, 1, 3)
    raise RuntimeError("internal detail that users must not see")


@job_task
def refuse(job_id: int) -> None:
    raise JobError("没有可导出的数据。")


@job_task
def no_file(job_id: int) -> None:
    report_progress(job_id, 2, 2)


@pytest.fixture
def alice(db):
    return UserFactory(name="爱丽丝")


@pytest.fixture
def bob(db):
    return UserFactory(name="鲍勃")


@pytest.fixture(autouse=True)
def _fresh_state():
    seen_states.clear()
    jobs._last_progress_write.clear()


def _run(capture, task, user, **kwargs) -> BackgroundJob:
    with capture(execute=True):
        job = start_job("tests.count", task, by=user, title="计数", **kwargs)
        assert job.state == BackgroundJob.State.QUEUED
    job.refresh_from_db()
    return job


def test_job_runs_queued_then_running_then_done(
    alice, django_capture_on_commit_callbacks
):
    job = _run(django_capture_on_commit_callbacks, count_to, alice, n=5)
    assert seen_states == ["running"]
    assert job.state == BackgroundJob.State.DONE
    assert (job.done, job.total, job.message) == (5, 5, "")
    assert job.running_at and job.finished_at and job.task_result_id
    assert job.started_at <= job.running_at <= job.finished_at
    assert job.result_name == "计数结果.txt"
    assert job.result_file.read() == b"counted 5"
    job.result_file.close()


def test_job_result_is_stored_under_an_opaque_name(
    alice, django_capture_on_commit_callbacks
):
    job = _run(django_capture_on_commit_callbacks, count_to, alice, n=1)
    assert job.result_file.name.startswith("jobs/")
    assert "计数" not in job.result_file.name and "." not in job.result_file.name


def test_failing_task_fails_job_with_generic_chinese_message(
    alice, django_capture_on_commit_callbacks
):
    job = _run(django_capture_on_commit_callbacks, crash, alice)
    assert job.state == BackgroundJob.State.FAILED
    assert job.error == GENERIC_ERROR
    assert job.finished_at is not None
    assert (job.done, job.total) == (1, 3)
    assert not job.result_file


def test_job_error_message_is_shown_to_the_user(
    alice, django_capture_on_commit_callbacks
):
    job = _run(django_capture_on_commit_callbacks, refuse, alice)
    assert (job.state, job.error) == ("failed", "没有可导出的数据。")


def test_task_returning_without_finish_is_done_without_file(
    alice, django_capture_on_commit_callbacks
):
    job = _run(django_capture_on_commit_callbacks, no_file, alice)
    assert job.state == BackgroundJob.State.DONE
    assert not job.has_result


def test_job_not_run_again_once_finished(alice, django_capture_on_commit_callbacks):
    job = _run(django_capture_on_commit_callbacks, count_to, alice, n=2)
    count_to.call(job.pk, n=2)
    assert seen_states == ["running"]


def test_enqueue_failure_fails_job(alice, settings, django_capture_on_commit_callbacks):
    # A backend that refuses the task's queue makes enqueue raise.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["elsewhere"],
        }
    }
    job = _run(django_capture_on_commit_callbacks, count_to, alice, n=1)
    assert (job.state, job.error) == ("failed", ENQUEUE_ERROR)


def test_progress_writes_are_throttled(alice, monkeypatch, django_assert_num_queries):
    job = BackgroundJob.objects.create(
        kind="tests.count", started_by=alice, state="running", running_at=timezone.now()
    )
    monkeypatch.setattr(jobs, "_clock", lambda: 100.0)  # time stands still
    # 10,000 calls: the first and the last write, nothing in between.
    with django_assert_num_queries(2):
        for i in range(1, 10_001):
            report_progress(job.pk, i, 10_000)
    job.refresh_from_db()
    assert (job.done, job.total) == (10_000, 10_000)


def test_progress_written_once_a_second(alice, monkeypatch, django_assert_num_queries):
    job = BackgroundJob.objects.create(
        kind="tests.count", started_by=alice, state="running", running_at=timezone.now()
    )
    now = [0.0]
    monkeypatch.setattr(jobs, "_clock", lambda: now[0])
    # 10,000 items over 5 seconds: about one write a second.
    with django_assert_num_queries(5):
        for i in range(1, 10_000):
            now[0] = i * 0.0005
            report_progress(job.pk, i, 10_000, "正在处理")
    job.refresh_from_db()
    assert job.total == 10_000 and 8_000 <= job.done < 10_000
    assert job.message == "正在处理"


def test_progress_is_clamped_and_ignored_once_finished(alice):
    job = BackgroundJob.objects.create(
        kind="tests.count", started_by=alice, state="running", running_at=timezone.now()
    )
    report_progress(job.pk, 12, 10)
    job.refresh_from_db()
    assert (job.done, job.total) == (10, 10)
    fail_job(job.pk, "测试失败")
    report_progress(job.pk, 3, 10)
    job.refresh_from_db()
    assert (job.state, job.done) == ("failed", 10)


def test_finish_after_failure_keeps_failure_and_stores_nothing(alice, settings):
    job = BackgroundJob.objects.create(
        kind="tests.count", started_by=alice, state="running", running_at=timezone.now()
    )
    assert fail_job(job.pk, STALE_ERROR)
    assert not finish_job(job.pk, content=b"late", filename="late.txt")
    job.refresh_from_db()
    assert (job.state, job.error, job.result_file.name) == ("failed", STALE_ERROR, "")
    assert not list((settings.MEDIA_ROOT / "jobs").rglob("*"))


def _login(client, user):
    client.force_login(user, backend=BACKEND)


def _queued(user) -> BackgroundJob:
    return BackgroundJob.objects.create(
        kind="tests.count", started_by=user, title="计数"
    )


def test_job_page_shows_progress_and_reload_link_without_js(alice, client):
    job = _queued(alice)
    BackgroundJob.objects.filter(pk=job.pk).update(
        state="running", running_at=timezone.now(), done=3, total=8, message="正在计数"
    )
    _login(client, alice)
    response = client.get(reverse("core:job", args=[job.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    assert '<progress value="3" max="8">' in body
    assert "正在处理 3/8：正在计数" in body
    assert f'<a href="/jobs/{job.pk}/">刷新进度</a>' in body
    assert response["Cache-Control"].startswith("max-age=0")
    assert "HX-Request" in response["Vary"]


def test_fragment_polls_while_queued(alice, client):
    job = _queued(alice)
    _login(client, alice)
    response = client.get(reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert f'hx-get="/jobs/{job.pk}/" hx-trigger="every 1s"' in body
    assert "排队中" in body


def test_fragment_stops_polling_and_offers_download_when_done(
    alice, client, django_capture_on_commit_callbacks
):
    job = _run(django_capture_on_commit_callbacks, count_to, alice, n=3)
    _login(client, alice)
    response = client.get(reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "hx-get" not in body and "hx-trigger" not in body
    assert "刷新进度" not in body
    assert "已完成 — " in body
    assert f'href="/jobs/{job.pk}/download/"' in body


def test_fragment_shows_failure_reason(
    alice, client, django_capture_on_commit_callbacks
):
    job = _run(django_capture_on_commit_callbacks, refuse, alice)
    _login(client, alice)
    body = client.get(
        reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "失败：没有可导出的数据。" in body
    assert "hx-trigger" not in body


def test_download_serves_the_stored_file(
    alice, client, django_capture_on_commit_callbacks
):
    job = _run(django_capture_on_commit_callbacks, count_to, alice, n=7)
    _login(client, alice)
    response = client.get(reverse("core:job_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"counted 7"
    response.close()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%AE%A1%E6%95%B0" in response["Content-Disposition"]
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))


def test_download_of_unfinished_job_is_404(alice, client):
    job = _queued(alice)
    _login(client, alice)
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    "persona",
    ["system_admin", "office_admin", "clerk", "department_reviewer", "applicant"],
)
def test_another_user_of_any_role_gets_404(
    client, persona, request, django_capture_on_commit_callbacks
):
    """The system administrator, office, unit, department and applicant alike."""
    owner = UserFactory()
    job = _run(django_capture_on_commit_callbacks, count_to, owner, n=2)
    other = request.getfixturevalue(persona)
    _login(client, other)
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
    assert (
        client.get(
            reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true"
        ).status_code
        == 404
    )
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404
    # The owner does see it.
    _login(client, owner)
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 200


def test_anonymous_user_is_sent_to_login(alice, client):
    job = _queued(alice)
    response = client.get(reverse("core:job", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_running_job_without_progress_for_long_is_shown_failed(alice, client, settings):
    settings.JOB_STALE_MINUTES = 30
    job = _queued(alice)
    BackgroundJob.objects.filter(pk=job.pk).update(
        state="running",
        running_at=timezone.now() - timedelta(hours=1),
        updated_at=timezone.now() - timedelta(minutes=31),
    )
    _login(client, alice)
    body = client.get(reverse("core:job", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", STALE_ERROR)
    assert f"失败：{STALE_ERROR}" in body


def test_queued_job_waits_for_a_worker_and_says_so(alice, client):
    job = _queued(alice)
    BackgroundJob.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - timedelta(minutes=5)
    )
    _login(client, alice)
    body = client.get(reverse("core:job", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.state == "queued"
    assert "请联系系统管理员确认后台任务进程正在运行" in body


@pytest.fixture
def _keep_signal_handlers():
    # db_worker installs its own SIGINT/SIGTERM handlers.
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for s, handler in saved.items():
        signal.signal(s, handler)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_keep_signal_handlers")
def test_database_backend_worker_runs_the_job(alice, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    # Outside a transaction the task is enqueued at once; nothing runs it yet.
    job = start_job("tests.count", count_to, by=alice, n=4)
    assert job.state == "queued"
    assert DBTaskResult.objects.get().status == "READY"
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 4, 4)
    assert str(DBTaskResult.objects.get().id) == job.task_result_id
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_job_whose_task_the_worker_lost_is_shown_failed(alice, settings, client):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    job = start_job("tests.count", count_to, by=alice, n=4)
    # The worker claimed the task and died without the job hearing of it.
    BackgroundJob.objects.filter(pk=job.pk).update(state="running")
    DBTaskResult.objects.filter(pk=job.task_result_id).update(status="FAILED")
    _login(client, alice)
    body = client.get(
        reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", LOST_ERROR)
    assert "hx-trigger" not in body
