"""合格人员通知: a PDF per unit listing its people whose result stands after
the publication (core.pdf.render_pdf, notice.typ)."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path
from typing import Any

from django.utils import timezone

from gongkao.campaigns.models import LEVEL_CHOICES
from gongkao.core.dates import chinese_date
from gongkao.core.pdf import render_pdf
from gongkao.results import queries
from gongkao.results.models import Objection, Publication

TEMPLATE = Path(__file__).with_name("notice.typ")
LEVELS = dict(LEVEL_CHOICES)


def document(publication: Publication, unit_id: int | None = None) -> dict[str, Any]:
    """The notice of every unit on the publication (or of one)."""
    entries = [
        e
        for e in queries.final_entries(publication)
        if unit_id is None or e.application.unit_id == unit_id
    ]
    entries.sort(key=lambda e: (e.unit_name, e.number))
    units = [
        {
            "name": name,
            "people": [
                {
                    "name": e.name,
                    "job_type": e.job_type_name,
                    "level": str(LEVELS.get(e.level, e.level)),
                    "ticket": e.application.ticket.number
                    if hasattr(e.application, "ticket")
                    else "",
                }
                for e in group
            ],
        }
        for name, group in groupby(entries, key=lambda e: e.unit_name)
    ]
    objected = Objection.objects.filter(entry__publication=publication).exists()
    return {
        "title": "工勤技能岗位等级考核合格人员通知",
        "number_prefix": f"{publication.campaign.name} 合格通知",
        "office": publication.office.name,
        "date": chinese_date(timezone.localdate()),
        "body": (
            f"经考核考评并公示（{chinese_date(timezone.localdate(publication.published_at))}"
            f"至{chinese_date(publication.ends_on)}），"
            f"{'期满，异议已调查处理' if objected else '期满无异议'}，"
            "你单位下列{n}名同志工勤技能岗位等级考核合格。"
            "请通知本人，并按规定办理证书及岗位聘用等有关手续。"
        ),
        "units": units,
    }


def render(publication: Publication, unit_id: int | None = None) -> bytes:
    return render_pdf(TEMPLATE, document(publication, unit_id))
