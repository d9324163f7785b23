"""Background tasks of certificates (run by the worker; see core/jobs.py)."""

from __future__ import annotations

from gongkao.campaigns.models import Campaign
from gongkao.certificates import archives, document, queries
from gongkao.certificates.models import Certificate
from gongkao.core.jobs import JobError, finish_job, job_task, report_progress
from gongkao.core.models import AuditEvent, BackgroundJob
from gongkao.core.services import record_audit
from gongkao.organizations.models import ExamOffice


@job_task
def unit_certificates(
    job_id: int,
    campaign_id: int,
    unit_id: int,
    office_id: int | None = None,
    ip: str | None = None,
) -> None:
    """Every valid certificate of a unit in one PDF, in number order."""
    job = BackgroundJob.objects.select_related("started_by").get(pk=job_id)
    campaign = Campaign.objects.get(pk=campaign_id)
    office = ExamOffice.objects.get(pk=office_id) if office_id else None
    found = list(
        queries.certificates(campaign, office)
        .filter(application__unit_id=unit_id, status=Certificate.Status.VALID)
        .select_related("application__applicant", "application__campaign", "replaces")
        .order_by("number")
    )
    if not found:
        raise JobError("该单位没有有效的证书。")
    report_progress(job_id, 0, len(found))
    content = document.render(found)
    report_progress(job_id, len(found), len(found))
    finish_job(
        job_id,
        content=content,
        filename=f"等级证书-{unit_id}.pdf",
        content_type="application/pdf",
    )
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=job.started_by,
        after={"what": "unit_certificates", "unit": unit_id, "count": len(found)},
        ip=ip,
    )


@job_task
def campaign_archives(
    job_id: int,
    campaign_id: int,
    office_id: int | None = None,
    ip: str | None = None,
) -> None:
    """归档: every candidate's archive PDF of the campaign (in the office's
    scope), in one ZIP."""
    job = BackgroundJob.objects.select_related("started_by").get(pk=job_id)
    campaign = Campaign.objects.get(pk=campaign_id)
    office = ExamOffice.objects.get(pk=office_id) if office_id else None
    found = list(archives.candidates(campaign, office))
    if not found:
        raise JobError("本年度考务还没有提交的申报。")
    report_progress(job_id, 0, len(found))
    content = archives.bundle(
        found, lambda done, total: report_progress(job_id, done, total)
    )
    finish_job(
        job_id,
        content=content,
        filename=f"考核档案-{campaign.year}.zip",
        content_type="application/zip",
    )
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=job.started_by,
        after={
            "what": "campaign_archives",
            "campaign": campaign_id,
            "count": len(found),
        },
        ip=ip,
    )
