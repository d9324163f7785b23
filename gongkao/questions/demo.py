"""The demo's question bank (the province's, as Henan's province sets the
papers), blueprints for 焦作市's 2025 subjects and the papers of its
sittings (idempotent). The bank goes through the import like a real file."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from gongkao.accounts.models import User
from gongkao.campaigns.models import Campaign
from gongkao.exams.models import Sitting
from gongkao.questions import drawing, exchange, papers, queries, services
from gongkao.questions.models import Blueprint, Question

# The demos of apps above this one (the command lives here): each registers
# its seeding function in its AppConfig.ready(), as `panels` does, and
# seed_demo runs them after the bank, in registration order.
_LATER_DEMOS: list[Callable[[], object]] = []


def after_question_bank(seed: Callable[[], object]) -> None:
    if seed not in _LATER_DEMOS:
        _LATER_DEMOS.append(seed)


def seed_later_demos() -> None:
    for seed in _LATER_DEMOS:
        seed()


KNOWLEDGE_POINTS = ["安全操作规程", "设备维护保养", "质量标准", "应急处置"]
COMMON_POINTS = {
    "ethics": ["职业道德规范", "法律法规", "廉洁自律"],
    "ability": ["沟通协调", "公文写作", "信息技术应用"],
    "basics": ["专业理论", "技术标准", "管理知识"],
}
# 判断 20 × 1 + 单选 40 × 1 + 多选 20 × 2 = 100 points.
BLUEPRINT = [("judge", 20), ("single", 40), ("multiple", 20)]
POINTS = {"judge": Decimal("1"), "single": Decimal("1"), "multiple": Decimal("2")}
# The bank holds half as many again as a paper draws, so papers differ.
POOL = {"judge": 30, "single": 60, "multiple": 30}


def _rows(subject: str, level: int, job_type: str) -> list[dict[str, str | int]]:
    """A sample bank for one subject, level and job type (demo text)."""
    points = COMMON_POINTS.get(subject, KNOWLEDGE_POINTS)
    about = job_type or exchange.SUBJECT_NAMES[subject]
    rows: list[dict[str, str | int]] = []
    for kind, count in POOL.items():
        for n in range(1, count + 1):
            kp = points[n % len(points)]
            row: dict[str, str | int] = {
                "题型": exchange.KIND_NAMES[kind],
                "科目": exchange.SUBJECT_NAMES[subject],
                "等级": level,
                "工种": job_type,
                "难度": 2 + n % 3,
                "知识点": kp,
                "解析": f"依据{kp}的有关要求（演示题）。",
            }
            if kind == "judge":
                row["题干"] = (
                    f"【演示】{about}{level}级·{kp}：第{n}项规定应当严格执行。"
                )
                row["答案"] = "对" if n % 3 else "错"
            else:
                row["题干"] = (
                    f"【演示】{about}{level}级·{kp}：关于第{n}项要求，"
                    f"下列说法{'正确的是' if kind == 'single' else '正确的有'}（　）。"
                )
                row["选项A"] = f"按第{n}项规程逐项执行"
                row["选项B"] = "凭个人经验简化步骤"
                row["选项C"] = f"执行前核对第{n}项的技术标准"
                row["选项D"] = "发现异常时继续作业"
                row["答案"] = "A" if kind == "single" else "AC"
            rows.append(row)
    return rows


def seed_question_bank() -> int:
    """Load the sample bank, blueprints and papers of 焦作市 2025; returns
    the number of papers built (0 when the bank was there already)."""
    office = queries.default_bank_office()
    campaign = Campaign.objects.filter(year=2025, division__code="410800").first()
    if office is None or campaign is None or Question.objects.filter(office=office):
        return 0
    sittings = list(Sitting.objects.filter(campaign=campaign))
    wanted: set[tuple[str, int, str]] = set()
    for sitting in sittings:
        for group in queries.groups_of_sitting(sitting):
            wanted.add(
                (
                    group.subject.code,
                    group.subject.level,
                    group.job_type.name if group.job_type else "",
                )
            )
    rows = [row for key in sorted(wanted) for row in _rows(*key)]
    if not rows:
        return 0
    admin = User.objects.get(username="admin")
    result = services.import_questions(
        office, exchange.write_xlsx(rows), "演示题库.xlsx", by=admin
    )
    assert result.ok, result.errors[:5]
    for sitting in sittings:
        for subject in sitting.subjects.all():
            if not Blueprint.objects.filter(subject=subject).exists():
                services.save_blueprint(
                    subject,
                    points=POINTS,
                    multiple_partial=True,
                    rows=[drawing.Row(kind, count) for kind, count in BLUEPRINT],
                    by=admin,
                )
    # The demo's sittings are in the past: build them as they were built then.
    return sum(
        papers.build_papers(sitting, by=admin, before_doors_only=False)
        for sitting in sittings
        if queries.groups_of_sitting(sitting)
    )
