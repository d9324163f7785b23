"""A what-if run row (raw: no job, nothing judged)."""

from __future__ import annotations

import factory

from gongkao.eligibility import get_policy
from gongkao.whatif.models import WhatIfRun
from tests.factories.accounts import UserFactory
from tests.factories.campaigns import CampaignFactory
from tests.factories.organizations import ExamOfficeFactory


class WhatIfRunFactory(factory.django.DjangoModelFactory[WhatIfRun]):
    """A raw run of 2026-jiaozuo over the 2025 campaign, not started."""

    class Meta:
        model = WhatIfRun

    office = factory.SubFactory(ExamOfficeFactory)
    campaign = factory.SubFactory(CampaignFactory)
    policy_id = "2026-jiaozuo"
    policy_hash = factory.LazyFunction(lambda: get_policy("2026-jiaozuo").content_hash)
    created_by = factory.SubFactory(UserFactory)
