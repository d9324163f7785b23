"""Every write of the panel review: the pool, the settings, the draw, the
candidates, conflicts, the defence schedule, sessions and ballots. Each
locks what it checks and writes its audit row."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkao.accounts.models import Role, User
from gongkao.accounts.services import issue_staff_account
from gongkao.campaigns.models import Campaign, JobType
from gongkao.core.models import AuditEvent, Notification
from gongkao.core.notifications import notify
from gongkao.core.services import record_audit
from gongkao.organizations.models import ExamOffice, Unit
from gongkao.panels import draw, exchange, queries, rule
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

ACTION = AuditEvent.Action.PANEL_ACTION


class PanelError(ValueError):
    """A refused panel action; the message is shown to the user."""


def _audit(
    what: str,
    *,
    by: User,
    target: Any,
    request: HttpRequest | None,
    before: dict[str, Any] | None = None,
    **after: Any,
) -> None:
    record_audit(
        ACTION,
        by=by,
        target=target,
        before=before,
        after={"action": what, **after},
        request=request,
    )


# ---- the pool ----


def save_expert(
    expert: Expert,
    job_types: list[JobType],
    *,
    by: User,
    request: HttpRequest | None = None,
) -> Expert:
    """Add or change an expert of the pool (the form validated the fields)."""
    created = expert.pk is None
    with transaction.atomic():
        expert.full_clean(exclude=["user"])
        expert.save()
        expert.job_types.set(job_types)
        _audit(
            "expert_added" if created else "expert_changed",
            by=by,
            target=expert,
            request=request,
            job_types=[j.code for j in job_types],
        )
    return expert


def import_experts(
    office: ExamOffice,
    data: bytes,
    filename: str,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> exchange.Parsed:
    """Import an expert list: all or nothing. An expert already in the pool
    (same phone) is updated. Returns the parse; nothing is written when it
    has errors."""
    codes = dict(JobType.objects.values_list("code", "pk"))
    units = dict(Unit.objects.values_list("credit_code", "pk"))
    parsed = exchange.parse(data, filename, codes.get, units.get)
    if parsed.errors:
        return parsed
    with transaction.atomic():
        for row in parsed.experts:
            expert, _ = Expert.objects.select_for_update().update_or_create(
                office=office,
                phone=row.phone,
                defaults={
                    "name": row.name,
                    "unit_name": row.unit_name,
                    "unit_id": row.unit_id,
                    "title": row.title,
                    "term_start": row.term_start,
                    "term_end": row.term_end,
                    "active": True,
                },
            )
            expert.job_types.set(row.job_type_ids)
        _audit(
            "experts_imported",
            by=by,
            target=office,
            request=request,
            count=len(parsed.experts),
            filename=filename[:100],
        )
    return parsed


def issue_account(
    expert: Expert, *, by: User, request: HttpRequest | None = None
) -> str | None:
    """Open the expert's account (Role.EXPERT at the pool's office); returns
    the one-time password of a new account. AccountExists passes through."""
    with transaction.atomic():
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        user, password = issue_staff_account(
            name=locked.name,
            phone=locked.phone,
            role=Role.EXPERT,
            by=by,
            office=locked.office,
            request=request,
        )
        locked.user = user
        locked.save(update_fields=["user"])
        _audit("expert_account", by=by, target=locked, request=request)
    expert.user = user
    return password


# ---- settings ----


def save_settings(
    settings: PanelSettings, *, by: User, request: HttpRequest | None = None
) -> PanelSettings:
    check_rubric(settings.rubric)
    with transaction.atomic():
        settings.full_clean()
        settings.save()
        _audit(
            "settings_saved",
            by=by,
            target=settings.campaign,
            request=request,
            size=settings.committee_size,
            reserves=settings.reserves,
            quorum=f"{settings.quorum_numerator}/{settings.quorum_denominator}",
            majority=f"{settings.majority_numerator}/{settings.majority_denominator}",
            pass_mark=str(settings.pass_mark),
            rubric=settings.rubric,
            blind=settings.blind,
            defence=settings.defence,
        )
    return settings


def check_rubric(rubric: object) -> None:
    """A rubric is a list of named items whose points add up to 100."""
    if not isinstance(rubric, list) or not rubric:
        raise PanelError("评分项目不能为空。")
    total = 0
    names = set()
    for item in rubric:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("name"), str)
            and item["name"].strip()
            and isinstance(item.get("points"), int)
            and item["points"] > 0
        ):
            raise PanelError("每个评分项目需有名称和正整数分值。")
        if item["name"] in names:
            raise PanelError(f"评分项目“{item['name']}”重复。")
        names.add(item["name"])
        total += item["points"]
    if total != 100:
        raise PanelError(f"评分项目分值合计应为100分，现为{total}分。")


# ---- panels ----


def create_panel(
    campaign: Campaign,
    office: ExamOffice,
    *,
    name: str,
    job_types: list[JobType],
    review_from: date,
    review_until: date,
    by: User,
    seed: int | None = None,
    request: HttpRequest | None = None,
) -> Panel:
    """Draw a panel from the office's pool (members, chair and reserves, the
    seed recorded) and put the eligible candidates before it."""
    settings = queries.settings_of(campaign)
    if not job_types:
        raise PanelError("请选择评审工种。")
    if review_until < review_from:
        raise PanelError("评审结束日期不能早于开始日期。")
    seed = seed if seed is not None else secrets.randbits(62)
    ids = [j.pk for j in job_types]
    with transaction.atomic():
        pool_rows = list(
            Expert.objects.select_for_update(of=("self",))
            .filter(office=office, active=True)
            .prefetch_related("job_types")
        )
        pool = [
            draw.PoolExpert(
                id=e.pk,
                job_types=frozenset(j.pk for j in e.job_types.all()),
                term_start=e.term_start,
                term_end=e.term_end,
                unit_id=e.unit_id,
            )
            for e in pool_rows
        ]
        try:
            drawn = draw.draw(
                pool,
                job_types=ids,
                review_from=review_from,
                review_until=review_until,
                size=settings.committee_size,
                reserves=settings.reserves,
                seed=seed,
                conflicted_units=queries.candidate_units(campaign, office, ids),
            )
        except draw.ShortPool as short:
            raise PanelError(
                f"专家库中符合条件（可评审所选全部工种、聘期覆盖评审日期、无回避关系）"
                f"的专家只有{short.have}人，需要{short.need}人（含候补）。"
            ) from None
        panel = Panel.objects.create(
            campaign=campaign,
            office=office,
            name=name,
            size=settings.committee_size,
            review_from=review_from,
            review_until=review_until,
            seed=seed,
            drawn_by=by,
            drawn_at=timezone.now(),
        )
        panel.job_types.set(job_types)
        for order, expert_id in enumerate(drawn.members, start=1):
            PanelMember.objects.create(
                panel=panel, expert_id=expert_id, order=order, chair=order == 1
            )
        for order, expert_id in enumerate(drawn.reserves, start=1):
            PanelMember.objects.create(
                panel=panel, expert_id=expert_id, order=order, reserve=True
            )
        _audit(
            "panel_drawn",
            by=by,
            target=panel,
            request=request,
            seed=seed,
            job_types=[j.code for j in job_types],
            members=list(drawn.members),
            reserves=list(drawn.reserves),
        )
        enrol_candidates(panel, by=by, request=request)
    return panel


def enrol_candidates(
    panel: Panel, *, by: User, request: HttpRequest | None = None
) -> int:
    """Put the eligible candidates not yet before a panel before this one
    (codes in order); returns how many were added."""
    with transaction.atomic():
        locked = Panel.objects.select_for_update().get(pk=panel.pk)
        ids = list(locked.job_types.values_list("pk", flat=True))
        found = queries.eligible_applications(locked.campaign, locked.office, ids)
        n = locked.candidates.count()
        for application, exempt in found:
            n += 1
            PanelCandidate.objects.create(
                panel=locked, application=application, code=f"{n:03d}", exempt=exempt
            )
        if found:
            _audit(
                "candidates_enrolled",
                by=by,
                target=locked,
                request=request,
                applications=[a.pk for a, _ in found],
            )
    return len(found)


def set_chair(
    member: PanelMember, *, by: User, request: HttpRequest | None = None
) -> None:
    if member.reserve:
        raise PanelError("候补专家不能担任组长。")
    with transaction.atomic():
        Panel.objects.select_for_update().get(pk=member.panel_id)
        PanelMember.objects.filter(panel_id=member.panel_id, chair=True).update(
            chair=False
        )
        PanelMember.objects.filter(pk=member.pk).update(chair=True)
        _audit("chair_set", by=by, target=member, request=request)


def declare_conflict(
    member: PanelMember,
    candidate: PanelCandidate,
    reason: str,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> None:
    """The expert declares an interest in a candidate (回避): they no longer
    see or score it, and a reserve stands in."""
    if candidate.panel_id != member.panel_id:
        raise PanelError("该申报人不在本评审组。")
    if not reason:
        raise PanelError("请填写回避原因。")
    with transaction.atomic():
        PanelMember.objects.select_for_update().get(pk=member.pk)
        if Ballot.objects.filter(member=member, candidate=candidate).exists():
            raise PanelError("已对该申报人评分表决，不能再申报回避，请联系工考办。")
        Conflict.objects.get_or_create(
            member=member, candidate=candidate, defaults={"reason": reason}
        )
        seat = next(
            s for s in queries.seating(member.panel) if s.candidate.pk == candidate.pk
        )
        _audit(
            "conflict_declared",
            by=by,
            target=candidate,
            request=request,
            member=member.pk,
            reason=reason,
            stood_in=[m.pk for m in seat.stood_in],
            short=seat.short,
        )
        if seat.short:
            _tell_office(member.panel, candidate, seat.short)


def _tell_office(panel: Panel, candidate: PanelCandidate, short: int) -> None:
    """Reserves ran out for a candidate: the office's administrators are told
    (in the site, no SMS)."""
    for admin in User.objects.filter(
        role_assignments__role=Role.OFFICE_ADMIN,
        role_assignments__office_id=panel.office_id,
    ).distinct():
        notify(
            admin,
            Notification.Kind.REMINDER,
            f"{panel.name}候补专家不足",
            f"{panel.name}{candidate.code}号申报人因专家回避缺{short}名评审专家，"
            "候补专家已用完，请补充专家或另行组织评审。",
            target=panel,
            sms=False,
            dedupe_key=f"panel-short-{panel.pk}-{candidate.pk}-{short}",
        )


def set_defence(
    candidate: PanelCandidate,
    *,
    at: datetime | None,
    place: str,
    order: int | None,
    by: User,
    request: HttpRequest | None = None,
) -> None:
    before = {
        "at": candidate.defence_at.isoformat() if candidate.defence_at else None,
        "place": candidate.defence_place,
        "order": candidate.defence_order,
    }
    with transaction.atomic():
        PanelCandidate.objects.select_for_update().filter(pk=candidate.pk).update(
            defence_at=at, defence_place=place, defence_order=order
        )
        _audit(
            "defence_scheduled",
            by=by,
            target=candidate,
            request=request,
            before=before,
            at=at.isoformat() if at else None,
            place=place,
            order=order,
        )


# ---- sessions and ballots ----


def open_session(
    panel: Panel,
    *,
    held_on: date,
    place: str,
    by: User,
    request: HttpRequest | None = None,
) -> ReviewSession:
    with transaction.atomic():
        Panel.objects.select_for_update().get(pk=panel.pk)
        if queries.open_session(panel) is not None:
            raise PanelError("本评审组已有进行中的评审会。")
        if not panel.candidates.exists():
            raise PanelError("本评审组还没有评审对象。")
        session = ReviewSession.objects.create(
            panel=panel,
            held_on=held_on,
            place=place,
            opened_by=by,
            opened_at=timezone.now(),
        )
        _audit("session_opened", by=by, target=session, request=request)
    return session


def parse_scores(rubric: list[dict[str, Any]], raw: dict[str, str]) -> dict[str, str]:
    """The scores typed for each rubric item, each from 0 to its points."""
    scores = {}
    for item in rubric:
        text = (raw.get(item["name"]) or "").strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise PanelError(f"请填写“{item['name']}”的得分。") from None
        if not value.is_finite() or value < 0 or value > item["points"]:
            raise PanelError(f"“{item['name']}”的得分应在0到{item['points']}分之间。")
        if value != value.quantize(Decimal("0.1")):
            raise PanelError("得分最多保留一位小数。")
        scores[item["name"]] = str(value.quantize(Decimal("0.1")))
    return scores


def cast_ballot(
    session: ReviewSession,
    member: PanelMember,
    candidate_id: int,
    raw_scores: dict[str, str],
    vote: str,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> Ballot:
    """Score and vote on one candidate (changeable until the session closes)."""
    if vote not in Ballot.Vote.values:
        raise PanelError("请选择同意、不同意或弃权。")
    settings = queries.settings_of(session.panel.campaign)
    scores = parse_scores(settings.rubric, raw_scores)
    with transaction.atomic():
        locked = ReviewSession.objects.select_for_update().get(pk=session.pk)
        if locked.is_closed:
            raise PanelError("评审会已结束，评分和表决不能再修改。")
        seat = queries.seat_for(member, candidate_id)
        if seat is None:
            raise PanelError("您不参加该申报人的评审。")
        total = sum((Decimal(v) for v in scores.values()), Decimal(0))
        ballot, created = Ballot.objects.update_or_create(
            session=locked,
            member=member,
            candidate=seat.candidate,
            defaults={
                "scores": scores,
                "total": total,
                "vote": vote,
                "cast_at": timezone.now(),
            },
        )
        # The audit row says that a ballot was cast, not what it says.
        _audit(
            "ballot_cast" if created else "ballot_changed",
            by=by,
            target=locked,
            request=request,
            candidate=seat.candidate.code,
        )
    return ballot


def close_session(
    session: ReviewSession,
    member: PanelMember,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> list[SessionResult]:
    """The chair closes the session: results computed by rule.py, frozen."""
    if not member.chair or member.panel_id != session.panel_id:
        raise PanelError("只有评审组组长可以结束评审会。")
    panel = session.panel
    the_rule = queries.rule_of(queries.settings_of(panel.campaign))
    with transaction.atomic():
        locked = ReviewSession.objects.select_for_update().get(pk=session.pk)
        if locked.is_closed:
            raise PanelError("评审会已经结束。")
        ballots: dict[int, dict[int, Ballot]] = {}
        for b in Ballot.objects.filter(session=locked):
            ballots.setdefault(b.candidate_id, {})[b.member_id] = b
        out = []
        for seat in queries.seating(panel):
            mine = ballots.get(seat.candidate.pk, {})
            counted = [
                rule.Ballot(vote=b.vote, total=b.total)
                for member_id, b in mine.items()
                if any(m.pk == member_id for m in seat.sitting)
            ]
            # The members eligible for the candidate: empty seats (reserves run out)
            # are not counted; the office was told.
            outcome = rule.decide(the_rule, len(seat.sitting), counted)
            out.append(
                SessionResult.objects.create(
                    session=locked,
                    candidate=seat.candidate,
                    eligible=outcome.eligible,
                    present=outcome.present,
                    in_favour=outcome.in_favour,
                    against=outcome.against,
                    abstained=outcome.abstained,
                    mean_score=outcome.mean,
                    passed=outcome.passed,
                    reasons=list(outcome.reasons),
                    stood_aside=[
                        {"name": m.expert.name, "reason": why}
                        for m, why in seat.stood_aside
                    ],
                    stood_in=[m.expert.name for m in seat.stood_in],
                )
            )
        locked.closed_by, locked.closed_at = by, timezone.now()
        locked.save(update_fields=["closed_by", "closed_at"])
        _audit(
            "session_closed",
            by=by,
            target=locked,
            request=request,
            results={r.candidate.code: r.passed for r in out},
        )
    session.closed_by, session.closed_at = locked.closed_by, locked.closed_at
    return out


def reopen_session(
    session: ReviewSession,
    reason: str,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> None:
    """The office reopens a closed session, with a reason: its results are
    dropped (kept in the audit row) until the chair closes it again."""
    if not reason:
        raise PanelError("重新开启评审会须填写原因。")
    with transaction.atomic():
        locked = ReviewSession.objects.select_for_update().get(pk=session.pk)
        if not locked.is_closed:
            raise PanelError("评审会尚未结束。")
        before = {
            r.candidate.code: {"passed": r.passed, "mean": str(r.mean_score)}
            for r in locked.results.select_related("candidate")
        }
        locked.results.all().delete()
        locked.closed_by, locked.closed_at = None, None
        locked.reopened += 1
        locked.save(update_fields=["closed_by", "closed_at", "reopened"])
        _audit(
            "session_reopened",
            by=by,
            target=locked,
            request=request,
            before=before,
            reason=reason,
        )
    session.closed_by, session.closed_at, session.reopened = None, None, locked.reopened


def record_export(
    office: ExamOffice, count: int, *, by: User, request: HttpRequest | None = None
) -> None:
    """The pool left the system as Excel (names and phones): audited."""
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=by,
        target=office,
        after={"what": "expert_pool", "count": count},
        request=request,
    )
