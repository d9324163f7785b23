"""The review chain's pages for unit clerks, departments and offices: queues
with filters and bulk actions, the item-by-item review page, and exports.

Every page starts from the user's own role assignment (404 otherwise) and
reads applications only through queries.scoped_applications.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.models import OFFICE_ROLES, Role, RoleAssignment
from gongkao.applications import queries as application_queries
from gongkao.applications import services
from gongkao.applications.checklist import SECTIONS
from gongkao.applications.models import Application, ReturnedItem
from gongkao.applications.states import Status
from gongkao.campaigns.access import campaign_for_request
from gongkao.campaigns.models import LEVEL_CHOICES
from gongkao.core.dates import chinese_month_day
from gongkao.core.exports import xlsx_response
from gongkao.core.forms import free_text, int_param
from gongkao.eligibility.labels import ROUTE_LABELS
from gongkao.review import permissions, queries, reports
from gongkao.review import services as review
from gongkao.review.chain import REVIEWER_ROLES, step_of_role, step_status
from gongkao.review.forms import CursorForm, QueueFilterForm
from gongkao.review.models import ReturnReasonCode, ReviewStep


def _assignment(request: HttpRequest, assignment_id: int) -> RoleAssignment:
    return assignment_for_user(request_user(request), assignment_id, *REVIEWER_ROLES)


def _step(assignment: RoleAssignment) -> ReviewStep:
    return step_of_role(assignment.role)


def _application(assignment: RoleAssignment, pk: int) -> Application:
    application = queries.scoped_application(assignment, pk)
    if application is None:
        raise Http404("没有这份申报，或不在您的审核范围内。")
    return application


def _filtered(assignment: RoleAssignment, filters: dict[str, Any]) -> Any:
    qs = queries.filter_queue(queries.scoped_applications(assignment), filters)
    return qs.order_by(*queries.QUEUE_ORDER)


def _queue_filters(
    request: HttpRequest, assignment: RoleAssignment, form: QueueFilterForm
) -> dict[str, Any]:
    """The form's filters and the chosen campaign (a foreign one is a 404)."""
    campaign = campaign_for_request(request, assignment).campaign
    return {**form.filters(), "campaign": campaign.pk if campaign else 0}


def _options(
    choices: Iterable[tuple[Any, str]], chosen: str | None
) -> list[tuple[str, str, bool]]:
    """A filter's options as (value, label, selected), decided here once
    rather than by a template comparison per option."""
    return [(str(value), label, str(value) == chosen) for value, label in choices]


def _queue_rows(
    apps: list[Application], assignment: RoleAssignment, waiting: Status
) -> list[dict[str, Any]]:
    """What each row of a queue shows, read here once: a page of 50 rows
    costs the template a few lookups a cell instead of a method call each."""
    rows = []
    for app in apps:
        eligibility = app.eligibility or {}
        rows.append(
            {
                "pk": app.pk,
                "url": reverse("review:review", args=[assignment.pk, app.pk]),
                "waiting": app.status == waiting,
                "name": app.applicant.name,
                "returns_count": app.returns_count,
                "overdue": app.resubmit_overdue,
                "deferred": app.deferred_committed_at is not None,
                "unit": app.unit.name if app.unit else "",
                "level": app.get_level_display(),
                "job_type": app.job_type.name if app.job_type else "",
                "eligible": bool(eligibility.get("eligible")),
                "manual": bool(eligibility.get("manual_review")),
                "status": app.get_status_display(),
                "onsite": app.onsite_required,
                "since": app.status_since,
            }
        )
    return rows


