"""Background jobs: long work run by a task, with one progress pattern.

A page starts a job through its app's service, which calls `start_job`; the
task reports with `report_progress` and ends with `finish_job` (or raises);
the page includes `core/_job_progress.html`, which polls the job page until
the job has finished and then offers the download. A task is written as::

    @job_task
    def export_catalogue(job_id: int, fmt: str) -> None:
        rows = ...
        for done, row in enumerate(rows, start=1):
            ...
            report_progress(job_id, done, len(rows))
        finish_job(job_id, content=data, filename="目录.xlsx", content_type=XLSX)

and started with ``start_job("campaigns.catalogue_export", export_catalogue,
by=user, title="导出工种目录", fmt="xlsx")``. Task arguments must be JSON
values (the database backend stores them).

A job is never left "running" for ever: `job_task` marks it failed when the
task raises (with the task's `JobError` message or a generic Chinese one),
and `expire_job_if_stale` fails a job whose task the backend reports failed or
that has reported nothing for `JOB_STALE_MINUTES` (its worker was killed).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Concatenate, ParamSpec

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks.base import Task
from django_tasks.exceptions import TaskResultDoesNotExist

from gongkao.core.models import BackgroundJob, job_result_upload_to

logger = logging.getLogger(__name__)

P = ParamSpec("P")

GENERIC_ERROR = "处理过程中出现意外错误，请稍后重试；如仍失败，请联系系统管理员。"
ENQUEUE_ERROR = "无法提交后台任务，请稍后重试；如仍失败，请联系系统管理员。"
LOST_ERROR = "后台任务意外中止，请重新发起。"
STALE_ERROR = "任务长时间没有进展，可能已经中断，请重新发起。"

# The page polls once a second: writing progress more often shows nothing more.
PROGRESS_INTERVAL = 1.0
_clock: Callable[[], float] = time.monotonic
# job id -> clock reading of the last progress write, in this process.
_last_progress_write: dict[int, float] = {}

_UNFINISHED = (BackgroundJob.State.QUEUED, BackgroundJob.State.RUNNING)


class JobError(Exception):
    """Raised by a task to fail its job with this (Chinese) message for the user."""


def start_job(
    kind: str,
    task: Task[..., None],
    *,
    by: AbstractBaseUser,
    title: str = "",
    **task_kwargs: Any,
) -> BackgroundJob:
    """Create a queued job for `by` and enqueue `task(job.pk, **task_kwargs)`.

    The task is enqueued once the current transaction commits, so that the
    worker finds the job row. With the immediate backend (tests,
    TASKS_BACKEND=immediate) outside a transaction it runs before this
    returns; the returned job is re-read either way.
    """
    job = BackgroundJob.objects.create(kind=kind, title=title, started_by_id=by.pk)
    transaction.on_commit(functools.partial(_enqueue, job.pk, task, task_kwargs))
    job.refresh_from_db()
    return job


def _enqueue(job_id: int, task: Task[..., None], task_kwargs: dict[str, Any]) -> None:
    try:
        result = task.enqueue(job_id, **task_kwargs)
    except Exception:
        logger.exception("Could not enqueue background job %s", job_id)
        fail_job(job_id, ENQUEUE_ERROR)
        return
    BackgroundJob.objects.filter(pk=job_id).update(task_result_id=str(result.id))


def job_task(
    func: Callable[Concatenate[int, P], None],
) -> Task[Concatenate[int, P], None]:
    """Make `func(job_id, ...)` a task that runs, and always ends, a job.

    The job is marked running first (a job that is no longer queued is not
    run again). If `func` raises, the job fails with the `JobError` message
    or `GENERIC_ERROR`; any other exception is re-raised so the backend
    records and logs it. If `func` returns without `finish_job`, the job is
    finished without a file.
    """

    @functools.wraps(func)
    def run(job_id: int, *args: P.args, **kwargs: P.kwargs) -> None:
        if not _mark_running(job_id):
            logger.warning("Background job %s is not queued; not run", job_id)
            return
        try:
            func(job_id, *args, **kwargs)
        except JobError as exc:
            fail_job(job_id, str(exc) or GENERIC_ERROR)
            return
        except BaseException:
            # BaseException too: a worker stopped twice raises SystemExit here.
            fail_job(job_id, GENERIC_ERROR)
            raise
        finish_job(job_id)

    return task(run)


def _mark_running(job_id: int) -> bool:
    now = timezone.now()
    return bool(
        BackgroundJob.objects.filter(
            pk=job_id, state=BackgroundJob.State.QUEUED
        ).update(state=BackgroundJob.State.RUNNING, running_at=now, updated_at=now)
    )


def report_progress(job_id: int, done: int, total: int, message: str = "") -> None:
    """Record that `done` of `total` items are processed (call it per item).

    Cheap to call often: writes at most once per PROGRESS_INTERVAL seconds per
    job (the first and the last call always write), as one UPDATE of the
    progress columns of a running job. `total` 0 means "not known yet".
    """
    total = max(total, 0)
    done = max(done, 0) if total == 0 else min(max(done, 0), total)
    now = _clock()
    last = _last_progress_write.get(job_id)
    is_last = total > 0 and done == total
    if last is not None and now - last < PROGRESS_INTERVAL and not is_last:
        return
    _last_progress_write[job_id] = now
    BackgroundJob.objects.filter(pk=job_id, state=BackgroundJob.State.RUNNING).update(
        done=done, total=total, message=message[:200], updated_at=timezone.now()
    )


def finish_job(
    job_id: int,
    *,
    content: bytes | None = None,
    filename: str = "",
    content_type: str = "application/octet-stream",
) -> bool:
    """Mark the job done, storing `content` as its download named `filename`.

    The file is stored through Django's storage under an opaque name. Returns
    False (and stores nothing) if the job had already finished or failed.
    """
    _last_progress_write.pop(job_id, None)
    job = BackgroundJob.objects.filter(pk=job_id, state__in=_UNFINISHED).first()
    if job is None:
        return False
    values: dict[str, Any] = {}
    if content is not None:
        if not filename:
            raise ValueError("a job's result file needs a filename")
        storage = job.result_file.storage
        values = {
            "result_file": storage.save(
                job_result_upload_to(job, filename), ContentFile(content)
            ),
            "result_name": filename[:200],
            "result_content_type": content_type,
        }
    now = timezone.now()
    if job.total:
        values["done"] = job.total
    updated = BackgroundJob.objects.filter(pk=job_id, state__in=_UNFINISHED).update(
        state=BackgroundJob.State.DONE,
        message="",
        finished_at=now,
        updated_at=now,
        **values,
    )
    if not updated and "result_file" in values:
        # Failed meanwhile (expired as stale): drop the file nobody can fetch.
        storage.delete(values["result_file"])
    return bool(updated)


def fail_job(job_id: int, error: str) -> bool:
    """Mark an unfinished job failed with `error`, a Chinese sentence for the user.

    Returns False if the job had already finished.
    """
    _last_progress_write.pop(job_id, None)
    now = timezone.now()
    return bool(
        BackgroundJob.objects.filter(pk=job_id, state__in=_UNFINISHED).update(
            state=BackgroundJob.State.FAILED,
            error=error or GENERIC_ERROR,
            finished_at=now,
            updated_at=now,
        )
    )


def expire_job_if_stale(job: BackgroundJob) -> BackgroundJob:
    """Fail `job` if its task can no longer finish it; return it up to date.

    That is: the task backend says the task failed or is unknown (the worker
    died before the task could record anything), or the job has been running
    without any progress for JOB_STALE_MINUTES. A queued job stays queued: it
    waits for a worker.
    """
    if job.is_finished:
        return job
    error = ""
    stale_before = timezone.now() - timedelta(minutes=settings.JOB_STALE_MINUTES)
    if job.state == BackgroundJob.State.RUNNING and job.updated_at < stale_before:
        error = STALE_ERROR
    elif job.task_result_id:
        error = _task_backend_error(job.task_result_id)
    if error and fail_job(job.pk, error):
        logger.warning("Background job %s failed: %s", job.pk, error)
    if error:
        job.refresh_from_db()
    return job


def _task_backend_error(task_result_id: str) -> str:
    backend = task_backends["default"]
    if not backend.supports_get_result:
        return ""
    try:
        result = backend.get_result(task_result_id)
    except TaskResultDoesNotExist:
        return LOST_ERROR
    if result.status == TaskResultStatus.FAILED:
        return LOST_ERROR
    return ""


def result_expired(job: BackgroundJob, now: datetime | None = None) -> bool:
    """A job's file is kept JOB_RESULT_HOURS after the job finished."""
    if job.finished_at is None:
        return False
    limit = timedelta(hours=settings.JOB_RESULT_HOURS)
    return (now or timezone.now()) - job.finished_at > limit


def purge_expired_results(now: datetime | None = None) -> int:
    """Delete the files of jobs finished more than JOB_RESULT_HOURS ago (the
    daily sweep); the job row stays, without its file. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.JOB_RESULT_HOURS)
    purged = 0
    for job in BackgroundJob.objects.filter(finished_at__lt=cutoff).exclude(
        result_file=""
    ):
        job.result_file.delete(save=False)
        BackgroundJob.objects.filter(pk=job.pk).update(
            result_file="", message="文件已过保存期限，已删除。"
        )
        purged += 1
    return purged
