"""Reads of results: the scores as released, who passed, re-checks,
publications and the public lookups. Every office read is scoped by the
campaign and the office's plan (exams.queries.scope)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from gongkao.accounts import crypto
from gongkao.accounts.idnumbers import InvalidIdNumber, parse_id_number
from gongkao.accounts.models import User
from gongkao.applications.models import Application, ApplicationCount
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign
from gongkao.cbt.models import Attempt, ScoreRelease
from gongkao.cbt.services import settings_of as cbt_settings_of
from gongkao.core.queries import work_calendar
from gongkao.core.workdays import add_working_days
from gongkao.exams import queries as exam_queries
from gongkao.exams.models import AdmissionTicket, Sitting, Subject, TheoryExemption
from gongkao.organizations.models import ExamOffice
from gongkao.organizations.queries import units_of_office
from gongkao.panels.models import SessionResult
from gongkao.results.models import (
    Objection,
    Publication,
    PublishedResult,
    Recheck,
    ResultSettings,
    SubjectScore,
)
from gongkao.results.passing import Mark, State, Verdict, verdict

PAGE = 100


def settings_of(campaign: Campaign) -> ResultSettings:
    """The campaign's settings, or the defaults (unsaved) before any were set."""
    found = ResultSettings.objects.filter(campaign=campaign).first()
    return found or ResultSettings(campaign=campaign)


def subjects_of(campaign_id: int, level: int) -> list[Subject]:
    """The subjects a level's result needs: every subject of levels 5–2, the
    theory subjects of level 1."""
    found = Subject.objects.filter(campaign_id=campaign_id, level=level)
    if level == 1:
        found = found.filter(theory=True)
    return list(found.order_by("order", "pk"))


def released(sitting: Sitting) -> ScoreRelease | None:
    return ScoreRelease.objects.filter(sitting=sitting).first()


# ---- who passed ----


def verdicts(
    applications: Iterable[Application],
    among: QuerySet[Application] | None = None,
) -> dict[int, Verdict]:
    """Each application's result, read in a few queries whatever their number.
    `among`, the queryset the applications come from, is read by sub-select
    rather than as a list of ids: tens of thousands of literal ids cost
    PostgreSQL far more than the join."""
    apps = list(applications)
    ids: Any = (
        among.order_by().values("pk") if among is not None else [a.pk for a in apps]
    )
    scores: dict[int, dict[int, SubjectScore]] = defaultdict(dict)
    for row in SubjectScore.objects.filter(application_id__in=ids):
        scores[row.application_id][row.subject_id] = row
    exempt = set(
        TheoryExemption.objects.filter(
            application_id__in=ids, confirmed=True
        ).values_list("application_id", flat=True)
    )
    panel: dict[int, bool] = {}
    for app_id, passed in (
        SessionResult.objects.filter(
            candidate__application_id__in=ids, session__closed_at__isnull=False
        )
        .order_by("session__closed_at", "pk")
        .values_list("candidate__application_id", "passed")
    ):
        panel[app_id] = passed  # the last closed session's result wins
    withdrawn: dict[int, str] = {}
    active: set[int] = set()
    for app_id, at, reason in PublishedResult.objects.filter(
        application_id__in=ids
    ).values_list("application_id", "withdrawn_at", "withdrawn_reason"):
        if at is None:
            active.add(app_id)
        else:
            withdrawn[app_id] = reason
    subjects: dict[tuple[int, int], list[Subject]] = {}
    found: dict[int, Verdict] = {}
    for app in apps:
        key = (app.campaign_id, app.level or 0)
        if key not in subjects:
            subjects[key] = subjects_of(*key)
        marks = [
            _mark(subject, scores[app.pk].get(subject.pk)) for subject in subjects[key]
        ]
        found[app.pk] = verdict(
            key[1],
            marks,
            exempt=app.pk in exempt,
            panel=panel.get(app.pk),
            withdrawn="" if app.pk in active else withdrawn.get(app.pk, ""),
        )
    return found


def _mark(subject: Subject, row: SubjectScore | None) -> Mark:
    return Mark(
        subject=subject.name,
        pass_mark=subject.pass_mark,
        released=row is not None,
        score=row.score if row else None,
        voided=row.voided if row else "",
    )


def verdict_of(application: Application) -> Verdict:
    return verdicts([application])[application.pk]


# ---- the office's reads ----


def candidates(campaign: Campaign, office: ExamOffice | None) -> QuerySet[Application]:
    """The applications whose results the office keeps: qualified ones in
    its plan's scope."""
    return exam_queries.candidates(campaign, office)


def passers(campaign: Campaign, office: ExamOffice | None) -> list[Application]:
    """Who passed, is on no publication yet and waits for no re-check, in
    unit and level order."""
    apps = list(
        candidates(campaign, office)
        .exclude(
            pk__in=PublishedResult.objects.filter(withdrawn_at__isnull=True).values(
                "application_id"
            )
        )
        # A re-check still open may change the result: published after it.
        .exclude(
            pk__in=Recheck.objects.filter(answered_at__isnull=True).values(
                "score__application_id"
            )
        )
        .select_related("applicant", "unit", "job_type")
        .order_by("unit__name", "-level", "job_type__name", "pk")
    )
    found = verdicts(apps, among=candidates(campaign, office))
    return [a for a in apps if found[a.pk].state is State.PASSED]


