"""Writes: an office's policies, and the mark that a policy judged a submission."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkao.accounts.models import User
from gongkao.core.models import AuditEvent
from gongkao.core.services import record_audit
from gongkao.eligibility import Policy
from gongkao.eligibility.policyfile import PolicyFileError, load_policy_text
from gongkao.organizations.models import ExamOffice
from gongkao.policies.models import StoredPolicy
from gongkao.policies.queries import is_shipped

FROZEN_MESSAGE = (
    "该政策已用于核查已提交的申报，不能再修改；如需调整，请复制为新的政策编号。"
)


class PolicyRefused(Exception):
    """Nothing was saved; `errors` are "field: message" lines in Chinese."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _validated(content: str) -> Policy:
    try:
        return load_policy_text(content)
    except PolicyFileError as error:
        raise PolicyRefused(error.errors) from None


@transaction.atomic
def create_policy(
    *,
    office: ExamOffice,
    content: str,
    based_on: str,
    by: User,
    request: HttpRequest | None = None,
) -> StoredPolicy:
    """Store a new policy (usually a copy of `based_on`, edited). Its id is the file's."""
    policy = _validated(content)
    taken = [f"policy_id: 政策编号 {policy.policy_id} 已存在，请换一个新的编号"]
    if is_shipped(policy.policy_id):
        raise PolicyRefused(taken)
    try:
        with transaction.atomic():
            stored = StoredPolicy.objects.create(
                policy_id=policy.policy_id,
                title=policy.title[:200],
                content=content,
                content_hash=policy.content_hash,
                based_on=based_on,
                office=office,
                created_by=by,
            )
    except IntegrityError:
        raise PolicyRefused(taken) from None
    record_audit(
        AuditEvent.Action.CONFIG_CREATED,
        by=by,
        target=stored,
        after={"policy_id": stored.policy_id, "content_hash": stored.content_hash},
        request=request,
    )
    return stored


@transaction.atomic
def update_policy(
    stored: StoredPolicy,
    *,
    content: str,
    by: User,
    request: HttpRequest | None = None,
) -> bool:
    """Replace the content of a policy that has judged nothing yet.

    Returns False when nothing changed; raises PolicyRefused when the content
    is invalid, names another id, or the policy is frozen.
    """
    locked = StoredPolicy.objects.select_for_update().get(pk=stored.pk)
    if locked.is_frozen:
        raise PolicyRefused([FROZEN_MESSAGE])
    policy = _validated(content)
    if policy.policy_id != locked.policy_id:
        raise PolicyRefused(
            [
                f"policy_id: 修改时不能更改政策编号（{locked.policy_id}）；"
                "如需新的编号，请复制为新政策"
            ]
        )
    if policy.content_hash == locked.content_hash:
        return False
    before = {"content_hash": locked.content_hash}
    locked.content = content
    locked.content_hash = policy.content_hash
    locked.title = policy.title[:200]
    locked.save(update_fields=["content", "content_hash", "title", "updated_at"])
    record_audit(
        AuditEvent.Action.CONFIG_CHANGED,
        by=by,
        target=locked,
        before=before,
        after={"content_hash": locked.content_hash},
        request=request,
    )
    stored.refresh_from_db()
    return True


def record_judgement(policy_id: str) -> None:
    """A submission was judged by `policy_id`: a stored policy is frozen from now."""
    if is_shipped(policy_id):
        return  # a shipped file is never edited here: nothing to freeze
    StoredPolicy.objects.filter(policy_id=policy_id, first_judged_at=None).update(
        first_judged_at=timezone.now()
    )
