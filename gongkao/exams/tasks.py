"""Background tasks of the exam plan (run by the worker; see core/jobs.py)."""

from __future__ import annotations

from gongkao.campaigns.models import Campaign
from gongkao.core.jobs import JobError, finish_job, job_task, report_progress
from gongkao.core.models import BackgroundJob
from gongkao.exams import seating


@job_task
def allocate(job_id: int, campaign_id: int, ip: str | None = None) -> None:
    job = BackgroundJob.objects.select_related("started_by").get(pk=job_id)
    campaign = Campaign.objects.get(pk=campaign_id)
    try:
        seating.allocate_seats(
            campaign,
            by=job.started_by,
            ip=ip,
            progress=lambda done, total: report_progress(job_id, done, total),
        )
    except seating.PlanLocked as exc:
        raise JobError(str(exc)) from None
    finish_job(job_id)
