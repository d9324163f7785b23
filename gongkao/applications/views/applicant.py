"""The applicant's pages: profile, application, materials, self-check, status."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from gongkao.accounts.access import request_has_role, request_user
from gongkao.accounts.models import Role
from gongkao.applications import permissions, queries, services
from gongkao.applications.checklist import SECTIONS
from gongkao.applications.forms import (
    AnnualReviewsForm,
    ApplicationForm,
    BasicProfileForm,
    CertificateForm,
    HonorForm,
    PatentForm,
    SubmitForm,
    UploadForm,
    current_job_types,
)
from gongkao.applications.models import (
    ApplicantProfile,
    Application,
    HeldCertificate,
    Honor,
    Material,
    Patent,
)
from gongkao.applications.records import build_record, check_record, result_lines
from gongkao.core.notifications import mark_read
from gongkao.core.request_memo import remembered
from gongkao.core.uploads import UploadRejected

FORM_PAGES = [
    ("basic", "个人信息", "applications:basic"),
    ("certificates", "等级证书", "applications:certificates"),
    ("annual_reviews", "年度考核", "applications:annual_reviews"),
    ("honors", "荣誉专利", "applications:honors"),
    ("application", "申报等级", "applications:application"),
    ("materials", "上传材料", "applications:materials"),
    ("submit", "自查提交", "applications:check"),
]


def _profile(request: HttpRequest) -> ApplicantProfile:
    """The applicant's profile, read once per request."""
    user = request_user(request)
    return remembered(("profile", user.pk), lambda: services.profile_for(user))


def _application(request: HttpRequest) -> Application:
    if not request_has_role(request, Role.APPLICANT):
        # Staff accounts get no draft application by visiting these pages.
        raise Http404("只有申报人可以填写申报。")
    user = request_user(request)
    campaign = services.campaign_for_applicant(user, _profile(request))
    if campaign is None:
        raise Http404("当前没有进行中的年度考务。")
    return services.application_for(user, campaign, _profile(request))


def _context(
    request: HttpRequest,
    application: Application,
    step: str,
    profile: ApplicantProfile | None = None,
) -> dict[str, Any]:
    allowed = permissions.editable_items(application)
    reasons = queries.reasons_by_item(application)
    returned_steps = {
        "materials" if key.startswith("material:") else key for key in reasons
    }
    return {
        "application": application,
        "campaign": application.campaign,
        "profile": profile or _profile(request),
        "steps": FORM_PAGES,
        "step": step,
        "can_edit": allowed is None or step in allowed,
        "reasons": reasons,
        "returned_steps": returned_steps,
        "editable_items": allowed,
        "is_editable": permissions.is_editable(application),
        "can_withdraw": permissions.can_withdraw(application),
    }


def _locked_message(request: HttpRequest, application: Application, item: str) -> bool:
    try:
        permissions.check_editable(application, item)
    except permissions.NotEditable as exc:
        messages.error(request, str(exc))
        return True
    return False


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    application = _application(request)
    context = _context(request, application, "")
    today = timezone.localdate()
    context["problems"] = (
        services.submission_problems(application, today)
        if permissions.is_editable(application)
        else []
    )
    context["problem_sections"] = {section for section, _ in context["problems"]}
    context["window_open"] = permissions.window_open(application, today)
    context["holder"] = queries.holder_label(application)
    context["returned"] = [
        (item, _fix_links(item.unlocks))
        for item in queries.open_returned_items(application)
    ]
    context["first_fix"] = next(
        (links[0][1] for _, links in context["returned"] if links), ""
    )
    return render(request, "applications/apply_overview.html", context)


def _fix_links(unlocks: list[str]) -> list[tuple[str, str]]:
    """The pages where the applicant fixes what a returned item unlocked."""
    pages = {key: (label, url) for key, label, url in FORM_PAGES}
    links = []
    for key in dict.fromkeys(
        "materials" if k.startswith("material:") else k for k in unlocks
    ):
        if key in pages:
            label, url = pages[key]
            links.append((label, reverse(url)))
    return links


