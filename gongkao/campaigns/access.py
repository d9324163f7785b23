"""The campaign a staff page shows, from the year picker (?campaign=)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404, HttpRequest

from gongkao.accounts.models import RoleAssignment
from gongkao.campaigns.models import Campaign
from gongkao.campaigns.queries import chosen_campaign


@dataclass(frozen=True)
class Chosen:
    campaign: Campaign | None
    choices: list[Campaign] = field(default_factory=list)

    def context(self, **keep: str) -> dict[str, object]:
        """What includes/campaign_picker.html needs; `keep` are the page's other
        query parameters, kept when the year changes."""
        return {
            "campaign": self.campaign,
            "campaign_choices": self.choices,
            "keep": keep,
        }


def campaign_for_request(request: HttpRequest, assignment: RoleAssignment) -> Chosen:
    """The chosen campaign, or the current one of the role's city; a campaign
    of another city (or a malformed id) is a 404."""
    try:
        return Chosen(*chosen_campaign(assignment, request.GET.get("campaign")))
    except Campaign.DoesNotExist:
        raise Http404("没有这个年度考务，或不在您的范围内。") from None
