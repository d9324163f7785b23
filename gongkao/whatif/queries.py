"""Reads of the what-if pages, every one scoped to the office."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Q, QuerySet

from gongkao.applications.models import Application
from gongkao.campaigns.models import Campaign
from gongkao.organizations.models import ExamOffice
from gongkao.organizations.queries import units_of_office
from gongkao.whatif.compare import Submitted
from gongkao.whatif.models import WhatIfRun

# Rows read per round trip: a snapshot is a few kB of JSON.
CHUNK = 2000


def runs_of_office(office: ExamOffice) -> QuerySet[WhatIfRun]:
    return WhatIfRun.objects.filter(office=office).select_related(
        "campaign", "created_by", "job"
    )


def submitted_of(campaign: Campaign, office: ExamOffice) -> QuerySet[Application]:
    """The campaign's submitted applications in the units the office reviews."""
    return Application.objects.filter(
        Q(unit__in=units_of_office(office)),
        campaign=campaign,
        submitted_at__isnull=False,
        snapshot__isnull=False,
        eligibility__isnull=False,
    )


def submitted_rows(applications: QuerySet[Application]) -> Iterator[Submitted]:
    """Each application's snapshot record and the result it was submitted with."""
    rows = applications.order_by("pk").values_list(
        "pk",
        "applicant__name",
        "unit__name",
        "level",
        "job_type__name",
        "snapshot",
        "eligibility",
    )
    for pk, name, unit, level, job_type, snapshot, result in rows.iterator(
        chunk_size=CHUNK
    ):
        # submitted_of keeps only rows with a snapshot and a result.
        assert snapshot is not None and result is not None and level is not None
        yield Submitted(
            pk,
            name,
            unit or "",
            level,
            job_type or "",
            snapshot.get("record", {}),
            date.fromisoformat(snapshot["submitted_on"]),
            bool(result.get("eligible")),
            tuple(result.get("failed", ())),
        )
