"""The what-if run as a background task (core/jobs.py): judge, count, store."""

from __future__ import annotations

from django.utils import timezone

from gongkao.core.jobs import JobError, finish_job, job_task, report_progress
from gongkao.eligibility import UnknownPolicyError
from gongkao.eligibility.policyfile import PolicyFileError
from gongkao.policies.queries import load_policy
from gongkao.whatif.compare import compare
from gongkao.whatif.models import WhatIfRun
from gongkao.whatif.queries import submitted_of, submitted_rows


@job_task
def run_whatif(job_id: int, run_id: int) -> None:
    """Judge the run's campaign under its policy; store the counts and the flips.

    Reads the applications, never writes them.
    """
    run = WhatIfRun.objects.select_related("campaign", "office").get(pk=run_id)
    try:
        policy = load_policy(run.policy_id)
    except (UnknownPolicyError, PolicyFileError):
        raise JobError(f"试算政策 {run.policy_id} 已不可用。") from None
    if policy.content_hash != run.policy_hash:
        raise JobError("试算政策在发起试算后已被修改，请重新发起试算。")
    applications = submitted_of(run.campaign, run.office)
    total = applications.count()
    report_progress(job_id, 0, total)
    outcome = compare(
        submitted_rows(applications),
        policy,
        progress=lambda done: report_progress(job_id, done, total),
    )
    run.total, run.errors = outcome.total, outcome.errors
    run.lost, run.gained = outcome.lost, outcome.gained
    run.by_level = [
        [level, *counts] for level, counts in sorted(outcome.by_level.items())
    ]
    run.by_unit = [[unit, *counts] for unit, counts in sorted(outcome.by_unit.items())]
    run.flips = [
        {
            "application_id": flip.application_id,
            "name": flip.name,
            "unit": flip.unit,
            "level": flip.level,
            "job_type": flip.job_type,
            "direction": flip.direction,
            "clauses": list(flip.clauses),
            "lines": list(flip.lines),
        }
        for flip in outcome.flips
    ]
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "total",
            "errors",
            "lost",
            "gained",
            "by_level",
            "by_unit",
            "flips",
            "finished_at",
        ]
    )
    finish_job(job_id)
