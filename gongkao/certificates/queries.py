"""Reads of certificates: the office's (scoped like its results), the
holder's, and the public verification (by number and name, or by the QR
code's token; never a list)."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from gongkao.campaigns.models import Campaign
from gongkao.certificates.models import Certificate, CertificateSettings
from gongkao.certificates.numbering import normalise
from gongkao.organizations.models import ExamOffice
from gongkao.organizations.queries import units_of_office
from gongkao.results import queries as result_queries
from gongkao.results.models import Publication, PublishedResult

# secrets.token_urlsafe(12): 16 characters of the URL-safe alphabet.
TOKEN = re.compile(r"[A-Za-z0-9_-]{16}")


def settings_of(campaign: Campaign) -> CertificateSettings:
    found = CertificateSettings.objects.filter(campaign=campaign).first()
    return found or CertificateSettings(campaign=campaign)


def certificates(
    campaign: Campaign, office: ExamOffice | None
) -> QuerySet[Certificate]:
    """The campaign's certificates in the office's scope, whatever became of
    the application since (a disqualified holder's must still be revocable)."""
    found = Certificate.objects.filter(application__campaign=campaign)
    if office is not None:
        found = found.filter(
            application__unit__in=units_of_office(office, include_inactive=True)
        )
    return found.select_related("application__unit", "office")


def certificate_of(
    campaign: Campaign, office: ExamOffice | None, pk: int
) -> Certificate | None:
    return certificates(campaign, office).filter(pk=pk).first()


def waiting(publication: Publication) -> list[PublishedResult]:
    """Final entries of a publication without a certificate yet."""
    return list(
        result_queries.final_entries(publication).exclude(
            application__certificates__isnull=False
        )
    )


def units_waiting(publication: Publication) -> list[tuple[int, str, int]]:
    """(unit id, name, how many) of the final entries without a certificate."""
    counts: dict[int, tuple[str, int]] = {}
    for entry in waiting(publication):
        unit_id = entry.application.unit_id or 0
        name, n = counts.get(unit_id, (entry.unit_name, 0))
        counts[unit_id] = (name, n + 1)
    return sorted(
        ((pk, name, n) for pk, (name, n) in counts.items()), key=lambda row: row[1]
    )


def by_token(token: str) -> Certificate | None:
    if not TOKEN.fullmatch(token):
        return None
    return Certificate.objects.filter(token=token).select_related("office").first()


def by_number_and_name(number: str, name: str) -> Certificate | None:
    """The certificate with this number whose holder has this name."""
    found = (
        Certificate.objects.filter(number=normalise(number)[:64])
        .select_related("office")
        .first()
    )
    if found is None or found.name != name.strip():
        return None
    return found


def masked(name: str) -> str:
    """张*国, 李*: the holder's name as the public sees it."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
