"""Reads of the panel review: the pool, panels in scope, candidates, who sits
for each candidate and the frozen results. Ballots are read only by their
author (`own_ballots`); nobody else reads a ballot, ever."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Exists, OuterRef, QuerySet

from gongkao.accounts.models import RoleAssignment
from gongkao.applications.models import Application, StatusChange
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign
from gongkao.cbt.models import Attempt
from gongkao.exams import queries as exam_queries
from gongkao.exams.models import Subject, TheoryExemption
from gongkao.organizations.models import ExamOffice
from gongkao.panels import draw
from gongkao.panels.models import (
    Ballot,
    Conflict,
    Expert,
    Panel,
    PanelCandidate,
    PanelMember,
    PanelSettings,
    ReviewSession,
    SessionResult,
)
from gongkao.panels.rule import Rule


def settings_of(campaign: Campaign) -> PanelSettings:
    """The campaign's settings; the defaults, unsaved, until the office saves."""
    found = PanelSettings.objects.filter(campaign=campaign).first()
    return found or PanelSettings(campaign=campaign)


def rule_of(settings: PanelSettings) -> Rule:
    return Rule(
        quorum=Fraction(settings.quorum_numerator, settings.quorum_denominator),
        majority=Fraction(settings.majority_numerator, settings.majority_denominator),
        pass_mark=settings.pass_mark,
    )


def experts(office: ExamOffice) -> QuerySet[Expert]:
    return (
        Expert.objects.filter(office=office)
        .select_related("unit", "user")
        .prefetch_related("job_types")
    )


def expert(office: ExamOffice, expert_id: int) -> Expert | None:
    return experts(office).filter(pk=expert_id).first()


def panels(campaign: Campaign, office: ExamOffice) -> QuerySet[Panel]:
    return (
        Panel.objects.filter(campaign=campaign, office=office)
        .prefetch_related("job_types")
        .order_by("name", "pk")
    )


def panel_of_office(office: ExamOffice | None, panel_id: int) -> Panel | None:
    if office is None:
        return None
    return (
        Panel.objects.filter(pk=panel_id, office=office)
        .select_related("campaign")
        .first()
    )


def panels_of_expert(assignment: RoleAssignment) -> QuerySet[PanelMember]:
    """The expert's seats on the panels of their assignment's office."""
    return (
        PanelMember.objects.filter(
            expert__user_id=assignment.user_id,
            expert__office_id=assignment.office_id,
            panel__office_id=assignment.office_id,
        )
        .select_related("panel", "panel__campaign", "expert")
        .order_by("-panel__review_from", "panel__name")
    )


def seat_of_expert(assignment: RoleAssignment, panel_id: int) -> PanelMember | None:
    return panels_of_expert(assignment).filter(panel_id=panel_id).first()


def members(panel: Panel) -> list[PanelMember]:
    return list(panel.members.select_related("expert", "expert__user"))


# ---- the candidates a panel may take ----


def theory_passed(application: Application) -> bool | None:
    """Every level-1 theory subject scored at or above its mark (attempts not
    voided); None when the campaign has no theory subject."""
    subjects = list(
        Subject.objects.filter(
            campaign_id=application.campaign_id, level=1, theory=True
        )
    )
    if not subjects:
        return None
    for subject in subjects:
        if not Attempt.objects.filter(
            seat__application=application,
            subject=subject,
            voided="",
            score__gte=subject.pass_mark,
        ).exists():
            return False
    return True


def theory_record(application: Application) -> list[tuple[Subject, Attempt | None]]:
    """Each level-1 theory subject with the candidate's attempt (if any)."""
    return [
        (
            subject,
            Attempt.objects.filter(seat__application=application, subject=subject)
            .order_by("-score")
            .first(),
        )
        for subject in Subject.objects.filter(
            campaign_id=application.campaign_id, level=1, theory=True
        ).order_by("order")
    ]


def qualified_on(application: Application) -> StatusChange | None:
    """The step that qualified the application (its last)."""
    return (
        application.status_changes.filter(to_status=Status.QUALIFIED)
        .order_by("-at")
        .first()
    )


def eligible_applications(
    campaign: Campaign, office: ExamOffice, job_type_ids: list[int]
) -> list[tuple[Application, bool]]:
    """Level-1 qualified applications of the job types in the office's scope
    whose theory exam passed or whose exemption was confirmed, with whether
    exempt; those already before a panel are left out."""
    found = (
        exam_queries.candidates(campaign, exam_queries.scope(campaign, office))
        .filter(level=1, job_type_id__in=job_type_ids)
        .exclude(Exists(PanelCandidate.objects.filter(application=OuterRef("pk"))))
        .annotate(
            exempt=Exists(
                TheoryExemption.objects.filter(
                    application=OuterRef("pk"), confirmed=True
                )
            )
        )
        .select_related("applicant", "unit", "job_type")
        .order_by("pk")
    )
    out: list[tuple[Application, bool]] = []
    for application in found:
        exempt = bool(application.exempt)
        if exempt or theory_passed(application):
            out.append((application, exempt))
    return out