def tally(campaign: Campaign, office: ExamOffice | None) -> dict[str, int]:
    """How many passed, failed and wait, of the scope's candidates. With no
    released score, confirmed exemption, closed panel session or publication
    a result can only wait (`passing.verdict`): those are counted in SQL, and
    only the others are judged one by one."""
    counts = {s.value: 0 for s in State}
    # One UNION of the ids that may be judged: the planner reaches them by
    # the primary key, where an OR of four sub-selects read every candidate.
    may_be_judged = (
        SubjectScore.objects.order_by()
        .values("application_id")
        .union(
            TheoryExemption.objects.filter(confirmed=True)
            .order_by()
            .values("application_id"),
            SessionResult.objects.filter(session__closed_at__isnull=False)
            .order_by()
            .values("candidate__application_id"),
            PublishedResult.objects.order_by().values("application_id"),
        )
    )
    judged = candidates(campaign, office).filter(pk__in=may_be_judged)
    found = verdicts(judged.only("pk", "campaign_id", "level"), among=judged)
    for one in found.values():
        counts[one.state.value] += 1
    counts[State.PENDING.value] += candidates_count(campaign, office) - len(found)
    return counts


def candidates_count(campaign: Campaign, office: ExamOffice | None) -> int:
    """How many `candidates`, added up from ApplicationCount (kept in the
    transaction of every change of an application)."""
    found = ApplicationCount.objects.filter(
        campaign_id=campaign.pk, status=Status.QUALIFIED
    )
    if office is not None:
        found = found.filter(
            unit_id__in=units_of_office(office, include_inactive=True).values("pk")
        )
    return found.aggregate(n=Sum("n"))["n"] or 0


def score_rows(
    campaign: Campaign, office: ExamOffice | None, filters: dict[str, Any]
) -> QuerySet[SubjectScore]:
    """Released scores, filtered by sitting, room, unit, level and job type."""
    found = SubjectScore.objects.filter(
        application__in=candidates(campaign, office)
    ).select_related(
        "subject",
        "sitting",
        "attempt__seat__room__centre",
        "application__applicant",
        "application__unit",
        "application__job_type",
        "application__ticket",
    )
    for name, field in [
        ("sitting", "sitting_id"),
        ("room", "attempt__seat__room_id"),
        ("unit", "application__unit_id"),
        ("level", "application__level"),
        ("job_type", "application__job_type_id"),
    ]:
        if filters.get(name):
            found = found.filter(**{field: filters[name]})
    return found.order_by("application__unit__name", "application_id", "subject__order")


def filter_choices(campaign: Campaign, office: ExamOffice | None) -> dict[str, Any]:
    apps = candidates(campaign, office)
    return {
        "sittings": list(exam_queries.sittings_in(campaign, office).order_by("date")),
        "rooms": list(exam_queries.rooms(campaign, office).select_related("centre")),
        "units": list(
            apps.values_list("unit_id", "unit__name").distinct().order_by("unit__name")
        ),
        "levels": sorted(set(apps.values_list("level", flat=True))),
        "job_types": list(
            apps.values_list("job_type_id", "job_type__name")
            .distinct()
            .order_by("job_type__name")
        ),
    }


def sittings_state(
    campaign: Campaign, office: ExamOffice | None
) -> list[dict[str, Any]]:
    """Each sitting with its release (None before) and its seat count."""
    releases = {
        r.sitting_id: r for r in ScoreRelease.objects.filter(sitting__campaign=campaign)
    }
    return [
        {"sitting": s, "release": releases.get(s.pk), "seated": s.seated}  # type: ignore[attr-defined]
        for s in exam_queries.sittings(campaign, office).order_by("date", "start_time")
    ]


def rechecks(campaign: Campaign, office: ExamOffice | None) -> QuerySet[Recheck]:
    return (
        Recheck.objects.filter(score__application__in=candidates(campaign, office))
        .select_related(
            "score__subject",
            "score__application__applicant",
            "score__application__unit",
            "score__application__ticket",
        )
        .order_by("answered_at", "due_on", "asked_at")
    )


def recheck_of(
    campaign: Campaign, office: ExamOffice | None, pk: int
) -> Recheck | None:
    return rechecks(campaign, office).filter(pk=pk).first()


def publications(
    campaign: Campaign, office: ExamOffice | None
) -> QuerySet[Publication]:
    found = Publication.objects.filter(campaign=campaign)
    if office is not None:
        found = found.filter(office=office)
    return found


def publication_of(
    campaign: Campaign, office: ExamOffice | None, pk: int
) -> Publication | None:
    return publications(campaign, office).filter(pk=pk).first()


