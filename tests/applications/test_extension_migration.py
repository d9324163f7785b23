"""Migration applications.0009: an extension granted before each grant had a
row of its own becomes the application's first RegistrationExtension."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkao.applications.models import Application, RegistrationExtension
from tests.factories import ApplicantFactory, fill_level4_application, office_admin

BEFORE = ("applications", "0008_queue_indexes")


@pytest.mark.django_db(transaction=True)
def test_an_earlier_extension_becomes_the_first_grant(city_office):
    admin = office_admin(city_office, name="王敏")
    extended = fill_level4_application(ApplicantFactory.create(name="甲"))
    plain = fill_level4_application(ApplicantFactory.create(name="乙"))
    Application.objects.filter(pk=extended.pk).update(
        extended_until=date(2025, 4, 5), extension_reason="住院", extended_by=admin
    )
    call_command("migrate", *BEFORE, verbosity=0)
    try:
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        assert old.get_model("applications", "Application").objects.count() == 2
    finally:
        call_command("migrate", verbosity=0)
    [grant] = RegistrationExtension.objects.all()
    assert (grant.application_id, grant.until, grant.reason, grant.granted_by_id) == (
        extended.pk,
        date(2025, 4, 5),
        "住院",
        admin.pk,
    )
    assert not RegistrationExtension.objects.filter(application=plain).exists()
