"""Item analysis on a small data set worked out by hand.

Five candidates, totals 90, 80, 70, 60, 50: mean 70, deviations 20, 10, 0,
-10, -20, sum of squares Syy = 1000. For each question, with its credits c:
facility = mean(c); r = Sxy / sqrt(Sxx × Syy), Sxy = Σ(c − c̄)(t − 70),
Sxx = Σ(c − c̄)².

Q1 single, key A: c = 1 1 1 1 0, c̄ 0.8; deviations .2 .2 .2 .2 −.8;
   Sxy = 4 + 2 + 0 − 2 + 16 = 20, Sxx = 0.8, r = 20/√800 = 1/√2 ≈ 0.7071.
Q2 judge, key A: c = 0 1 1 1 1, c̄ 0.8: the mirror, r = −20/√800 ≈ −0.7071
   → 区分度为负.
Q3 multiple AC with partial credit: choices AC, A, C, AB, (none):
   c = 1 .5 .5 0 0, c̄ 0.4; deviations .6 .1 .1 −.4 −.4;
   Sxy = 12 + 1 + 0 + 4 + 8 = 25, Sxx = .36+.01+.01+.16+.16 = 0.7,
   r = 25/√700 ≈ 0.9449. Options A 3, B 1, C 2, D 0, unanswered 1.
Q4 single, key D: c = 0 0 1 0 0, c̄ 0.2 (not < 0.2: not 过难);
   Sxy = −4 − 2 + 0 + 2 + 4 = 0, r = 0 → 区分度低.
Q5 only on the papers of candidates 1–4 (n 4): c = 0 0 0 0, facility 0
   → 过难; discrimination undefined (no variance): None, no discrimination
   flag. Options B 1, C 1, unanswered 2.
Q6 everyone right: facility 1 → 过易; discrimination None.
"""

import math

import pytest

from gongkao.cbt.analysis import Response, analyse, flags_for, pearson

TOTALS = [90.0, 80.0, 70.0, 60.0, 50.0]
CREDITS = {
    1: [1, 1, 1, 1, 0],
    2: [0, 1, 1, 1, 1],
    3: [1, 0.5, 0.5, 0, 0],
    4: [0, 0, 1, 0, 0],
    5: [0, 0, 0, 0, None],  # None: not on the candidate's paper
    6: [1, 1, 1, 1, 1],
}
CHOICES = {
    1: ["A", "A", "A", "A", "B"],
    2: ["B", "A", "A", "A", "A"],
    3: ["AC", "a", "C", "BA", ""],
    4: ["A", "B", "D", "C", None],  # None: no answer sent at all
    5: ["B", "C", None, "", None],
    6: ["A", "A", "A", "A", "A"],
}


def responses():
    result = []
    for i, total in enumerate(TOTALS):
        credits = {q: float(c[i]) for q, c in CREDITS.items() if c[i] is not None}
        choices = {q: c[i] for q, c in CHOICES.items() if c[i] is not None}
        result.append(Response(total=total, credits=credits, choices=choices))
    return result


@pytest.fixture
def stats():
    return {
        s.question_id: s for s in analyse(responses(), dict.fromkeys(CREDITS, "ABCD"))
    }


def test_counts_and_facility(stats):
    assert list(stats) == [1, 2, 3, 4, 5, 6]
    assert [stats[q].n for q in stats] == [5, 5, 5, 5, 4, 5]
    assert [stats[q].facility for q in stats] == [0.8, 0.8, 0.4, 0.2, 0.0, 1.0]


def test_discrimination_by_hand(stats):
    assert stats[1].discrimination == pytest.approx(1 / math.sqrt(2))
    assert stats[2].discrimination == pytest.approx(-1 / math.sqrt(2))
    assert stats[3].discrimination == pytest.approx(25 / math.sqrt(700))
    assert stats[3].discrimination == pytest.approx(0.9449, abs=1e-4)
    assert stats[4].discrimination == 0
    assert stats[5].discrimination is None
    assert stats[6].discrimination is None


def test_flags(stats):
    assert {q: stats[q].flags for q in stats} == {
        1: (),
        2: ("区分度为负",),
        3: (),
        4: ("区分度低",),
        5: ("过难",),
        6: ("过易",),
    }


def test_option_counts(stats):
    assert stats[1].options == {"A": 4, "B": 1, "C": 0, "D": 0, "unanswered": 0}
    assert stats[3].options == {"A": 3, "B": 1, "C": 2, "D": 0, "unanswered": 1}
    assert stats[4].options == {"A": 1, "B": 1, "C": 1, "D": 1, "unanswered": 1}
    assert stats[5].options == {"A": 0, "B": 1, "C": 1, "D": 0, "unanswered": 2}


def test_option_counts_without_the_letters():
    by_id = {s.question_id: s for s in analyse(responses())}
    assert by_id[3].options == {"A": 3, "B": 1, "C": 2, "unanswered": 1}
    assert by_id[6].options == {"A": 5, "unanswered": 0}


def test_nothing_to_analyse():
    assert analyse([]) == []
    one = analyse([Response(total=50.0, credits={7: 1.0}, choices={7: "A"})])
    assert one[0].n == 1
    assert one[0].discrimination is None  # n < 2
    assert one[0].flags == ("过易",)


def test_pearson_edge_cases():
    assert pearson([1.0, 2.0], [3.0, 3.0]) is None  # totals all equal
    assert pearson([1.0], [1.0]) is None
    assert pearson([0.0, 1.0, 2.0], [2.0, 4.0, 6.0]) == 1.0
    with pytest.raises(ValueError):
        pearson([1.0], [1.0, 2.0])


@pytest.mark.parametrize(
    ("facility", "discrimination", "flags"),
    [
        (0.9, 0.2, ()),  # the thresholds themselves raise no flag
        (0.91, 0.5, ("过易",)),
        (0.19, 0.5, ("过难",)),
        (0.5, -0.01, ("区分度为负",)),
        (0.5, 0.0, ("区分度低",)),
        (0.5, 0.19, ("区分度低",)),
        (0.05, None, ("过难",)),
    ],
)
def test_flag_thresholds(facility, discrimination, flags):
    assert flags_for(facility, discrimination) == flags
