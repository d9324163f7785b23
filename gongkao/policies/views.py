"""An office administrator's policy pages: list, copy, edit, download.

Every page takes the administrator's own role assignment; another role, or
another office's policy, is a 404.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.models import Role, RoleAssignment
from gongkao.organizations.models import ExamOffice
from gongkao.policies import services
from gongkao.policies.forms import PolicyForm
from gongkao.policies.queries import (
    policies_of_office,
    policy_text,
    shipped_policies,
)

_POLICY_ID_LINE = re.compile(r'^policy_id\s*=\s*"[^"\n]*"', re.M)


def _office_admin(
    request: HttpRequest, assignment_id: int
) -> tuple[RoleAssignment, ExamOffice]:
    assignment = assignment_for_user(
        request_user(request), assignment_id, Role.OFFICE_ADMIN
    )
    assert assignment.office is not None
    return assignment, assignment.office


def _field_errors(errors: list[str]) -> list[tuple[str, str]]:
    """ "field: message" lines as (field, message) rows for the page."""
    rows = []
    for line in errors:
        field, _, message = line.partition(": ")
        rows.append((field, message) if message else ("", line))
    return rows


@login_required
def policy_list(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, office = _office_admin(request, assignment_id)
    return render(
        request,
        "policies/policy_list.html",
        {
            "assignment": assignment,
            "office": office,
            "shipped": shipped_policies(),
            "stored": policies_of_office(office),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_copy(
    request: HttpRequest, assignment_id: int, policy_id: str
) -> HttpResponse:
    """A new policy, starting from a copy of a shipped or an own policy."""
    assignment, office = _office_admin(request, assignment_id)
    source = policy_text(policy_id, office)
    if source is None:
        raise Http404
    errors: list[str] = []
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                stored = services.create_policy(
                    office=office,
                    content=form.cleaned_data["content"],
                    based_on=policy_id,
                    by=request_user(request),
                    request=request,
                )
            except services.PolicyRefused as refused:
                errors = refused.errors
            else:
                messages.success(request, f"已保存新政策 {stored.policy_id}。")
                return redirect("policies:list", assignment_id=assignment.pk)
    else:
        suggestion = f"{policy_id[:35]}-copy"
        form = PolicyForm(
            initial={
                "content": _POLICY_ID_LINE.sub(f'policy_id = "{suggestion}"', source, 1)
            }
        )
    return render(
        request,
        "policies/policy_form.html",
        {
            "assignment": assignment,
            "form": form,
            "based_on": policy_id,
            "errors": _field_errors(errors),
            "stored": None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    assignment, office = _office_admin(request, assignment_id)
    stored = get_object_or_404(policies_of_office(office), pk=pk)
    errors: list[str] = []
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                changed = services.update_policy(
                    stored,
                    content=form.cleaned_data["content"],
                    by=request_user(request),
                    request=request,
                )
            except services.PolicyRefused as refused:
                errors = refused.errors
            else:
                messages.success(
                    request,
                    f"已保存政策 {stored.policy_id}。" if changed else "内容没有变化。",
                )
                return redirect("policies:list", assignment_id=assignment.pk)
    else:
        form = PolicyForm(initial={"content": stored.content})
    return render(
        request,
        "policies/policy_form.html",
        {
            "assignment": assignment,
            "form": form,
            "based_on": stored.based_on,
            "errors": _field_errors(errors),
            "stored": stored,
            "frozen_message": services.FROZEN_MESSAGE if stored.is_frozen else "",
        },
    )


@login_required
def policy_download(
    request: HttpRequest, assignment_id: int, policy_id: str
) -> HttpResponse:
    _, office = _office_admin(request, assignment_id)
    text = policy_text(policy_id, office)
    if text is None:
        raise Http404
    response = HttpResponse(
        text.encode("utf-8"), content_type="application/toml; charset=utf-8"
    )
    # Policy ids are ASCII letters, digits and hyphens (the schema's policy_id).
    response["Content-Disposition"] = f'attachment; filename="{policy_id}.toml"'
    response["Cache-Control"] = "private, no-store"
    return response
