# 二（三）转换岗位工种: a voluntary change first repeats the current level in the new
# job type; a change by institutional reform carries every certificate over.
from __future__ import annotations

from gongkao.eligibility.facts import Check, Facts
from gongkao.eligibility.labels import LEVEL_NAMES, cn_date


def meets_job_type_change_order(facts: Facts) -> Check | None:
    """2.3 按本人现岗位等级申报所转换工种；取得后方可申报转换后工种的晋级.

    Common to every route: the years route does not bypass it.
    """
    record = facts.record
    change = record.job_type_change
    if change is None:
        return None
    clause = facts.policy.clauses["job_type_change.order"]
    if change == "reform":
        return Check(
            clause,
            True,
            f"{clause} 因机构改革转换工种，可参照申报条件直接申报现从事工种的晋级考核，"
            "各工种证书均计入",
        )
    current = facts.current_level
    if current is None:
        # Nothing to repeat: without a certificate the change constrains nothing.
        return Check(clause, True, f"{clause} 转换工种，未持有等级证书，按一般条件申报")
    applied = record.applied_level
    now = LEVEL_NAMES[current]
    if applied == current:
        return Check(
            clause, True, f"{clause} 转换工种：按现岗位等级{now}申报转换后工种的考核"
        )
    if applied == current - 1 and current in facts.held:
        first = cn_date(facts.first_any[current])
        return Check(
            clause,
            True,
            f"{clause} 转换工种：已取得转换后工种{now}证书，可申报晋级；"
            f"本等级年限自首次取得{now}证书之日{first}起算",
        )
    if applied == current - 1:
        return Check(
            clause,
            False,
            f"{clause} 转换工种：现岗位等级{now}，须先通过转换后工种{now}考核，"
            f"方可申报{facts.applied_name}",
        )
    return Check(
        clause,
        False,
        f"{clause} 转换工种：现岗位等级{now}，应首先按{now}申报转换后工种的考核，"
        f"不能申报{facts.applied_name}",
    )


def transfers_at_current_level(facts: Facts) -> Check:
    """2.3 route job_type_transfer: same level in the new job type, no years."""
    clause = facts.policy.clauses["job_type_change.transfer"]
    return Check(
        clause,
        True,
        f"{clause} 转换工种同级申报{facts.applied_name}，不受本等级工作年限限制",
    )
