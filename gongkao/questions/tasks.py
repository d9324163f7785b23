"""Background tasks of the question bank (run by the worker; see core/jobs.py)."""

from __future__ import annotations

from gongkao.core.jobs import JobError, finish_job, job_task, report_progress
from gongkao.core.models import AuditEvent, BackgroundJob
from gongkao.core.services import record_audit
from gongkao.exams.models import Sitting
from gongkao.organizations.models import ExamOffice
from gongkao.questions import exchange, papers, queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@job_task
def export_bank(job_id: int, office_id: int, ip: str | None = None) -> None:
    """The whole bank in the exchange layout; every export is audited."""
    job = BackgroundJob.objects.select_related("started_by").get(pk=job_id)
    office = ExamOffice.objects.select_related("division").get(pk=office_id)
    rows = queries.export_rows(office)
    report_progress(job_id, len(rows), len(rows))
    finish_job(
        job_id,
        content=exchange.write_xlsx(rows),
        filename=f"题库-{office.name}.xlsx",
        content_type=XLSX,
    )
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=job.started_by,
        target=office,
        after={"what": "question_bank", "questions": len(rows)},
        ip=ip,
    )


@job_task
def build(job_id: int, sitting_id: int, ip: str | None = None) -> None:
    job = BackgroundJob.objects.select_related("started_by").get(pk=job_id)
    sitting = Sitting.objects.get(pk=sitting_id)
    try:
        papers.build_papers(
            sitting,
            by=job.started_by,
            ip=ip,
            progress=lambda done, total: report_progress(job_id, done, total),
        )
    except papers.CannotBuild as exc:
        raise JobError("；".join(exc.problems)) from None
    finish_job(job_id)
