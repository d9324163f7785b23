# Honours and patents: 二（四）direct promotion and theory-exam exemption (2.4), and
# the level-1 exemptions 二（二）5.（5）①–⑥ (2.2.5.5).
from __future__ import annotations

from datetime import date

from gongkao.eligibility.facts import Check, Facts
from gongkao.eligibility.labels import (
    HONOR_KIND_NAMES,
    HONOR_LEVEL_NAMES,
    LEVEL_NAMES,
    cn_date,
)
from gongkao.eligibility.records import Honor

# Which honours count is the policy's honour table (promotion_honors for 2.4,
# exemption_honors for 2.2.5.5 ①–④); 绝招绝技绝活 (special_talent) is always
# for a person to judge.
_PRIZE_NAMES = {1: "一等奖", 2: "二等奖", 3: "三等奖"}


def _describe(honor: Honor) -> str:
    level = HONOR_LEVEL_NAMES.get(honor.level or "", "")
    rank = ""
    if honor.kind == "competition" and honor.rank is not None:
        rank = _PRIZE_NAMES.get(honor.rank, "三等奖以下奖项")
    return f"{level}{HONOR_KIND_NAMES[honor.kind]}{rank}（{cn_date(honor.date)}）"


def _ranked(honor: Honor, facts: Facts) -> bool:
    return honor.rank is not None and honor.rank <= facts.policy.max_competition_rank


def qualifies_for_promotion(honor: Honor, facts: Facts) -> bool:
    """省级以上劳动模范和先进工作者、五一劳动奖章、技术能手、技能竞赛三等奖以上."""
    rule = facts.policy.promotion_honors.get(honor.kind)
    if rule is None or honor.level not in rule.levels:
        return False
    return not rule.ranked or _ranked(honor, facts)


def promotion_honor_after(facts: Facts, since: date) -> Honor | None:
    for honor in sorted(facts.record.honors, key=_honor_order):
        if honor.date > since and qualifies_for_promotion(honor, facts):
            return honor
    return None


def special_talent_after(facts: Facts, since: date) -> Honor | None:
    for honor in sorted(facts.record.honors, key=_honor_order):
        if honor.kind == "special_talent" and honor.date > since:
            return honor
    return None


def _honor_order(honor: Honor) -> tuple[date, str, str, int]:
    # A total order, so the honour quoted never depends on the input order.
    return (honor.date, honor.kind, honor.level or "", honor.rank or 0)


def holds_lower_certificate(facts: Facts) -> Check:
    """2.4 工勤技能岗位五、四、三级可以申请直接晋升一个等级: holds level L+1."""
    lower = LEVEL_NAMES[facts.record.applied_level + 1]
    since = facts.level_since(facts.record.applied_level + 1)
    clause = facts.policy.clauses["honors.lower_certificate"]
    if since is None:
        return Check(
            clause, False, f"{clause} 未持有本工种{lower}证书，不能申请直接晋升"
        )
    return Check(
        clause, True, f"{clause} 持有本工种{lower}证书（{cn_date(since)}取得）"
    )


def has_promotion_honor(facts: Facts) -> Check:
    """2.4 省级以上荣誉, dated after the level-(L+1) certificate; 特殊人才 → judge."""
    lower_level = facts.record.applied_level + 1
    since = facts.level_since(lower_level)
    clause = facts.policy.clauses["honors.promotion"]
    if since is None:
        return Check(
            clause,
            False,
            f"{clause} 无可申请直接晋升的荣誉（须在取得现等级证书后获得）",
        )
    lower = LEVEL_NAMES[lower_level]
    honor = promotion_honor_after(facts, since)
    if honor is not None:
        return Check(
            clause,
            True,
            f"{clause} {lower}证书取得后获{_describe(honor)}，可申请直接晋升一个等级",
        )
    talent = special_talent_after(facts, since)
    if talent is not None:
        return Check(
            clause,
            None,
            f"{clause} {lower}证书取得后被认定为{_describe(talent)}，"
            "“突出贡献或绝招绝技绝活”须人工审核",
        )
    return Check(
        clause,
        False,
        f"{clause} {lower}证书取得后无省级以上劳动模范、五一劳动奖章、技术能手或"
        "技能竞赛三等奖以上荣誉",
    )


def _exemption_item(honor: Honor, facts: Facts) -> str | None:
    """Which of ①–④ the honour meets, or None."""
    rule = facts.policy.exemption_honors.get(honor.kind)
    if rule is None or honor.level not in rule.levels:
        return None
    if rule.ranked and not _ranked(honor, facts):
        return None
    return rule.item


def has_level1_exemption(facts: Facts) -> Check:
    """2.2.5.5 取得二级证书后符合①–⑥之一者，不受2.2.5.2、2.2.5.3限制."""
    since = facts.level_since(2)
    clause = facts.policy.clauses["level1.exemption"]
    if since is None:
        return Check(clause, False, f"{clause} 未持有本工种二级证书，不适用豁免条件")
    after = f"取得二级证书（{cn_date(since)}）后"
    for honor in sorted(facts.record.honors, key=_honor_order):
        item = _exemption_item(honor, facts) if honor.date > since else None
        if item is not None:
            return Check(
                clause,
                True,
                f"{clause} {item} {after}获{_describe(honor)}，"
                "不受文化程度和年度考核条件限制",
            )
    policy = facts.policy
    patents = [
        patent
        for patent in facts.record.patents
        if patent.related
        and patent.rank <= policy.max_patent_rank
        and patent.date > since
    ]
    inventions = sum(1 for patent in patents if patent.kind == "invention")
    utility_models = len(patents) - inventions
    if (
        inventions >= policy.inventions_needed
        or utility_models >= policy.utility_models_needed
    ):
        return Check(
            clause,
            True,
            f"{clause} ⑤ {after}取得本工种相关发明专利{inventions}项、"
            f"实用新型专利{utility_models}项（名次在前{policy.max_patent_rank}名），"
            "不受文化程度和年度考核条件限制",
        )
    talent = special_talent_after(facts, since)
    if talent is not None:
        return Check(
            facts.policy.clauses["level1.special_talent"],
            None,
            f"{clause} ⑥ {after}被认定为{_describe(talent)}，“受到同行业认可”须人工审核",
        )
    return Check(
        clause,
        False,
        f"{clause} {after}无符合①—⑥的表彰、奖章、技术能手、竞赛奖项或专利",
    )


def theory_exam_exemption(facts: Facts) -> Check | None:
    """2.4 二级申报一级考评时，可申请免于参加理论考试."""
    since = facts.level_since(2)
    if since is None:
        return None
    clause = facts.policy.clauses["honors.theory_exam"]
    honor = promotion_honor_after(facts, since)
    if honor is not None:
        return Check(
            clause,
            True,
            f"{clause} 二级证书取得后获{_describe(honor)}，可申请免于参加理论考试，"
            "直接进入综合评审",
        )
    talent = special_talent_after(facts, since)
    if talent is not None:
        return Check(
            clause,
            None,
            f"{clause} 被认定为{_describe(talent)}，可否免于参加理论考试须人工审核",
        )
    return None
