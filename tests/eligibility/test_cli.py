"""`python -m gongkao eligibility check`: JSONL in and out, order, exit codes."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gongkao.__main__ import main

from .builders import (
    GOOD_REVIEWS,
    OTHER_JOB,
    applicant,
    cert,
    check,
    honor,
    level1_applicant,
    level2_applicant,
    patent,
)

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "gongkao", "eligibility", "check", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        check=False,
    )


def _mixed_records(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    makers = [
        lambda: applicant(),
        lambda: applicant(work_start_date="2019-01-01", certificates=[]),
        lambda: applicant(
            applied_level=5, certificates=[], work_start_date="2020-03-01"
        ),
        lambda: applicant(applied_level=3, work_start_date="2005-01-01"),
        lambda: applicant(sanction_until="2026-01-01"),
        lambda: applicant(birth_date="1965-01-10"),
        lambda: applicant(employment="临时"),
        lambda: level2_applicant(education="junior_middle", birth_date="1970-01-01"),
        lambda: level1_applicant(),
        lambda: level1_applicant(annual_reviews={**GOOD_REVIEWS, "2024": "pending"}),
        lambda: level1_applicant(
            education="primary", patents=[patent("invention", 2, "2020-01-01")]
        ),
        lambda: applicant(
            applied_level=3,
            certificates=[cert(5, "2012-01-01"), cert(4, "2023-05-01")],
            honors=[honor("technical_expert", "provincial", "2024-01-01")],
        ),
        lambda: applicant(
            certificates=[cert(4, "2019-01-01", OTHER_JOB)], job_type_change="voluntary"
        ),
    ]
    records = []
    for index in range(count):
        record = rng.choice(makers)()
        record["id"] = f"R{index:04d}"
        records.append(record)
    return records


def _bad_line(index: int) -> str:
    kind = index % 5
    if kind == 0:
        return "{not json"
    if kind == 1:
        return json.dumps({**applicant(birth_date="2025-02-30"), "id": f"R{index:04d}"})
    if kind == 2:
        record = applicant(id=f"R{index:04d}")
        del record["education"]
        return json.dumps(record)
    if kind == 3:
        return "[1, 2, 3]"
    return ""


def test_cli_end_to_end_mixed_records_keeps_order_and_reports_errors(
    tmp_path: Path,
) -> None:
    records = _mixed_records(300, seed=3)
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    bad_positions = list(range(7, 300, 29))
    for position in bad_positions:
        lines[position] = _bad_line(position)
    source = tmp_path / "roster.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"

    completed = run_cli(str(source), "-o", str(target))

    assert completed.returncode == 1, completed.stderr
    outputs = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert len(outputs) == 300
    for index, output in enumerate(outputs):
        if index in bad_positions:
            assert "error" in output, output
            assert output.get("id") in (None, f"R{index:04d}")
        else:
            assert output == check(records[index]).to_json()
    errors = [output for output in outputs if "error" in output]
    assert len(errors) == len(bad_positions)
    assert {json.dumps(o["eligible"]) for o in outputs if "error" not in o} == {
        "true",
        "false",
    }
    named = [o["error"] for o in errors if "id" in o]
    assert any("birth_date" in message for message in named)
    assert any("education" in message for message in named)


def test_cli_end_to_end_all_valid_exits_0_to_stdout(tmp_path: Path) -> None:
    records = _mixed_records(50, seed=5)
    source = tmp_path / "roster.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8"
    )

    completed = run_cli(str(source))

    assert completed.returncode == 0, completed.stderr
    ids = [json.loads(line)["id"] for line in completed.stdout.splitlines()]
    assert ids == [record["id"] for record in records]


def test_cli_stdin_dash_reads_standard_input() -> None:
    stdin = (
        json.dumps(applicant(id="甲")) + "\n" + json.dumps(applicant(id="乙")) + "\n"
    )

    completed = run_cli("-", stdin=stdin)

    assert completed.returncode == 0, completed.stderr
    outputs = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [(o["id"], o["eligible"]) for o in outputs] == [("甲", True), ("乙", True)]
    assert "甲" in completed.stdout  # written as UTF-8, not \\u escapes


@pytest.mark.parametrize(
    "args",
    [
        ["--policy", "2099-nowhere", "-"],
        ["--as-of", "2025-02-30", "-"],
        ["--as-of", "yesterday", "-"],
        [],
    ],
)
def test_cli_usage_errors_exit_2(args: list[str]) -> None:
    completed = run_cli(*args, stdin="")

    assert completed.returncode == 2
    assert completed.stdout == ""


def test_cli_missing_input_file_exits_2(tmp_path: Path) -> None:
    completed = run_cli(str(tmp_path / "absent.jsonl"))

    assert completed.returncode == 2
    assert "无法读取输入文件" in completed.stderr


def test_cli_as_of_changes_sanction_result(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps(applicant(sanction_until="2025-05-31")) + "\n", "utf-8"
    )
    early, late = tmp_path / "early.jsonl", tmp_path / "late.jsonl"

    assert main(["eligibility", "check", str(source), "-o", str(early)]) == 0
    assert (
        main(
            [
                "eligibility",
                "check",
                str(source),
                "-o",
                str(late),
                "--as-of",
                "2025-06-01",
            ]
        )
        == 0
    )

    assert json.loads(early.read_text("utf-8"))["eligible"] is False
    assert json.loads(late.read_text("utf-8"))["eligible"] is True


def test_cli_accepts_bom_and_crlf(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    text = (
        json.dumps(applicant(id="a")) + "\r\n" + json.dumps(applicant(id="b")) + "\r\n"
    )
    source.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    target = tmp_path / "out.jsonl"

    code = main(["eligibility", "check", str(source), "-o", str(target)])

    assert code == 0
    assert [
        json.loads(line)["id"] for line in target.read_text("utf-8").splitlines()
    ] == [
        "a",
        "b",
    ]


def test_cli_lone_surrogate_id_written_as_json_escape(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "\\ud800", "gender": "X"}\n', "utf-8")
    target = tmp_path / "out.jsonl"

    code = main(["eligibility", "check", str(source), "-o", str(target)])

    assert code == 1
    assert json.loads(target.read_text("utf-8"))["id"] == "\ud800"


def test_cli_policies_lists_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eligibility", "policies"]) == 0

    assert capsys.readouterr().out.startswith("2025-jiaozuo\t")
