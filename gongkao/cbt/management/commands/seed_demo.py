from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand

from gongkao.campaigns.demo import DEMO_PASSWORD, seed_demo
from gongkao.cbt.demo import seed_finished_sitting
from gongkao.exams.demo import seed_exam_plan
from gongkao.questions.demo import seed_later_demos, seed_question_bank
from gongkao.review.demo import seed_demo_applications


class Command(BaseCommand):
    help = (
        "Create the demo: two cities' 2025 campaigns, divisions, offices, units, one "
        "account per role, demo applications in several statuses and 焦作市's exam "
        "plan with seats, a sample question bank and papers, and a finished"
        " computer-based sitting with scores (idempotent)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--applications",
            type=int,
            default=300,
            help="How many demo applicants to create on the first run.",
        )

    def handle(self, *args: Any, applications: int = 300, **options: Any) -> None:
        accounts = seed_demo()
        # The demo sends hundreds of (logged) SMS; keep the output to the accounts.
        sms_log = logging.getLogger("gongkao.sms")
        level = sms_log.level
        sms_log.setLevel(logging.WARNING)
        try:
            created = seed_demo_applications(applications)
            seats = seed_exam_plan()
            papers = seed_question_bank()
            sat = seed_finished_sitting()
            seed_later_demos()
        finally:
            sms_log.setLevel(level)
        self.stdout.write("")
        if created:
            self.stdout.write(f"已生成{created}份演示申报。")
        if seats:
            self.stdout.write(f"已编排{seats}个考试座位。")
        if papers:
            self.stdout.write(f"已导入演示题库并生成{papers}份试卷。")
        if sat:
            self.stdout.write(
                f"已模拟人机对话考试：{sat}名考生交卷，成绩和试题分析已生成。"
            )
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for a in accounts:
            scope = f"（{a.scope}）" if a.scope else ""
            self.stdout.write(f"  {a.login:<14} {a.role.label}{scope} {a.name}")
        self.stdout.write("")
