"""Batch pages: the unit prints rosters, uploads signed scans and mails its list;
the department stamps; the office checks originals and fees on site."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.models import OFFICE_ROLES, Role, RoleAssignment, User
from gongkao.applications.models import Application, StatusChange
from gongkao.applications.states import Status
from gongkao.campaigns.access import campaign_for_request
from gongkao.campaigns.queries import fee_rates
from gongkao.core.forms import form_errors, free_text, int_param
from gongkao.core.pdf import pdf_response
from gongkao.core.uploads import UploadRejected
from gongkao.organizations.queries import NoJurisdiction, jurisdiction_for_unit
from gongkao.review import batches, permissions, queries, reports
from gongkao.review import services as review
from gongkao.review.chain import REVIEWER_ROLES
from gongkao.review.forms import CustodyInForm, CustodyOutForm, FeeForm, FeeTotalForm
from gongkao.review.models import (
    Batch,
    BatchScan,
    FeePayment,
    OriginalCustody,
    ReviewStep,
)
from gongkao.review.roster import render_roster


def _batch(
    request: HttpRequest, assignment_id: int, batch_id: int, *roles: Role
) -> tuple[RoleAssignment, Batch]:
    assignment = assignment_for_user(
        request_user(request), assignment_id, *(roles or REVIEWER_ROLES)
    )
    batch = queries.scoped_batch(assignment, batch_id)
    if batch is None:
        raise Http404("没有这个批次，或不在您的范围内。")
    return assignment, batch


@login_required
def batch_list(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = assignment_for_user(
        request_user(request), assignment_id, *REVIEWER_ROLES
    )
    chosen = campaign_for_request(request, assignment)
    campaign = chosen.campaign
    # A unit has one batch per campaign: make sure it exists, then show it.
    if (
        assignment.role == Role.UNIT_CLERK
        and assignment.unit is not None
        and campaign is not None
        and Application.objects.filter(unit=assignment.unit, campaign=campaign)
        .exclude(status=Status.DRAFT)
        .exists()
    ):
        batch = batches.sync_batch(assignment.unit, campaign)
        return redirect("review:batch", assignment_id=assignment.pk, batch_id=batch.pk)
    # In the order of the batch's life, not alphabetically by state code.
    stage = Case(
        *[
            When(state=state, then=Value(i))
            for i, state in enumerate(Batch.State.values)
        ],
        output_field=IntegerField(),
    )
    rows = (
        queries.scoped_batches(assignment)
        .filter(campaign=campaign)
        .order_by(stage, "unit__name")
    )
    state = request.GET.get("state", "")
    if state in Batch.State.values:
        rows = rows.filter(state=state)
    return render(
        request,
        "review/batch_list.html",
        {
            **chosen.context(**({"state": state} if state else {})),
            "assignment": assignment,
            "batches": rows,
            "state": state,
            "states": Batch.State.choices,
        },
    )


@login_required
def batch_detail(
    request: HttpRequest, assignment_id: int, batch_id: int
) -> HttpResponse:
    assignment, batch = _batch(request, assignment_id, batch_id)
    after = int_param(request.GET.get("after"))
    apps, apps_total, next_after = batches.batch_page(batch, after)
    try:
        jurisdiction = jurisdiction_for_unit(batch.unit)
    except NoJurisdiction:
        jurisdiction = None
    fees = {
        f.application_id: f
        for f in FeePayment.objects.filter(application_id__in=[a.pk for a in apps])
    }
    return render(
        request,
        "review/batch_detail.html",
        {
            "assignment": assignment,
            "batch": batch,
            "apps": apps,
            "apps_total": apps_total,
            "after": after,
            "next_after": next_after,
            "jurisdiction": jurisdiction,
            "requires_rosters": permissions.requires_rosters(batch),
            "ready_for_onsite": permissions.ready_for_onsite(batch),
            "scans": batch.scans.order_by("kind", "-version"),
            "changes": batch.changes.select_related("by"),
            "list_due": batch.list_due or batches.list_due_date(batch),
            "list_late": batches.list_is_late(batch),
            "fees": fees,
            "fee_due": batches.fee_due(batch),
            "is_unit": permissions.is_unit(assignment),
            "is_department": permissions.is_department(assignment),
            "is_office": permissions.is_office(assignment),
            "scan_kinds": BatchScan.Kind.choices,
            "can_print_rosters": permissions.can_print_rosters(batch),
            "can_upload_scans": permissions.can_upload_scans(batch),
            "can_stamp": permissions.can_stamp(batch),
            # Everyone who reached the on-site check stays reachable after the
            # conclusion: originals are returned from their page.
            "onsite_seen": set(
                StatusChange.objects.filter(
                    application_id__in=[a.pk for a in apps],
                    to_status=Status.ONSITE_CHECK,
                ).values_list("application_id", flat=True)
            ),
            "originals_held": set(
                OriginalCustody.objects.filter(
                    application_id__in=[a.pk for a in apps], returned_at__isnull=True
                ).values_list("application_id", flat=True)
            ),
            "can_complete": permissions.can_complete(batch),
        },
    )


@login_required
def roster_pdf(
    request: HttpRequest, assignment_id: int, batch_id: int, kind: str
) -> HttpResponse:
    if kind not in ("passed", "onsite"):
        raise Http404
    assignment, batch = _batch(request, assignment_id, batch_id)
    data = reports.roster_data(batch, kind)
    if not permissions.can_print_rosters(batch) or not data.rows:
        messages.error(
            request,
            "本单位还有申报未通过网上资格审查（或没有需列入的人员），不能打印名册表。",
        )
        return redirect("review:batch", assignment_id=assignment.pk, batch_id=batch.pk)
    reports.record_roster_printed(
        batch, data, by=request_user(request), request=request
    )
    return pdf_response(render_roster(data), f"{batch.reference}-{kind}")


@login_required
@require_POST
def mark_printed(
    request: HttpRequest, assignment_id: int, batch_id: int
) -> HttpResponse:
    """The unit confirms it printed the rosters to sign and stamp them."""
    assignment, batch = _batch(request, assignment_id, batch_id, Role.UNIT_CLERK)
    try:
        batches.mark_rosters_printed(batch, by=request_user(request))
    except batches.BatchError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "已确认打印名册表。请经办人、单位负责人签字并加盖公章后上传扫描件。",
        )
    return redirect("review:batch", assignment_id=assignment.pk, batch_id=batch.pk)


@login_required
@require_POST
def upload_scan(
    request: HttpRequest, assignment_id: int, batch_id: int
) -> HttpResponse:
    assignment, batch = _batch(request, assignment_id, batch_id, Role.UNIT_CLERK)
    kind = request.POST.get("kind", "")
    upload = request.FILES.get("file")
    if kind not in BatchScan.Kind.values or upload is None:
        messages.error(request, "请选择名册表种类和文件。")
    else:
        try:
            batches.upload_scan(
                batch,
                BatchScan.Kind(kind),
                upload.read(),
                upload.name or "",
                by=request_user(request),
            )
        except (UploadRejected, batches.BatchError) as exc:
            messages.error(request, f"上传未成功：{exc}")
        else:
            messages.success(request, "已上传签字盖章的名册表。")
    return redirect("review:batch", assignment_id=assignment.pk, batch_id=batch.pk)


@login_required
def scan_file(
    request: HttpRequest, assignment_id: int, batch_id: int, scan_id: int
) -> FileResponse:
    _, batch = _batch(request, assignment_id, batch_id)
    scan = batch.scans.filter(pk=scan_id).first()
    if scan is None:
        raise Http404
    response = FileResponse(
        scan.file.open("rb"),
        content_type=scan.content_type,
        filename=f"{batch.reference}-{scan.kind}-v{scan.version}{scan.extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def send_list(request: HttpRequest, assignment_id: int, batch_id: int) -> HttpResponse:
    """3.5.1: mail the unit's applicant list (Excel) to the office mailbox."""
    assignment, batch = _batch(request, assignment_id, batch_id, Role.UNIT_CLERK)
    try:
        count = batches.send_applicant_list(batch, by=request_user(request))
    except batches.BatchError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"已将{count}人的申报人员名单发送至工考办邮箱。请按通知要求电话或微信告知。",
        )
    return redirect("review:batch", assignment_id=assignment.pk, batch_id=batch.pk)


