"""The check a campaign's policy id must pass (admin, forms, full_clean)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from gongkao.policies.queries import policy_problem


def validate_policy_id(value: str) -> None:
    problem = policy_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="invalid_policy")
