"""Scoring of a computer-based test: one answer, then one attempt.

Pure Python (standard library only), so that scoring, re-scoring after a
question is voided and the benchmark's checks share one definition.

An answer key and a candidate's choice are strings of option letters in the
question's ORIGINAL order ("AC"): the caller translates the letters the screen
showed (options are shuffled per paper) back before scoring. 判断 uses "A"
(对) and "B" (错). An empty choice is an unanswered question.

Arithmetic is exact (`Fraction`) up to the subject score, which is rounded
once, to one decimal place, half up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final

# The kinds of `questions.Question.Kind`.
SINGLE: Final = "single"
MULTIPLE: Final = "multiple"
JUDGE: Final = "judge"
KINDS: Final = (SINGLE, MULTIPLE, JUDGE)

LETTERS: Final = "ABCDEFGH"
JUDGE_LETTERS: Final = "AB"  # A 对, B 错

# How a voided question (a question the office struck out after the sitting)
# counts: everyone gets its points, or it is dropped and the rest rescaled so
# that the maximum stays what it was.
AWARD: Final = "award"
RESCALE: Final = "rescale"
VOID_MODES: Final = (AWARD, RESCALE)

ZERO: Final = Fraction(0)
ONE: Final = Fraction(1)


def normalise(choice: str) -> str:
    """A choice as a set of letters: upper case, each letter once, sorted.

    Nothing is dropped: a character that is not an option letter stays and
    later counts as a wrong option.
    """
    return "".join(sorted(set(choice.upper())))


def _checked_key(kind: str, key: str) -> frozenset[str]:
    letters = normalise(key)
    if kind not in KINDS:
        raise ValueError(f"unknown question kind {kind!r}")
    allowed = JUDGE_LETTERS if kind == JUDGE else LETTERS
    if not letters or not set(letters) <= set(allowed):
        raise ValueError(f"answer key {key!r} is not letters of {allowed}")
    if kind != MULTIPLE and len(letters) != 1:
        raise ValueError(f"a {kind} question has one correct option, not {key!r}")
    return frozenset(letters)


def credit(kind: str, key: str, choice: str, *, partial: bool) -> Fraction:
    """The share of a question's points a choice earns, from 0 to 1.

    单选 and 判断: all or nothing. 多选: all or nothing, or with `partial`
    the rule 少选得分、错选不得分: any wrong option chosen earns 0, otherwise
    each correct option chosen earns its share (2 of 3 correct → 2/3).
    Choosing more than one option of a single-choice question is wrong.

    ValueError for an unknown kind or a malformed key (a data error, not a
    candidate's).
    """
    correct = _checked_key(kind, key)
    chosen = frozenset(normalise(choice))
    if not chosen or chosen - correct:
        return ZERO
    if chosen == correct:
        return ONE
    if kind == MULTIPLE and partial:
        return Fraction(len(chosen), len(correct))
    return ZERO


@dataclass(frozen=True)
class Item:
    """One question of a candidate's paper, with its points on that paper."""

    question_id: int
    kind: str
    key: str
    points: Decimal


@dataclass(frozen=True)
class Scored:
    """A scored attempt.

    `total` is the subject score, rounded to 0.1 half up; `maximum` the paper's
    full marks (the sum of its points, unchanged by voiding). `credits` holds
    the credit (0–1) of every question on the paper as answered, voided ones
    included: item analysis reads these, and they do not change when a
    question is voided.
    """

    total: Decimal
    maximum: Decimal
    credits: dict[int, Fraction]


def round_score(value: Fraction) -> Decimal:
    """A non-negative score to one decimal place, ROUND_HALF_UP, exactly."""
    if value < 0:
        raise ValueError("a score is not negative")
    tenths = math.floor(value * 10 + Fraction(1, 2))
    return Decimal(tenths).scaleb(-1)


def score(
    items: Sequence[Item],
    choices: Mapping[int, str],
    *,
    partial: bool,
    voided: Mapping[int, str] | None = None,
) -> Scored:
    """Score one attempt: `choices` maps question_id → original letters.

    A question missing from `choices` is unanswered; choices of questions not
    on the paper are ignored. `partial` is the blueprint's setting for 多选.

    `voided` maps question_id → "award" or "rescale" (ids not on this paper
    are ignored, as papers differ). An awarded question earns its full points
    for everyone. Rescaled questions are dropped and the points earned on the
    rest (awarded ones included) are scaled by maximum / (maximum − dropped
    points), so full marks stay full marks (100 stays 100).

    ValueError for an unknown void mode, or when every point of the paper
    would be dropped (there would be nothing left to scale).
    """
    voided = voided or {}
    for question_id, void_mode in voided.items():
        if void_mode not in VOID_MODES:
            raise ValueError(
                f"unknown void mode {void_mode!r} for question {question_id}"
            )
    credits: dict[int, Fraction] = {}
    earned = ZERO
    maximum = ZERO
    kept = ZERO  # the points that are not dropped by rescaling
    for item in items:
        points = Fraction(item.points)
        if points < 0:
            raise ValueError(f"question {item.question_id} has negative points")
        if item.question_id in credits:
            raise ValueError(f"question {item.question_id} is twice on the paper")
        given = credits[item.question_id] = credit(
            item.kind, item.key, choices.get(item.question_id, ""), partial=partial
        )
        maximum += points
        mode = voided.get(item.question_id)
        if mode == RESCALE:
            continue
        kept += points
        earned += points * (ONE if mode == AWARD else given)
    if kept != maximum:
        if kept == 0:
            raise ValueError("every question of the paper would be dropped")
        earned = earned * maximum / kept
    return Scored(
        total=round_score(earned),
        maximum=sum((item.points for item in items), Decimal(0)),
        credits=credits,
    )
