"""The candidate's and the public's pages of results: my scores and
re-checks; the score lookup by ID and ticket number (rate-limited, the same
answer whether or not the pair exists); the publication and its objections."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gongkao.accounts.access import request_user
from gongkao.accounts.lockout import count_lookup
from gongkao.accounts.models import Role
from gongkao.accounts.permissions import has_role
from gongkao.core.forms import form_errors
from gongkao.results import queries, services
from gongkao.results.forms import LookupForm, ObjectionForm, RecheckForm

LOOKUP_LIMIT = 10


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的成绩: each subject's released score (or what the exam screen
    showed before release), the result, and the re-check of each subject."""
    user = request_user(request)
    if not has_role(user, Role.APPLICANT):
        raise Http404
    context = {
        "rows": queries.my_results(user),
        "today": timezone.localdate(),
        "form": RecheckForm(),
    }
    return render(request, "results/mine.html", context)


@login_required
@require_POST
def ask_recheck(request: HttpRequest, score_id: int) -> HttpResponse:
    user = request_user(request)
    score = queries.score_of_applicant(user, score_id)
    if score is None:
        raise Http404("没有这个成绩。")
    form = RecheckForm(request.POST)
    if form.is_valid():
        try:
            services.ask_recheck(
                score, form.cleaned_data["reason"], by=user, request=request
            )
        except services.Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"已提交{score.subject.name}的成绩复查申请，答复后会通知您。"
            )
    else:
        messages.error(request, form_errors(form))
    return redirect("results:mine")


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """成绩查询 without an account: released scores only."""
    form = LookupForm(request.POST or None)
    context: dict[str, object] = {"form": form, "asked": False}
    if request.method == "POST" and form.is_valid():
        lock = count_lookup(request, "score-lookup", LOOKUP_LIMIT)
        if lock is not None:
            until = timezone.localtime(lock.until)
            form.add_error(None, f"查询过于频繁，请于{until:%H:%M}后再试。")
        else:
            found = queries.lookup(
                form.cleaned_data["id_number"], form.cleaned_data["ticket"]
            )
            context["asked"] = True
            context["result"] = queries.public_result(found) if found else None
            # Not counted twice: the use above counted, found or not.
    return render(request, "results/lookup.html", context)


def publicity(request: HttpRequest) -> HttpResponse:
    """合格人员公示: the publications in their period."""
    return render(
        request,
        "results/publicity.html",
        {"publications": queries.public_publications()},
    )


def publicity_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.public_publication(pk)
    if found is None:
        raise Http404("没有这个公示，或公示期已结束。")
    return render(
        request,
        "results/publicity_page.html",
        {"publication": found, "entries": queries.public_entries(found)},
    )


@require_http_methods(["GET", "POST"])
def objection(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    """异议: anyone may object to a name during the period."""
    found = queries.public_publication(pk)
    entry = queries.public_entry(found, entry_id) if found else None
    if found is None or entry is None:
        raise Http404("没有这个公示人员，或公示期已结束。")
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lock = count_lookup(request, "objection", settings.LOGIN_FAILURE_LIMIT * 2)
        if lock is not None:
            form.add_error(None, "提交过于频繁，请稍后再试。")
        else:
            try:
                services.file_objection(entry, **form.cleaned_data, request=request)
            except services.Refused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, "异议已收到。工考办将调查核实，并通过您留下的电话答复。"
                )
                return redirect("results:publicity_page", pk=found.pk)
    return render(
        request,
        "results/objection.html",
        {"publication": found, "entry": entry, "form": form},
    )
