from __future__ import annotations

from datetime import date

import pytest

from gongkao.accounts.idnumbers import (
    InvalidIdNumber,
    check_digit,
    mask_id_number,
    parse_id_number,
)
from gongkao.core.sms import mask_phone
from tests.factories import make_id_number


def test_parse_id_number_valid_derives_birth_date_and_sex():
    value = make_id_number("19720315", sex="M")
    parsed = parse_id_number(value)
    assert parsed.birth_date == date(1972, 3, 15)
    assert parsed.sex == "M"


def test_parse_id_number_female_from_even_17th_digit():
    assert parse_id_number(make_id_number("19800229", sex="F")).sex == "F"


def test_parse_id_number_known_public_example_with_x():
    # The GB 11643 worked example: check character X.
    assert check_digit("11010519491231002") == "X"
    assert parse_id_number("11010519491231002x").value == "11010519491231002X"


def test_parse_id_number_bad_check_digit():
    value = make_id_number("19720315")
    wrong = value[:17] + ("0" if value[17] != "0" else "1")
    with pytest.raises(InvalidIdNumber, match="校验位"):
        parse_id_number(wrong)


@pytest.mark.parametrize("birth", ["19810229", "19721301", "19720431"])
def test_parse_id_number_impossible_birth_date(birth):
    first17 = f"410802{birth}123"
    with pytest.raises(InvalidIdNumber, match="出生日期"):
        parse_id_number(first17 + check_digit(first17))


def test_parse_id_number_future_birth_date():
    first17 = "41080220990101123"
    with pytest.raises(InvalidIdNumber, match="出生日期"):
        parse_id_number(first17 + check_digit(first17), today=date(2025, 3, 1))


def test_parse_id_number_rejects_15_digit_legacy_number():
    with pytest.raises(InvalidIdNumber, match="15位"):
        parse_id_number("410802720315123")


@pytest.mark.parametrize("raw", ["", "41080219720315", "4108021972031512AB", "abc"])
def test_parse_id_number_bad_shape(raw):
    with pytest.raises(InvalidIdNumber, match="18位"):
        parse_id_number(raw)


def test_masking_keeps_only_region_and_last_four():
    assert mask_id_number("410802197203151234") == "4108**********1234"
    assert mask_phone("13700000021") == "137****0021"