@login_required
@require_POST
def stamp(request: HttpRequest, assignment_id: int, batch_id: int) -> HttpResponse:
    assignment, batch = _batch(
        request, assignment_id, batch_id, Role.DEPARTMENT_REVIEWER
    )
    try:
        batches.stamp_batch(batch, by=request_user(request))
    except batches.BatchError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已确认主管部门审核盖章。")
    return redirect("review:batch", assignment_id=assignment.pk, batch_id=batch.pk)


@login_required
@require_http_methods(["GET", "POST"])
def onsite(
    request: HttpRequest, assignment_id: int, batch_id: int, pk: int
) -> HttpResponse:
    """The office at the counter: originals seen and custody, fee, conclusion."""
    user = request_user(request)
    assignment, batch = _batch(request, assignment_id, batch_id, *OFFICE_ROLES)
    application = batches.batch_application(batch, pk)
    if application is None:
        raise Http404
    items = [
        i
        for i in review.review_items(application, ReviewStep.ONSITE)
        if i.kind == "material" and i.file is not None
    ]
    fee = FeePayment.objects.filter(application=application).first()
    rate = fee_rates(batch.campaign).get(application.level or 0)
    if request.method == "POST":
        problem = _onsite_action(request, application, user)
        if problem is None:
            if (
                request.POST.get("action") == "conclude"
                and application.status != Status.ONSITE_CHECK
            ):
                messages.success(
                    request, f"{application.applicant}：已作出现场审查结论。"
                )
                return redirect(
                    "review:batch", assignment_id=assignment.pk, batch_id=batch.pk
                )
            messages.success(request, "已保存。")
        else:
            messages.error(request, problem)
        return redirect(
            "review:onsite", assignment_id=assignment.pk, batch_id=batch.pk, pk=pk
        )
    return render(
        request,
        "review/batch_onsite.html",
        {
            "assignment": assignment,
            "batch": batch,
            "application": application,
            "items": items,
            "fee": fee,
            "rate": rate,
            "methods": FeePayment.Method.choices,
            "originals": application.originals.all(),
            "ready": permissions.ready_for_onsite(batch),
            "is_open": application.status == Status.ONSITE_CHECK,
            "conclusion": application.status_changes.filter(
                from_status=Status.ONSITE_CHECK
            ).last(),
        },
    )


