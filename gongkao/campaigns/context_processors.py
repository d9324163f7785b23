from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from gongkao.campaigns.queries import current_campaign_for_user


def campaign(request: HttpRequest) -> dict[str, Any]:
    """The campaign of the user's city, for every template (home pages, the
    schedule); read from the database only when a template uses it."""
    return {
        "current_campaign": SimpleLazyObject(
            lambda: current_campaign_for_user(request.user)  # type: ignore[arg-type]
        )
    }
