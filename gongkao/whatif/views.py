"""An office administrator's what-if runs: start one, watch it, read and export it.

Every page takes the administrator's own role assignment; another role, or
another office's run, is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.models import Role, RoleAssignment
from gongkao.campaigns.queries import campaigns_of_office
from gongkao.core.exports import xlsx_response
from gongkao.organizations.models import ExamOffice
from gongkao.policies.queries import (
    load_policy,
    policies_of_office,
    policy_problem,
    shipped_policies,
)
from gongkao.whatif import services
from gongkao.whatif.forms import WhatIfForm
from gongkao.whatif.models import WhatIfRun
from gongkao.whatif.queries import runs_of_office

# Flips shown on the page; the export has all of them.
SHOWN_FLIPS = 500


def _office_admin(
    request: HttpRequest, assignment_id: int
) -> tuple[RoleAssignment, ExamOffice]:
    assignment = assignment_for_user(
        request_user(request), assignment_id, Role.OFFICE_ADMIN
    )
    assert assignment.office is not None
    return assignment, assignment.office


def _policy_choices(office: ExamOffice) -> list[tuple[str, str]]:
    own = [
        (p.policy_id, f"{p.policy_id}（本工考办）{p.title}")
        for p in policies_of_office(office)
    ]
    shipped = [
        (p.policy_id, f"{p.policy_id}（内置）{p.title}") for p in shipped_policies()
    ]
    return own + shipped


@login_required
@require_http_methods(["GET", "POST"])
def whatif_list(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, office = _office_admin(request, assignment_id)
    form = WhatIfForm(
        request.POST or None,
        policies=_policy_choices(office),
        campaigns=campaigns_of_office(office).order_by("-year", "name"),
    )
    if request.method == "POST" and form.is_valid():
        policy_id = form.cleaned_data["policy_id"]
        problem = policy_problem(policy_id)
        if problem is not None:
            form.add_error("policy_id", problem)
        else:
            run = services.start_whatif(
                office=office,
                campaign=form.cleaned_data["campaign"],
                policy=load_policy(policy_id),
                by=request_user(request),
            )
            messages.success(request, "已开始试算，完成后显示结果。")
            return redirect("whatif:run", assignment_id=assignment.pk, pk=run.pk)
    return render(
        request,
        "whatif/whatif_list.html",
        {
            "assignment": assignment,
            "form": form,
            "runs": runs_of_office(office)[:50],
        },
    )


@login_required
def whatif_run(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    assignment, office = _office_admin(request, assignment_id)
    run = get_object_or_404(runs_of_office(office), pk=pk)
    flips = run.flips if run.is_finished else []
    context = {
        "assignment": assignment,
        "run": run,
        "job": run.job,
        "flips": flips[:SHOWN_FLIPS],
        "more_flips": max(len(flips) - SHOWN_FLIPS, 0),
    }
    template = "whatif/whatif_run.html"
    if getattr(request, "htmx", False):
        template += "#result"
    return render(request, template, context)


@login_required
def whatif_export(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    _, office = _office_admin(request, assignment_id)
    run: WhatIfRun = get_object_or_404(
        runs_of_office(office), pk=pk, finished_at__isnull=False
    )
    data = services.export_run(run, by=request_user(request), request=request)
    return xlsx_response(
        data, f"政策试算-{run.policy_id}-{timezone.localdate():%Y%m%d}.xlsx"
    )
