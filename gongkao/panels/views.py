"""The panel pages: the office's pool, settings and panels; the expert's
panels, dossiers and ballots. Views parse, call a query or a service and
render; a foreign panel, session, candidate or file is a 404 for every role."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.models import Role, RoleAssignment
from gongkao.accounts.services import AccountExists
from gongkao.applications.checklist import MATERIAL_RULES
from gongkao.applications.models import MaterialFile
from gongkao.applications.services import record_material_read
from gongkao.campaigns.access import Chosen, campaign_for_request
from gongkao.campaigns.models import Campaign
from gongkao.core.exports import Column, workbook_bytes, xlsx_response
from gongkao.core.forms import form_errors, free_text, int_param
from gongkao.core.pdf import UnreadableImage, pdf_response
from gongkao.exams.training import record_of
from gongkao.organizations.models import ExamOffice
from gongkao.panels import exchange, minutes, queries, services, watermark
from gongkao.panels.forms import (
    BallotForm,
    DefenceForm,
    ExpertForm,
    ImportForm,
    PanelForm,
    ReasonForm,
    SessionForm,
    SettingsForm,
)
from gongkao.panels.models import Panel, PanelCandidate, PanelMember, ReviewSession
from gongkao.panels.permissions import (
    MANAGER_ROLES,
    can_manage_panels,
    can_reopen,
    manages,
)

# ---- the office ----


def _office_admin(
    request: HttpRequest, assignment_id: int
) -> tuple[RoleAssignment, ExamOffice]:
    assignment = assignment_for_user(
        request_user(request), assignment_id, *MANAGER_ROLES
    )
    assert assignment.office is not None
    return assignment, assignment.office


def _campaign(
    request: HttpRequest, assignment: RoleAssignment
) -> tuple[Chosen, Campaign]:
    chosen = campaign_for_request(request, assignment)
    campaign = chosen.campaign
    if campaign is None or not can_manage_panels(assignment, campaign):
        raise Http404("综合评审由本年度考务所属的工考办组织。")
    return chosen, campaign


def _panel(
    request: HttpRequest, assignment_id: int, panel_id: int
) -> tuple[RoleAssignment, Panel]:
    assignment, office = _office_admin(request, assignment_id)
    panel = queries.panel_of_office(office, panel_id)
    if panel is None or not manages(assignment, panel):
        raise Http404("没有该评审组。")
    return assignment, panel


@login_required
@require_http_methods(["GET", "POST"])
def experts(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, office = _office_admin(request, assignment_id)
    form = ExpertForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        expert = form.save(commit=False)
        services.save_expert(
            expert,
            list(form.cleaned_data["job_types"]),
            by=request_user(request),
            request=request,
        )
        messages.success(request, f"已添加专家：{expert.name}")
        return redirect("panels:experts", assignment.pk)
    return render(
        request,
        "panels/experts.html",
        {
            "assignment": assignment,
            "office": office,
            "experts": queries.experts(office),
            "form": form,
            "import_form": ImportForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(
    request: HttpRequest, assignment_id: int, expert_id: int
) -> HttpResponse:
    assignment, office = _office_admin(request, assignment_id)
    expert = queries.expert(office, expert_id)
    if expert is None:
        raise Http404("没有该专家。")
    form = ExpertForm(
        request.POST or None,
        instance=expert,
        office=office,
        initial={"job_types": list(expert.job_types.all())},
    )
    if request.method == "POST" and form.is_valid():
        services.save_expert(
            form.save(commit=False),
            list(form.cleaned_data["job_types"]),
            by=request_user(request),
            request=request,
        )
        messages.success(request, f"已保存专家：{expert.name}")
        return redirect("panels:experts", assignment.pk)
    return render(
        request,
        "panels/expert_edit.html",
        {
            "assignment": assignment,
            "expert": expert,
            "form": form,
        },
    )


@login_required
@require_POST
def expert_account(
    request: HttpRequest, assignment_id: int, expert_id: int
) -> HttpResponse:
    assignment, office = _office_admin(request, assignment_id)
    expert = queries.expert(office, expert_id)
    if expert is None:
        raise Http404("没有该专家。")
    try:
        password = services.issue_account(
            expert, by=request_user(request), request=request
        )
    except AccountExists as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"已为{expert.name}开通评审专家账号"
            + (
                "，初始密码已短信发送。" if password else "（已有账号，已增加该角色）。"
            ),
        )
    return redirect("panels:experts", assignment.pk)


@login_required
@require_POST
def experts_import(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, office = _office_admin(request, assignment_id)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要导入的专家名单文件。")
        return redirect("panels:experts", assignment.pk)
    upload = form.cleaned_data["file"]
    if upload.size > 2 * 1024 * 1024:
        messages.error(request, "文件不能超过2MB。")
        return redirect("panels:experts", assignment.pk)
    parsed = services.import_experts(
        office,
        upload.read(),
        upload.name or "",
        by=request_user(request),
        request=request,
    )
    if parsed.errors:
        return render(
            request,
            "panels/import_result.html",
            {"assignment": assignment, "errors": parsed.errors},
            status=400,
        )
    messages.success(request, f"已导入{len(parsed.experts)}名专家。")
    return redirect("panels:experts", assignment.pk)


@login_required
@require_GET
def experts_export(request: HttpRequest, assignment_id: int) -> HttpResponse:
    _, office = _office_admin(request, assignment_id)
    rows = [
        [
            e.name,
            e.unit_name,
            e.unit.credit_code if e.unit else "",
            e.title,
            "、".join(j.code for j in e.job_types.all()),
            e.phone,
            f"{e.term_start:%Y-%m-%d}",
            f"{e.term_end:%Y-%m-%d}",
        ]
        for e in queries.experts(office)
    ]
    data = workbook_bytes([("专家库", [Column(c, 16) for c in exchange.COLUMNS], rows)])
    services.record_export(office, len(rows), by=request_user(request), request=request)
    return xlsx_response(data, f"{office.name}专家库.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def panel_settings(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, _ = _office_admin(request, assignment_id)
    chosen, campaign = _campaign(request, assignment)
    form = SettingsForm(request.POST or None, instance=queries.settings_of(campaign))
    if request.method == "POST" and form.is_valid():
        settings = form.save(commit=False)
        try:
            services.save_settings(settings, by=request_user(request), request=request)
        except (services.PanelError, ValidationError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已保存综合评审设置。")
            return redirect(_panels_url(assignment, campaign))
    return render(
        request,
        "panels/settings.html",
        {
            **chosen.context(),
            "assignment": assignment,
            "form": form,
        },
    )


def _panels_url(assignment: RoleAssignment, campaign: Campaign) -> str:
    return f"{reverse('panels:panels', args=[assignment.pk])}?campaign={campaign.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def panels(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, office = _office_admin(request, assignment_id)
    chosen, campaign = _campaign(request, assignment)
    form = PanelForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            panel = services.create_panel(
                campaign,
                office,
                name=form.cleaned_data["name"],
                job_types=list(form.cleaned_data["job_types"]),
                review_from=form.cleaned_data["review_from"],
                review_until=form.cleaned_data["review_until"],
                by=request_user(request),
                request=request,
            )
        except services.PanelError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已抽取评审组：{panel.name}")
            return redirect("panels:panel", assignment.pk, panel.pk)
    return render(
        request,
        "panels/panels.html",
        {
            **chosen.context(),
            "assignment": assignment,
            "settings": queries.settings_of(campaign),
            "panels": queries.panels(campaign, office),
            "form": form,
            "error": form_errors(form) if form.errors else "",
        },
    )


@login_required
@require_GET
def panel(request: HttpRequest, assignment_id: int, panel_id: int) -> HttpResponse:
    assignment, found = _panel(request, assignment_id, panel_id)
    roster = queries.members(found)
    return render(
        request,
        "panels/panel.html",
        {
            "assignment": assignment,
            "panel": found,
            "settings": queries.settings_of(found.campaign),
            "members": roster,
            "seats": queries.seating(found, roster),
            "sessions": [
                (s, list(queries.results(s)), queries.ballot_count(s))
                for s in queries.sessions(found)
            ],
            "open_session": queries.open_session(found),
            "session_form": SessionForm(initial={"held_on": found.review_from}),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def panel_action(
    request: HttpRequest, assignment_id: int, panel_id: int, action: str
) -> HttpResponse:
    """The office's writes on a panel: enrol, chair, defence, open, reopen."""
    assignment, found = _panel(request, assignment_id, panel_id)
    by = request_user(request)
    try:
        if action == "enrol":
            n = services.enrol_candidates(found, by=by, request=request)
            messages.success(request, f"新增评审对象{n}人。")
        elif action == "chair":
            member = found.members.filter(
                pk=int_param(request.POST.get("member")) or 0
            ).first()
            if member is None:
                raise Http404("没有该专家。")
            services.set_chair(member, by=by, request=request)
            messages.success(request, "已更换组长。")
        elif action == "defence":
            candidate = _candidate_of(found, request.POST.get("candidate"))
            form = DefenceForm(request.POST)
            if not form.is_valid():
                raise services.PanelError(form_errors(form))
            services.set_defence(
                candidate,
                at=form.cleaned_data["defence_at"],
                place=form.cleaned_data["defence_place"],
                order=form.cleaned_data["defence_order"],
                by=by,
                request=request,
            )
            messages.success(request, f"已保存{candidate.code}号的答辩安排。")
        elif action == "open":
            session_form = SessionForm(request.POST)
            if not session_form.is_valid():
                raise services.PanelError(form_errors(session_form))
            services.open_session(
                found,
                held_on=session_form.cleaned_data["held_on"],
                place=session_form.cleaned_data["place"],
                by=by,
                request=request,
            )
            messages.success(request, "评审会已开启，专家可以评分和表决。")
        elif action == "reopen":
            session = _session_of(found, request.POST.get("session"))
            if not can_reopen(assignment, session):
                raise services.PanelError("评审会尚未结束。")
            reason = free_text(request.POST.get("reason"), label="原因", max_length=200)
            services.reopen_session(session, reason, by=by, request=request)
            messages.success(request, "评审会已重新开启。")
        else:
            raise Http404
    except (services.PanelError, ValidationError) as exc:
        messages.error(request, _message(exc))
    return redirect("panels:panel", assignment.pk, found.pk)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def _candidate_of(panel: Panel, raw: str | None) -> PanelCandidate:
    found = panel.candidates.filter(pk=int_param(raw) or 0).first()
    if found is None:
        raise Http404("没有该评审对象。")
    return found