def candidates(panel: Panel) -> QuerySet[PanelCandidate]:
    return panel.candidates.select_related(
        "application",
        "application__applicant",
        "application__unit",
        "application__job_type",
    ).order_by("code")


# ---- conflicts and who sits ----


def computed_conflict(expert: Expert, application: Application) -> bool:
    """The expert works at the candidate's unit or its supervising department."""
    unit = application.unit
    if expert.unit_id is None or unit is None:
        return False
    return expert.unit_id in (unit.pk, unit.supervising_department_id)


def candidate_units(
    campaign: Campaign, office: ExamOffice, job_type_ids: list[int]
) -> set[int]:
    """Units (and supervising departments) of the candidates a panel of these
    job types would take: experts from them are not drawn."""
    units: set[int] = set()
    for application, _ in eligible_applications(campaign, office, job_type_ids):
        unit = application.unit
        if unit is not None:
            units.add(unit.pk)
            if unit.supervising_department_id:
                units.add(unit.supervising_department_id)
    return units


@dataclass(frozen=True)
class Seat:
    """Who sits for one candidate, and why the others do not."""

    candidate: PanelCandidate
    sitting: list[PanelMember]
    stood_aside: list[tuple[PanelMember, str]]  # member, reason
    stood_in: list[PanelMember]
    short: int


def seating(panel: Panel, roster: list[PanelMember] | None = None) -> list[Seat]:
    """For every candidate of the panel: the members and stand-ins who judge it."""
    roster = roster if roster is not None else members(panel)
    by_id = {m.pk: m for m in roster}
    declared: dict[int, dict[int, str]] = {}
    for conflict in Conflict.objects.filter(candidate__panel=panel):
        declared.setdefault(conflict.candidate_id, {})[conflict.member_id] = (
            conflict.reason
        )
    regular = [m.pk for m in roster if not m.reserve]
    reserves = [m.pk for m in roster if m.reserve]
    out = []
    for candidate in candidates(panel):
        reasons = dict(declared.get(candidate.pk, {}))
        for m in roster:
            if m.pk not in reasons and computed_conflict(
                m.expert, candidate.application
            ):
                reasons[m.pk] = "与申报人同单位或为其主管部门"
        b = draw.bench(regular, reserves, set(reasons))
        out.append(
            Seat(
                candidate=candidate,
                sitting=[by_id[i] for i in b.sitting],
                stood_aside=[(by_id[i], reasons[i]) for i in b.stood_aside],
                stood_in=[by_id[i] for i in b.stood_in],
                short=b.short,
            )
        )
    return out


def seat_for(member: PanelMember, candidate_id: int) -> Seat | None:
    """The candidate's seat if `member` sits for it; None otherwise (a
    conflicted expert, or a reserve not standing in, never sees it)."""
    for seat in seating(member.panel):
        if seat.candidate.pk == candidate_id and any(
            m.pk == member.pk for m in seat.sitting
        ):
            return seat
    return None


def my_candidates(member: PanelMember) -> list[Seat]:
    return [
        s for s in seating(member.panel) if any(m.pk == member.pk for m in s.sitting)
    ]


# ---- sessions, ballots and results ----


def sessions(panel: Panel) -> QuerySet[ReviewSession]:
    return panel.sessions.order_by("-held_on", "-pk")


def open_session(panel: Panel) -> ReviewSession | None:
    return panel.sessions.filter(closed_at__isnull=True).first()


def session_of_panel(panel: Panel, session_id: int) -> ReviewSession | None:
    return panel.sessions.filter(pk=session_id).first()


def own_ballots(session: ReviewSession, member: PanelMember) -> dict[int, Ballot]:
    """The member's own ballots by candidate: the only ballots anyone reads."""
    return {
        b.candidate_id: b for b in Ballot.objects.filter(session=session, member=member)
    }


def ballot_count(session: ReviewSession) -> int:
    return Ballot.objects.filter(session=session).count()


def results(session: ReviewSession) -> QuerySet[SessionResult]:
    """The frozen results of a closed session (empty while it is open)."""
    if not session.is_closed:
        return SessionResult.objects.none()
    return session.results.select_related(
        "candidate",
        "candidate__application__applicant",
        "candidate__application__unit",
        "candidate__application__job_type",
    ).order_by("candidate__code")


def attended(session: ReviewSession) -> set[int]:
    """Members who cast at least one ballot in the session."""
    return set(
        Ballot.objects.filter(session=session).values_list("member_id", flat=True)
    )
