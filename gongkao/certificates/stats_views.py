"""统计分析: a campaign's statistics by level, job type, unit and division,
with charts and the numbers, and the same as an Excel workbook (one sheet
per grouping; the export is audited). Scoped like the results pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkao.accounts.access import request_user
from gongkao.certificates import services, stats
from gongkao.core.exports import Column, workbook_bytes, xlsx_response
from gongkao.results.views import Office, office_of

# The charts draw the largest categories; the tables and the workbook hold all.
CHARTED = 12

SERIES = [
    ("applied", "申报"),
    ("qualified", "资格审查通过"),
    ("sat", "参考"),
    ("passed", "合格"),
]


def _chart(title: str, rows: list[stats.Row]) -> dict[str, Any]:
    shown = rows[:CHARTED]
    noun = title.removeprefix("按")
    return {
        "type": "bar",
        "title": f"各{noun}人数"
        if len(rows) <= CHARTED
        else f"申报人数最多的{CHARTED}个{noun}",
        "category_label": noun,
        "categories": [r.label for r in shown],
        "series": [
            {"name": name, "data": [getattr(r, key) for r in shown]}
            for key, name in SERIES
        ],
    }


def _scope_label(office: Office) -> str:
    if office.scope is None:
        return f"{office.campaign.division}全市"
    return office.scope.name


def _columns(heading: str) -> list[Column]:
    return [
        Column(heading.removeprefix("按"), 30),
        Column("申报人数", 10, "int"),
        Column("资格审查通过", 12, "int"),
        Column("参考人数", 10, "int"),
        Column("合格人数", 10, "int"),
        Column("合格率（%）", 10),
    ]


def _export(request: HttpRequest, office: Office, found: stats.Stats) -> HttpResponse:
    sheets = [
        (
            heading,
            _columns(heading),
            [*(row.cells() for row in found.groups[key]), found.total.cells()],
        )
        for key, heading in stats.GROUPINGS
    ]
    data = workbook_bytes(
        sheets,
        title=f"{office.campaign.name} 统计分析",
        subtitle=f"{_scope_label(office)} · 截至{timezone.localdate():%Y-%m-%d} · "
        "合格人数为公示期满、异议全部答复且未被撤销的公示人员；合格率 = 合格人数 ÷ 参考人数",
    )
    services.record_stats_export(
        office.campaign,
        office.scope,
        by=request_user(request),
        rows=found.total.applied,
        request=request,
    )
    return xlsx_response(data, f"{office.campaign.name}统计分析.xlsx")


@login_required
def campaign_stats(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """统计分析 of the campaign in the office's scope; `?export=xlsx`."""
    office = office_of(request, assignment_id)
    found = stats.campaign_stats(office.campaign, office.scope)
    if request.GET.get("export") == "xlsx":
        return _export(request, office, found)
    groups = [
        {
            "key": key,
            "heading": heading,
            "rows": found.groups[key],
            "chart": _chart(heading, found.groups[key]),
        }
        for key, heading in stats.GROUPINGS
    ]
    context = office.context(
        total=found.total,
        groups=groups,
        scope_label=_scope_label(office),
        today=timezone.localdate(),
    )
    return render(request, "certificates/stats.html", context)
