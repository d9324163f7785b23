"""Golden output: the CLI's bytes for fixed-seed rosters must never change.

A change to any result, explanation text, order or error message changes a
hash. If a change is intended, check the diff of the output by hand (write it
with `golden_output`) and update the hash with the reason in the commit.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pytest

from gongkao.__main__ import main
from gongkao.eligibility import ApplicantRecord, RecordError, evaluate
from gongkao.eligibility.cli import _encode, check_lines, process_line

from .builders import POLICY
from .gen import bench_lines, varied_lines

AS_OF = date(2025, 7, 1)  # after the deferred-review deadline: 3.3 fails too


def golden_output(tmp_path: Path, lines: Iterable[str], *options: str) -> bytes:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    target = tmp_path / "out.jsonl"
    main(["eligibility", "check", str(source), "-o", str(target), *options])
    return target.read_bytes()


@pytest.mark.parametrize(
    ("roster", "options", "digest"),
    [
        (
            "bench",
            (),
            "e6a87c23ef4cec90ba4d190bfd5e32f63a3305f28b244c14b188cb537b61f61c",
        ),
        (
            "varied",
            (),
            "c10e961d3ee1e183f9790ab24fbf28a75ae2e5ae192f8da2f0eacd60618d0a8d",
        ),
        (
            "varied",
            ("--as-of", "2025-07-01"),
            "0aa7eda4ad72fadd71f58bc30fd0ae4ff2e42496a69e375f544708a93e394a60",
        ),
    ],
)
def test_golden_output_unchanged(
    tmp_path: Path, roster: str, options: tuple[str, ...], digest: str
) -> None:
    lines = bench_lines(2000, seed=1) if roster == "bench" else varied_lines(2000, 7)

    output = golden_output(tmp_path, lines, *options)

    assert output.count(b"\n") == 2000
    assert hashlib.sha256(output).hexdigest() == digest


def test_check_lines_short_path_matches_process_line() -> None:
    # check_lines writes most lines without process_line; both must agree.
    lines = [*varied_lines(600, seed=11), *bench_lines(200, seed=2)]
    out = io.StringIO()

    errors = check_lines(lines, out, POLICY, AS_OF)

    expected = [_encode(process_line(line, POLICY, AS_OF)) for line in lines]
    assert out.getvalue().splitlines() == expected
    assert errors == sum('"error": ' in line for line in expected)


def test_result_line_matches_json_dumps() -> None:
    for line in varied_lines(400, seed=13):
        try:
            record = ApplicantRecord.from_json(json.loads(line))
        except (ValueError, RecordError):
            continue
        result = evaluate(record, POLICY, as_of=AS_OF)

        assert result.to_json_line() == json.dumps(result.to_json(), ensure_ascii=False)
