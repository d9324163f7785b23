"""Reads of the question bank, blueprints and papers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign, JobType
from gongkao.exams.models import SeatAssignment, Sitting, Subject
from gongkao.organizations.models import Division, ExamOffice
from gongkao.organizations.queries import at_or_above
from gongkao.questions import drawing, exchange
from gongkao.questions.models import Blueprint, Paper, PaperSet, Question


def stored_subjects(campaign: Campaign) -> QuerySet[Subject]:
    """The subjects the exam plan has saved (blueprints belong to them)."""
    return Subject.objects.filter(campaign=campaign).order_by("-level", "order")


def default_bank_office() -> ExamOffice | None:
    """The highest office of the installation (Henan's province sets the
    papers): one whose division has no parent, else the first city's."""
    offices = ExamOffice.objects.select_related("division").order_by("division__code")
    top = offices.filter(division__parent__isnull=True).first()
    if top is not None:
        return top
    return offices.filter(division__kind=Division.Kind.CITY).first() or offices.first()


def bank(office: ExamOffice) -> QuerySet[Question]:
    """The current version of every question of the office's bank."""
    return Question.objects.filter(office=office, is_current=True).select_related(
        "job_type"
    )


def all_versions(office: ExamOffice) -> QuerySet[Question]:
    return Question.objects.filter(office=office)


def versions(office: ExamOffice, uid: str) -> QuerySet[Question]:
    return Question.objects.filter(office=office, uid=uid).order_by("-version")


def bank_counts(office: ExamOffice) -> list[dict[str, object]]:
    """Questions per subject, level and status (the bank's overview)."""
    rows = list(
        bank(office)
        .values("subject", "level")
        .annotate(
            total=Count("id"),
            approved=Count("id", filter=Q(status=Question.Status.APPROVED)),
            draft=Count("id", filter=Q(status=Question.Status.DRAFT)),
        )
        .order_by("subject", "-level")
    )
    for row in rows:
        row["subject_name"] = exchange.SUBJECT_NAMES.get(str(row["subject"]), "")
    return rows


def knowledge_points(office: ExamOffice) -> list[str]:
    return list(
        bank(office)
        .exclude(knowledge_point="")
        .values_list("knowledge_point", flat=True)
        .distinct()
        .order_by("knowledge_point")
    )


def pool(
    campaign: Campaign, subject: Subject, job_type_id: int | None
) -> list[Question]:
    """The approved questions a campaign's subject draws from: those of the
    banks at or above the campaign's city, for the job type where the subject
    is set per job type."""
    questions = Question.objects.filter(
        at_or_above(campaign.division_id, "office__division"),
        is_current=True,
        status=Question.Status.APPROVED,
        subject=subject.code,
        level=subject.level,
    )
    if subject.per_job_type:
        questions = questions.filter(job_type_id=job_type_id)
    else:
        questions = questions.filter(job_type__isnull=True)
    return list(questions.order_by("id").distinct())


def pool_items(questions: list[Question]) -> list[drawing.PoolQuestion]:
    return [
        drawing.PoolQuestion(
            q.id, q.kind, q.knowledge_point, q.difficulty, len(q.options)
        )
        for q in questions
    ]


def blueprint_rows(blueprint: Blueprint) -> list[drawing.Row]:
    return [
        drawing.Row(r.kind, r.count, r.knowledge_point, r.difficulty)
        for r in blueprint.rows.all()
    ]


def blueprint_of(subject: Subject) -> Blueprint | None:
    return Blueprint.objects.filter(subject=subject).prefetch_related("rows").first()


@dataclass(frozen=True)
class Group:
    """The candidates of a sitting who take one subject with one pool."""

    subject: Subject
    job_type: JobType | None
    seats: list[SeatAssignment]

    @property
    def label(self) -> str:
        if self.job_type is None:
            return str(self.subject)
        return f"{self.subject}（{self.job_type.name}）"


