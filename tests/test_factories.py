"""The factories themselves: one for every model, each a valid row, and the
helpers reach their status through the services."""

from __future__ import annotations

from decimal import Decimal

import factory
import pytest
from django.apps import apps

from gongkao.accounts.models import Role, RoleAssignment
from gongkao.applications.models import StatusChange
from gongkao.applications.states import Status
from gongkao.campaigns.models import FeeRate
from gongkao.organizations.queries import reviewing_office
from gongkao.review.models import Batch, BatchChange
from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = [
    getattr(factories, name)
    for name in factories.__all__
    if isinstance(getattr(factories, name), type)
    and issubclass(getattr(factories, name), factory.django.DjangoModelFactory)
]


def test_every_model_has_a_factory():
    models = {m for m in apps.get_models() if m.__module__.startswith("gongkao.")}
    covered = {f._meta.model for f in FACTORIES}
    assert sorted(m._meta.label for m in models - covered) == []


@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda f: f.__name__)
def test_factory_builds_a_valid_row(factory_class):
    row = factory_class.create()
    row.full_clean()
    assert type(row)._default_manager.filter(pk=row.pk).exists()


def test_applicant_factory_encrypts_numbers_and_grants_the_role():
    first, second = factories.ApplicantFactory.create_batch(2)
    assert first.phone != second.phone and first.id_number != second.id_number
    assert first.phone_encrypted and first.phone not in first.phone_encrypted
    assert list(RoleAssignment.objects.filter(user=first).values_list("role")) == [
        (Role.APPLICANT,)
    ]


def test_campaign_factory_is_the_notice_and_shares_its_year():
    campaign = factories.CampaignFactory(fee_rates={4: Decimal("120")})
    assert factories.CampaignFactory() == campaign
    assert (
        campaign.registration_start.isoformat(),
        campaign.review_end.isoformat(),
    ) == (
        "2025-03-13",
        "2025-04-11",
    )
    assert dict(FeeRate.objects.values_list("level", "amount")) == {
        1: 0,
        2: 0,
        3: 0,
        4: Decimal("120"),
        5: 0,
    }


def test_office_reviewer_reviews_the_unit_given():
    unit = factories.UnitFactory()
    reviewer = factories.office_reviewer(reviews=unit)
    assert reviewing_office(unit) == factories.assignment_of(reviewer).office


@pytest.mark.parametrize("city_procedure", [False, True])
def test_advance_and_advance_batch_close_a_batch_through_the_services(
    city_procedure, in_window
):
    unit = factories.UnitFactory(with_department=True)
    reviewers = factories.Reviewers(
        factories.unit_clerk(unit),
        factories.department_reviewer(unit.supervising_department),
        factories.office_reviewer(),
    )
    factories.review_unit(
        factories.assignment_of(reviewers.office).office,
        unit,
        city_procedure=city_procedure,
    )
    application = factories.submitted_application(unit=unit)
    factories.advance(application, Status.ONSITE_CHECK, reviewers)
    batch = Batch.objects.get(unit=unit)
    factories.advance_batch(batch, Batch.State.CLOSED, reviewers)
    application.refresh_from_db()
    assert (application.status, batch.state) == (Status.QUALIFIED, Batch.State.CLOSED)
    assert list(
        StatusChange.objects.filter(application=application).values_list(
            "to_status", flat=True
        )
    ) == [
        "unit_review",
        "department_review",
        "qualification_review",
        "onsite_check",
        "qualified",
    ]
    paper = ["rosters_printed", "scans_uploaded", "department_stamped"]
    assert list(BatchChange.objects.values_list("to_state", flat=True)) == [
        "online_review_complete",
        *(paper if city_procedure else []),
        "onsite_checked",
        "closed",
    ]
