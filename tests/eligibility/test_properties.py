"""Hypothesis properties: the line processor never crashes, results are stable."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkao.eligibility import ApplicantRecord
from gongkao.eligibility.cli import process_line

from .builders import POLICY, check, records

AS_OF = POLICY.notice_date

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def _assert_result_or_error(output: dict[str, object]) -> None:
    json.dumps(output, ensure_ascii=False)  # always serialisable
    if "error" in output:
        assert set(output) <= {"id", "error"}
        assert isinstance(output["error"], str)
        assert not output["error"].startswith("内部错误"), output["error"]
    else:
        assert isinstance(output["eligible"], bool)
        assert isinstance(output["explanation"], list)


@given(json_values)
def test_process_line_any_json_value_gives_result_or_error(value: Any) -> None:
    _assert_result_or_error(process_line(json.dumps(value), POLICY, AS_OF))


@given(st.text())
def test_process_line_any_text_gives_result_or_error(text: str) -> None:
    _assert_result_or_error(process_line(text, POLICY, AS_OF))


@given(records, st.data())
def test_process_line_record_with_one_field_garbled_gives_result_or_error(
    record: dict[str, Any], data: st.DataObject
) -> None:
    key = data.draw(st.sampled_from(sorted(record) + ["certificates", "honors"]))
    record[key] = data.draw(json_values)

    _assert_result_or_error(process_line(json.dumps(record), POLICY, AS_OF))


@given(records)
def test_process_line_valid_record_gives_result(record: dict[str, Any]) -> None:
    output = process_line(json.dumps(record), POLICY, AS_OF)

    assert "error" not in output
    assert output["id"] == record["id"]
    _assert_result_or_error(output)


@settings(max_examples=200)
@given(records, st.integers(1, 20 * 366))
def test_years_route_more_work_years_never_makes_level4_ineligible(
    record: dict[str, Any], extra_days: int
) -> None:
    record = {**record, "applied_level": 4}
    start = date.fromisoformat(record["work_start_date"])
    earlier = {
        **record,
        "work_start_date": (start - timedelta(days=extra_days)).isoformat(),
    }

    before, after = check(record), check(earlier)

    if before.eligible:
        assert after.eligible
    if before.route == "years":
        assert after.route in ("regular", "years")
    if not after.eligible:
        assert set(after.failed) <= set(before.failed)


@given(records, st.randoms(use_true_random=False))
def test_result_independent_of_list_order(
    record: dict[str, Any], rng: random.Random
) -> None:
    shuffled = dict(record)
    for key in ("certificates", "honors", "patents", "excellent_party_member_years"):
        if key in shuffled:
            items = list(shuffled[key])
            rng.shuffle(items)
            shuffled[key] = items

    assert check(shuffled) == check(record)


@given(records)
def test_record_round_trip_any_valid_record(record: dict[str, Any]) -> None:
    parsed = ApplicantRecord.from_json(record)

    assert ApplicantRecord.from_json(json.loads(json.dumps(parsed.to_json()))) == parsed