def groups_of_sitting(sitting: Sitting) -> list[Group]:
    """Each subject of the sitting × the job types of its seated candidates."""
    seats = list(
        SeatAssignment.objects.filter(sitting=sitting)
        .select_related("application__job_type")
        .order_by("room_id", "number")
    )
    groups: list[Group] = []
    for subject in sitting.subjects.order_by("-level", "order"):
        taking = [s for s in seats if s.application.level == subject.level]
        if not subject.per_job_type:
            if taking:
                groups.append(Group(subject, None, taking))
            continue
        by_type: dict[int, list[SeatAssignment]] = {}
        for seat in taking:
            if seat.application.job_type_id is not None:
                by_type.setdefault(seat.application.job_type_id, []).append(seat)
        for job_type_id in sorted(by_type):
            job_type = by_type[job_type_id][0].application.job_type
            groups.append(Group(subject, job_type, by_type[job_type_id]))
    return groups


@dataclass(frozen=True)
class Readiness:
    group: Group
    blueprint: Blueprint | None
    pool_size: int
    missing: list[drawing.Shortfall]
    papers: int

    @property
    def ready(self) -> bool:
        return (
            self.blueprint is not None
            and not self.missing
            and bool(self.blueprint.rows.all())
        )


def readiness(sitting: Sitting) -> list[Readiness]:
    """For each group of the sitting: can its blueprint be filled, and how
    many papers are built — reported before the sitting, not at its start."""
    built: Counter[tuple[int, int | None]] = Counter(
        Paper.objects.filter(seat__sitting=sitting).values_list(
            "paper_set__subject_id", "paper_set__job_type_id"
        )
    )
    out = []
    for group in groups_of_sitting(sitting):
        blueprint = blueprint_of(group.subject)
        job_type_id = group.job_type.pk if group.job_type else None
        questions = pool(sitting.campaign, group.subject, job_type_id)
        missing = (
            drawing.shortfalls(blueprint_rows(blueprint), pool_items(questions))
            if blueprint is not None
            else []
        )
        out.append(
            Readiness(
                group,
                blueprint,
                len(questions),
                missing,
                built[(group.subject.pk, job_type_id)],
            )
        )
    return out


def paper_sets(sitting: Sitting) -> QuerySet[PaperSet]:
    return (
        PaperSet.objects.filter(sitting=sitting)
        .select_related("subject", "job_type", "built_by")
        .annotate(n_papers=Count("papers"))
        .order_by("-subject__level", "subject__order", "job_type__code")
    )


def papers_of_set(paper_set: PaperSet) -> QuerySet[Paper]:
    return paper_set.papers.select_related(
        "seat__room__centre", "seat__application__applicant"
    ).order_by("seat__room_id", "seat__number")


def paper_questions(paper: Paper) -> dict[int, Question]:
    ids = [item[0] for item in paper.items]
    return Question.objects.in_bulk(ids)


def candidate_papers(user_id: int) -> QuerySet[Paper]:
    """A candidate's own papers, never another's."""
    return Paper.objects.filter(
        seat__application__applicant_id=user_id,
        seat__application__status=Status.QUALIFIED,
    ).select_related("seat__sitting", "subject")


def export_rows(office: ExamOffice) -> list[dict[str, str | int]]:
    rows: list[dict[str, str | int]] = []
    for q in bank(office).order_by("subject", "-level", "job_type__code", "uid"):
        row: dict[str, str | int] = {
            "编号": q.uid,
            "题型": exchange.KIND_NAMES[q.kind],
            "科目": exchange.SUBJECT_NAMES[q.subject],
            "等级": q.level,
            "工种": q.job_type.name if q.job_type else "",
            "题干": q.stem,
            "答案": q.answer_display,
            "难度": q.difficulty or "",
            "知识点": q.knowledge_point,
            "解析": q.explanation,
        }
        if q.kind != Question.Kind.JUDGE:
            for header, text in zip(exchange.OPTION_HEADERS, q.options, strict=False):
                row[header] = text
        rows.append(row)
    return rows


def paper_sets_of_campaign(campaign: Campaign) -> QuerySet[PaperSet]:
    return PaperSet.objects.filter(sitting__campaign=campaign).select_related(
        "sitting", "subject", "job_type"
    )


def papers_of_campaign(campaign: Campaign) -> QuerySet[Paper]:
    return Paper.objects.filter(seat__sitting__campaign=campaign).select_related(
        "paper_set__job_type",
        "subject",
        "seat__sitting",
        "seat__room__centre",
        "seat__application__applicant",
    )
