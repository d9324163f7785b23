"""Writes of the what-if pages: start a run, export its result (audited)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from gongkao.accounts.models import User
from gongkao.campaigns.models import LEVEL_CHOICES, Campaign
from gongkao.core.exports import Column, workbook_bytes
from gongkao.core.jobs import start_job
from gongkao.core.models import AuditEvent
from gongkao.core.services import record_audit
from gongkao.eligibility import Policy
from gongkao.organizations.models import ExamOffice
from gongkao.whatif import tasks
from gongkao.whatif.compare import LOST
from gongkao.whatif.models import WhatIfRun

WHATIF_RUN = "whatif.run"
LEVEL_NAMES = dict(LEVEL_CHOICES)
DIRECTION_NAMES = {LOST: "符合 → 不符合", "gained": "不符合 → 符合"}


@transaction.atomic
def start_whatif(
    *,
    office: ExamOffice,
    campaign: Campaign,
    policy: Policy,
    by: User,
) -> WhatIfRun:
    """Create the run and start its task; nothing about the applications changes."""
    run = WhatIfRun.objects.create(
        office=office,
        campaign=campaign,
        policy_id=policy.policy_id,
        policy_hash=policy.content_hash,
        created_by=by,
    )
    job = start_job(
        WHATIF_RUN,
        tasks.run_whatif,
        by=by,
        title=f"政策试算：{policy.policy_id} × {campaign.name}",
        run_id=run.pk,
    )
    run.job = job
    run.save(update_fields=["job"])
    return run


def export_run(
    run: WhatIfRun, *, by: User, request: HttpRequest | None = None
) -> bytes:
    """The run's flips and counts as .xlsx; one audit row (names are personal data)."""
    flips = [
        (
            DIRECTION_NAMES.get(flip["direction"], flip["direction"]),
            flip["name"],
            flip["unit"],
            LEVEL_NAMES.get(flip["level"], str(flip["level"])),
            flip["job_type"],
            "、".join(flip["clauses"]),
            "\n".join(flip["lines"]),
        )
        for flip in run.flips
    ]
    counts = [
        Column("申报数", 10, "int"),
        Column("符合→不符合", 14, "int"),
        Column("不符合→符合", 14, "int"),
    ]
    data = workbook_bytes(
        [
            (
                "变化名单",
                [
                    Column("变化", 16),
                    Column("姓名", 10),
                    Column("单位", 28),
                    Column("申报等级", 10),
                    Column("申报工种", 16),
                    Column("条款", 16),
                    Column("试算说明", 60),
                ],
                flips,
            ),
            (
                "按等级",
                [Column("等级", 10), *counts],
                [
                    (LEVEL_NAMES.get(level, str(level)), *numbers)
                    for level, *numbers in run.by_level
                ],
            ),
            (
                "按单位",
                [Column("单位", 28), *counts],
                [tuple(row) for row in run.by_unit],
            ),
        ],
        title=f"政策试算：{run.policy_id} × {run.campaign.name}",
        subtitle=(
            f"试算{run.total}份已提交申报；符合→不符合 {run.lost} 人，"
            f"不符合→符合 {run.gained} 人。试算不改变任何申报。"
        ),
    )
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=by,
        target=run,
        after={"what": "whatif", "rows": len(flips)},
        request=request,
    )
    return data
