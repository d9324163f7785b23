# The five routes of the batch spec, in the order they are tried, each a list of
# conditions; plus the conditions common to every route.
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gongkao.eligibility.facts import Condition, Facts
from gongkao.eligibility.rules import (
    deferred_review,
    exclusions,
    honors,
    job_type_change,
    levels,
    scope,
)

COMMON: tuple[Condition, ...] = (
    scope.is_in_scope,
    scope.is_before_retirement,
    exclusions.is_not_under_investigation,
    exclusions.is_not_under_sanction,
    levels.applies_above_held_level,
    job_type_change.meets_job_type_change_order,
)

_LEVEL1_PERSONAL: tuple[Condition, ...] = (
    levels.has_level1_education,
    levels.has_good_annual_reviews,
    deferred_review.has_filed_deferred_reviews,
    levels.masters_job_type,
    levels.follows_professional_technical_rules,
)
_LEVEL1_APPOINTMENT: tuple[Condition, ...] = (
    levels.has_level1_work_years,
    levels.has_lower_certificate_for_years,
    levels.is_appointed_to_level2,
)
_LEVEL2_PERSONAL: tuple[Condition, ...] = (
    levels.has_level2_education,
    levels.has_outstanding_performance,
)

_REGULAR: dict[int, tuple[Condition, ...]] = {
    5: (levels.is_regularized_by_cutoff, levels.has_work_years_below_level5_limit),
    4: (levels.has_lower_certificate_for_years,),
    3: (levels.has_lower_certificate_for_years,),
    2: (levels.has_lower_certificate_for_years, *_LEVEL2_PERSONAL),
    1: (*_LEVEL1_APPOINTMENT, *_LEVEL1_PERSONAL),
}
_YEARS: tuple[Condition, ...] = (levels.has_years_route_work_years,)
_HONOR_PROMOTION: dict[int, tuple[Condition, ...]] = {
    4: (honors.holds_lower_certificate, honors.has_promotion_honor),
    3: (honors.holds_lower_certificate, honors.has_promotion_honor),
    2: (honors.holds_lower_certificate, honors.has_promotion_honor, *_LEVEL2_PERSONAL),
}
# 2.2.5.5 waives 2.2.5.2 and 2.2.5.3 only.
_EXEMPTION: tuple[Condition, ...] = (
    *_LEVEL1_APPOINTMENT,
    honors.has_level1_exemption,
    levels.masters_job_type,
    levels.follows_professional_technical_rules,
)
# Same level in a new job type: the level's certificate and years conditions are
# replaced by the certificate already held; the personal ones still apply.
_JOB_TYPE_TRANSFER: dict[int, tuple[Condition, ...]] = {
    5: (job_type_change.transfers_at_current_level,),
    4: (job_type_change.transfers_at_current_level,),
    3: (job_type_change.transfers_at_current_level,),
    2: (job_type_change.transfers_at_current_level, *_LEVEL2_PERSONAL),
    1: (job_type_change.transfers_at_current_level, *_LEVEL1_PERSONAL),
}


@dataclass(frozen=True, slots=True)
class Route:
    name: str
    conditions: tuple[Condition, ...]
    # Whether the route is considered for a record; None = always.
    applies: Callable[[Facts], bool] | None = None


def _has_promotion_honor_kind(facts: Facts) -> bool:
    record_honors = facts.record.honors  # mostly empty: skip the generator
    if not record_honors:
        return False
    kinds = facts.policy.honor_route_kinds
    return any(honor.kind in kinds for honor in record_honors)


def _has_honor_or_patent(facts: Facts) -> bool:
    return bool(facts.record.honors or facts.record.patents)


def _is_same_level_transfer(facts: Facts) -> bool:
    return (
        facts.record.job_type_change == "voluntary"
        and facts.current_level == facts.record.applied_level
    )


def _routes_for(level: int) -> tuple[Route, ...]:
    """The routes open to an applied level, in the spec's order."""
    routes = [Route("regular", _REGULAR[level])]
    if level in (4, 3):
        routes.append(Route("years", _YEARS))
    if level in _HONOR_PROMOTION:
        routes.append(
            Route("honor_promotion", _HONOR_PROMOTION[level], _has_promotion_honor_kind)
        )
    if level == 1:
        routes.append(Route("exemption", _EXEMPTION, _has_honor_or_patent))
    routes.append(
        Route("job_type_transfer", _JOB_TYPE_TRANSFER[level], _is_same_level_transfer)
    )
    return tuple(routes)


# Resolved once: evaluate() looks the routes up by applied level.
ROUTES_BY_LEVEL: dict[int, tuple[Route, ...]] = {
    level: _routes_for(level) for level in (5, 4, 3, 2, 1)
}
