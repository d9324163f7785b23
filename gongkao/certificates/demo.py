"""The demo's certificates: everyone on 焦作市's closed 2025 publication gets
one; one is reissued (lost) and one revoked, so the office's list, the
verification page and the holders' profiles have something to show
(idempotent)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from gongkao.accounts.models import User
from gongkao.campaigns.models import Campaign
from gongkao.certificates import services
from gongkao.certificates.models import Certificate
from gongkao.results.models import Publication


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@transaction.atomic
def seed_certificates() -> int:
    """Returns the number issued (0 when they were already)."""
    campaign = Campaign.objects.filter(year=2025, division__code="410800").first()
    admin = User.objects.filter(username="admin").first()
    publication = (
        Publication.objects.filter(campaign=campaign).order_by("published_at").first()
        if campaign
        else None
    )
    if (
        publication is None
        or admin is None
        or Certificate.objects.filter(application__campaign=campaign).exists()
    ):
        return 0
    when = _at(publication.ends_on.replace(day=1).replace(month=12))
    try:
        made = services.issue(publication, by=admin, now=when)
    except services.Refused:
        return 0
    if len(made) >= 3:
        services.reissue(
            made[1], "证书遗失，本人申请补发", by=admin, now=_at(when.date(), 15)
        )
        services.revoke(
            made[2],
            "经核查，证书所载工种与考核工种不一致，收回作废",
            by=admin,
            now=_at(when.date(), 16),
        )
    return len(made)
