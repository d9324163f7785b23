"""The public portal: each city's campaign, its notices, schedule, materials,
FAQ and contacts, and a quick eligibility check that needs no account."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gongkao.accounts import home as account_home
from gongkao.applications.checklist import public_materials
from gongkao.applications.records import check_record, result_lines
from gongkao.campaigns.models import LEVEL_CHOICES, Campaign
from gongkao.eligibility.labels import ROUTE_LABELS
from gongkao.eligibility.routes import ROUTES_BY_LEVEL
from gongkao.policies.queries import policy_or_message
from gongkao.portal import queries
from gongkao.portal.forms import QuickCheckForm


def index(request: HttpRequest) -> HttpResponse:
    """`/`: the portal for a visitor, the role's home for a signed-in user."""
    if request.user.is_authenticated:
        return account_home.home(request)
    return render(
        request, "portal/index.html", {"campaigns": queries.portal_campaigns()}
    )


def _campaign(pk: int) -> Campaign:
    campaign = queries.public_campaign(pk)
    if campaign is None:
        raise Http404("没有这个年度考务。")
    return campaign


def materials_table() -> list[dict[str, object]]:
    """Per level and route, what must be uploaded: read from the same rules as
    the application's checklist, so the two never disagree."""
    rows: list[dict[str, object]] = []
    for level, level_label in sorted(LEVEL_CHOICES, reverse=True):
        for route in ROUTES_BY_LEVEL[level]:
            rows.append(
                {
                    "level": level_label,
                    "route": ROUTE_LABELS[route.name],
                    "materials": public_materials(level, route.name),
                }
            )
    return rows


def campaign_page(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(pk)
    context = {
        "campaign": campaign,
        "offices": queries.offices_of(campaign),
        "materials": materials_table(),
    }
    return render(request, "portal/campaign.html", context)


@require_http_methods(["GET", "POST"])
def quick_check(request: HttpRequest, pk: int) -> HttpResponse:
    """资格速查: the engine on typed answers; nothing is stored."""
    campaign = _campaign(pk)
    form = QuickCheckForm(request.POST or None)
    result = None
    eligible_levels: list[str] = []
    policy, unavailable = policy_or_message(campaign.policy_id)
    if request.method == "POST" and form.is_valid() and policy is not None:
        record = form.record()
        today = timezone.localdate()
        result = check_record(record, policy, today)
        for level, label in sorted(LEVEL_CHOICES, reverse=True):
            other = check_record(record | {"applied_level": level}, policy, today)
            if other is not None and other.eligible:
                eligible_levels.append(label)
    context = {
        "campaign": campaign,
        "form": form,
        "result": result,
        "lines": result_lines(result, policy),
        "policy_unavailable": unavailable,
        "eligible_levels": eligible_levels,
        "route_label": ROUTE_LABELS.get(result.route or "", "") if result else "",
        "level_label": dict(LEVEL_CHOICES).get(form.cleaned_data["applied_level"], "")
        if result is not None
        else "",
    }
    return render(request, "portal/quick_check.html", context)
