"""The office's certificate pages (issue, print, reissue, revoke, settings)
and the public verification. Office reads are scoped like its results; the
public finds one certificate by number and name, or by the QR code's token."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.lockout import count_lookup
from gongkao.accounts.models import Role
from gongkao.campaigns.models import Campaign
from gongkao.certificates import archives, document, queries, retention, services
from gongkao.certificates.forms import NumbersForm, ReasonForm, SettingsForm, VerifyForm
from gongkao.certificates.models import Certificate, RetentionRule
from gongkao.core.forms import SearchForm, form_errors, int_param
from gongkao.core.pdf import pdf_response
from gongkao.results import queries as result_queries
from gongkao.results.views import Office, office_of

VERIFY_LIMIT = 20
MAX_UPLOAD = 10 * 1024 * 1024


def _url(office: Office, name: str, *args: int) -> str:
    return office.url(name, *args, app="certificates")


@login_required
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """等级证书: final publications with who waits for a certificate; the
    issued certificates (search by number or name, filter by unit)."""
    office = office_of(request, assignment_id)
    if request.method == "POST":
        publication = result_queries.publication_of(
            office.campaign,
            office.scope,
            int_param(request.POST.get("publication")) or 0,
        )
        if publication is None:
            raise Http404("没有这个公示，或不在您的范围内。")
        unit = int_param(request.POST.get("unit"))
        if request.POST.get("unit") and unit is None:
            raise Http404("没有这个单位。")
        numbers = NumbersForm(request.POST, request.FILES)
        try:
            if "file" in request.FILES:
                if (
                    not numbers.is_valid()
                    or numbers.cleaned_data["file"].size > MAX_UPLOAD
                ):
                    raise services.Refused("请选择不超过10 MB的编号名单文件。")
                upload = numbers.cleaned_data["file"]
                made = services.import_numbers(
                    publication,
                    upload.read(),
                    upload.name,
                    by=request_user(request),
                    request=request,
                )
            else:
                made = services.issue(
                    publication, by=request_user(request), unit_id=unit, request=request
                )
        except services.ImportRefused as exc:
            for error in exc.errors:
                messages.error(request, error)
        except services.Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"已颁发{len(made)}本证书，编号{made[0].number}至{made[-1].number}。",
            )
        return redirect(_url(office, "overview"))
    search = SearchForm(request.GET)
    text, _, error = search.cleaned()
    if error:
        messages.error(request, error)
    found = queries.certificates(office.campaign, office.scope).order_by(
        "-issued_at", "number"
    )
    if text:
        found = found.filter(number__icontains=text) | found.filter(
            name__icontains=text
        )
    unit = int_param(request.GET.get("unit"))
    if unit:
        found = found.filter(application__unit_id=unit)
    finals = [
        p
        for p in result_queries.publications(office.campaign, office.scope)
        if result_queries.is_final(p)
    ]
    context = office.context(
        waiting=[(p, queries.units_waiting(p)) for p in finals],
        page=Paginator(found, 50).get_page(request.GET.get("page")),
        q=text,
        unit=unit,
        units=sorted(
            set(
                queries.certificates(office.campaign, office.scope).values_list(
                    "application__unit_id", "unit_name"
                )
            ),
            key=lambda row: row[1],
        ),
        reason_form=ReasonForm(),
        numbers_form=NumbersForm(),
        from_province=queries.settings_of(office.campaign).numbers_from_province,
    )
    return render(request, "certificates/overview.html", context)


def _certificate(office: Office, pk: int) -> Certificate:
    found = queries.certificate_of(office.campaign, office.scope, pk)
    if found is None:
        raise Http404("没有这本证书，或不在您的范围内。")
    return found


@login_required
def certificate_pdf(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    office = office_of(request, assignment_id)
    found = _certificate(office, pk)
    if found.status != Certificate.Status.VALID:
        raise Http404("该证书已作废，不能打印。")
    return pdf_response(document.render([found]), f"等级证书-{found.number}")


@login_required
@require_POST
def unit_pdf(request: HttpRequest, assignment_id: int, unit_id: int) -> HttpResponse:
    office = office_of(request, assignment_id)
    if (
        not queries.certificates(office.campaign, office.scope)
        .filter(application__unit_id=unit_id)
        .exists()
    ):
        raise Http404("该单位没有证书。")
    job = services.start_unit_certificates(
        office.campaign,
        unit_id,
        office.scope,
        by=request_user(request),
        request=request,
    )
    return redirect("core:job", job.pk)


@login_required
@require_POST
def act(request: HttpRequest, assignment_id: int, pk: int, action: str) -> HttpResponse:
    """补发 or 撤销, with a reason."""
    office = office_of(request, assignment_id)
    found = _certificate(office, pk)
    if action not in {"reissue", "revoke"}:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_url(office, "overview"))
    step = services.reissue if action == "reissue" else services.revoke
    try:
        done = step(
            found,
            form.cleaned_data["reason"],
            by=request_user(request),
            request=request,
        )
    except services.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"已补发新证，编号{done.number}，原证书{found.number}作废。"
            if action == "reissue"
            else f"证书{found.number}已撤销。",
        )
    return redirect(_url(office, "overview"))


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    office = office_of(request, assignment_id)
    own = office.assignment.office
    if own is None or own.division_id != office.campaign.division_id:
        # Numbering and dates are the campaign's: the city office sets them.
        raise Http404("证书设置由本市工考办负责。")
    current = queries.settings_of(office.campaign)
    form = SettingsForm(
        request.POST or None,
        initial={
            "pattern": current.pattern,
            "cert_date": current.cert_date,
            "numbers_from_province": current.numbers_from_province,
            "layout": current.layout,
            "positions": "\n".join(
                f"{key} {x:g} {y:g}" for key, (x, y) in current.positions.items()
            ),
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
            form.add_error(None, str(exc))
        else:
            messages.success(request, "证书设置已保存。")
            return redirect(_url(office, "overview"))
    return render(request, "certificates/settings.html", office.context(form=form))


# ---- the public ----


def _shown(found: Certificate) -> dict[str, object]:
    """What verification shows: never the ID number, the name masked."""
    return {
        "status": found.status,
        "status_label": found.get_status_display(),
        "name": queries.masked(found.name),
        "level": document.LEVELS.get(found.level, found.level),
        "job_type": found.job_type_name,
        "office": found.office.name,
        "date": found.cert_date,
        "number": found.number,
    }


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """证书核验 by number and the holder's name."""
    form = VerifyForm(request.POST or None)
    context: dict[str, object] = {"form": form, "asked": False}
    if request.method == "POST" and form.is_valid():
        lock = count_lookup(request, "certificate-verify", VERIFY_LIMIT)
        if lock is not None:
            form.add_error(
                None,
                f"查询过于频繁，请于{timezone.localtime(lock.until):%H:%M}后再试。",
            )
        else:
            found = queries.by_number_and_name(
                form.cleaned_data["number"], form.cleaned_data["name"]
            )
            context["asked"] = True
            context["result"] = _shown(found) if found else None
    return render(request, "certificates/verify.html", context)