def _session_of(panel: Panel, raw: str | int | None) -> ReviewSession:
    found = queries.session_of_panel(panel, int_param(str(raw)) or 0)
    if found is None:
        raise Http404("没有该评审会。")
    return found


@login_required
@require_GET
def office_minutes(
    request: HttpRequest, assignment_id: int, panel_id: int, session_id: int
) -> HttpResponse:
    _, found = _panel(request, assignment_id, panel_id)
    return _minutes(found, _session_of(found, session_id))


def _minutes(panel: Panel, session: ReviewSession) -> HttpResponse:
    if not session.is_closed:
        raise Http404("评审会结束后才能生成评审纪要。")
    data = minutes.render(session)
    return pdf_response(data, f"{panel.name}评审纪要{session.held_on:%Y%m%d}.pdf")


# ---- the expert ----


def _seat(
    request: HttpRequest, assignment_id: int, panel_id: int
) -> tuple[RoleAssignment, PanelMember]:
    assignment = assignment_for_user(request_user(request), assignment_id, Role.EXPERT)
    member = queries.seat_of_expert(assignment, panel_id)
    if member is None:
        raise Http404("没有该评审组。")
    return assignment, member


@login_required
@require_GET
def my_panels(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = assignment_for_user(request_user(request), assignment_id, Role.EXPERT)
    return render(
        request,
        "panels/my_panels.html",
        {"assignment": assignment, "seats": queries.panels_of_expert(assignment)},
    )


@login_required
@require_GET
def my_panel(request: HttpRequest, assignment_id: int, panel_id: int) -> HttpResponse:
    assignment, member = _seat(request, assignment_id, panel_id)
    session = queries.open_session(member.panel)
    mine = queries.own_ballots(session, member) if session else {}
    closed = [
        (s, list(queries.results(s)))
        for s in queries.sessions(member.panel)
        if s.is_closed
    ]
    return render(
        request,
        "panels/my_panel.html",
        {
            "assignment": assignment,
            "member": member,
            "panel": member.panel,
            "settings": queries.settings_of(member.panel.campaign),
            "seats": [
                (s, mine.get(s.candidate.pk)) for s in queries.my_candidates(member)
            ],
            "session": session,
            "closed": closed,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dossier(
    request: HttpRequest, assignment_id: int, panel_id: int, candidate_id: int
) -> HttpResponse:
    assignment, member = _seat(request, assignment_id, panel_id)
    seat = queries.seat_for(member, candidate_id)
    if seat is None:
        raise Http404("您不参加该申报人的评审。")
    panel = member.panel
    settings = queries.settings_of(panel.campaign)
    session = queries.open_session(panel)
    ballot = queries.own_ballots(session, member).get(candidate_id) if session else None
    form = BallotForm(
        request.POST or None,
        rubric=settings.rubric,
        initial=BallotForm.initial_of(settings.rubric, ballot),
    )
    if request.method == "POST":
        if session is None:
            messages.error(request, "评审会未开启或已结束，不能评分表决。")
        elif form.is_valid():
            try:
                services.cast_ballot(
                    session,
                    member,
                    candidate_id,
                    form.scores(),
                    form.cleaned_data["vote"],
                    by=request_user(request),
                    request=request,
                )
            except services.PanelError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, f"已提交对{seat.candidate.code}号的评分和表决。"
                )
                return redirect("panels:my_panel", assignment.pk, panel.pk)
    application = seat.candidate.application
    labels = {rule.key: rule.label for rule in MATERIAL_RULES}
    materials = [
        (labels.get(m.slot.split(":")[0], m.slot), m.current)
        for m in application.materials.select_related("current").order_by("slot")
        if m.current is not None
    ]
    theory = queries.theory_record(application)
    return render(
        request,
        "panels/dossier.html",
        {
            "assignment": assignment,
            "member": member,
            "panel": panel,
            "settings": settings,
            "candidate": seat.candidate,
            "application": application,
            "materials": materials,
            "theory": theory,
            "qualified": queries.qualified_on(application),
            "eligibility": application.eligibility or {},
            "training": record_of(application),
            "session": session,
            "ballot": ballot,
            "form": form,
            "reason_form": ReasonForm(),
            "error": form_errors(form) if form.errors else "",
        },
    )


@login_required
@require_POST
def declare(
    request: HttpRequest, assignment_id: int, panel_id: int, candidate_id: int
) -> HttpResponse:
    assignment, member = _seat(request, assignment_id, panel_id)
    seat = queries.seat_for(member, candidate_id)
    if seat is None:
        raise Http404("您不参加该申报人的评审。")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写回避原因（不超过200字）。")
        return redirect("panels:dossier", assignment.pk, panel_id, candidate_id)
    try:
        services.declare_conflict(
            member,
            seat.candidate,
            form.cleaned_data["reason"],
            by=request_user(request),
            request=request,
        )
    except services.PanelError as exc:
        messages.error(request, str(exc))
        return redirect("panels:dossier", assignment.pk, panel_id, candidate_id)
    messages.success(request, f"已申报回避{seat.candidate.code}号，由候补专家替补。")
    return redirect("panels:my_panel", assignment.pk, panel_id)


@login_required
@require_POST
def close(request: HttpRequest, assignment_id: int, panel_id: int) -> HttpResponse:
    assignment, member = _seat(request, assignment_id, panel_id)
    session = queries.open_session(member.panel)
    if session is None:
        raise Http404("没有进行中的评审会。")
    try:
        services.close_session(
            session, member, by=request_user(request), request=request
        )
    except services.PanelError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "评审会已结束，结果已按规则计算。")
    return redirect("panels:my_panel", assignment.pk, panel_id)


@login_required
@require_GET
def my_minutes(
    request: HttpRequest, assignment_id: int, panel_id: int, session_id: int
) -> HttpResponse:
    _, member = _seat(request, assignment_id, panel_id)
    return _minutes(member.panel, _session_of(member.panel, session_id))


def _file_of(member: PanelMember, candidate_id: int, file_id: int) -> MaterialFile:
    seat = queries.seat_for(member, candidate_id)
    if seat is None:
        raise Http404("您不参加该申报人的评审。")
    stored = MaterialFile.objects.filter(
        pk=file_id,
        material__application=seat.candidate.application,
        material__current_id=file_id,
    ).first()
    if stored is None:
        raise Http404("没有该材料。")
    return stored


@login_required
@require_GET
def file_view(
    request: HttpRequest,
    assignment_id: int,
    panel_id: int,
    candidate_id: int,
    file_id: int,
) -> HttpResponse:
    """One material's page: what the mark says and a link to read it."""
    assignment, member = _seat(request, assignment_id, panel_id)
    stored = _file_of(member, candidate_id, file_id)
    return render(
        request,
        "panels/file.html",
        {
            "assignment": assignment,
            "panel": member.panel,
            "candidate_id": candidate_id,
            "stored": stored,
            "mark": watermark.mark_of(member),
        },
    )


@login_required
@require_GET
def file_raw(
    request: HttpRequest,
    assignment_id: int,
    panel_id: int,
    candidate_id: int,
    file_id: int,
) -> HttpResponse:
    """The material as a PDF with the expert's name and the read time on
    every page, shown in the browser (never an attachment), audited."""
    assignment, member = _seat(request, assignment_id, panel_id)
    stored = _file_of(member, candidate_id, file_id)
    try:
        data = watermark.render(stored, member, at=timezone.now())
    except UnreadableImage:
        return render(
            request,
            "panels/file_unreadable.html",
            {
                "assignment": assignment,
                "panel": member.panel,
                "candidate_id": candidate_id,
            },
            status=422,
        )
    record_material_read(
        stored, by=request_user(request), download=False, request=request
    )
    return pdf_response(data, f"评审材料{stored.pk}.pdf", inline=True)
