from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkao.campaigns.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Create the 2025 Jiaozuo demo campaign and one account per role (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = seed_demo()
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for a in accounts:
            scope = f"（{a.scope}）" if a.scope else ""
            self.stdout.write(f"  {a.login:<14} {a.role.label}{scope} {a.name}")
        self.stdout.write("")
