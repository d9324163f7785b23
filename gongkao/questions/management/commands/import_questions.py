"""`manage.py import_questions FILE [--dry-run] [--office NAME]`: the bank
import of the web page, with the same row errors; exits non-zero when any
row is invalid (nothing is stored then)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkao.organizations.models import ExamOffice
from gongkao.questions import queries, services
from gongkao.questions.models import Question


class Command(BaseCommand):
    help = "Import a question bank file (.xlsx or .csv, the exchange layout): all or nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, store nothing."
        )
        parser.add_argument(
            "--office",
            help="The office whose bank receives the questions (name or id); "
            "default: the highest office of the installation.",
        )
        parser.add_argument(
            "--status",
            choices=[Question.Status.APPROVED, Question.Status.DRAFT],
            default=Question.Status.APPROVED,
            help="Status of the imported questions (default: approved).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        office = self._office(options.get("office"))
        result = services.import_questions(
            office,
            path.read_bytes(),
            path.name,
            by=None,
            status=options["status"],
            dry_run=options["dry_run"],
        )
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors:
            raise CommandError(
                f"{path.name}有{len(result.errors)}处错误，未导入任何试题。"
            )
        verb = "检查通过，可导入" if result.dry_run else "已导入"
        self.stdout.write(
            f"{verb}{result.created + result.versioned}道试题到{office}的题库"
            f"（新增{result.created}道，更新版本{result.versioned}道）。"
        )

    def _office(self, chosen: str | None) -> ExamOffice:
        if not chosen:
            office = queries.default_bank_office()
            if office is None:
                raise CommandError("还没有工考管理机构。")
            return office
        found = ExamOffice.objects.filter(name=chosen).first()
        if found is None and chosen.isdecimal():
            found = ExamOffice.objects.filter(pk=int(chosen)).first()
        if found is None:
            raise CommandError(f"没有名为“{chosen}”的工考管理机构。")
        return found