@login_required
@require_http_methods(["GET", "POST"])
def basic(request: HttpRequest) -> HttpResponse:
    application = _application(request)
    profile = _profile(request)
    if request.POST.get("unit_search"):
        # The employer search sent without JavaScript: show the matches, keep
        # what was typed, save nothing and show no errors yet.
        form = BasicProfileForm(
            instance=profile,
            initial=request.POST.dict(),
            unit_query=request.POST.get("unit_q", ""),
        )
    else:
        form = BasicProfileForm(request.POST or None, instance=profile)
    if (
        request.method == "POST"
        and not request.POST.get("unit_search")
        and not _locked_message(request, application, "basic")
        and form.is_valid()
    ):
        services.save_profile(application, form.save(commit=False))
        messages.success(request, "个人信息已保存。")
        return redirect("applications:certificates")
    context = _context(request, application, "basic") | {"form": form}
    return render(request, "applications/apply_basic.html", context)


@login_required
@require_GET
def unit_search(request: HttpRequest) -> HttpResponse:
    """The employer search's matches (htmx fragment): active units only, for
    applicants (the profile page's search); 404 for other roles."""
    if not request_has_role(request, Role.APPLICANT):
        raise Http404
    query = request.GET.get("unit_q", "")
    units, more = queries.units_matching(query)
    context = {"name": "unit", "query": query.strip(), "units": units, "more": more}
    return render(request, "applications/widgets/_unit_results.html", context)


