# The registry of policies by id; add a module and one line here per new notice.
from __future__ import annotations

from gongkao.eligibility.policies import jiaozuo_2025
from gongkao.eligibility.policy import Policy

_POLICIES: dict[str, Policy] = {
    policy.policy_id: policy for policy in (jiaozuo_2025.POLICY,)
}

DEFAULT_POLICY_ID = jiaozuo_2025.POLICY.policy_id


class UnknownPolicyError(KeyError):
    def __init__(self, policy_id: str) -> None:
        super().__init__(policy_id)
        self.policy_id = policy_id

    def __str__(self) -> str:
        known = "、".join(sorted(_POLICIES))
        return f"未知的政策 {self.policy_id!r}（可用：{known}）"


def get_policy(policy_id: str) -> Policy:
    try:
        return _POLICIES[policy_id]
    except KeyError:
        raise UnknownPolicyError(policy_id) from None


def list_policies() -> list[Policy]:
    return [_POLICIES[key] for key in sorted(_POLICIES)]
