"""Background tasks of the review app (run by the worker; see core/jobs.py).

Large exports run here instead of inside a request: the office's summary of
a whole jurisdiction holds tens of thousands of rows. Each task is started
by a service in review/services.py; the export writes its own audit row.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gongkao.accounts.models import RoleAssignment
from gongkao.campaigns.models import Campaign
from gongkao.core.exports import XLSX_CONTENT_TYPE
from gongkao.core.jobs import JobError, finish_job, job_task, report_progress
from gongkao.core.models import BackgroundJob
from gongkao.review import queries, reports


@job_task
def export_summary(
    job_id: int,
    assignment_id: int,
    campaign_id: int,
    city_wide: bool,
    ip: str | None = None,
) -> None:
    """报名信息汇总 of the office's scope (or the city) into the job's download."""
    job = BackgroundJob.objects.select_related("started_by").get(pk=job_id)
    assignment = (
        RoleAssignment.objects.select_related("office", "unit")
        .filter(pk=assignment_id, user=job.started_by)
        .first()
    )
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if assignment is None or campaign is None or job.started_by is None:
        raise JobError("导出的范围已不存在，请重新导出。")
    apps = queries.office_applications(assignment, campaign, city_wide=city_wide)
    data = reports.export_summary(
        assignment,
        apps,
        by=job.started_by,
        ip=ip,
        progress=lambda done, total: report_progress(job_id, done, total),
    )
    finish_job(
        job_id,
        content=data,
        filename=f"报名信息汇总-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@job_task
def export_queue(
    job_id: int,
    assignment_id: int,
    filters: dict[str, Any],
    params: dict[str, str],
    ip: str | None = None,
) -> None:
    """A reviewer's queue with its filters (parsed by the page's form) into
    the job's download."""
    job = BackgroundJob.objects.select_related("started_by").get(pk=job_id)
    assignment = (
        RoleAssignment.objects.select_related("office", "unit")
        .filter(pk=assignment_id, user=job.started_by)
        .first()
    )
    if assignment is None or job.started_by is None:
        raise JobError("导出的范围已不存在，请重新导出。")
    apps = queries.filter_queue(
        queries.scoped_applications(assignment), filters
    ).order_by(*queries.QUEUE_ORDER)
    data = reports.export_queue(
        assignment,
        apps,
        filters=params,
        by=job.started_by,
        ip=ip,
        progress=lambda done, total: report_progress(job_id, done, total),
    )
    finish_job(
        job_id,
        content=data,
        filename=f"申报列表-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
