"""The panel review: raw rows (the draw, sessions and ballots go through
gongkao.panels.services in behaviour tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from gongkao.panels.models import (
    Ballot,
    Conflict,
    Expert,
    Panel,
    PanelCandidate,
    PanelMember,
    PanelSettings,
    ReviewSession,
    SessionResult,
)
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.campaigns import CampaignFactory
from tests.factories.organizations import ExamOfficeFactory


def _set_job_types(obj: Any, create: bool, extracted: Any, **_: Any) -> None:
    if create and extracted:
        obj.job_types.set(extracted)


class ExpertFactory(factory.django.DjangoModelFactory[Expert]):
    """An expert of a pool, 2025–2027, judging the `job_types` given."""

    class Meta:
        model = Expert
        skip_postgeneration_save = True

    office = factory.SubFactory(ExamOfficeFactory)
    name = factory.Sequence(lambda n: f"专家{n}")
    unit_name = factory.Sequence(lambda n: f"焦作市评审单位{n}")
    title = "高级工程师"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    term_start = date(2025, 1, 1)
    term_end = date(2027, 12, 31)

    job_types = factory.PostGeneration(_set_job_types)


class PanelSettingsFactory(factory.django.DjangoModelFactory[PanelSettings]):
    class Meta:
        model = PanelSettings
        django_get_or_create = ("campaign",)

    campaign = factory.SubFactory(CampaignFactory)


class PanelFactory(factory.django.DjangoModelFactory[Panel]):
    class Meta:
        model = Panel
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    office = factory.SubFactory(ExamOfficeFactory)
    name = factory.Sequence(lambda n: f"第{n}评审组")
    size = 5
    review_from = date(2025, 10, 1)
    review_until = date(2025, 12, 31)
    seed = 1

    job_types = factory.PostGeneration(_set_job_types)


class PanelMemberFactory(factory.django.DjangoModelFactory[PanelMember]):
    class Meta:
        model = PanelMember

    panel = factory.SubFactory(PanelFactory)
    expert = factory.SubFactory(
        ExpertFactory, office=factory.SelfAttribute("..panel.office")
    )
    order = factory.Sequence(lambda n: n + 1)


class PanelCandidateFactory(factory.django.DjangoModelFactory[PanelCandidate]):
    class Meta:
        model = PanelCandidate

    panel = factory.SubFactory(PanelFactory)
    application = factory.SubFactory(
        ApplicationFactory, level=1, campaign=factory.SelfAttribute("..panel.campaign")
    )
    code = factory.Sequence(lambda n: f"{n % 1000:03d}")


class ConflictFactory(factory.django.DjangoModelFactory[Conflict]):
    class Meta:
        model = Conflict

    member = factory.SubFactory(PanelMemberFactory)
    candidate = factory.SubFactory(
        PanelCandidateFactory, panel=factory.SelfAttribute("..member.panel")
    )
    reason = "近亲属"


class ReviewSessionFactory(factory.django.DjangoModelFactory[ReviewSession]):
    class Meta:
        model = ReviewSession

    panel = factory.SubFactory(PanelFactory)
    held_on = date(2025, 11, 5)
    opened_by = factory.SubFactory(UserFactory)
    opened_at = factory.LazyFunction(timezone.now)


class BallotFactory(factory.django.DjangoModelFactory[Ballot]):
    class Meta:
        model = Ballot

    session = factory.SubFactory(ReviewSessionFactory)
    member = factory.SubFactory(
        PanelMemberFactory, panel=factory.SelfAttribute("..session.panel")
    )
    candidate = factory.SubFactory(
        PanelCandidateFactory, panel=factory.SelfAttribute("..session.panel")
    )
    scores = factory.LazyFunction(lambda: {"业绩": "30", "技能": "25", "答辩": "20"})
    total = Decimal("75")
    vote = Ballot.Vote.FOR
    cast_at = factory.LazyFunction(timezone.now)


class SessionResultFactory(factory.django.DjangoModelFactory[SessionResult]):
    class Meta:
        model = SessionResult

    session = factory.SubFactory(ReviewSessionFactory)
    candidate = factory.SubFactory(
        PanelCandidateFactory, panel=factory.SelfAttribute("..session.panel")
    )
    eligible = 5
    present = 5
    in_favour = 4
    against = 1
    abstained = 0
    mean_score = Decimal("75.00")
    passed = True
