"""Writes of the question bank, blueprints and papers; each locks what it
checks and writes its audit row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from gongkao.accounts.models import User
from gongkao.campaigns.models import JobType
from gongkao.core.jobs import start_job
from gongkao.core.models import AuditEvent, BackgroundJob
from gongkao.core.services import client_ip, record_audit
from gongkao.exams.models import Sitting, Subject
from gongkao.organizations.models import ExamOffice
from gongkao.questions import drawing, exchange, tasks
from gongkao.questions.models import Blueprint, BlueprintRow, Question

EXPORT = "questions.export"
BUILD = "questions.build"


def job_type_lookup() -> Callable[[str], int | None]:
    """A job type's id by its name or code (the catalogue is small)."""
    by_text: dict[str, int] = {}
    for pk, code, name in JobType.objects.values_list("id", "code", "name"):
        by_text[code] = pk
        by_text[name] = pk
    return by_text.get


def _lock_bank(office: ExamOffice) -> None:
    """Writes to one bank run one at a time (uids and duplicates are checked)."""
    ExamOffice.objects.select_for_update(of=("self",)).filter(pk=office.pk).first()


def _next_uid(office: ExamOffice, taken: set[str]) -> str:
    n = Question.objects.filter(office=office).values("uid").distinct().count() + 1
    while True:
        uid = f"{office.division.code[:4]}-{n:05d}"
        if (
            uid not in taken
            and not Question.objects.filter(office=office, uid=uid).exists()
        ):
            taken.add(uid)
            return uid
        n += 1


def _duplicate_of(
    office: ExamOffice, q: exchange.ParsedQuestion | Question, uid: str
) -> Question | None:
    """A current question of the bank with the same content, other than `uid`."""
    return (
        Question.objects.filter(
            office=office,
            is_current=True,
            subject=q.subject,
            level=q.level,
            job_type_id=q.job_type_id,
            fingerprint=q.fingerprint,
        )
        .exclude(uid=uid)
        .first()
    )


