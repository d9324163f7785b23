# `gongkao eligibility check INPUT.jsonl`: JSONL in, JSONL out, same order; a bad
# line becomes an error line and the exit code 1 (spec/eligibility-batch.md).
from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import sys
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TextIO

from gongkao.eligibility import evaluate, judge
from gongkao.eligibility.policies import (
    DEFAULT_POLICY_ID,
    UnknownPolicyError,
    get_policy,
    list_policies,
    load_policy_file,
)
from gongkao.eligibility.policy import Policy
from gongkao.eligibility.policyfile import PolicyFileError
from gongkao.eligibility.records import ApplicantRecord, RecordError, result_line

# One encoder for the whole run: json.dumps(..., ensure_ascii=False) would build
# a new encoder for every line.
_encode = json.JSONEncoder(ensure_ascii=False).encode
# About 100 kB of output a write: a chunk of several MB made every join and
# encode a fresh mmap, and page faults cost the CLI half a second of system
# time per 200,000 lines.
_CHUNK_LINES = 128
# json.loads(line) is this scan plus two whitespace regex matches and checks;
# check_lines calls it directly and leaves every irregular line to process_line.
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_JSON_WHITESPACE = " \t\n\r"


def process_line(line: str, policy: Policy, as_of: date) -> dict[str, object]:
    """Evaluate one input line; never raises: bad input gives {"id"?, "error"}."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        if not line.strip():
            return {"error": "空行：每行须为一个 JSON 对象"}
        return {"error": f"不是有效的 JSON（{error.msg}，第{error.colno}列）"}
    except RecursionError:
        return {"error": "不是有效的 JSON（嵌套层数过多）"}
    except ValueError:  # an integer literal beyond Python's digit limit
        return {"error": "不是有效的 JSON（数值过长）"}
    record_id = data.get("id") if type(data) is dict else None
    try:
        record = ApplicantRecord.from_json(data)
        return evaluate(record, policy, as_of=as_of).to_json()
    except RecordError as error:
        return _error_line(record_id, str(error))
    except Exception as error:  # one bad line must never stop a whole roster
        return _error_line(record_id, f"内部错误（{type(error).__name__}）：{error}")


def _error_line(record_id: object, message: str) -> dict[str, object]:
    if type(record_id) is str:
        return {"id": record_id, "error": message}
    return {"error": message}


def check_lines(lines: Iterable[str], out: TextIO, policy: Policy, as_of: date) -> int:
    """Write one output line per input line; return the number of error lines.

    The usual line (a JSON object, a valid record) takes a short path: scan,
    parse, judge, and write the result line directly. Anything else — bad JSON,
    an invalid record, an internal error — goes to process_line, which gives
    the same answer for a valid line (test_golden_output_unchanged) and the
    error line otherwise.
    """
    errors = 0
    buffer: list[str] = []
    append = buffer.append
    scan, from_json = _scan, ApplicantRecord.from_json
    # Evaluation creates no reference cycles; the cyclic collector's passes over
    # millions of short-lived objects are pure overhead here.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for line in lines:
            try:
                data, end = scan(line, 0)
                if end != len(line) and line[end:].strip(_JSON_WHITESPACE):
                    raise ValueError("extra data")  # process_line words the error
                record = from_json(data)
                append(result_line(record.id, judge(record, policy, as_of)))
            except Exception:  # the long way, to word the error line
                result = process_line(line, policy, as_of)
                if "error" in result:
                    errors += 1
                append(_encode(result))
            if len(buffer) >= _CHUNK_LINES:
                out.write("\n".join(buffer) + "\n")
                buffer.clear()
    finally:
        if collecting:
            gc.enable()
    if buffer:
        out.write("\n".join(buffer) + "\n")
    return errors


def _policy_arg(value: str) -> Policy:
    """A shipped policy id, or the path of any policy file (e.g. a download)."""
    if value.endswith(".toml") or "/" in value or "\\" in value:
        try:
            return load_policy_file(value)
        except PolicyFileError as error:
            problems = "；".join(error.errors)
            raise argparse.ArgumentTypeError(f"政策文件无效：{problems}") from None
    try:
        return get_policy(value)
    except UnknownPolicyError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _date_arg(value: str) -> date:
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"日期无效 {value!r}（应为 YYYY-MM-DD）")


def run_check(args: argparse.Namespace) -> int:
    policy: Policy = args.policy
    as_of: date = policy.notice_date if args.as_of is None else args.as_of
    # utf-8-sig drops a BOM; "replace" turns undecodable bytes into U+FFFD rather
    # than aborting the roster. On output, "backslashreplace" writes a lone
    # surrogate (from a JSON "\ud800" escape) as the same JSON escape.
    try:
        source: TextIO = (
            io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="replace")
            if args.input == "-"
            else open(args.input, encoding="utf-8-sig", errors="replace")  # noqa: SIM115
        )
    except OSError as error:
        print(f"gongkao: 无法读取输入文件：{error}", file=sys.stderr)
        return 2
    try:
        if args.output is None:
            target: TextIO = io.TextIOWrapper(
                sys.stdout.buffer,
                encoding="utf-8",
                errors="backslashreplace",
                newline="\n",
            )
        else:
            target = open(  # noqa: SIM115
                args.output,
                "w",
                encoding="utf-8",
                errors="backslashreplace",
                newline="\n",
            )
    except OSError as error:
        print(f"gongkao: 无法写入输出文件：{error}", file=sys.stderr)
        source.close()
        return 2
    try:
        errors = check_lines(source, target, policy, as_of)
        target.flush()
    except BrokenPipeError:
        return 1
    finally:
        _release(source, args.input == "-")
        _release(target, args.output is None)
    if errors:
        print(f"gongkao: {errors} 行无法核查，见输出中的 error 字段", file=sys.stderr)
        return 1
    return 0


def _release(stream: TextIO, borrowed: bool) -> None:
    # A wrapper around sys.stdin/stdout is detached, not closed: the process
    # (or the test runner) still owns the underlying buffer.
    if borrowed and isinstance(stream, io.TextIOWrapper):
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
        stream.detach()
    else:
        stream.close()


def run_policies(args: argparse.Namespace) -> int:
    for policy in list_policies():
        print(f"{policy.policy_id}\t{policy.title}")
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `eligibility` sub-command to the `gongkao` command line."""
    parser = commands.add_parser(
        "eligibility",
        help="申报资格核查（JSONL 批量）",
        description="按政策核查工勤技能岗位等级考核申报资格条件。",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="核查 JSONL 文件中的每条申报记录",
        description="每行一个 JSON 申报记录，输出每行一个核查结果，顺序不变。",
    )
    check.add_argument("input", metavar="INPUT.jsonl", help="输入文件，- 表示标准输入")
    check.add_argument(
        "-o", "--output", metavar="OUTPUT.jsonl", help="输出文件，缺省为标准输出"
    )
    check.add_argument(
        "--policy",
        type=_policy_arg,
        default=get_policy(DEFAULT_POLICY_ID),
        metavar="POLICY",
        help=f"政策编号（缺省 {DEFAULT_POLICY_ID}）或政策文件路径（.toml）",
    )
    check.add_argument(
        "--as-of",
        type=_date_arg,
        default=None,
        metavar="YYYY-MM-DD",
        help="核查日（处分期、容缺后补截止），缺省为政策的通知下发日",
    )
    check.set_defaults(handler=run_check)
    policies = actions.add_parser("policies", help="列出可用的政策编号")
    policies.set_defaults(handler=run_policies)
