"""Background tasks of the exam plan (run by the worker; see core/jobs.py)."""

from __future__ import annotations

from gongkao.campaigns.models import Campaign
from gongkao.core.jobs import JobError, finish_job, job_task, report_progress
from gongkao.core.models import AuditEvent, BackgroundJob
from gongkao.core.services import record_audit
from gongkao.exams import seating
from gongkao.exams.models import AdmissionTicket
from gongkao.exams.ticket_pdf import render_tickets
from gongkao.organizations.models import ExamOffice


@job_task
def allocate(
    job_id: int,
    campaign_id: int,
    ip: str | None = None,
    office_id: int | None = None,
) -> None:
    job = BackgroundJob.objects.select_related("started_by").get(pk=job_id)
    campaign = Campaign.objects.get(pk=campaign_id)
    office = ExamOffice.objects.get(pk=office_id) if office_id else None
    try:
        seating.allocate_seats(
            campaign,
            office,
            by=job.started_by,
            ip=ip,
            progress=lambda done, total: report_progress(job_id, done, total),
        )
    except seating.PlanLocked as exc:
        raise JobError(str(exc)) from None
    finish_job(job_id)


@job_task
def unit_tickets(
    job_id: int, campaign_id: int, unit_id: int, ip: str | None = None
) -> None:
    """Every ticket of a unit's candidates in one PDF (the clerk prints them)."""
    job = BackgroundJob.objects.select_related("started_by").get(pk=job_id)
    tickets = list(
        AdmissionTicket.objects.filter(
            application__campaign_id=campaign_id,
            application__unit_id=unit_id,
            withdrawn_at__isnull=True,
        )
        .select_related(
            "application__applicant",
            "application__campaign",
            "application__unit",
            "application__job_type",
        )
        .order_by("number")
    )
    if not tickets:
        raise JobError("本单位还没有发放的准考证。")
    report_progress(job_id, 0, len(tickets))
    content = render_tickets(tickets)
    report_progress(job_id, len(tickets), len(tickets))
    finish_job(
        job_id,
        content=content,
        filename=f"准考证-{tickets[0].application.unit_id}.pdf",
        content_type="application/pdf",
    )
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=job.started_by,
        after={"what": "unit_tickets", "unit": unit_id, "tickets": len(tickets)},
        ip=ip,
    )
