"""归档: one PDF per candidate with everything the campaign recorded of them
(the application as submitted, every review decision with its reasons, the
on-site record and fee, the ticket and seats, the scores or the panel's
result, re-checks, the publication and the certificate), through the one
PDF path (core.pdf.render_pdf, archive.typ); a whole campaign's as a ZIP in
a background task."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.models import LEVEL_CHOICES, Campaign
from gongkao.certificates.models import Certificate
from gongkao.core.pdf import render_pdf
from gongkao.eligibility.labels import EDUCATION_NAMES, ROUTE_LABELS
from gongkao.exams.models import SeatAssignment
from gongkao.organizations.models import ExamOffice
from gongkao.organizations.queries import units_of_office
from gongkao.panels.models import SessionResult
from gongkao.results import queries as result_queries
from gongkao.results.models import PublishedResult, SubjectScore
from gongkao.review.models import FeePayment, Review

TEMPLATE = Path(__file__).with_name("archive.typ")
LEVELS = dict(LEVEL_CHOICES)


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def candidates(campaign: Campaign, office: ExamOffice | None) -> QuerySet[Application]:
    """Every submitted application of the campaign in the office's scope
    (qualified or not: a refusal is archived too), in unit order."""
    found = Application.objects.filter(campaign=campaign).exclude(status=Status.DRAFT)
    if office is not None:
        found = found.filter(unit__in=units_of_office(office, include_inactive=True))
    return found.select_related("applicant", "unit", "job_type", "campaign").order_by(
        "unit__name", "pk"
    )


def _record(snapshot: dict[str, Any] | None) -> list[list[str]]:
    record = (snapshot or {}).get("record", {})
    rows = [
        ["出生日期", record.get("birth_date") or ""],
        ["性别", {"M": "男", "F": "女"}.get(record.get("gender") or "", "")],
        ["参加工作时间", record.get("work_start_date") or ""],
        ["最高文化程度", EDUCATION_NAMES.get(record.get("education") or "", "")],
        [
            "已取得证书",
            "；".join(
                f"{LEVELS.get(c.get('level'), c.get('level'))} {c.get('job_type', '')}"
                f"（{c.get('cert_date', '')}）"
                for c in record.get("certificates", [])
            )
            or "无",
        ],
        [
            "年度考核",
            "；".join(
                f"{y}年：{r}"
                for y, r in sorted(record.get("annual_reviews", {}).items())
            )
            or "无",
        ],
        ["荣誉", str(len(record.get("honors", []))) + "项"],
        ["专利", str(len(record.get("patents", []))) + "项"],
    ]
    return rows


def document(application: Application) -> dict[str, Any]:
    applicant = application.applicant
    snapshot = application.snapshot or {}
    reviews = [
        [
            r.get_step_display(),
            str(r.round),
            r.get_decision_display(),
            str(r.reviewer),
            _when(r.decided_at),
            r.note,
        ]
        for r in Review.objects.filter(application=application)
        .select_related("reviewer")
        .order_by("decided_at", "pk")
    ]
    changes = [
        [
            _when(c.at),
            f"{c.get_from_status_display()} → {c.get_to_status_display()}",
            c.by_label or (str(c.by) if c.by_id else "系统"),
            "；".join(
                str(r.get("text", r)) if isinstance(r, dict) else str(r)
                for r in c.reasons
            )
            or c.note,
        ]
        for c in application.status_changes.select_related("by").order_by("at", "pk")
    ]
    fee = FeePayment.objects.filter(application=application).first()
    ticket = getattr(application, "ticket", None)
    seats = [
        [
            s.sitting.name,
            f"{s.sitting.date:%Y-%m-%d} {s.sitting.start_time:%H:%M}",
            str(s.room),
            f"{s.number:02d}",
        ]
        for s in SeatAssignment.objects.filter(application=application).select_related(
            "sitting", "room__centre"
        )
    ]
    scores = [
        [
            s.subject.name,
            s.shown,
            s.get_source_display(),
            _when(s.released_at),
            (
                f"复查：{s.recheck.get_outcome_display() or '待答复'}"
                if hasattr(s, "recheck")
                else ""
            ),
        ]
        for s in SubjectScore.objects.filter(application=application)
        .select_related("subject", "recheck")
        .order_by("subject__order")
    ]
    panel = [
        [
            f"{r.session.held_on:%Y-%m-%d}",
            f"应参评{r.eligible}人，实参评{r.present}人",
            f"同意{r.in_favour} 不同意{r.against} 弃权{r.abstained}",
            f"{r.mean_score}" if r.mean_score is not None else "",
            "通过" if r.passed else "未通过",
        ]
        for r in SessionResult.objects.filter(
            candidate__application=application, session__closed_at__isnull=False
        ).select_related("session")
    ]
    published = [
        [
            e.publication.title,
            f"{timezone.localdate(e.publication.published_at):%Y-%m-%d}至{e.publication.ends_on:%Y-%m-%d}",
            f"异议{e.objections.count()}件",
            f"已撤销：{e.withdrawn_reason}" if e.withdrawn_at else "有效",
        ]
        for e in PublishedResult.objects.filter(application=application).select_related(
            "publication"
        )
    ]
    certificates = [
        [c.number, f"{c.cert_date:%Y-%m-%d}", c.get_status_display(), c.reason]
        for c in Certificate.objects.filter(application=application).order_by(
            "issued_at"
        )
    ]
    verdict = (
        result_queries.verdict_of(application)
        if application.status == Status.QUALIFIED
        else None
    )
    return {
        "title": f"{application.campaign.name} 考核档案 {applicant.name}",
        "campaign": application.campaign.name,
        "made": _when(timezone.now()),
        "person": [
            ["姓名", applicant.name],
            ["公民身份号码", applicant.id_number],
            ["工作单位", application.unit.name if application.unit else ""],
            ["申报等级", LEVELS.get(application.level or 0, "")],
            ["申报工种", application.job_type.name if application.job_type else ""],
            ["申报途径", ROUTE_LABELS.get(application.route, application.route)],
            ["首次提交", _when(application.submitted_at)],
            ["当前状态", application.get_status_display()],
        ],
        "record": _record(snapshot),
        "materials": [
            [m.get("slot", ""), str(m.get("version", "")), m.get("sha256", "")[:16]]
            for m in snapshot.get("materials", [])
        ],
        "reviews": reviews,
        "changes": changes,
        "onsite": [
            ["需现场审查原件", "是" if application.onsite_required else "否"],
            [
                "已核验原件",
                "、".join(str(x) for x in application.originals_seen) or "无",
            ],
            [
                "缴费",
                f"{fee.amount}元，{fee.get_method_display()}，票据号{fee.receipt_number}"
                if fee
                else "无记录",
            ],
        ],
        "ticket": ticket.number if ticket else "",
        "seats": seats,
        "scores": scores,
        "panel": panel,
        "verdict": (
            verdict.state.label
            + ("：" + "；".join(verdict.reasons) if verdict.reasons else "")
        )
        if verdict
        else "未进入考试",
        "published": published,
        "certificates": certificates,
    }


def render(application: Application) -> bytes:
    return render_pdf(TEMPLATE, document(application))


def bundle(
    applications: list[Application], progress: Callable[[int, int], None]
) -> bytes:
    """A ZIP of one archive PDF per candidate, named by unit and name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, application in enumerate(applications, start=1):
            unit = application.unit.name if application.unit else "无单位"
            name = f"{unit}/{application.pk:07d}-{application.applicant.name}.pdf"
            archive.writestr(name, render(application))
            progress(n, len(applications))
    return buffer.getvalue()