def entries(publication: Publication) -> QuerySet[PublishedResult]:
    return publication.entries.select_related("application__unit").prefetch_related(
        "objections"
    )


def is_final(publication: Publication, today: date | None = None) -> bool:
    """The period is over and every objection is answered."""
    today = today or timezone.localdate()
    return today > publication.ends_on and not open_objections(publication).exists()


def open_objections(publication: Publication) -> QuerySet[Objection]:
    return Objection.objects.filter(
        entry__publication=publication, answered_at__isnull=True
    )


def final_entries(publication: Publication) -> QuerySet[PublishedResult]:
    """Those whose result stands: on a final publication, not withdrawn."""
    if not is_final(publication):
        return PublishedResult.objects.none()
    return (
        publication.entries.filter(withdrawn_at__isnull=True)
        .select_related(
            "application__applicant",
            "application__unit",
            "application__job_type",
            "application__ticket",
        )
        .order_by("unit_name", "number")
    )


# ---- the candidate's reads ----


def recheck_closes(score: SubjectScore) -> date:
    """The last day a re-check of this score may be asked."""
    days = settings_of(score.application.campaign).recheck_days
    return add_working_days(
        timezone.localdate(score.released_at), days, calendar=work_calendar()
    )


def my_results(user: User) -> list[dict[str, Any]]:
    """The applicant's applications that reached the exams, each with its
    subjects (released score, or what the exam screen showed before release)
    and its result."""
    apps = list(
        Application.objects.filter(applicant=user, status=Status.QUALIFIED)
        .select_related("campaign", "job_type", "unit")
        .order_by("-campaign__year", "-pk")
    )
    found = verdicts(apps)
    rows = []
    for app in apps:
        scores = {
            s.subject_id: s
            for s in SubjectScore.objects.filter(application=app).select_related(
                "recheck"
            )
        }
        attempts = {
            a.subject_id: a
            for a in Attempt.objects.filter(
                seat__application=app, state=Attempt.State.SUBMITTED
            )
        }
        shown = cbt_settings_of(app.campaign).show_scores
        subjects = []
        for subject in subjects_of(app.campaign_id, app.level or 0):
            score = scores.get(subject.pk)
            attempt = attempts.get(subject.pk)
            subjects.append(
                {
                    "subject": subject,
                    "score": score,
                    "screen": attempt.score if attempt and shown else None,
                    "recheck": getattr(score, "recheck", None) if score else None,
                    "closes": recheck_closes(score) if score else None,
                }
            )
        rows.append(
            {"application": app, "subjects": subjects, "verdict": found[app.pk]}
        )
    return rows


def score_of_applicant(user: User, pk: int) -> SubjectScore | None:
    return (
        SubjectScore.objects.filter(pk=pk, application__applicant=user)
        .select_related("application__campaign", "subject")
        .first()
    )


# ---- the public ----


def lookup(id_number: str, ticket_number: str) -> Application | None:
    """The application a (ID number, ticket number) pair names, or None."""
    try:
        parsed = parse_id_number(id_number)
    except InvalidIdNumber:
        return None
    ticket = (
        AdmissionTicket.objects.filter(number=ticket_number.strip().upper())
        .select_related("application__applicant", "application__campaign")
        .first()
    )
    if ticket is None:
        return None
    if ticket.application.applicant.id_number_index != crypto.blind_index(parsed.value):
        return None
    return ticket.application


def public_publications(today: date | None = None) -> QuerySet[Publication]:
    """Publications in their period, newest first (the portal lists them)."""
    today = today or timezone.localdate()
    return Publication.objects.filter(
        ends_on__gte=today, published_at__lte=timezone.now()
    ).select_related("campaign", "office")


def public_publication(pk: int) -> Publication | None:
    return public_publications().filter(pk=pk).first()


def public_entries(publication: Publication) -> QuerySet[PublishedResult]:
    return publication.entries.filter(withdrawn_at__isnull=True).order_by("number")


def public_entry(publication: Publication, pk: int) -> PublishedResult | None:
    return public_entries(publication).filter(pk=pk).first()


def units_of(entries_: Iterable[PublishedResult]) -> list[tuple[int, str]]:
    seen: dict[int, str] = {}
    for e in entries_:
        if e.application.unit_id is not None:
            seen.setdefault(e.application.unit_id, e.unit_name)
    return sorted(seen.items(), key=lambda kv: kv[1])


def public_result(application: Application) -> dict[str, Any] | None:
    """What the public lookup shows: released scores and, once all are in,
    the result; nothing before release."""
    scores = {
        s.subject_id: s for s in SubjectScore.objects.filter(application=application)
    }
    if not scores:
        return None  # before release a right pair looks like a wrong one
    subjects = [
        {"name": subject.name, "score": scores.get(subject.pk)}
        for subject in subjects_of(application.campaign_id, application.level or 0)
    ]
    return {
        "campaign": application.campaign.name,
        "name": application.applicant.name,
        "level": application.get_level_display(),
        "subjects": subjects,
        "verdict": verdict_of(application),
    }