def verify_token(request: HttpRequest, token: str) -> HttpResponse:
    """The QR code's page."""
    lock = count_lookup(request, "certificate-verify", VERIFY_LIMIT)
    found = None if lock is not None else queries.by_token(token)
    context = {
        "form": VerifyForm(),
        "asked": lock is None,
        "limited": lock is not None,
        "result": _shown(found) if found else None,
    }
    return render(
        request,
        "certificates/verify.html",
        context,
        status=200 if found or lock else 404,
    )


@login_required
@require_http_methods(["GET", "POST"])
def archives_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """归档: find a candidate's archive; the whole campaign's as a job."""
    office = office_of(request, assignment_id)
    if request.method == "POST":
        job = services.start_campaign_archives(
            office.campaign, office.scope, by=request_user(request), request=request
        )
        return redirect("core:job", job.pk)
    search = SearchForm(request.GET)
    text, _, error = search.cleaned()
    if error:
        messages.error(request, error)
    found = archives.candidates(office.campaign, office.scope)
    if text:
        found = found.filter(applicant__name=text) | found.filter(
            ticket__number=text.upper()
        )
    context = office.context(
        q=text,
        rows=list(found[:50]) if text else [],
        total=archives.candidates(office.campaign, office.scope).count(),
    )
    return render(request, "certificates/archives.html", context)


@login_required
def archive_pdf(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    office = office_of(request, assignment_id)
    application = (
        archives.candidates(office.campaign, office.scope).filter(pk=pk).first()
    )
    if application is None:
        raise Http404("没有这份申报，或不在您的范围内。")
    data = archives.render(application)
    services.record_archive_read(
        application.pk, by=request_user(request), request=request
    )
    return pdf_response(data, f"考核档案-{application.applicant.name}")


@login_required
@require_http_methods(["GET", "POST"])
def retention_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """档案保存期限: the office administrator sets the years per kind, sees
    what has passed them and deletes it (recorded, audited)."""
    assignment = assignment_for_user(
        request_user(request), assignment_id, Role.OFFICE_ADMIN
    )
    office = assignment.office
    if office is None:
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("action") == "purge":
                campaign = Campaign.objects.filter(
                    pk=int_param(request.POST.get("campaign")) or 0
                ).first()
                if campaign is None:
                    raise Http404
                done = services.purge(
                    office,
                    campaign,
                    request.POST.get("kind", ""),
                    by=request_user(request),
                    request=request,
                )
                messages.success(
                    request,
                    f"已删除{campaign.name}的{done.get_kind_display()}{done.count}条。",
                )
            else:
                services.save_retention(
                    office,
                    {
                        kind: int_param(request.POST.get(kind)) or 0
                        for kind in RetentionRule.Kind.values
                    },
                    by=request_user(request),
                    request=request,
                )
                messages.success(request, "保存期限已保存。")
        except services.Refused as exc:
            messages.error(request, str(exc))
        return redirect("certificates:retention", assignment.pk)
    years = retention.years_of(office)
    context = {
        "assignment": assignment,
        "rules": [
            (kind, label, years[kind]) for kind, label in RetentionRule.Kind.choices
        ],
        "due": retention.due(office, timezone.localdate()),
        "purges": retention.purges(office)[:50],
    }
    return render(request, "certificates/retention.html", context)
