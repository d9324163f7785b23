"""ApplicationCount, kept by database triggers: after any kind of write it
holds what a GROUP BY over the applications gives."""

from __future__ import annotations

import pytest
from django.db.models import Count

from gongkao.applications import services
from gongkao.applications.models import Application, ApplicationCount
from gongkao.applications.states import Status
from tests.factories import ApplicationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _counted() -> dict[tuple[object, ...], int]:
    return {
        (c.campaign_id, c.unit_id, c.status, c.level, c.job_type_id, c.route): c.n
        for c in ApplicationCount.objects.exclude(n=0)
    }


def _scanned() -> dict[tuple[object, ...], int]:
    return {
        (
            r["campaign_id"],
            r["unit_id"] or 0,
            r["status"],
            r["level"] or 0,
            r["job_type_id"] or 0,
            r["route"],
        ): r["n"]
        for r in Application.objects.values(
            "campaign_id", "unit_id", "status", "level", "job_type_id", "route"
        )
        .annotate(n=Count("id"))
        .order_by()
    }


def test_counts_follow_every_kind_of_write(campaign, school):
    other = UnitFactory(city_direct=True)
    apps = [
        ApplicationFactory(
            applicant=UserFactory(username=f"c{i}"),
            campaign=campaign,
            unit=school if i % 2 else other,
            level=4 if i % 3 else None,
            status=Status.UNIT_REVIEW if i % 2 else Status.DRAFT,
        )
        for i in range(6)
    ]
    assert _counted() == _scanned() and sum(_counted().values()) == 6
    # The status machine (an UPDATE of one row).
    services.transition(apps[1], Status.DEPARTMENT_REVIEW, by=None)
    assert _counted() == _scanned()
    # A QuerySet.update of many rows, of several key columns at once.
    Application.objects.filter(unit=other).update(level=3, unit=school)
    assert _counted() == _scanned()
    # The route the engine found (a queue filter).
    Application.objects.filter(pk=apps[3].pk).update(route="regular")
    assert _counted() == _scanned()
    # A save that changes no key leaves the counts alone.
    apps[3].refresh_from_db()
    apps[3].save(update_fields=["updated_at"])
    assert _counted() == _scanned()
    # A key column set to NULL, and a delete.
    Application.objects.filter(pk=apps[4].pk).update(job_type=None, level=None)
    Application.objects.filter(pk=apps[5].pk).delete()
    assert _counted() == _scanned() and sum(_counted().values()) == 5
    # bulk_create (the scale benchmark's way in).
    Application.objects.bulk_create(
        [
            Application(
                applicant=UserFactory(username=f"b{i}"),
                campaign=campaign,
                unit=school,
                level=5,
                status=Status.QUALIFIED,
            )
            for i in range(3)
        ]
    )
    assert _counted() == _scanned() and sum(_counted().values()) == 8
