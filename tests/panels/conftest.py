"""The panel review's test data: a pool of experts, level-1 candidates (one
exempt, one through the theory exam) and a panel drawn through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from gongkao.accounts.models import Role, User
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign, JobType
from gongkao.panels import services
from gongkao.panels.models import Expert, Panel
from tests import factories

BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


@pytest.fixture
def kind(db) -> JobType:
    return factories.JobTypeFactory.create(electrician=True)


def level1(campaign: Campaign, unit, kind: JobType) -> Application:
    return factories.ApplicationFactory.create(
        campaign=campaign, status=Status.QUALIFIED, level=1, unit=unit, job_type=kind
    )


def pass_theory(application: Application, score: str = "75") -> None:
    subject = factories.SubjectFactory.create(
        campaign=application.campaign,
        level=1,
        code="theory",
        name="理论知识",
        theory=True,
    )
    factories.AttemptFactory.create(
        paper__seat__application=application,
        paper__subject=subject,
        score=Decimal(score),
    )


@dataclass
class World:
    campaign: Campaign
    admin: User
    kind: JobType
    exempt: Application
    examined: Application
    experts: list[Expert]
    users: dict[int, User]


@pytest.fixture
def world(campaign, city_office, school, office_admin, kind) -> World:
    """Two candidates (exempt; passed the theory exam) and nine experts of
    the city office, each with an account."""
    exempt = level1(campaign, school, kind)
    factories.TheoryExemptionFactory.create(application=exempt, confirmed=True)
    other_unit = factories.UnitFactory.create(city_direct=True)
    examined = level1(campaign, other_unit, kind)
    pass_theory(examined)
    experts = [
        factories.ExpertFactory.create(office=city_office, job_types=[kind])
        for _ in range(9)
    ]
    users = {}
    for e in experts:
        users[e.pk] = factories.staff(Role.EXPERT, office=city_office)
        e.user = users[e.pk]
        e.save()
    return World(campaign, office_admin, kind, exempt, examined, experts, users)


def make_panel(world: World, seed: int = 7) -> Panel:
    return services.create_panel(
        world.campaign,
        world.experts[0].office,
        name="电工评审组",
        job_types=[world.kind],
        review_from=date(2025, 10, 1),
        review_until=date(2025, 12, 31),
        by=world.admin,
        seed=seed,
    )


@pytest.fixture
def panel(world) -> Panel:
    return make_panel(world)
