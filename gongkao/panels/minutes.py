"""评审纪要: the minutes of a closed session as PDF (core.pdf.render_pdf,
minutes.typ): attendance, who stood aside and who stood in, each candidate's
vote counts, mean score and result, and signature lines. Counts only: no
ballot of any one expert is printed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from gongkao.core.dates import chinese_date
from gongkao.core.pdf import render_pdf
from gongkao.panels import queries
from gongkao.panels.models import ReviewSession

TEMPLATE = Path(__file__).with_name("minutes.typ")


def document(session: ReviewSession) -> dict[str, Any]:
    panel = session.panel
    settings = queries.settings_of(panel.campaign)
    present = queries.attended(session)
    roster = queries.members(panel)
    results = list(queries.results(session))
    return {
        "title": f"{panel.name}评审纪要",
        "campaign": panel.campaign.name,
        "panel": panel.name,
        "job_types": "、".join(j.name for j in panel.job_types.order_by("code")),
        "held_on": chinese_date(session.held_on),
        "place": session.place or "—",
        "closed_at": timezone.localtime(session.closed_at).strftime("%Y-%m-%d %H:%M")
        if session.closed_at
        else "",
        "reopened": session.reopened,
        "seed": str(panel.seed or ""),
        "rule": (
            f"到会不少于应参评专家的{settings.quorum_numerator}/{settings.quorum_denominator}，"
            f"同意票不少于应参评专家的{settings.majority_numerator}/{settings.majority_denominator}"
            f"（弃权不计为同意），且平均分不低于{settings.pass_mark}分。"
        ),
        "rubric": "、".join(f"{i['name']}{i['points']}分" for i in settings.rubric),
        "members": [
            {
                "name": m.expert.name,
                "unit": m.expert.unit_name,
                "title": m.expert.title,
                "role": "组长" if m.chair else ("候补" if m.reserve else "成员"),
                "present": "出席" if m.pk in present else "未出席",
            }
            for m in roster
        ],
        "results": [
            {
                "code": r.candidate.code,
                "name": r.candidate.application.applicant.name,
                "unit": r.candidate.application.unit.name
                if r.candidate.application.unit
                else "",
                "route": "免理论考试" if r.candidate.exempt else "理论考试合格",
                "eligible": str(r.eligible),
                "present": str(r.present),
                "for": str(r.in_favour),
                "against": str(r.against),
                "abstain": str(r.abstained),
                "mean": f"{r.mean_score}" if r.mean_score is not None else "—",
                "result": "通过" if r.passed else "未通过",
                "reasons": "；".join(r.reasons),
            }
            for r in results
        ],
        "conflicts": [
            {
                "code": r.candidate.code,
                "aside": "、".join(
                    f"{a['name']}（{a['reason']}）" for a in r.stood_aside
                ),
                "stood_in": "、".join(r.stood_in) or "无（候补不足，已告知工考办）",
            }
            for r in results
            if r.stood_aside
        ],
        "signers": [m.expert.name for m in roster if m.pk in present or m.chair],
        "chair": next((m.expert.name for m in roster if m.chair), ""),
    }


def render(session: ReviewSession) -> bytes:
    return render_pdf(TEMPLATE, document(session))
