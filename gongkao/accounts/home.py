"""Each role's home page: what that person works on, scoped to their unit or office."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongkao.accounts import services
from gongkao.accounts.access import assignment_for_user
from gongkao.accounts.forms import IssueAccountForm, TrustedNetworkForm
from gongkao.accounts.models import Role, RoleAssignment, TrustedNetwork, User
from gongkao.accounts.queries import assignments_of, departments_without_reviewer
from gongkao.organizations.models import ExamOffice, Unit
from gongkao.organizations.queries import (
    NoJurisdiction,
    jurisdiction_for_unit,
    units_of_office,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the user to the home page of their first (or chosen) role."""
    assert isinstance(request.user, User)
    assignments = assignments_of(request.user)
    if not assignments:
        return render(request, "accounts/home_none.html")
    chosen = request.session.get("assignment_id")
    target = next((a for a in assignments if a.pk == chosen), assignments[0])
    return redirect("role_home", assignment_id=target.pk)


@login_required
def role_home(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    assignment = assignment_for_user(request.user, assignment_id)
    request.session["assignment_id"] = assignment.pk
    context: dict[str, object] = {"assignment": assignment}
    if assignment.role in (Role.UNIT_CLERK, Role.DEPARTMENT_REVIEWER):
        assert assignment.unit is not None
        context.update(_unit_context(assignment.unit))
    elif assignment.role in (Role.OFFICE_REVIEWER, Role.OFFICE_ADMIN):
        assert assignment.office is not None
        context.update(_office_context(assignment.office))
    elif assignment.role == Role.SYSTEM_ADMIN:
        context["offices"] = ExamOffice.objects.select_related("division").annotate(
            n_lines=Count("jurisdictions")
        )
    return render(request, f"accounts/home_{assignment.role}.html", context)


def _unit_context(unit: Unit) -> dict[str, object]:
    try:
        jurisdiction = jurisdiction_for_unit(unit)
    except NoJurisdiction:
        jurisdiction = None
    return {
        "unit": unit,
        "unstaffed_departments": departments_without_reviewer(
            Unit.objects.filter(pk=unit.pk)
        ),
        "jurisdiction": jurisdiction,
        "subordinates": unit.subordinate_units.select_related("division").order_by(
            "name"
        ),
        "staff": RoleAssignment.objects.filter(unit=unit)
        .select_related("user")
        .order_by("role"),
    }


def _office_context(office: ExamOffice) -> dict[str, object]:
    units = (
        units_of_office(office)
        .select_related("division", "supervising_department")
        .order_by("category", "division__code", "name")
    )
    return {
        "office": office,
        "unstaffed_departments": departments_without_reviewer(units),
        "jurisdictions": office.jurisdictions.select_related("division"),
        "units": units,
        "unit_staff": RoleAssignment.objects.filter(unit__in=units).select_related(
            "user", "unit"
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def issue_account(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """An office admin opens a unit clerk's or department's account (not self-registered)."""
    assert isinstance(request.user, User)
    assignment = assignment_for_user(request.user, assignment_id, Role.OFFICE_ADMIN)
    assert assignment.office is not None
    units = units_of_office(assignment.office).order_by("name")
    form = IssueAccountForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.issue_staff_account(
                name=data["name"],
                phone=data["phone"],
                role=Role(data["role"]),
                unit=data["unit"],
                by=request.user,
                request=request,
            )
        except services.AccountExists as exc:
            form.add_error("phone", str(exc))
            return render(
                request,
                "accounts/issue_account.html",
                {"form": form, "assignment": assignment},
            )
        if password:
            messages.success(
                request,
                f"已为{data['unit']}的{user.name}开通账号，登录名为手机号，初始密码：{password}"
                "（已短信发送，首次登录须修改）。",
            )
        else:
            messages.success(
                request,
                # The holder's real name is not shown: the number may be anyone's.
                f"手机号{user.phone_masked}已有账号，已为该账号增加"
                f"{Role(data['role']).label}角色。",
            )
        return redirect("role_home", assignment_id=assignment.pk)
    return render(
        request, "accounts/issue_account.html", {"form": form, "assignment": assignment}
    )


@login_required
@require_http_methods(["GET", "POST"])
def trusted_networks(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The office admin registers the address ranges of its exam rooms, where
    many candidates log in from one address (exempt from the address throttle)."""
    assert isinstance(request.user, User)
    assignment = assignment_for_user(request.user, assignment_id, Role.OFFICE_ADMIN)
    assert assignment.office is not None
    form = TrustedNetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            network = services.add_trusted_network(
                assignment.office,
                cidr=form.cleaned_data["cidr"],
                note=form.cleaned_data["note"],
                by=request.user,
                request=request,
            )
        except services.NetworkExists as exc:
            form.add_error("cidr", str(exc))
        else:
            messages.success(request, f"已登记考场网络地址 {network.cidr}。")
            return redirect("trusted_networks", assignment_id=assignment.pk)
    return render(
        request,
        "accounts/trusted_networks.html",
        {
            "assignment": assignment,
            "form": form,
            "networks": assignment.office.trusted_networks.all(),
        },
    )


@login_required
@require_POST
def remove_trusted_network(
    request: HttpRequest, assignment_id: int, network_id: int
) -> HttpResponse:
    assert isinstance(request.user, User)
    assignment = assignment_for_user(request.user, assignment_id, Role.OFFICE_ADMIN)
    network = get_object_or_404(TrustedNetwork, pk=network_id, office=assignment.office)
    services.remove_trusted_network(network, by=request.user, request=request)
    messages.success(request, f"已删除考场网络地址 {network.cidr}。")
    return redirect("trusted_networks", assignment_id=assignment.pk)
