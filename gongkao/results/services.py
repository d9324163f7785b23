"""Every write of results: the settings, the release of a sitting's scores,
the score import, re-checks, the publication, objections, withdrawals and the
audited exports. Each locks what it checks and writes its audit row."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkao.accounts.models import User
from gongkao.applications.models import Application
from gongkao.campaigns.models import Campaign
from gongkao.cbt import queries as cbt_queries
from gongkao.cbt import services as cbt_services
from gongkao.cbt.models import Attempt, ScoreRelease
from gongkao.core.models import AuditEvent, Notification
from gongkao.core.notifications import notify
from gongkao.core.queries import work_calendar
from gongkao.core.services import record_audit
from gongkao.core.workdays import add_working_days
from gongkao.exams.checkin import starts_at
from gongkao.exams.models import AdmissionTicket, SeatAssignment, Sitting, Subject
from gongkao.organizations.models import ExamOffice
from gongkao.results import exchange, queries
from gongkao.results.models import (
    Objection,
    Publication,
    PublishedResult,
    Recheck,
    ResultSettings,
    SubjectScore,
)

ACTION = AuditEvent.Action.RESULTS_ACTION
SHOWN_ERRORS = 50
PHONE = re.compile(r"^[0-9+\-（）() ]{7,20}$")


class Refused(ValueError):
    """A refused results action; the message is shown to the user."""


class ImportRefused(Refused):
    """A score file refused whole: `errors` names every bad row."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:SHOWN_ERRORS]
        if len(errors) > SHOWN_ERRORS:
            shown.append(f"……另有{len(errors) - SHOWN_ERRORS}处错误未列出。")
        super().__init__("成绩文件未导入：" + "；".join(shown[:3]))
        self.errors = shown


def _audit(
    what: str,
    *,
    by: User | None,
    target: Any,
    request: HttpRequest | None,
    before: dict[str, Any] | None = None,
    actor_label: str = "",
    **after: Any,
) -> None:
    record_audit(
        ACTION,
        by=by,
        target=target,
        before=before,
        after={"action": what, **after},
        request=request,
        actor_label=actor_label,
    )


def _text(value: str, label: str, limit: int) -> str:
    value = (value or "").replace("\x00", "").strip()
    if not value:
        raise Refused(f"请填写{label}。")
    if len(value) > limit:
        raise Refused(f"{label}最多{limit}字（现为{len(value)}字）。")
    return value


# ---- settings ----


def save_settings(
    campaign: Campaign,
    *,
    recheck_days: int,
    recheck_answer_days: int,
    publication_days: int,
    by: User,
    request: HttpRequest | None = None,
) -> ResultSettings:
    for value in (recheck_days, recheck_answer_days, publication_days):
        if not 1 <= value <= 30:
            raise Refused("期限须为1至30个工作日。")
    with transaction.atomic():
        found, _ = ResultSettings.objects.select_for_update().get_or_create(
            campaign=campaign
        )
        before = {
            "recheck_days": found.recheck_days,
            "recheck_answer_days": found.recheck_answer_days,
            "publication_days": found.publication_days,
        }
        found.recheck_days = recheck_days
        found.recheck_answer_days = recheck_answer_days
        found.publication_days = publication_days
        found.save()
        _audit(
            "settings",
            by=by,
            target=found,
            request=request,
            before=before,
            recheck_days=recheck_days,
            recheck_answer_days=recheck_answer_days,
            publication_days=publication_days,
        )
    return found


# ---- scores ----


