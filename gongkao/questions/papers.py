"""Building the papers of a sitting before it starts, and rebuilding one
from its seed to check it."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkao.accounts.models import User
from gongkao.core.models import AuditEvent
from gongkao.core.services import record_audit
from gongkao.exams.models import Sitting
from gongkao.questions import drawing, exchange, queries
from gongkao.questions.models import Paper, PaperSet, Question
from gongkao.questions.permissions import papers_rebuildable


class CannotBuild(Exception):
    """Why the papers of a sitting cannot be built (Chinese lines)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def shortfall_text(label: str, missing: list[drawing.Shortfall]) -> list[str]:
    lines = []
    for m in missing:
        what = exchange.KIND_NAMES[m.row.kind]
        if m.row.knowledge_point:
            what += f"（知识点：{m.row.knowledge_point}）"
        if m.row.difficulty:
            what += f"（难度{m.row.difficulty}）"
        lines.append(f"{label}：{what}需要{m.row.count}题，题库只有{m.have}题")
    return lines


def build_papers(
    sitting: Sitting,
    *,
    by: User | None,
    ip: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    before_doors_only: bool = True,
) -> int:
    """Build every paper of a sitting before it starts: all or nothing.

    Each group (subject × job type) records its blueprint and pool; each
    candidate's paper draws from them with its own seed. Building again
    before the doors open replaces the papers.
    """
    with transaction.atomic():
        locked = (
            Sitting.objects.select_for_update(of=("self",))
            .select_related("campaign")
            .get(pk=sitting.pk)
        )
        if before_doors_only and not papers_rebuildable(locked, timezone.now()):
            raise CannotBuild(["考生已开始入场，试卷不能再生成。"])
        checks = queries.readiness(locked)
        if not checks:
            raise CannotBuild(["本场次还没有编排考生。"])
        problems: list[str] = []
        for check in checks:
            if check.blueprint is None or not check.blueprint.rows.all():
                problems.append(f"{check.group.label}：尚未制定组卷规则")
            problems += shortfall_text(check.group.label, check.missing)
        if problems:
            raise CannotBuild(problems)
        # Whatever the clock says: a paper a candidate has logged in to (an
        # attempt holds it, with its answers) is never replaced.
        if Paper.objects.filter(seat__sitting=locked, attempt__isnull=False).exists():
            raise CannotBuild(["考生已登录作答，试卷不能再生成。"])
        Paper.objects.filter(seat__sitting=locked).delete()
        PaperSet.objects.filter(sitting=locked).delete()
        now = timezone.now()
        total = sum(len(c.group.seats) for c in checks)
        done = 0
        for check in checks:
            group = check.group
            blueprint = check.blueprint
            assert blueprint is not None
            rows = queries.blueprint_rows(blueprint)
            points = blueprint.points()
            job_type_id = group.job_type.pk if group.job_type else None
            pool = queries.pool_items(
                queries.pool(locked.campaign, group.subject, job_type_id)
            )
            paper_set = PaperSet.objects.create(
                sitting=locked,
                subject=group.subject,
                job_type=group.job_type,
                rows=[[r.kind, r.count, r.knowledge_point, r.difficulty] for r in rows],
                points={k: str(v) for k, v in points.items()},
                multiple_partial=blueprint.multiple_partial,
                pool=[q.id for q in pool],
                built_at=now,
                built_by=by,
            )
            papers = []
            for seat in group.seats:
                seed = secrets.randbits(62)
                items = drawing.draw(rows, pool, points, seed)
                papers.append(
                    Paper(
                        seat=seat,
                        subject=group.subject,
                        paper_set=paper_set,
                        seed=seed,
                        items=[[i.question_id, i.order, str(i.points)] for i in items],
                        built_at=now,
                    )
                )
                done += 1
                if progress is not None and done % 200 == 0:
                    progress(done, total)
            Paper.objects.bulk_create(papers, batch_size=500)
        record_audit(
            AuditEvent.Action.PAPERS_BUILT,
            by=by,
            target=locked,
            after={"papers": total, "sets": len(checks)},
            ip=ip,
        )
    if progress is not None:
        progress(total, total)
    return total


def rebuild(paper: Paper) -> list[list[Any]]:
    """The paper's items drawn again from its seed and its set's record."""
    paper_set = paper.paper_set
    rows = [
        drawing.Row(kind, count, kp, difficulty)
        for kind, count, kp, difficulty in paper_set.rows
    ]
    points = {k: Decimal(v) for k, v in paper_set.points.items()}
    by_id = Question.objects.in_bulk(paper_set.pool)
    pool = queries.pool_items([by_id[i] for i in paper_set.pool if i in by_id])
    items = drawing.draw(rows, pool, points, paper.seed)
    return [[i.question_id, i.order, str(i.points)] for i in items]