def _onsite_action(
    request: HttpRequest, application: Application, user: User
) -> str | None:
    """Carry out one action of the on-site page; the Chinese problem, or None."""
    action = request.POST.get("action")
    try:
        if action == "original_in":
            form: Any = CustodyInForm(request.POST)
            if not form.is_valid():
                return form_errors(form)
            review.record_original(
                application,
                item=form.cleaned_data["item"],
                received_from=form.cleaned_data["received_from"],
                by=user,
            )
        elif action == "original_out":
            form = CustodyOutForm(request.POST)
            if not form.is_valid():
                return "请填写原件退还给谁。"
            custody = application.originals.filter(
                pk=form.cleaned_data["custody"]
            ).first()
            if custody is None:
                return "没有这条原件记录。"
            review.return_original(
                custody, returned_to=form.cleaned_data["returned_to"], by=user
            )
        elif action == "fee":
            form = FeeForm(request.POST)
            if not form.is_valid():
                return form_errors(form)
            review.record_fee(application, by=user, **form.cleaned_data)
        elif action == "conclude":
            try:
                reason = free_text(
                    request.POST.get("reason"), label="原因", max_length=500
                )
            except ValidationError as exc:
                return exc.messages[0]
            verdict = request.POST.get("qualified")
            if verdict not in ("1", "0"):
                return "请选择“审查通过”或“审查不通过”。"
            review.conclude_onsite(
                application,
                by=user,
                originals_seen=request.POST.getlist("seen"),
                qualified=verdict == "1",
                reason=reason,
            )
            application.refresh_from_db()
        else:
            return "未知的操作。"
    except (ValueError, review.AlreadyHandled, batches.BatchError) as exc:
        return str(exc)
    return None


@login_required
@require_POST
def complete(request: HttpRequest, assignment_id: int, batch_id: int) -> HttpResponse:
    assignment, batch = _batch(request, assignment_id, batch_id, *OFFICE_ROLES)
    form = FeeTotalForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            batches.complete_onsite_check(
                batch,
                by=request_user(request),
                fee_total=form.cleaned_data["fee_total"],
            )
        except batches.BatchError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "现场审查确认已完成，批次已办结。")
    return redirect("review:batch", assignment_id=assignment.pk, batch_id=batch.pk)