def release_sitting(
    sitting: Sitting,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> int:
    """发布成绩: copy every seated candidate's scores of the sitting into
    SubjectScore (缺考 where no attempt was submitted, the irregularity
    decision where one voided it); no question can be voided afterwards.
    Returns how many scores were released."""
    now = now or timezone.now()
    with transaction.atomic():
        Sitting.objects.select_for_update().get(pk=sitting.pk)
        if ScoreRelease.objects.filter(sitting=sitting).exists():
            raise Refused("本场次成绩已发布。")
        if now < _ends_at(sitting):
            raise Refused("本场次考试尚未结束，不能发布成绩。")
        cbt_services.close_expired(sitting, now)
        if Attempt.objects.filter(
            seat__sitting=sitting,
            state__in=[Attempt.State.ANSWERING, Attempt.State.PAUSED],
        ).exists():
            raise Refused("本场次还有考生在作答，全部交卷后才能发布成绩。")
        subjects = list(sitting.subjects.all())
        attempts = {
            (a.seat_id, a.subject_id): a
            for a in Attempt.objects.select_for_update(of=("self",)).filter(
                seat__sitting=sitting
            )
        }
        seats = list(
            SeatAssignment.objects.filter(sitting=sitting).select_related("application")
        )
        taken = set(
            SubjectScore.objects.filter(
                application_id__in=[s.application_id for s in seats],
                subject__in=subjects,
            ).values_list("application_id", "subject_id")
        )
        rows = []
        for seat in seats:
            for subject in subjects:
                key = (seat.application_id, subject.pk)
                if subject.level != seat.application.level or key in taken:
                    continue
                taken.add(key)
                attempt = attempts.get((seat.pk, subject.pk))
                done = attempt is not None and attempt.state == Attempt.State.SUBMITTED
                rows.append(
                    SubjectScore(
                        application_id=seat.application_id,
                        subject=subject,
                        sitting=sitting,
                        attempt=attempt,
                        source=SubjectScore.Source.CBT,
                        score=attempt.score if done and attempt else None,
                        voided=attempt.voided if attempt else "",
                        released_at=now,
                        released_by=by,
                    )
                )
        try:
            with transaction.atomic():
                SubjectScore.objects.bulk_create(rows, batch_size=1000)
        except IntegrityError:
            raise Refused("发布期间有成绩被导入，请重新发布。") from None
        ScoreRelease.objects.create(sitting=sitting, released_at=now, released_by=by)
        _audit("release", by=by, target=sitting, request=request, scores=len(rows))
        for app_id in sorted({row.application_id for row in rows}):
            _tell(
                Application.objects.select_related("applicant").get(pk=app_id),
                "考试成绩已发布",
                f"{sitting.campaign.name}{sitting.name}的成绩已发布，请登录查看；"
                "对成绩有疑问的，可在规定期限内申请复查。",
                sms=False,
            )
    return len(rows)


def _ends_at(sitting: Sitting) -> datetime:
    """The latest a candidate of the sitting can still be answering: the
    start, the late entry and the longest level's subjects one after another
    (extra time given by a proctor is closed by the sweep before release)."""
    minutes: dict[int, int] = {}
    for subject in sitting.subjects.all():
        minutes[subject.level] = (
            minutes.get(subject.level, 0) + subject.duration_minutes
        )
    return starts_at(sitting) + timedelta(
        minutes=sitting.late_entry_minutes + max(minutes.values(), default=0)
    )


def _tell(application: Application, title: str, body: str, *, sms: bool = True) -> None:
    notify(
        application.applicant,
        Notification.Kind.RESULT,
        title,
        body,
        target=application,
        sms=sms,
    )


def _row_number(error: str) -> int:
    found = re.match(r"第(\d+)行", error)
    return int(found.group(1)) if found else 0


def import_scores(
    campaign: Campaign,
    office: ExamOffice | None,
    data: bytes,
    filename: str,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Scores of a paper exam or another system, from Excel: every row is
    checked first and the file goes in whole or not at all. The imported
    scores count as released at once."""
    now = now or timezone.now()
    parsed = exchange.parse(data, filename)
    if parsed.errors and not parsed.rows:
        raise ImportRefused(parsed.errors)
    tickets = {
        t.number: t
        for t in AdmissionTicket.objects.filter(
            number__in={r.ticket for r in parsed.rows},
            application__in=queries.candidates(campaign, office),
        ).select_related("application__applicant")
    }
    subjects: dict[tuple[int, str], Subject] = {}
    for known in Subject.objects.filter(campaign=campaign):
        subjects[(known.level, known.name)] = known
        subjects[(known.level, known.code.upper())] = known
    # A subject the candidate sits in a computer-based sitting not yet
    # released: its score comes from the release, never from a file.
    unreleased = {
        (seat.application_id, subject.pk)
        for seat in SeatAssignment.objects.filter(
            application__ticket__number__in={r.ticket for r in parsed.rows},
            sitting__campaign=campaign,
        )
        .exclude(sitting__in=ScoreRelease.objects.values("sitting_id"))
        .prefetch_related("sitting__subjects")
        for subject in seat.sitting.subjects.all()
    }
    errors: list[str] = list(parsed.errors)
    rows: list[SubjectScore] = []
    numbers: list[int] = []
    seen: set[tuple[int, int]] = set()
    for row in parsed.rows:
        ticket = tickets.get(row.ticket)
        if ticket is None:
            errors.append(
                f"第{row.row}行：准考证号{row.ticket}不是本年度考务、本工考办的考生。"
            )
            continue
        app = ticket.application
        if ticket.withdrawn_at is not None:
            errors.append(f"第{row.row}行：准考证号{row.ticket}已放弃考试。")
            continue
        if row.name and row.name != app.applicant.name:
            errors.append(f"第{row.row}行：姓名与准考证号{row.ticket}不符。")
            continue
        level = app.level or 0
        subject = subjects.get((level, row.subject)) or subjects.get(
            (level, row.subject.upper())
        )
        if subject is None or (app.level == 1 and not subject.theory):
            errors.append(
                f"第{row.row}行：“{row.subject[:20]}”不是{app.level}级的考试科目。"
            )
            continue
        if row.score is not None and row.score > subject.full_marks:
            errors.append(
                f"第{row.row}行：成绩{row.score}超过{subject.name}满分{subject.full_marks}分。"
            )
            continue
        if (app.pk, subject.pk) in unreleased:
            errors.append(
                f"第{row.row}行：{subject.name}由人机对话考试产生，请在该场次发布成绩。"
            )
            continue
        if (app.pk, subject.pk) in seen:
            errors.append(f"第{row.row}行：{row.ticket}的{subject.name}重复。")
            continue
        seen.add((app.pk, subject.pk))
        numbers.append(row.row)
        rows.append(
            SubjectScore(
                application=app,
                subject=subject,
                source=SubjectScore.Source.IMPORT,
                score=row.score,
                released_at=now,
                released_by=by,
            )
        )
    taken = set(
        SubjectScore.objects.filter(
            application_id__in={r.application_id for r in rows}
        ).values_list("application_id", "subject_id")
    )
    for number, score in zip(numbers, rows, strict=True):
        if (score.application_id, score.subject_id) in taken:
            errors.append(
                f"第{number}行：该考生的{score.subject.name}已有成绩"
                "（更正已有成绩请通过成绩复查）。"
            )
    if errors:
        raise ImportRefused(sorted(errors, key=_row_number))
    try:
        with transaction.atomic():
            SubjectScore.objects.bulk_create(rows, batch_size=1000)
            _audit(
                "import",
                by=by,
                target=campaign,
                request=request,
                scores=len(rows),
                file=filename.replace("\x00", "")[:100],
                sha256=hashlib.sha256(data).hexdigest(),
            )
            for app_id in sorted({score.application_id for score in rows}):
                _tell(
                    Application.objects.select_related("applicant").get(pk=app_id),
                    "考试成绩已发布",
                    f"{campaign.name}的考试成绩已发布，请登录查看；"
                    "对成绩有疑问的，可在规定期限内申请复查。",
                    sms=False,
                )
    except IntegrityError:
        raise Refused("导入期间有成绩被写入，文件未导入，请重新导入。") from None
    return len(rows)


# ---- re-checks ----


def ask_recheck(
    score: SubjectScore,
    reason: str,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Recheck:
    """成绩复查: once per subject, within the window after the release."""
    now = now or timezone.now()
    reason = _text(reason, "申请理由", 300)
    today = timezone.localdate(now)
    calendar = work_calendar()
    with transaction.atomic():
        score = (
            SubjectScore.objects.select_for_update(of=("self",))
            .select_related("application__campaign")
            .get(pk=score.pk)
        )
        if Recheck.objects.filter(score=score).exists():
            raise Refused("该科目已申请过复查，每个科目只能申请一次。")
        if score.score is None and not score.voided:
            raise Refused("缺考科目没有成绩可以复查。")
        settings = queries.settings_of(score.application.campaign)
        closes = queries.recheck_closes(score)
        if today > closes:
            raise Refused(
                f"成绩复查申请已于{closes.year}年{closes.month}月{closes.day}日截止。"
            )
        found = Recheck.objects.create(
            score=score,
            reason=reason,
            asked_at=now,
            due_on=add_working_days(
                today, settings.recheck_answer_days, calendar=calendar
            ),
            score_before=score.score,
        )
        _audit(
            "recheck_asked",
            by=by,
            target=found,
            request=request,
            subject=score.subject_id,
            due_on=found.due_on.isoformat(),
        )
    return found


def recomputed(score: SubjectScore) -> Decimal | None:
    """The score computed again from the recorded answers (a computer-based
    test), or None where there is nothing to compute from."""
    if score.attempt_id is None:
        return None
    attempt = Attempt.objects.get(pk=score.attempt_id)
    if attempt.state != Attempt.State.SUBMITTED:
        return None
    return cbt_queries.scored(attempt).total


def answer_recheck(
    recheck: Recheck,
    note: str,
    *,
    corrected: Decimal | None = None,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Recheck:
    """Answer a re-check. A computer-based score becomes the score computed
    again from its recorded answers (objective questions are never marked by
    hand); an imported score may be corrected to the checked total."""
    now = now or timezone.now()
    note = _text(note, "复查说明", 500)
    with transaction.atomic():
        recheck = Recheck.objects.select_for_update().get(pk=recheck.pk)
        if recheck.answered_at is not None:
            raise Refused("该复查已经答复。")
        score = (
            SubjectScore.objects.select_for_update(of=("self",))
            .select_related("subject", "application__applicant")
            .get(pk=recheck.score_id)
        )
        before = score.score
        if score.source == SubjectScore.Source.CBT:
            if corrected is not None:
                raise Refused(
                    "人机对话考试的成绩由系统按作答记录重新计算，不能手工填写。"
                )
            again = recomputed(score)
            after = again if again is not None else before
        else:
            after = before if corrected is None else corrected
            if after is not None and not (0 <= after <= score.subject.full_marks):
                raise Refused(f"成绩须在0至{score.subject.full_marks}分之间。")
            if after is not None and after != after.quantize(Decimal("0.1")):
                raise Refused("成绩最多保留一位小数。")
        changed = after != before
        if changed:
            score.score = after
            score.save(update_fields=["score"])
        recheck.outcome = (
            Recheck.Outcome.CORRECTED if changed else Recheck.Outcome.UNCHANGED
        )
        recheck.score_after = after
        recheck.answer = note
        recheck.answered_at = now
        recheck.answered_by = by
        recheck.save()
        _audit(
            "recheck_answered",
            by=by,
            target=recheck,
            request=request,
            before={"score": str(before) if before is not None else None},
            score=str(after) if after is not None else None,
            outcome=recheck.outcome,
            late=timezone.localdate(now) > recheck.due_on,
            note=note[:200],
        )
        if changed:
            _withdraw_if_failed(
                score.application, f"成绩复查更正：{note}", by, now, request
            )
        shown = "缺考" if after is None else f"{after}分"
        _tell(
            score.application,
            "成绩复查结果",
            f"您的{score.subject.name}成绩复查已答复：{recheck.get_outcome_display()}，"
            f"成绩为{shown}。说明：{note}",
        )
    return recheck


def _withdraw_if_failed(
    application: Application,
    reason: str,
    by: User,
    now: datetime,
    request: HttpRequest | None,
) -> None:
    """A corrected score that turns a published pass into a fail withdraws
    the published result (a recorded decision, audited)."""
    entry = PublishedResult.objects.filter(
        application=application, withdrawn_at__isnull=True
    ).first()
    if entry is not None and not queries.verdict_of(application).passed:
        _withdraw(entry.pk, reason, by, now, request)


# ---- publication ----


def publish(
    campaign: Campaign,
    scope: ExamOffice | None,
    office: ExamOffice,
    *,
    by: User,
    title: str = "",
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Publication:
    """公示: everyone in scope who passed and is on no publication yet."""
    now = now or timezone.now()
    with transaction.atomic():
        # One publication at a time per campaign: two would list the same people.
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        passers = queries.passers(campaign, scope)
        if not passers:
            raise Refused("目前没有可公示的合格人员（已公示的人员不会重复公示）。")
        settings = queries.settings_of(campaign)
        today = timezone.localdate(now)
        found = Publication.objects.create(
            campaign=campaign,
            office=office,
            title=(
                (title or "").replace("\x00", "").strip()
                or f"{campaign.name}合格人员公示"
            )[:100],
            published_at=now,
            published_by=by,
            ends_on=add_working_days(
                today, settings.publication_days, calendar=work_calendar()
            ),
        )
        PublishedResult.objects.bulk_create(
            [
                PublishedResult(
                    publication=found,
                    application=app,
                    number=i,
                    name=app.applicant.name,
                    unit_name=app.unit.name if app.unit else "",
                    level=app.level or 0,
                    job_type_name=app.job_type.name if app.job_type else "",
                )
                for i, app in enumerate(passers, start=1)
            ]
        )
        _audit(
            "published",
            by=by,
            target=found,
            request=request,
            people=len(passers),
            ends_on=found.ends_on.isoformat(),
        )
    return found


def file_objection(
    entry: PublishedResult,
    reason: str,
    contact_name: str,
    contact_phone: str,
    *,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Objection:
    """异议, from anyone, during the period; with a contact for the answer."""
    now = now or timezone.now()
    reason = _text(reason, "异议内容", 1000)
    contact_name = _text(contact_name, "联系人姓名", 50)
    contact_phone = _text(contact_phone, "联系电话", 20)
    if not PHONE.match(contact_phone):
        raise Refused("请填写正确的联系电话。")
    with transaction.atomic():
        entry = (
            PublishedResult.objects.select_for_update(of=("self",))
            .select_related("publication")
            .get(pk=entry.pk)
        )
        if entry.withdrawn_at is not None:
            raise Refused("该公示结果已撤销。")
        if timezone.localdate(now) > entry.publication.ends_on:
            raise Refused("公示期已结束，不再受理异议。")
        found = Objection.objects.create(
            entry=entry,
            reason=reason,
            contact_name=contact_name,
            contact_phone=contact_phone,
            filed_at=now,
        )
        _audit(
            "objection_filed",
            by=None,
            actor_label="公众",
            target=found,
            request=request,
            entry=entry.pk,
        )
    return found


def answer_objection(
    objection: Objection,
    upheld: bool,
    answer: str,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Objection:
    """The office's finding; an upheld objection withdraws the result."""
    now = now or timezone.now()
    answer = _text(answer, "调查处理意见", 1000)
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.answered_at is not None:
            raise Refused("该异议已经答复。")
        objection.upheld = upheld
        objection.answer = answer
        objection.answered_at = now
        objection.answered_by = by
        objection.save()
        _audit(
            "objection_answered",
            by=by,
            target=objection,
            request=request,
            upheld=upheld,
        )
        if upheld and objection.entry.withdrawn_at is None:
            _withdraw(objection.entry_id, f"异议成立：{answer}", by, now, request)
    return objection


def withdraw(
    entry: PublishedResult,
    reason: str,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> PublishedResult:
    """Withdraw a published result, with its reason."""
    reason = _text(reason, "撤销原因", 300)
    with transaction.atomic():
        return _withdraw(entry.pk, reason, by, now or timezone.now(), request)


def _withdraw(
    entry_id: int,
    reason: str,
    by: User,
    now: datetime,
    request: HttpRequest | None,
) -> PublishedResult:
    entry = (
        PublishedResult.objects.select_for_update(of=("self",))
        .select_related("application__applicant")
        .get(pk=entry_id)
    )
    if entry.withdrawn_at is not None:
        raise Refused("该公示结果已撤销。")
    entry.withdrawn_at = now
    entry.withdrawn_by = by
    entry.withdrawn_reason = reason[:300]
    entry.save()
    _audit("withdrawn", by=by, target=entry, request=request, reason=reason[:200])
    _tell(
        entry.application,
        "考核结果已撤销",
        f"您在公示中的考核合格结果已撤销。原因：{reason[:200]}",
    )
    return entry


# ---- pass notices and the lists reported upward ----


def record_export(
    publication: Publication,
    what: str,
    *,
    by: User,
    rows: int,
    request: HttpRequest | None = None,
) -> None:
    """An export of the passers (full ID numbers in the Excel) is audited."""
    _audit(what, by=by, target=publication, request=request, rows=rows)