def _item_list(
    request: HttpRequest,
    step: str,
    form_class: Any,
    template: str,
    next_url: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Shared by the certificate, honor and patent lists: add one, list all."""
    application = _application(request)
    form = form_class(request.POST or None, prefix=step)
    if (
        request.method == "POST"
        and not _locked_message(request, application, step)
        and form.is_valid()
    ):
        services.add_profile_item(application, form.save(commit=False), step)
        messages.success(request, "已添加。")
        return redirect(request.path)
    context = _context(request, application, step) | {
        "form": form,
        "next_url": next_url,
        **(extra or {}),
    }
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def certificates(request: HttpRequest) -> HttpResponse:
    return _item_list(
        request,
        "certificates",
        CertificateForm,
        "applications/apply_certificates.html",
        "applications:annual_reviews",
        {"job_type_names": current_job_types().values_list("name", flat=True)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def honors(request: HttpRequest) -> HttpResponse:
    application = _application(request)
    # Only the form that was sent is bound: a GET shows both empty, no errors.
    posted = request.POST if request.method == "POST" else None
    kind = request.POST.get("kind_of_item", "honor")
    honor_form = HonorForm(posted if kind == "honor" else None, prefix="honor")
    patent_form = PatentForm(posted if kind == "patent" else None, prefix="patent")
    form = honor_form if kind == "honor" else patent_form
    if (
        request.method == "POST"
        and not _locked_message(request, application, "honors")
        and form.is_valid()
    ):
        services.add_profile_item(application, form.save(commit=False), "honors")
        messages.success(request, "已添加。")
        return redirect(request.path)
    context = _context(request, application, "honors") | {
        "honor_form": honor_form,
        "patent_form": patent_form,
    }
    return render(request, "applications/apply_honors.html", context)


_DELETABLE: dict[str, tuple[type[HeldCertificate | Honor | Patent], str]] = {
    "certificate": (HeldCertificate, "certificates"),
    "honor": (Honor, "honors"),
    "patent": (Patent, "honors"),
}


@login_required
@require_POST
def delete_item(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in _DELETABLE:
        raise Http404
    model, step = _DELETABLE[kind]
    application = _application(request)
    item = model.objects.filter(pk=pk, profile__user=request_user(request)).first()
    if item is None or getattr(item, "issued", False):
        raise Http404
    if not _locked_message(request, application, step):
        services.delete_profile_item(application, item, step)
        messages.success(request, "已删除。")
    return redirect({s: u for s, _, u in FORM_PAGES}[step])


@login_required
@require_http_methods(["GET", "POST"])
def annual_reviews(request: HttpRequest) -> HttpResponse:
    application = _application(request)
    profile = _profile(request)
    policy, unavailable = services.policy_of(application)
    years = policy.review_years if policy is not None else ()
    if policy is None and request.method == "GET":
        messages.error(request, unavailable)
    existing = {r.year: r for r in profile.annual_reviews.all()}
    initial: dict[str, Any] = {}
    for year, review in existing.items():
        initial[f"result_{year}"] = review.result
        initial[f"party_{year}"] = review.excellent_party_member
    form = AnnualReviewsForm(request.POST or None, years=years, initial=initial)
    if (
        request.method == "POST"
        and not _locked_message(request, application, "annual_reviews")
        and form.is_valid()
    ):
        services.save_annual_reviews(
            application,
            {
                year: (
                    form.cleaned_data[f"result_{year}"],
                    form.cleaned_data[f"party_{year}"],
                )
                for year in years
            },
        )
        messages.success(request, "年度考核已保存。")
        return redirect("applications:honors")
    context = _context(request, application, "annual_reviews") | {"form": form}
    return render(request, "applications/apply_annual_reviews.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest) -> HttpResponse:
    application = _application(request)
    form = ApplicationForm(request.POST or None, instance=application)
    if (
        request.method == "POST"
        and not _locked_message(request, application, "application")
        and form.is_valid()
    ):
        services.save_application_choices(
            form.save(commit=False),
            {
                "ack_policy_at": form.cleaned_data["ack_policy"],
                "ack_level1_at": form.cleaned_data["ack_level1"],
                "ack_retirement_at": form.cleaned_data["ack_retirement"],
            },
        )
        messages.success(request, "申报等级和工种已保存。")
        return redirect("applications:materials")
    context = _context(request, application, "application") | {"form": form}
    return render(request, "applications/apply_application.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def materials(request: HttpRequest) -> HttpResponse:
    application = _application(request)
    slots = services.slots_for(application)
    current = {
        m.slot: m
        for m in Material.objects.filter(application=application).select_related(
            "current"
        )
    }
    reasons = queries.reasons_by_item(application)
    rows = [
        {
            "slot": slot,
            "material": current.get(slot.key),
            "can_upload": permissions.can_upload(application, slot),
            "reasons": queries.reasons_for_key(reasons, f"material:{slot.key}"),
            "form": UploadForm(prefix=slot.key.replace(":", "-")),
        }
        for slot in slots
    ]
    context = _context(request, application, "materials") | {"rows": rows}
    return render(request, "applications/apply_materials.html", context)


@login_required
@require_POST
def upload(request: HttpRequest, slot: str) -> HttpResponse:
    application = _application(request)
    form = UploadForm(request.POST, request.FILES, prefix=slot.replace(":", "-"))
    if not form.is_valid():
        messages.error(
            request, "；".join(str(e) for errs in form.errors.values() for e in errs)
        )
    else:
        upload_file = form.cleaned_data["file"]
        if upload_file.size > services.MAX_UPLOAD_BYTES:
            messages.error(
                request,
                f"文件过大（{upload_file.size / 1024 / 1024:.1f}MB），单个文件不能超过10MB。",
            )
        else:
            try:
                stored = services.upload_material(
                    application,
                    slot,
                    upload_file.read(),
                    upload_file.name,
                    by=request_user(request),
                )
            except (UploadRejected, permissions.NotEditable) as exc:
                messages.error(request, f"上传未成功：{exc} 原来的文件仍然保留。")
            else:
                messages.success(request, f"已上传（第{stored.version}版）。")
    return redirect(
        reverse("applications:materials") + f"#slot-{slot.replace(':', '-')}"
    )


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    application = _application(request)
    today = timezone.localdate()
    returned = queries.open_returned_items(application)
    # Not `request.POST or None`: with both boxes unticked the POST is empty.
    form = SubmitForm(
        request.POST if request.method == "POST" else None,
        initial={
            "pledge": bool(application.pledged_at),
            "defer": bool(application.deferred_committed_at),
        },
        returned=returned,
    )
    if request.method == "POST" and not form.is_valid():
        problems = [("submit", str(e)) for errs in form.errors.values() for e in errs]
    elif request.method == "POST":
        pledges = {
            "pledge": form.cleaned_data["pledge"],
            "defer": form.cleaned_data["defer"],
        }
        try:
            submitted = services.submit_application(
                application,
                by=request_user(request),
                explanations=form.explanations(),
                **pledges,
            )
        except services.SubmissionRefused as exc:
            # The refusal saved nothing: the boxes ticked are kept.
            services.save_pledges(application, **pledges)
            messages.error(request, "还不能提交，请先处理下面列出的问题。")
            problems = exc.problems
        else:
            if submitted:
                messages.success(request, "申报已提交，请随时关注审核进度。")
            return redirect("applications:status")
    profile = services.loaded_profile(request_user(request), _profile(request))
    if request.method != "POST":
        # The pledge box is on this page: list it only after a refused submit.
        problems = (
            [
                (section, message)
                for section, message in services.submission_problems(
                    application, today, profile=profile
                )
                if section != "submit"
            ]
            if permissions.is_editable(application)
            else []
        )
    policy, unavailable = services.policy_of(application)
    result = (
        check_record(build_record(profile, application), policy, today)
        if policy is not None
        else None
    )
    context = _context(request, application, "submit", profile) | {
        "form": form,
        "result": result,
        "lines": result_lines(result, policy),
        "policy_unavailable": unavailable,
        "problems": [
            (section, SECTIONS.get(section, ""), message)
            for section, message in problems
        ],
        "has_deferrable": any(
            s.deferrable for s in services.slots_for(application, profile)
        ),
        "window_open": permissions.window_open(application, today),
        "returned": returned,
    }
    return render(request, "applications/apply_check.html", context)


@login_required
def status(request: HttpRequest) -> HttpResponse:
    application = _application(request)
    context = _context(request, application, "") | {
        "history": queries.history(application),
        "holder": queries.holder_label(application),
        "next": queries.next_step(application, timezone.localdate()),
        "deferred_due": queries.upcoming(
            application.campaign.deferred_materials_deadline, timezone.localdate()
        ),
        "missing_deferred": services.missing_deferred(application)
        if application.deferred_committed_at
        else [],
    }
    return render(request, "applications/apply_status.html", context)


@login_required
@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    application = _application(request)
    try:
        services.withdraw_application(application, by=request_user(request))
    except services.InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "申报已撤回。")
    return redirect("applications:status")


@login_required
def past(request: HttpRequest) -> HttpResponse:
    """往年申报: the applicant's applications of other years, read-only."""
    user = request_user(request)
    if not request_has_role(request, Role.APPLICANT):
        raise Http404
    campaign = services.campaign_for_applicant(user)
    current = (
        Application.objects.filter(applicant=user, campaign=campaign).first()
        if campaign is not None
        else None
    )
    items = queries.past_applications(user, current)
    return render(request, "applications/past_list.html", {"items": items})


@login_required
def past_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = queries.own_application(request_user(request), pk)
    if application is None:
        raise Http404
    context = {
        "application": application,
        "campaign": application.campaign,
        "history": queries.history(application),
        "materials": application.materials.select_related("current").all(),
        "eligibility": application.eligibility or {},
    }
    return render(request, "applications/past_detail.html", context)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    items = list(user.notifications.all()[:100])
    mark_read(user)
    return render(request, "applications/notifications.html", {"items": items})
