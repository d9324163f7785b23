"""Migration exams.0007: sittings made before offices planned their own get
their first room's centre's office, else the office of the campaign's city."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkao.exams.models import ExamPlan, Sitting
from tests import factories

BEFORE = ("exams", "0006_theory_exemption")


@pytest.mark.django_db(transaction=True)
def test_earlier_sittings_and_plans_stay_the_city_offices(
    campaign, city_office, county_office
):
    centre = factories.TestCentreFactory.create(campaign=campaign, office=county_office)
    room = factories.RoomFactory.create(centre=centre)
    call_command("migrate", *BEFORE, verbosity=0)
    try:
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        OldSitting = old.get_model("exams", "Sitting")
        with_room = OldSitting.objects.create(
            campaign_id=campaign.pk,
            name="有考场",
            date=date(2025, 6, 14),
            start_time=time(9, 0),
        )
        with_room.rooms.add(room.pk)
        OldSitting.objects.create(
            campaign_id=campaign.pk,
            name="无考场",
            date=date(2025, 6, 14),
            start_time=time(10, 30),
        )
        old.get_model("exams", "ExamPlan").objects.create(campaign_id=campaign.pk)
    finally:
        call_command("migrate", verbosity=0)
    offices = dict(Sitting.objects.values_list("name", "office_id"))
    assert offices == {"有考场": county_office.pk, "无考场": city_office.pk}
    assert ExamPlan.objects.get().office is None  # the city-wide plan
