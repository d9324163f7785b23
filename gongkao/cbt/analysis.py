"""Item analysis after a sitting: how each question behaved.

Pure Python (standard library only). Per question, over the candidates whose
paper held it:

- `n`: how many candidates had it;
- `facility` (难度/通过率): the mean credit, 0–1 (partial credit counts as
  its share);
- `discrimination` (区分度): the point-biserial correlation, computed as the
  Pearson correlation between the question's credit and the candidate's
  PLAIN total score (the total including this question's own contribution,
  not the "corrected" item-rest total; simpler, and slightly generous for
  short papers). With partial credit the item score is not dichotomous and
  this is the plain Pearson correlation. None when undefined: fewer than two
  candidates, or every credit (or every total) the same. Facility and
  discrimination are rounded to 10 decimal places (float noise only);
- `options`: how many candidates chose each option letter (a multiple-choice
  answer "AC" counts once for A and once for C), plus "unanswered";
- `flags`: 过易, 过难, 区分度为负, 区分度低 by the thresholds below; no
  discrimination flag when the discrimination is None.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from gongkao.cbt.scoring import normalise

TOO_EASY_ABOVE: Final = 0.9  # facility > this: 过易
TOO_HARD_BELOW: Final = 0.2  # facility < this: 过难
LOW_DISCRIMINATION_BELOW: Final = 0.2  # 0 <= discrimination < this: 区分度低

TOO_EASY: Final = "过易"
TOO_HARD: Final = "过难"
NEGATIVE_DISCRIMINATION: Final = "区分度为负"
LOW_DISCRIMINATION: Final = "区分度低"

UNANSWERED: Final = "unanswered"

# Decimal places kept of facility and discrimination: far below what anyone
# reads, far above float noise, so the flags' thresholds compare cleanly.
PRECISION: Final = 10


@dataclass(frozen=True)
class Response:
    """One candidate's attempt at a subject.

    `total`: the subject score; `credits`: question_id → credit 0–1 for every
    question the candidate's paper held; `choices`: question_id → the chosen
    original letters (missing or "" = unanswered).
    """

    total: float
    credits: dict[int, float]
    choices: dict[int, str]


@dataclass(frozen=True)
class ItemStats:
    """The analysis of one question (see the module docstring)."""

    question_id: int
    n: int
    facility: float
    discrimination: float | None
    options: dict[str, int]
    flags: tuple[str, ...]


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """The Pearson correlation, or None when it is undefined.

    Constant inputs are caught by comparing values exactly, so that rounding
    in the mean of equal values never yields a spurious correlation; the
    result is rounded to `PRECISION` places so that a correlation of exactly
    0 is not flagged negative for a last-bit error.
    """
    if len(xs) != len(ys):
        raise ValueError("the two series differ in length")
    if len(xs) < 2 or len(set(xs)) == 1 or len(set(ys)) == 1:
        return None
    return round(statistics.correlation(xs, ys), PRECISION) + 0.0  # no -0.0


def flags_for(facility: float, discrimination: float | None) -> tuple[str, ...]:
    flags = []
    if facility > TOO_EASY_ABOVE:
        flags.append(TOO_EASY)
    if facility < TOO_HARD_BELOW:
        flags.append(TOO_HARD)
    if discrimination is not None:
        if discrimination < 0:
            flags.append(NEGATIVE_DISCRIMINATION)
        elif discrimination < LOW_DISCRIMINATION_BELOW:
            flags.append(LOW_DISCRIMINATION)
    return tuple(flags)


def analyse(
    responses: Iterable[Response], letters: Mapping[int, str] | None = None
) -> list[ItemStats]:
    """Item analysis of every question some candidate had, by question_id.

    `letters` (question_id → the question's option letters, e.g. "ABCD")
    lists options nobody chose with a count of 0; without it `options` holds
    only the letters chosen. Letters are counted in the original order.
    """
    credits: dict[int, list[float]] = {}
    totals: dict[int, list[float]] = {}
    options: dict[int, dict[str, int]] = {}
    for response in responses:
        for question_id, given in response.credits.items():
            credits.setdefault(question_id, []).append(given)
            totals.setdefault(question_id, []).append(response.total)
            counts = options.setdefault(question_id, {})
            chosen = normalise(response.choices.get(question_id, ""))
            for letter in chosen or [UNANSWERED]:
                counts[letter] = counts.get(letter, 0) + 1
    result = []
    for question_id in sorted(credits):
        item_credits = credits[question_id]
        facility = round(statistics.fmean(item_credits), PRECISION)
        discrimination = pearson(item_credits, totals[question_id])
        counts = dict.fromkeys((letters or {}).get(question_id, ""), 0)
        counts.update(sorted(options[question_id].items()))
        counts.setdefault(UNANSWERED, 0)
        counts[UNANSWERED] = counts.pop(UNANSWERED)  # last
        result.append(
            ItemStats(
                question_id=question_id,
                n=len(item_credits),
                facility=facility,
                discrimination=discrimination,
                options=counts,
                flags=flags_for(facility, discrimination),
            )
        )
    return result
