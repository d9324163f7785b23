"""Eligibility rules engine for 工勤技能岗位等级考核: records in, results out.

Pure Python (no Django): `evaluate(record, policy)` is the one public function
(`judge` is the same without the Result, for the batch CLI); `get_policy` /
`list_policies` name the policies, e.g. "2025-jiaozuo".
"""

from __future__ import annotations

from datetime import date
from operator import itemgetter

from gongkao.eligibility.facts import Check, Facts
from gongkao.eligibility.policies import (
    DEFAULT_POLICY_ID,
    UnknownPolicyError,
    get_policy,
    list_policies,
)
from gongkao.eligibility.policy import Policy, RetirementRule
from gongkao.eligibility.records import (
    ApplicantRecord,
    Outcome,
    RecordError,
    Result,
)
from gongkao.eligibility.routes import COMMON, ROUTES_BY_LEVEL
from gongkao.eligibility.rules.honors import theory_exam_exemption

__all__ = [
    "DEFAULT_POLICY_ID",
    "ApplicantRecord",
    "Check",
    "Outcome",
    "Policy",
    "RecordError",
    "Result",
    "RetirementRule",
    "UnknownPolicyError",
    "evaluate",
    "get_policy",
    "judge",
    "list_policies",
]


# C-level getters: the result is assembled once per roster line. A Check is a
# tuple, and an index is a little cheaper than its field name.
_passed = itemgetter(Check._fields.index("passed"))
_warning = itemgetter(Check._fields.index("warning"))
_explanation = itemgetter(Check._fields.index("explanation"))


def evaluate(
    record: ApplicantRecord, policy: Policy, *, as_of: date | None = None
) -> Result:
    """Check `record` against `policy` on `as_of` (default: the notice date).

    Routes are tried in the spec's order; the first whose computable conditions
    all hold (with every common condition holding too) is the route. When none
    does, every route considered is evaluated, so `failed` names every failing
    clause.
    """
    as_of = policy.notice_date if as_of is None else as_of
    return Result(record.id, *judge(record, policy, as_of))


def judge(record: ApplicantRecord, policy: Policy, as_of: date) -> Outcome:
    """evaluate()'s Result after the id, as a tuple: the CLI writes it directly.

    It runs once per line of a roster: routes are looked up by level, not
    rebuilt. `False in map(_passed, …)` is true only for a failed check (True,
    None and False compare unequal), and `None in` only for one to judge.
    """
    facts = Facts(record, policy, as_of)
    checks = [check for c in COMMON if (check := c(facts)) is not None]
    common_ok = False not in map(_passed, checks)
    common_end = len(checks)
    route_name: str | None = None
    route_start = common_end
    for route in ROUTES_BY_LEVEL[record.applied_level]:
        if route.applies is not None and not route.applies(facts):
            continue
        route_checks = [
            check for c in route.conditions if (check := c(facts)) is not None
        ]
        route_start = len(checks)
        checks += route_checks
        if common_ok and False not in map(_passed, route_checks):
            route_name = route.name
            break

    eligible = route_name is not None
    theory_exam_exempt = False
    if eligible and record.applied_level == 1:
        exemption = theory_exam_exemption(facts)
        if exemption is not None:
            theory_exam_exempt = exemption.passed is True
            checks.append(exemption)

    failed: tuple[str, ...] = ()
    manual: list[str] = []
    if eligible:
        # Only the common and the chosen route's judgements remain open.
        open_checks = checks[:common_end] + checks[route_start:]
        if None in map(_passed, open_checks):
            manual = [check.clause for check in open_checks if check.passed is None]
    else:
        failed = _unique([check.clause for check in checks if check.passed is False])
        if None in map(_passed, checks):
            manual = [check.clause for check in checks if check.passed is None]
    return (
        eligible,
        route_name,
        failed,
        _unique(manual),
        tuple(dict.fromkeys(filter(None, map(_warning, checks)))),
        theory_exam_exempt,
        # The same line can come from two routes (e.g. 2.2.4.2): show it once.
        tuple(dict.fromkeys(map(_explanation, checks))),
    )


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items)) if items else ()
