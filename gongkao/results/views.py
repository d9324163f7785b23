"""The exam office's pages of results: releasing sittings, the scores (Excel
too), the score import, re-checks, publications with their objections, the
pass notices and the lists reported upward. Every read is scoped to the
campaign and the office's plan; a foreign object is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.models import RoleAssignment
from gongkao.campaigns.access import Chosen, campaign_for_request
from gongkao.campaigns.models import LEVEL_CHOICES, Campaign
from gongkao.core.exports import Column, workbook_bytes, xlsx_response
from gongkao.core.forms import form_errors, int_param
from gongkao.core.pdf import pdf_response
from gongkao.exams import queries as exam_queries
from gongkao.exams.permissions import PLANNER_ROLES, can_plan
from gongkao.organizations.models import ExamOffice
from gongkao.results import notice, queries, services
from gongkao.results.forms import (
    AnswerObjectionForm,
    AnswerRecheckForm,
    ImportForm,
    SettingsForm,
    WithdrawForm,
)
from gongkao.results.models import Objection, SubjectScore

LEVELS = dict(LEVEL_CHOICES)
MAX_UPLOAD = 10 * 1024 * 1024


@dataclass(frozen=True)
class Office:
    assignment: RoleAssignment
    chosen: Chosen
    campaign: Campaign
    scope: ExamOffice | None

    def url(self, name: str, *args: int, app: str = "results") -> str:
        return (
            reverse(f"{app}:{name}", args=[self.assignment.pk, *args])
            + f"?campaign={self.campaign.pk}"
        )

    def context(self, **more: object) -> dict[str, object]:
        return {**self.chosen.context(), "assignment": self.assignment, **more}


def office_of(request: HttpRequest, assignment_id: int) -> Office:
    """The planner's office, campaign and scope (what certificates use too)."""
    assignment = assignment_for_user(
        request_user(request), assignment_id, *PLANNER_ROLES
    )
    chosen = campaign_for_request(request, assignment)
    campaign = chosen.campaign
    if campaign is None or not can_plan(assignment, campaign):
        raise Http404("成绩由本年度考务所属的工考办负责。")
    return Office(
        assignment, chosen, campaign, exam_queries.scope(campaign, assignment.office)
    )


