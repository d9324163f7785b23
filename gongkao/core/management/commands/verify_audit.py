from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkao.core.audit import verify_chain

PROBLEMS = {
    "edited": ("审计记录被修改", "row edited"),
    "deleted": ("审计记录被删除", "row deleted"),
    "truncated": (
        "最新的审计记录被删除（与此前记录的链头不符）",
        "newest rows cut off (does not match the expected head)",
    ),
}


def _head(value: str) -> tuple[int, str]:
    seq, sep, head_hash = value.partition(":")
    if not sep or not seq.isdigit() or not head_hash:
        raise ValueError(value)
    return int(seq), head_hash.strip().lower()


class Command(BaseCommand):
    help = (
        "Check the audit chain: report the first row edited or deleted behind the "
        "application's back, and the head (seq, hash) and length. Exits non-zero "
        "when the chain is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-head",
            type=_head,
            default=None,
            metavar="SEQ:HASH",
            help="A head logged earlier (by sweep_deadlines): the chain must still "
            "hold that row with that hash.",
        )

    def handle(
        self, *args: Any, expect_head: tuple[int, str] | None = None, **options: Any
    ) -> None:
        report = verify_chain(expect_head)
        self.stdout.write(
            f"链头 head: {report.head_seq}:{report.head_hash or '-'}  "
            f"长度 length: {report.length}"
        )
        if report.ok:
            self.stdout.write("审计链完整。 Audit chain intact.")
            return
        chinese, english = PROBLEMS[report.problem]
        where = f"序号 seq {report.broken_seq}" + (
            f"（id {report.broken_id}）" if report.broken_id else ""
        )
        self.stdout.write(f"{chinese}：{where}")
        self.stdout.write(f"Audit chain broken: {english} at seq {report.broken_seq}.")
        raise CommandError(
            f"审计链在序号 {report.broken_seq} 处断开 "
            f"(audit chain broken at seq {report.broken_seq}: {english})",
            returncode=2,
        )