@login_required
def queue(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _assignment(request, assignment_id)
    step = _step(assignment)
    form = QueueFilterForm(request.GET)
    if not set(request.GET) - {"campaign"}:
        # Open on what waits for this reviewer.
        form = QueueFilterForm({"status": step_status(step).value})
    chosen = campaign_for_request(request, assignment)
    campaign = chosen.campaign
    params = form.params()
    if "campaign" in request.GET and campaign is not None:
        params["campaign"] = str(campaign.pk)
    filters = {**form.filters(), "campaign": campaign.pk if campaign else 0}
    page = queries.queue_page(
        queries.filter_queue(queries.scoped_applications(assignment), filters),
        **CursorForm(request.GET).cursors(),
        count=queries.counted_total(assignment, filters),
    )
    waiting = step_status(step)
    context = {
        **chosen.context(),
        "assignment": assignment,
        "step": step,
        "page": page,
        "rows": _queue_rows(page.rows, assignment, waiting),
        "show_unit": not assignment.unit_id
        or assignment.role == Role.DEPARTMENT_REVIEWER,
        "params": params,
        "query": urlencode(params),
        "statuses": _options(
            [c for c in Status.choices if c[0] != Status.DRAFT], params.get("status")
        ),
        "levels": _options(LEVEL_CHOICES, params.get("level")),
        "routes": _options(ROUTE_LABELS.items(), params.get("route")),
        "is_office": permissions.is_office(assignment),
        "units": _options(
            queries.scoped_units(assignment).order_by("name").values_list("pk", "name"),
            params.get("unit"),
        )
        if step != ReviewStep.UNIT
        else [],
        "divisions": _options(
            queries.divisions_of_campaign(campaign).values_list("pk", "name"),
            params.get("division"),
        )
        if step == ReviewStep.OFFICE and campaign is not None
        else [],
        "job_types": _options(
            queries.filter_job_types(filters.get("job_type")).values_list("pk", "name"),
            params.get("job_type"),
        ),
        "reason_codes": ReturnReasonCode.objects.filter(is_active=True),
        "sections": SECTIONS.items(),
        "waiting_status": waiting,
        "stalled": queries.stalled_departments(assignment),
    }
    return render(request, "review/review_queue.html", context)


def _checks_from_post(
    request: HttpRequest, items: list[review.ReviewItem]
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    checks: dict[str, dict[str, Any]] = {}
    errors = []
    codes = {str(c.pk): c.code for c in ReturnReasonCode.objects.all()}
    for index, item in enumerate(items):
        choice = request.POST.get(f"ok_{index}")
        if choice == "ok":
            checks[item.key] = {"ok": True}
        elif choice == "return":
            try:
                text = free_text(
                    request.POST.get(f"text_{index}"), label="修改说明", max_length=500
                )
            except ValidationError as exc:
                errors.append(f"“{item.label}”：{exc.messages[0]}")
                continue
            code = codes.get(request.POST.get(f"code_{index}", ""), "")
            if not text and not code:
                errors.append(f"“{item.label}”：请选择退回原因或写明需要怎样修改。")
            checks[item.key] = {"ok": False, "code": code, "text": text}
        else:
            errors.append(f"“{item.label}”：请选择“符合”或“退回”。")
    return checks, errors


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    user = request_user(request)
    assignment = _assignment(request, assignment_id)
    step = _step(assignment)
    application = _application(assignment, pk)
    can_decide = permissions.can_decide(application, step)
    items = review.review_items(application, step) if can_decide else []
    answered = application_queries.answered_return(application)
    errors: list[str] = []
    if request.method == "POST" and can_decide:
        checks, errors = _checks_from_post(request, items)
        try:
            note = free_text(request.POST.get("note"), label="意见", max_length=500)
        except ValidationError as exc:
            errors.append(exc.messages[0])
        if not errors:
            try:
                decided = review.record_review(
                    application,
                    step=step,
                    by=user,
                    checks=checks,
                    note=note,
                    onsite_required=request.POST.get("onsite_required") == "1",
                )
            except (review.AlreadyHandled, ValueError) as exc:
                # ValueError: the checklist changed since the page was shown.
                messages.error(request, str(exc))
            else:
                application.refresh_from_db()
                if decided.decision == "return":
                    messages.success(
                        request,
                        f"已退回{application.applicant}，须在"
                        f"{chinese_month_day(application.resubmit_by)}前重新提交。"
                        if application.resubmit_by
                        else f"已退回{application.applicant}。",
                    )
                else:
                    messages.success(
                        request,
                        f"{application.applicant}：{step.label}通过，"
                        f"现为“{application.get_status_display()}”。",
                    )
                return redirect(_next_url(assignment, step))
    context = {
        "assignment": assignment,
        "step": step,
        "application": application,
        "rows": _review_rows(request, items, answered),
        "answered_return": answered,
        "errors": errors,
        "can_decide": can_decide,
        "reason_codes": ReturnReasonCode.objects.filter(is_active=True),
        "history": application_queries.history(application),
        "reviews": application.reviews.select_related("reviewer").order_by(
            "decided_at"
        ),
        "result": application.eligibility or {},
        "explained": _explained(application),
        "route_label": application.route_label or "—",
        "is_office": permissions.is_office(assignment),
        "can_reveal": permissions.can_reveal_numbers(assignment),
        "record": (application.snapshot or {}).get("record", {}),
        "deferred_check": permissions.is_office(assignment)
        and permissions.can_reject_deferred(application),
        "deferred_items": [
            item
            for item in review.review_items(application, ReviewStep.OFFICE)
            if item.key.startswith("material:annual_review")
        ]
        if application.deferred_committed_at
        else [],
    }
    return render(request, "review/review_page.html", context)


def _explained(application: Application) -> list[tuple[str, str]]:
    """Each line of the submitted result with the notice's words for its clause."""
    policy, _ = services.policy_of(application)
    lines = (application.eligibility or {}).get("explanation", [])
    return [(line, services.notice_text(policy, line)) for line in lines]


def _review_rows(
    request: HttpRequest,
    items: list[review.ReviewItem],
    answered: list[ReturnedItem] | None = None,
) -> list[dict[str, Any]]:
    """Each item with the choice to show: what the reviewer posted (after an
    error), else none. Every item starts unticked: the reviewer looks at each
    one and decides, nothing is passed by default."""
    returned = {r.item: r for r in answered or []}
    rows = []
    for index, item in enumerate(items):
        choice = request.POST.get(f"ok_{index}", "") if request.method == "POST" else ""
        rows.append(
            {
                "index": index,
                "item": item,
                "choice": choice,
                "code": request.POST.get(f"code_{index}", ""),
                "text": request.POST.get(f"text_{index}", ""),
                # Returned last round: what the applicant changed or said.
                "returned": returned.get(item.key),
            }
        )
    return rows


def _next_url(assignment: RoleAssignment, step: ReviewStep) -> str:
    return (
        reverse("review:queue", args=[assignment.pk])
        + f"?status={step_status(step).value}"
    )


@login_required
@require_POST
def not_qualified(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    """The office concludes 资格审查不通过, with a reason."""
    assignment = assignment_for_user(
        request_user(request), assignment_id, *OFFICE_ROLES
    )
    application = _application(assignment, pk)
    try:
        reason = free_text(request.POST.get("reason"), label="原因", max_length=500)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("review:review", assignment_id=assignment.pk, pk=pk)
    if not reason:
        messages.error(request, "请写明不通过的原因。")
        return redirect("review:review", assignment_id=assignment.pk, pk=pk)
    try:
        review.conclude_not_qualified(
            application, step=ReviewStep.OFFICE, by=request_user(request), reason=reason
        )
    except review.AlreadyHandled as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{application.applicant}：资格审查不通过。")
    return redirect(_next_url(assignment, ReviewStep.OFFICE))


@login_required
@require_POST
def reject_deferred(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    """The office rejects a 容缺后补 upload that came after qualification."""
    assignment = assignment_for_user(
        request_user(request), assignment_id, *OFFICE_ROLES
    )
    application = _application(assignment, pk)
    try:
        reason = free_text(request.POST.get("reason"), label="原因", max_length=500)
        review.reject_deferred_material(
            application, by=request_user(request), reason=reason
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    except (ValueError, review.AlreadyHandled) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{application.applicant}：容缺后补材料审核不通过。")
    return redirect("review:review", assignment_id=assignment.pk, pk=pk)


@login_required
@require_POST
def bulk(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Bulk approve or return: first a page showing exactly what was selected."""
    user = request_user(request)
    assignment = _assignment(request, assignment_id)
    step = _step(assignment)
    ids = [n for i in request.POST.getlist("ids") if (n := int_param(i)) is not None]
    selected = list(
        queries.scoped_applications(assignment)
        .filter(pk__in=ids, status=step_status(step))
        .order_by("unit__name", "id")
    )
    action = request.POST.get("action")
    back = (
        reverse("review:queue", args=[assignment.pk])
        + "?"
        + request.POST.get("query", "")
    )
    if not selected or action not in ("approve", "return"):
        messages.error(request, "请先勾选待审核的申报。")
        return redirect(back)
    codes = {str(c.pk): c for c in ReturnReasonCode.objects.filter(is_active=True)}
    item = request.POST.get("item", "")
    code = codes.get(request.POST.get("code", ""))
    problem = ""
    try:
        text = free_text(request.POST.get("text"), label="具体说明", max_length=500)
    except ValidationError as exc:
        text, problem = "", exc.messages[0]
    if action == "return" and (item not in SECTIONS or code is None or not text):
        problem = problem or "批量退回须选择需要修改的事项、退回原因，并写明具体说明。"
    if request.POST.get("confirm") == "1" and not problem:
        if action == "approve":
            outcome = review.bulk_approve(
                selected,
                step=step,
                by=user,
                onsite_required=request.POST.get("onsite_required") == "1",
            )
        else:
            assert code is not None
            outcome = review.bulk_return(
                selected, step=step, by=user, item=item, code=code.code, text=text
            )
        verb = "通过" if action == "approve" else "退回"
        messages.success(request, f"已{verb}{len(outcome.done)}份申报。")
        for application, reason in outcome.skipped:
            messages.warning(request, f"未处理 {application.applicant}：{reason}")
        return redirect(back)
    return render(
        request,
        "review/review_bulk.html",
        {
            "assignment": assignment,
            "step": step,
            "selected": selected,
            "action": action,
            "item": item,
            "item_label": SECTIONS.get(item, ""),
            "code": code,
            "text": text,
            "problem": problem,
            "query": request.POST.get("query", ""),
            "onsite_required": request.POST.get("onsite_required") == "1",
            "is_office": permissions.is_office(assignment),
        },
    )


@login_required
def export(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The queue, with the filters applied, as an Excel file."""
    assignment = _assignment(request, assignment_id)
    form = QueueFilterForm(request.GET)
    filters = _queue_filters(request, assignment, form)
    qs = _filtered(assignment, filters)
    if qs.count() > settings.EXPORT_INLINE_ROWS:
        job = review.start_queue_export(
            assignment,
            filters=filters,
            params=form.params(),
            by=request_user(request),
            request=request,
        )
        return redirect("core:job", job.pk)
    data = reports.export_queue(
        assignment,
        qs,
        filters=form.params(),
        by=request_user(request),
        request=request,
    )
    return xlsx_response(data, f"申报列表-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_POST
def reveal(
    request: HttpRequest, assignment_id: int, pk: int, field: str
) -> HttpResponse:
    """The applicant's full ID or mobile number, for the unit clerk and the
    office in scope (audited by the service); 404 for anyone else. An htmx
    request gets the number in place of the 显示 button, a plain form a page."""
    assignment = _assignment(request, assignment_id)
    if field not in review.REVEALABLE or not permissions.can_reveal_numbers(assignment):
        raise Http404
    application = _application(assignment, pk)
    value = review.reveal_number(
        application, field, by=request_user(request), request=request
    )
    context = {
        "assignment": assignment,
        "application": application,
        "label": review.REVEALABLE[field],
        "value": value,
    }
    if request.headers.get("HX-Request"):
        return render(request, "review/_revealed.html", context)
    return render(request, "review/revealed.html", context)
