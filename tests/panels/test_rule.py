"""The pass rule at its boundaries."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from gongkao.panels.rule import ABSTAIN, AGAINST, FOR, Ballot, Rule, decide

RULE = Rule()


def ballots(*votes, total="70"):
    return [Ballot(v, Decimal(total)) for v in votes]


def test_exactly_two_thirds_in_favour_passes():
    outcome = decide(RULE, 3, ballots(FOR, FOR, AGAINST))
    assert outcome.passed and outcome.in_favour == 2


def test_two_thirds_count_the_eligible_not_the_present():
    # 7 eligible: 5 present meets the quorum (5 ≥ 14/3); 4 in favour < 14/3.
    outcome = decide(RULE, 7, ballots(FOR, FOR, FOR, FOR, AGAINST))
    assert not outcome.passed
    assert outcome.reasons == ("同意票未达规定比例",)
    assert decide(RULE, 7, ballots(FOR, FOR, FOR, FOR, FOR)).passed


def test_abstention_is_not_in_favour():
    outcome = decide(RULE, 3, ballots(FOR, ABSTAIN, FOR))
    assert outcome.passed and outcome.abstained == 1
    outcome = decide(RULE, 3, ballots(FOR, ABSTAIN, ABSTAIN))
    assert not outcome.passed


def test_quorum_exactly_met_and_missing():
    # 6 eligible: 4 present is exactly two thirds, and 4 in favour too.
    assert decide(RULE, 6, ballots(FOR, FOR, FOR, FOR)).passed
    outcome = decide(RULE, 5, ballots(FOR, FOR, FOR))  # 3 < 10/3
    assert "到会人数不足" in outcome.reasons and not outcome.passed
    outcome = decide(
        Rule(quorum=Fraction(4, 5), majority=Fraction(1, 2)), 5, ballots(FOR, FOR, FOR)
    )
    assert outcome.reasons == ("到会人数不足",)
    assert not decide(RULE, 5, []).passed


def test_mean_at_the_mark_passes_below_fails():
    at = [
        Ballot(FOR, Decimal("60")),
        Ballot(FOR, Decimal("59.5")),
        Ballot(FOR, Decimal("60.5")),
    ]
    outcome = decide(RULE, 3, at)
    assert outcome.mean == Decimal("60.00") and outcome.passed
    below = [
        Ballot(FOR, Decimal("60")),
        Ballot(FOR, Decimal("59.5")),
        Ballot(FOR, Decimal("60.4")),
    ]
    outcome = decide(RULE, 3, below)
    assert outcome.mean == Decimal("59.97") and not outcome.passed
    assert outcome.reasons == ("平均分低于合格线",)


def test_no_eligible_member_never_passes():
    assert not decide(RULE, 0, []).passed
