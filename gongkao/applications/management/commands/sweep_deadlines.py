from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkao.accounts.lockout import forget_expired
from gongkao.applications.services import sweep_deadlines
from gongkao.core.jobs import purge_expired_results


class Command(BaseCommand):
    help = (
        "Apply the deadlines (idempotent; run daily by cron): overdue returns, returns "
        "unanswered when the review window closes, deferred annual reviews missing after "
        "their deadline, reminders; deletes export files past JOB_RESULT_HOURS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Run as if today were this date (YYYY-MM-DD).",
        )

    def handle(self, *args: Any, today: date | None = None, **options: Any) -> None:
        counts = sweep_deadlines(today)
        forget_expired()  # login failures whose window and lock are over
        counts["purged"] = purge_expired_results()
        self.stdout.write(
            "逾期未重新提交 {overdue}，审查期结束未提交转为不通过 {closed_returns}，"
            "容缺后补逾期转为不通过 {deferred_missing}，提醒 {reminders}，"
            "删除过期导出文件 {purged}".format(**counts)
        )