@dataclass
class ImportResult:
    created: int = 0
    versioned: int = 0
    errors: list[exchange.RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _fields(q: exchange.ParsedQuestion) -> dict[str, Any]:
    return {
        "subject": q.subject,
        "level": q.level,
        "job_type_id": q.job_type_id,
        "kind": q.kind,
        "stem": q.stem,
        "options": q.options,
        "answer": q.answer,
        "difficulty": q.difficulty,
        "knowledge_point": q.knowledge_point,
        "explanation": q.explanation,
        "fingerprint": q.fingerprint,
    }


def import_questions(
    office: ExamOffice,
    data: bytes,
    filename: str,
    *,
    by: User | None,
    status: str = Question.Status.APPROVED,
    dry_run: bool = False,
    request: HttpRequest | None = None,
) -> ImportResult:
    """Import a bank file: all or nothing, every invalid row named. A row
    whose 编号 is in the bank adds a version of that question."""
    parsed = exchange.parse(data, filename, job_type_lookup())
    result = ImportResult(errors=list(parsed.errors), dry_run=dry_run)
    with transaction.atomic():
        _lock_bank(office)
        existing = {
            q.uid: q
            for q in Question.objects.filter(
                office=office,
                is_current=True,
                uid__in=[p.uid for p in parsed.questions if p.uid],
            )
        }
        uid_rows: dict[str, int] = {}
        for q in parsed.questions:
            if q.uid:
                if q.uid in uid_rows:
                    result.errors.append(
                        exchange.RowError(q.row, "编号", f"与第{uid_rows[q.uid]}行重复")
                    )
                    continue
                uid_rows[q.uid] = q.row
            duplicate = _duplicate_of(office, q, q.uid)
            if duplicate is not None:
                result.errors.append(
                    exchange.RowError(q.row, "题干", f"与题库中试题{duplicate.uid}重复")
                )
        result.errors.sort(
            key=lambda e: (
                e.row,
                exchange.HEADER.index(e.column) if e.column in exchange.HEADER else -1,
            )
        )
        if result.errors or dry_run:
            result.created = sum(1 for q in parsed.questions if q.uid not in existing)
            result.versioned = len(parsed.questions) - result.created
            return result
        taken: set[str] = set(uid_rows)
        new_rows: list[Question] = []
        for q in parsed.questions:
            previous = existing.get(q.uid) if q.uid else None
            if previous is not None:
                Question.objects.filter(pk=previous.pk).update(is_current=False)
                version = previous.version + 1
                result.versioned += 1
            else:
                version = 1
                result.created += 1
            new_rows.append(
                Question(
                    office=office,
                    uid=q.uid or _next_uid(office, taken),
                    version=version,
                    status=status,
                    public=previous.public if previous is not None else False,
                    created_by=by,
                    **_fields(q),
                )
            )
        Question.objects.bulk_create(new_rows, batch_size=500)
        record_audit(
            AuditEvent.Action.QUESTIONS_IMPORTED,
            by=by,
            target=office,
            after={
                "file": filename[:100],
                "created": result.created,
                "versioned": result.versioned,
                "status": status,
            },
            request=request,
        )
    return result


class QuestionRefused(ValueError):
    """The reason, in Chinese."""


def save_question(
    office: ExamOffice,
    uid: str | None,
    parsed: exchange.ParsedQuestion,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> Question:
    """Add a question, or change one: a draft is changed in place; an
    approved or retired one gets a new version, and papers keep theirs."""
    with transaction.atomic():
        _lock_bank(office)
        current = None
        if uid is not None:
            current = Question.objects.filter(
                office=office, uid=uid, is_current=True
            ).first()
            if current is None:
                raise QuestionRefused("没有这道试题。")
        duplicate = _duplicate_of(office, parsed, uid or "")
        if duplicate is not None:
            raise QuestionRefused(f"与题库中试题{duplicate.uid}重复。")
        fields = _fields(parsed)
        before = (
            {"version": current.version, "stem": current.stem[:200]}
            if current is not None
            else None
        )
        if current is not None and current.status == Question.Status.DRAFT:
            for name, value in fields.items():
                setattr(current, name, value)
            current.save()
            question = current
        else:
            if current is not None:
                Question.objects.filter(pk=current.pk).update(is_current=False)
            question = Question.objects.create(
                office=office,
                uid=uid or _next_uid(office, set()),
                version=current.version + 1 if current is not None else 1,
                status=current.status if current is not None else Question.Status.DRAFT,
                created_by=by,
                public=current.public if current is not None else False,
                **fields,
            )
        record_audit(
            AuditEvent.Action.QUESTION_CHANGED,
            by=by,
            target=question,
            before=before,
            after={"version": question.version, "stem": question.stem[:200]},
            request=request,
        )
    return question


def set_status(
    question: Question, status: str, *, by: User, request: HttpRequest | None = None
) -> Question:
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if not locked.is_current:
            raise QuestionRefused("只能改变现行版本的状态。")
        before = locked.status
        locked.status = status
        locked.save(update_fields=["status"])
        record_audit(
            AuditEvent.Action.QUESTION_CHANGED,
            by=by,
            target=locked,
            before={"status": before},
            after={"status": status},
            request=request,
        )
    return locked


def start_export(
    office: ExamOffice, *, by: User, request: HttpRequest | None = None
) -> BackgroundJob:
    return start_job(
        EXPORT,
        tasks.export_bank,
        by=by,
        title=f"导出题库（{office}）",
        office_id=office.pk,
        ip=client_ip(request),
    )


class BlueprintRefused(ValueError):
    """The reason, in Chinese."""


def save_blueprint(
    subject: Subject,
    *,
    points: dict[str, Decimal],
    multiple_partial: bool,
    rows: list[drawing.Row],
    by: User,
    request: HttpRequest | None = None,
) -> Blueprint:
    """Replace a subject's blueprint; its points must add up to full marks."""
    if not rows:
        raise BlueprintRefused("组卷规则至少需要一行。")
    total = drawing.total_points(rows, points)
    if total != subject.full_marks:
        raise BlueprintRefused(
            f"各题型题数×分值合计为{total.normalize():f}分，"
            f"应为满分{subject.full_marks.normalize():f}分。"
        )
    with transaction.atomic():
        blueprint, _ = Blueprint.objects.select_for_update().get_or_create(
            subject=subject
        )
        before = {
            "rows": [
                [r.kind, r.count, r.knowledge_point, r.difficulty]
                for r in blueprint.rows.all()
            ],
        }
        blueprint.single_points = points["single"]
        blueprint.multiple_points = points["multiple"]
        blueprint.judge_points = points["judge"]
        blueprint.multiple_partial = multiple_partial
        blueprint.updated_by = by
        blueprint.save()
        blueprint.rows.all().delete()
        BlueprintRow.objects.bulk_create(
            BlueprintRow(
                blueprint=blueprint,
                kind=row.kind,
                count=row.count,
                knowledge_point=row.knowledge_point,
                difficulty=row.difficulty,
                order=i,
            )
            for i, row in enumerate(rows)
        )
        record_audit(
            AuditEvent.Action.CONFIG_CHANGED,
            by=by,
            target=blueprint,
            before=before,
            after={
                "rows": [
                    [r.kind, r.count, r.knowledge_point, r.difficulty] for r in rows
                ],
                "points": {k: str(v) for k, v in points.items()},
                "multiple_partial": multiple_partial,
            },
            request=request,
        )
    return blueprint


def start_build(
    sitting: Sitting, *, by: User, request: HttpRequest | None = None
) -> BackgroundJob:
    return start_job(
        BUILD,
        tasks.build,
        by=by,
        title=f"生成试卷：{sitting}",
        sitting_id=sitting.pk,
        ip=client_ip(request),
    )


def set_public(
    question: Question, public: bool, *, by: User, request: HttpRequest | None = None
) -> Question:
    """Mark a question public for the practice test, or take it back."""
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if not locked.is_current:
            raise QuestionRefused("只能设置现行版本。")
        locked.public = public
        locked.save(update_fields=["public"])
        record_audit(
            AuditEvent.Action.QUESTION_CHANGED,
            by=by,
            target=locked,
            after={"public": public},
            request=request,
        )
    return locked
