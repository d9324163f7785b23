"""Reads: the engine's Policy for an id, shipped or stored, and an office's policies."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from gongkao.eligibility import Policy, UnknownPolicyError, get_policy, list_policies
from gongkao.eligibility.policies import shipped_policy_text
from gongkao.eligibility.policyfile import PolicyFileError, load_policy_text
from gongkao.organizations.models import ExamOffice
from gongkao.policies.models import StoredPolicy

# content hash -> Policy: parsing a file costs about a millisecond, a page needs
# the policy once or twice, and a stored policy's content only changes with
# its hash (a frozen one never).
_BY_HASH: dict[str, Policy] = {}


class PolicyUnavailable(Exception):
    """The policy id names no valid policy; str() is the Chinese message."""


def load_policy(policy_id: str) -> Policy:
    """The engine's Policy: a shipped file, else an office's stored policy.

    Raises UnknownPolicyError for an id that names neither, and PolicyFileError
    for stored content that no longer validates.
    """
    try:
        return get_policy(policy_id)
    except UnknownPolicyError:
        pass
    digest = (
        StoredPolicy.objects.filter(policy_id=policy_id)
        .values_list("content_hash", flat=True)
        .first()
    )
    if digest is None:
        raise UnknownPolicyError(policy_id)
    policy = _BY_HASH.get(digest)
    if policy is None:
        content = StoredPolicy.objects.values_list("content", flat=True).get(
            policy_id=policy_id
        )
        policy = load_policy_text(content)
        _BY_HASH[policy.content_hash] = policy
    return policy


def policy_problem(policy_id: str) -> str | None:
    """Why `policy_id` cannot judge an application (Chinese), or None."""
    try:
        load_policy(policy_id)
    except UnknownPolicyError:
        return f"资格条件政策“{policy_id}”不存在，请选择已有的政策编号。"
    except PolicyFileError as error:
        return f"资格条件政策“{policy_id}”无效：{'；'.join(error.errors)}"
    return None


def policy_or_message(policy_id: str) -> tuple[Policy | None, str]:
    """(policy, "") or (None, a Chinese message) for pages that must not 500."""
    try:
        return load_policy(policy_id), ""
    except (UnknownPolicyError, PolicyFileError):
        return None, UNAVAILABLE.format(policy_id=policy_id)


UNAVAILABLE = (
    "本年度考务的资格条件政策（{policy_id}）暂不可用，无法核查申报资格，请联系工考办。"
)


@dataclass(frozen=True)
class ShippedPolicy:
    policy_id: str
    title: str
    content_hash: str


def shipped_policies() -> list[ShippedPolicy]:
    return [
        ShippedPolicy(p.policy_id, p.title, p.content_hash) for p in list_policies()
    ]


def is_shipped(policy_id: str) -> bool:
    return any(policy.policy_id == policy_id for policy in list_policies())


def policies_of_office(office: ExamOffice) -> QuerySet[StoredPolicy]:
    return StoredPolicy.objects.filter(office=office).select_related("created_by")


def policy_text(policy_id: str, office: ExamOffice) -> str | None:
    """A policy's file as an office may read it: shipped, or its own; else None."""
    if is_shipped(policy_id):
        return shipped_policy_text(policy_id)
    return (
        policies_of_office(office)
        .filter(policy_id=policy_id)
        .values_list("content", flat=True)
        .first()
    )
