"""The pass rule of a panel session (综合评审), pure.

Quorum and the majority count the members eligible for the candidate (the
panel's members free of conflict, with the reserves standing in); an
abstention is not in favour; the mean is over the ballots cast. Every part is
a campaign setting (`PanelSettings`): quorum 2/3, two thirds in favour and a
mean of 60 by default. A result is computed here, never typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"


@dataclass(frozen=True)
class Rule:
    quorum: Fraction = Fraction(2, 3)
    majority: Fraction = Fraction(2, 3)
    pass_mark: Decimal = Decimal("60")


@dataclass(frozen=True)
class Ballot:
    vote: str  # FOR, AGAINST or ABSTAIN
    total: Decimal


@dataclass(frozen=True)
class Outcome:
    eligible: int
    present: int
    in_favour: int
    against: int
    abstained: int
    mean: Decimal | None
    passed: bool
    reasons: tuple[str, ...]


def decide(rule: Rule, eligible: int, ballots: Iterable[Ballot]) -> Outcome:
    """The result for one candidate of `eligible` members and the ballots cast."""
    cast = list(ballots)
    present = len(cast)
    in_favour = sum(1 for b in cast if b.vote == FOR)
    against = sum(1 for b in cast if b.vote == AGAINST)
    abstained = present - in_favour - against
    mean = (
        (sum((b.total for b in cast), Decimal(0)) / present).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        if present
        else None
    )
    reasons = []
    if eligible == 0 or Fraction(present) < rule.quorum * eligible:
        reasons.append("到会人数不足")
    if eligible == 0 or Fraction(in_favour) < rule.majority * eligible:
        reasons.append("同意票未达规定比例")
    if mean is None or mean < rule.pass_mark:
        reasons.append("平均分低于合格线")
    return Outcome(
        eligible=eligible,
        present=present,
        in_favour=in_favour,
        against=against,
        abstained=abstained,
        mean=mean,
        passed=not reasons,
        reasons=tuple(reasons),
    )
