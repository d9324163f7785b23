"""An office's stored policy: a copy of 2025-jiaozuo under a new id."""

from __future__ import annotations

import factory

from gongkao.eligibility.policies import shipped_policy_text
from gongkao.eligibility.policyfile import content_hash
from gongkao.policies.models import StoredPolicy
from tests.factories.accounts import UserFactory
from tests.factories.organizations import ExamOfficeFactory


def policy_content(
    policy_id: str,
    *,
    based_on: str = "2025-jiaozuo",
    replace: dict[str, str] | None = None,
) -> str:
    """The shipped file `based_on` under `policy_id`, with each old text of
    `replace` replaced by the new one."""
    text = shipped_policy_text(based_on).replace(
        f'policy_id = "{based_on}"', f'policy_id = "{policy_id}"', 1
    )
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    return text


class StoredPolicyFactory(factory.django.DjangoModelFactory[StoredPolicy]):
    """A valid stored policy (raw: not through create_policy, no audit row)."""

    class Meta:
        model = StoredPolicy

    policy_id = factory.Sequence(lambda n: f"draft-{n}")
    title = "焦作市试算政策"
    content = factory.LazyAttribute(lambda o: policy_content(o.policy_id))
    content_hash = factory.LazyAttribute(lambda o: content_hash(o.content))
    based_on = "2025-jiaozuo"
    office = factory.SubFactory(ExamOfficeFactory)
    created_by = factory.SubFactory(UserFactory)