def _refused(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


@login_required
def overview(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """成绩与合格人员: each sitting's release, the tally, the next steps."""
    office = office_of(request, assignment_id)
    context = office.context(
        sittings=queries.sittings_state(office.campaign, office.scope),
        tally=queries.tally(office.campaign, office.scope),
        open_rechecks=queries.rechecks(office.campaign, office.scope)
        .filter(answered_at__isnull=True)
        .count(),
        publications=queries.publications(office.campaign, office.scope),
        settings=queries.settings_of(office.campaign),
        today=timezone.localdate(),
    )
    return render(request, "results/overview.html", context)


@login_required
@require_POST
def release(request: HttpRequest, assignment_id: int, sitting_id: int) -> HttpResponse:
    office = office_of(request, assignment_id)
    sitting = get_object_or_404(
        exam_queries.sittings_in(office.campaign, office.scope), pk=sitting_id
    )
    try:
        count = services.release_sitting(
            sitting, by=request_user(request), request=request
        )
    except services.Refused as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{sitting.name}的成绩已发布，共{count}个科目成绩。")
    return redirect(office.url("overview"))


def _filters(request: HttpRequest) -> dict[str, int]:
    found = {}
    for name in ("sitting", "room", "unit", "level", "job_type"):
        value = int_param(request.GET.get(name))
        if value is not None:
            found[name] = value
    return found


@login_required
def scores(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Released scores by sitting, room, unit, level and job type; Excel."""
    office = office_of(request, assignment_id)
    filters = _filters(request)
    rows = queries.score_rows(office.campaign, office.scope, filters)
    if request.GET.get("export") == "xlsx":
        data = workbook_bytes(
            [("成绩", SCORE_COLUMNS, (_score_cells(s) for s in rows.iterator()))],
            title=f"{office.campaign.name} 考试成绩",
        )
        return xlsx_response(data, f"{office.campaign.name}成绩.xlsx")
    page = Paginator(rows, queries.PAGE).get_page(request.GET.get("page"))
    keep = {k: str(v) for k, v in filters.items()}
    context = office.context(
        page=page,
        filters=filters,
        choices=queries.filter_choices(office.campaign, office.scope),
        query="&".join(f"{k}={v}" for k, v in keep.items()),
    )
    context.update(office.chosen.context(**keep))
    return render(request, "results/scores.html", context)


SCORE_COLUMNS = [
    Column("准考证号", 18),
    Column("姓名", 10),
    Column("单位", 30),
    Column("等级", 14),
    Column("工种", 16),
    Column("科目", 14),
    Column("场次", 16),
    Column("考场", 14),
    Column("成绩", 8),
    Column("说明", 24),
]


def _score_cells(s: SubjectScore) -> list[object]:
    app = s.application
    seat = s.attempt.seat if s.attempt else None
    return [
        app.ticket.number if hasattr(app, "ticket") else "",
        app.applicant.name,
        app.unit.name if app.unit else "",
        str(LEVELS.get(app.level or 0, app.level)),
        app.job_type.name if app.job_type else "",
        s.subject.name,
        s.sitting.name if s.sitting else "导入",
        str(seat.room) if seat else "",
        "" if s.score is None else str(s.score),
        s.voided or ("缺考" if s.score is None else ""),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def import_scores(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """成绩导入: a paper exam's or another system's scores, all or nothing."""
    office = office_of(request, assignment_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", "文件不能超过10 MB。")
        else:
            try:
                count = services.import_scores(
                    office.campaign,
                    office.scope,
                    upload.read(),
                    upload.name,
                    by=request_user(request),
                    request=request,
                )
            except services.ImportRefused as exc:
                errors = exc.errors
            else:
                messages.success(request, f"已导入{count}个科目成绩。")
                return redirect(office.url("scores"))
    context = office.context(form=form, errors=errors)
    return render(request, "results/import.html", context)


@login_required
def rechecks(request: HttpRequest, assignment_id: int) -> HttpResponse:
    office = office_of(request, assignment_id)
    page = Paginator(queries.rechecks(office.campaign, office.scope), 50).get_page(
        request.GET.get("page")
    )
    context = office.context(page=page, today=timezone.localdate())
    return render(request, "results/rechecks.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recheck(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    """One re-check: the recorded score, the score computed again from the
    recorded answers, and the answer."""
    office = office_of(request, assignment_id)
    found = queries.recheck_of(office.campaign, office.scope, pk)
    if found is None:
        raise Http404("没有这个复查申请，或不在您的范围内。")
    form = AnswerRecheckForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            corrected: Decimal | None = form.cleaned_data["corrected"]
            try:
                services.answer_recheck(
                    found,
                    form.cleaned_data["note"],
                    corrected=corrected,
                    by=request_user(request),
                    request=request,
                )
            except services.Refused as exc:
                _refused(request, exc)
            else:
                messages.success(request, "复查已答复，考生会收到通知。")
                return redirect(office.url("rechecks"))
        else:
            messages.error(request, form_errors(form))
    score = found.score
    context = office.context(
        recheck=found,
        score=score,
        recomputed=services.recomputed(score),
        answered=score.attempt.answers.exclude(choice="").count()
        if score.attempt
        else None,
        form=form,
        today=timezone.localdate(),
    )
    return render(request, "results/recheck.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def publications(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """公示: the list of publications, and publishing who passed."""
    office = office_of(request, assignment_id)
    if request.method == "POST":
        assert office.assignment.office is not None
        try:
            found = services.publish(
                office.campaign,
                office.scope,
                office.assignment.office,
                title=request.POST.get("title", ""),
                by=request_user(request),
                request=request,
            )
        except services.Refused as exc:
            _refused(request, exc)
        else:
            messages.success(
                request,
                f"已公示{found.entries.count()}名合格人员，公示期至{found.ends_on:%Y-%m-%d}。",
            )
            return redirect(office.url("publication", found.pk))
        return redirect(office.url("publications"))
    context = office.context(
        publications=queries.publications(office.campaign, office.scope),
        passers=queries.passers(office.campaign, office.scope),
        settings=queries.settings_of(office.campaign),
        today=timezone.localdate(),
    )
    return render(request, "results/publications.html", context)


@login_required
def publication(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    office = office_of(request, assignment_id)
    found = queries.publication_of(office.campaign, office.scope, pk)
    if found is None:
        raise Http404("没有这个公示，或不在您的范围内。")
    entries = list(queries.entries(found))
    context = office.context(
        publication=found,
        entries=entries,
        final=queries.is_final(found),
        open_objections=queries.open_objections(found).count(),
        units=queries.units_of(queries.final_entries(found)),
        answer_form=AnswerObjectionForm(),
        withdraw_form=WithdrawForm(),
        today=timezone.localdate(),
    )
    return render(request, "results/publication.html", context)


@login_required
@require_POST
def answer_objection(
    request: HttpRequest, assignment_id: int, pk: int, objection_id: int
) -> HttpResponse:
    office = office_of(request, assignment_id)
    found = queries.publication_of(office.campaign, office.scope, pk)
    if found is None:
        raise Http404("没有这个公示，或不在您的范围内。")
    objection = get_object_or_404(Objection, pk=objection_id, entry__publication=found)
    form = AnswerObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.answer_objection(
                objection,
                form.cleaned_data["upheld"],
                form.cleaned_data["answer"],
                by=request_user(request),
                request=request,
            )
        except services.Refused as exc:
            _refused(request, exc)
        else:
            messages.success(request, "异议已答复。")
    else:
        messages.error(request, form_errors(form))
    return redirect(office.url("publication", found.pk))


@login_required
@require_POST
def withdraw(
    request: HttpRequest, assignment_id: int, pk: int, entry_id: int
) -> HttpResponse:
    office = office_of(request, assignment_id)
    found = queries.publication_of(office.campaign, office.scope, pk)
    if found is None:
        raise Http404("没有这个公示，或不在您的范围内。")
    entry = get_object_or_404(found.entries, pk=entry_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw(
                entry,
                form.cleaned_data["reason"],
                by=request_user(request),
                request=request,
            )
        except (services.Refused, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"已撤销{entry.name}的公示结果。")
    else:
        messages.error(request, form_errors(form))
    return redirect(office.url("publication", found.pk))


@login_required
def notice_pdf(
    request: HttpRequest, assignment_id: int, pk: int, unit_id: int = 0
) -> HttpResponse:
    """合格人员通知: every unit's (one page group each), or one unit's."""
    office = office_of(request, assignment_id)
    found = queries.publication_of(office.campaign, office.scope, pk)
    if found is None or not queries.is_final(found):
        raise Http404("公示期满且异议全部答复后，才能下发合格人员通知。")
    if unit_id and unit_id not in dict(queries.units_of(queries.final_entries(found))):
        raise Http404("该单位没有合格人员。")
    data = notice.render(found, unit_id or None)
    services.record_export(
        found, "notice_pdf", by=request_user(request), rows=0, request=request
    )
    return pdf_response(data, "合格人员通知")


PASSER_COLUMNS = [
    Column("序号", 6, "int"),
    Column("姓名", 10),
    Column("公民身份号码", 22),
    Column("单位", 30),
    Column("等级", 14),
    Column("工种", 16),
    Column("准考证号", 18),
]


@login_required
def passers_xlsx(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    """The list reported upward: full ID numbers, so the export is audited."""
    office = office_of(request, assignment_id)
    found = queries.publication_of(office.campaign, office.scope, pk)
    if found is None or not queries.is_final(found):
        raise Http404("公示期满且异议全部答复后，才能导出合格人员名单。")
    entries = list(queries.final_entries(found))
    rows = [
        [
            i,
            e.name,
            e.application.applicant.id_number,
            e.unit_name,
            str(LEVELS.get(e.level, e.level)),
            e.job_type_name,
            e.application.ticket.number if hasattr(e.application, "ticket") else "",
        ]
        for i, e in enumerate(entries, start=1)
    ]
    data = workbook_bytes(
        [("合格人员", PASSER_COLUMNS, rows)],
        title=f"{found.title}（合格人员名单）",
        subtitle=f"{found.office.name} · 共{len(rows)}人",
    )
    services.record_export(
        found, "passers_xlsx", by=request_user(request), rows=len(rows), request=request
    )
    return xlsx_response(data, f"{office.campaign.name}合格人员名单.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    office = office_of(request, assignment_id)
    own = office.assignment.office
    if own is None or own.division_id != office.campaign.division_id:
        # The windows are the campaign's: the city office sets them.
        raise Http404("期限由本市工考办设置。")
    current = queries.settings_of(office.campaign)
    form = SettingsForm(
        request.POST or None,
        initial={
            "recheck_days": current.recheck_days,
            "recheck_answer_days": current.recheck_answer_days,
            "publication_days": current.publication_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_settings(
                office.campaign,
                **form.cleaned_data,
                by=request_user(request),
                request=request,
            )
        except services.Refused as exc:
            _refused(request, exc)
        else:
            messages.success(request, "成绩与公示设置已保存。")
            return redirect(office.url("overview"))
    return render(request, "results/settings.html", office.context(form=form))
