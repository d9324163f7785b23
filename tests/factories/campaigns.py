"""The campaign of the 2025 Jiaozuo notice, its fee rates and the job types."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory

from gongkao.campaigns.demo import CITY_MAILBOX
from gongkao.campaigns.models import Campaign, FaqEntry, FeeRate, JobType, PortalNotice
from tests.factories.organizations import DivisionFactory


def _fee_rates(
    obj: Campaign, create: bool, extracted: dict[int, Decimal] | None, **_: Any
) -> None:
    if not create:
        return
    # A rate already set (an earlier call, a test) is kept unless given.
    for level in range(1, 6):
        FeeRate.objects.get_or_create(campaign=obj, level=level)
    for level, amount in (extracted or {}).items():
        FeeRate.objects.filter(campaign=obj, level=level).update(amount=amount)


class CampaignFactory(factory.django.DjangoModelFactory[Campaign]):
    """年度考务 of the 焦作市 notice (焦人社函〔2025〕13号), 2025 by default, with
    its dates (section 四): registration 03-13 to 03-31, online review done by
    04-02, review and on-site check to 04-11, deferred materials by 06-30, …;
    policy 2025-jiaozuo; the city office's mailbox; and one fee rate per level
    at 0 yuan, as the notice leaves the amounts to the offices
    (`fee_rates={4: Decimal("120")}` sets some).

    Get-or-create by (year, division): like the application, the tests have one
    campaign a year in 焦作市, so two fixtures asking for it share it.
    """

    class Meta:
        model = Campaign
        django_get_or_create = ("year", "division")
        skip_postgeneration_save = True

    year = 2025
    division = factory.SubFactory(DivisionFactory, jiaozuo=True)
    name = factory.LazyAttribute(
        lambda o: f"{o.year}年焦作市机关事业单位工勤技能岗位等级考核"
    )
    notice_number = factory.LazyAttribute(lambda o: f"焦人社函〔{o.year}〕13号")
    notice_date = factory.LazyAttribute(lambda o: date(o.year, 2, 28))
    policy_id = "2025-jiaozuo"
    mailbox = CITY_MAILBOX
    registration_start = factory.LazyAttribute(lambda o: date(o.year, 3, 13))
    registration_end = factory.LazyAttribute(lambda o: date(o.year, 3, 31))
    review_start = factory.LazyAttribute(lambda o: date(o.year, 3, 13))
    review_end = factory.LazyAttribute(lambda o: date(o.year, 4, 11))
    online_review_deadline = factory.LazyAttribute(lambda o: date(o.year, 4, 2))
    deferred_materials_deadline = factory.LazyAttribute(lambda o: date(o.year, 6, 30))
    training_start = factory.LazyAttribute(lambda o: date(o.year, 4, 1))
    training_end = factory.LazyAttribute(lambda o: date(o.year, 7, 31))
    exam_start = factory.LazyAttribute(lambda o: date(o.year, 6, 1))
    exam_end = factory.LazyAttribute(lambda o: date(o.year, 10, 31))
    panel_review_start = factory.LazyAttribute(lambda o: date(o.year, 10, 1))
    panel_review_end = factory.LazyAttribute(lambda o: date(o.year, 12, 31))

    fee_rates = factory.PostGeneration(_fee_rates)


class FeeRateFactory(factory.django.DjangoModelFactory[FeeRate]):
    """Sets the amount of one level of a campaign (CampaignFactory made the row)."""

    class Meta:
        model = FeeRate

    campaign = factory.SubFactory(CampaignFactory)
    level = 4
    amount = Decimal("120.00")

    @classmethod
    def _create(cls, model_class: type[FeeRate], *args: Any, **kwargs: Any) -> FeeRate:
        rate, _ = model_class.objects.update_or_create(
            campaign=kwargs["campaign"],
            level=kwargs["level"],
            defaults={"amount": kwargs["amount"]},
        )
        return rate


class JobTypeFactory(factory.django.DjangoModelFactory[JobType]):
    """A job type at every level; get-or-create by name, so that
    `JobTypeFactory(electrician=True)` is the catalogue's 电工 when the starter
    catalogue is loaded."""

    class Meta:
        model = JobType
        django_get_or_create = ("name",)

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"测试工种{n}")
    category = "测试类"
    levels = factory.LazyFunction(lambda: [1, 2, 3, 4, 5])

    class Params:
        # The starter catalogue's entries the tests name.
        electrician = factory.Trait(code="S0201", name="电工", category="电力电气类")
        driver = factory.Trait(code="S0101", name="汽车驾驶员", category="交通运输类")


class PortalNoticeFactory(factory.django.DjangoModelFactory[PortalNotice]):
    """A notice on the public portal of the 2025 campaign."""

    class Meta:
        model = PortalNotice

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"公告{n}")
    body = "公告正文。"


class FaqEntryFactory(factory.django.DjangoModelFactory[FaqEntry]):
    class Meta:
        model = FaqEntry

    campaign = factory.SubFactory(CampaignFactory)
    question = factory.Sequence(lambda n: f"问题{n}？")
    answer = "解答。"
