"""Retention: each kind of record is kept a number of years after its
campaign's year (RetentionRule, per office, with defaults); what has passed
it is listed here, and deleted only by the office (services.purge)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from gongkao.applications.models import MaterialFile
from gongkao.campaigns.models import Campaign
from gongkao.cbt.models import Answer
from gongkao.certificates.models import Purge, RetentionRule
from gongkao.organizations.models import ExamOffice
from gongkao.organizations.queries import units_of_office

Kind = RetentionRule.Kind


def years_of(office: ExamOffice) -> dict[str, int]:
    rules = dict(
        RetentionRule.objects.filter(office=office).values_list("kind", "years")
    )
    return {kind: rules.get(kind, RetentionRule.DEFAULT_YEARS[kind]) for kind in Kind}


def records(kind: str, campaign: Campaign, office: ExamOffice) -> QuerySet[Any]:
    """The records of `kind` of the campaign that the office keeps: those of
    the units in its jurisdiction (its own campaign's, for the city office)."""
    if kind == Kind.ANSWERS:
        found: QuerySet[Any] = Answer.objects.filter(
            attempt__seat__sitting__campaign=campaign
        )
        field = "attempt__seat__application__unit__in"
    else:
        found = MaterialFile.objects.filter(material__application__campaign=campaign)
        field = "material__application__unit__in"
    if office.division_id != campaign.division_id:
        found = found.filter(**{field: units_of_office(office, include_inactive=True)})
    return found


@dataclass(frozen=True)
class Due:
    campaign: Campaign
    kind: str
    label: str
    years: int
    kept_until: int  # the last year the records are kept
    count: int


def due(office: ExamOffice, today: date) -> list[Due]:
    """Every campaign of the office's city whose records of a kind passed
    their retention (kept through the year `campaign.year + years`), with
    how many are left."""
    years = years_of(office)
    labels = dict(Kind.choices)
    found = []
    for campaign in Campaign.objects.filter(
        division_id__in=[office.division_id, office.division.parent_id]
    ).order_by("year"):
        for kind, kept in years.items():
            if campaign.year + kept >= today.year:
                continue
            count = records(kind, campaign, office).count()
            if count:
                found.append(
                    Due(campaign, kind, labels[kind], kept, campaign.year + kept, count)
                )
    return found


def purges(office: ExamOffice) -> QuerySet[Purge]:
    return Purge.objects.filter(office=office).select_related("campaign", "purged_by")
