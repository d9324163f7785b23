import ast
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from gongkao.cbt.scoring import Item, credit, normalise, round_score, score

CBT = Path(__file__).resolve().parents[2] / "gongkao" / "cbt"


@pytest.mark.parametrize("module", ["scoring.py", "analysis.py", "irregularities.py"])
def test_pure_modules_import_only_the_standard_library(module):
    tree = ast.parse((CBT / module).read_text())
    names = {
        alias.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import)
        for alias in n.names
    } | {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    foreign = {
        name
        for name in names
        if name.split(".")[0] not in sys.stdlib_module_names
        and not name.startswith("gongkao.cbt.")
        and name != "__future__"
    }
    assert foreign == set()


def test_normalise_sorts_dedupes_and_upper_cases():
    assert normalise("cabA") == "ABC"
    assert normalise("") == ""


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("B", 1), ("b", 1), ("A", 0), ("AB", 0), ("BB", 1), ("", 0), ("Z", 0), ("B ", 0)],
)
def test_single_choice_is_all_or_nothing(choice, expected):
    assert credit("single", "B", choice, partial=False) == expected
    assert credit("single", "B", choice, partial=True) == expected


@pytest.mark.parametrize(
    ("choice", "expected"), [("A", 1), ("B", 0), ("", 0), ("C", 0)]
)
def test_judge_is_all_or_nothing(choice, expected):
    assert credit("judge", "A", choice, partial=True) == expected


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("ACD", 1), ("DCA", 1), ("acd", 1), ("AC", 0), ("A", 0), ("ACDB", 0), ("", 0)],
)
def test_multiple_all_or_nothing(choice, expected):
    assert credit("multiple", "ACD", choice, partial=False) == expected


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("ACD", Fraction(1)),
        ("AC", Fraction(2, 3)),  # 少选: each correct option its share
        ("D", Fraction(1, 3)),
        ("aac", Fraction(2, 3)),  # normalised to AC
        ("AB", Fraction(0)),  # 错选: any wrong option, nothing
        ("ACDB", Fraction(0)),
        ("A1", Fraction(0)),  # garbage counts as a wrong option
        ("A C", Fraction(0)),
        ("", Fraction(0)),  # unanswered
    ],
)
def test_multiple_partial_credit(choice, expected):
    assert credit("multiple", "ACD", choice, partial=True) == expected


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("essay", "A"),
        ("single", ""),
        ("single", "AB"),
        ("judge", "C"),
        ("multiple", "AI"),
    ],
)
def test_malformed_key_or_kind_is_a_value_error(kind, key):
    with pytest.raises(ValueError):
        credit(kind, key, "A", partial=False)


def paper():
    return [
        Item(1, "single", "A", Decimal("40")),
        Item(2, "multiple", "ACD", Decimal("40")),
        Item(3, "judge", "B", Decimal("20")),
    ]


def test_score_partial_and_all_or_nothing():
    choices = {1: "A", 2: "CA", 3: "A"}
    # 40 + 40 × 2/3 = 66.67 → 66.7; all or nothing: 40
    assert score(paper(), choices, partial=True).total == Decimal("66.7")
    assert score(paper(), choices, partial=False).total == Decimal("40.0")


def test_score_keeps_credits_and_maximum():
    scored = score(paper(), {2: "AC", 99: "A"}, partial=True)
    assert scored.credits == {1: 0, 2: Fraction(2, 3), 3: 0}  # 1, 3 unanswered
    assert scored.maximum == Decimal("100")
    assert str(scored.total) == "26.7"


def test_full_marks_and_nothing():
    assert (
        str(score(paper(), {1: "A", 2: "ACD", 3: "B"}, partial=True).total) == "100.0"
    )
    assert str(score(paper(), {}, partial=True).total) == "0.0"


def test_void_award_gives_everyone_the_points():
    choices = {1: "A", 2: "AC", 3: "A"}
    scored = score(paper(), choices, partial=True, voided={3: "award"})
    assert scored.total == Decimal("86.7")  # 40 + 26.67 + 20
    assert scored.credits[3] == 0  # as answered
    full = {1: "A", 2: "ACD", 3: "B"}
    assert score(paper(), full, partial=True, voided={3: "award"}).total == 100


def test_void_rescale_keeps_the_maximum():
    choices = {1: "A", 2: "AC", 3: "A"}
    scored = score(paper(), choices, partial=True, voided={3: "rescale"})
    assert scored.total == Decimal("83.3")  # (40 + 26.67) × 100 / 80
    assert scored.maximum == Decimal("100")
    # Full marks on what is left is still 100, whatever the voided answer.
    for answer in ("A", "B", ""):
        best = {1: "A", 2: "ACD", 3: answer}
        total = score(paper(), best, partial=False, voided={3: "rescale"}).total
        assert str(total) == "100.0"


def test_void_both_modes_at_once():
    # 1 awarded (40), 3 dropped; 40 + 40 × 2/3 = 66.67 of 80 → 83.3 of 100
    voided = {1: "award", 3: "rescale"}
    scored = score(paper(), {1: "B", 2: "AC"}, partial=True, voided=voided)
    assert scored.total == Decimal("83.3")


def test_void_of_a_question_not_on_the_paper_is_ignored():
    scored = score(paper(), {1: "A"}, partial=True, voided={42: "rescale"})
    assert scored.total == Decimal("40.0")


def test_bad_voiding_is_a_value_error():
    with pytest.raises(ValueError, match="void mode"):
        score(paper(), {}, partial=True, voided={1: "drop"})
    every = {1: "rescale", 2: "rescale", 3: "rescale"}
    with pytest.raises(ValueError, match="dropped"):
        score(paper(), {}, partial=True, voided=every)


def test_duplicate_question_is_a_value_error():
    items = [Item(1, "single", "A", Decimal(1)), Item(1, "single", "A", Decimal(1))]
    with pytest.raises(ValueError, match="twice"):
        score(items, {}, partial=True)


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ("0.25", "0.3"),
        ("0.35", "0.4"),
        ("0.45", "0.5"),
        ("0.249", "0.2"),
        ("2.5", "2.5"),
    ],
)
def test_rounding_is_half_up_to_one_place(points, expected):
    # Banker's rounding would give 0.2 and 0.4 for 0.25 and 0.45.
    items = [Item(1, "single", "A", Decimal(points))]
    assert str(score(items, {1: "A"}, partial=False).total) == expected


def test_rounding_of_thirds_and_exact_halves():
    assert round_score(Fraction(200, 3)) == Decimal("66.7")
    assert round_score(Fraction(100, 3)) == Decimal("33.3")
    assert round_score(Fraction(1, 20)) == Decimal("0.1")
    with pytest.raises(ValueError):
        round_score(Fraction(-1))
