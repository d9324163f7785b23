"""Certificate numbers: the pattern, the check character (pure)."""

from __future__ import annotations

import pytest

from gongkao.certificates import numbering


def test_a_number_carries_year_division_level_sequence_and_check():
    number = numbering.fill(
        numbering.DEFAULT_PATTERN, year=2025, division="410800", level=4, seq=12
    )
    assert number[:-1] == "20254108004000012"
    assert numbering.is_well_formed(number)


def test_the_check_character_catches_a_mistyped_digit():
    number = numbering.fill(
        numbering.DEFAULT_PATTERN, year=2025, division="410800", level=4, seq=12
    )
    typo = number[:5] + str((int(number[5]) + 1) % 10) + number[6:]
    assert not numbering.is_well_formed(typo)
    assert not numbering.is_well_formed(number[:-2] + number[-1] + number[-2])


def test_the_check_character_matches_the_id_number_rule():
    # 11010519491231002X: MOD 11-2 gives X over its 17 digits.
    assert numbering.check_character("11010519491231002") == "X"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{year}{division}", "必须含有"),
        ("{year}{seq}", "必须含有"),
        ("{year}{town}{division}{seq}", "不认识"),
        ("{year{seq}", "花括号"),
        ("{division}{seq:zz}", "序号的格式"),
        ("{division}{seq:>999999999}", "序号的格式"),
        ("{division:>99}{seq}", "只有序号"),
        ("gk{division}{seq}", "小写"),
        ("{division} {seq}", "空格"),
        ("X" * 41 + "{seq}", "过长"),
    ],
)
def test_bad_patterns_are_refused_in_chinese(pattern, message):
    with pytest.raises(numbering.PatternError, match=message):
        numbering.check_pattern(pattern)


def test_a_pattern_with_a_prefix_and_separators():
    numbering.check_pattern("豫工{year}-{division}-{level}-{seq:05d}")
    assert numbering.fill(
        "豫工{year}-{division}-{level}-{seq:05d}",
        year=2025,
        division="410800",
        level=1,
        seq=3,
    ).startswith("豫工2025-410800-1-00003")
