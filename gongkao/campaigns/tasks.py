"""Background tasks of the campaigns app (run by the worker; see core/jobs.py).

Each task is started through a service in campaigns/services.py and writes
its audit row itself, as every service does.
"""

from __future__ import annotations

from django.utils import timezone

from gongkao.campaigns.catalogue import EXPORT_CONTENT_TYPES, export_job_types
from gongkao.core.jobs import finish_job, job_task, report_progress
from gongkao.core.models import AuditEvent, BackgroundJob
from gongkao.core.services import record_audit


@job_task
def export_catalogue(job_id: int, fmt: str, ip: str | None = None) -> None:
    """Write the job-type catalogue as `fmt` into the job's download."""
    job = BackgroundJob.objects.select_related("started_by").get(pk=job_id)
    data = export_job_types(
        fmt, progress=lambda done, total: report_progress(job_id, done, total)
    )
    filename = f"jobtypes-{timezone.localdate():%Y%m%d}.{fmt}"
    finish_job(
        job_id,
        content=data,
        filename=filename,
        content_type=EXPORT_CONTENT_TYPES[fmt],
    )
    record_audit(
        AuditEvent.Action.CATALOGUE_EXPORTED,
        by=job.started_by,
        after={"format": fmt, "job": job_id},
        ip=ip,
    )
