"""Who passed (考核合格), computed from released scores and the panel's
result; pure Python, so the rule at its boundaries is tested without a
database.

Levels 5–2 pass when every subject of the level passed: a score at or above
its pass mark, not void. Level 1 passes when every theory subject passed (or
the office confirmed the exemption) and the panel passed. A known failure
decides at once; otherwise a missing score or panel result leaves it pending.
A withdrawn publication (an upheld objection) is a failure with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum


class State(Enum):
    PASSED = "passed"
    FAILED = "failed"
    PENDING = "pending"

    @property
    def label(self) -> str:
        return {"passed": "合格", "failed": "不合格", "pending": "待定"}[self.value]


@dataclass(frozen=True)
class Mark:
    """One subject as released: `released` False while it is not."""

    subject: str
    pass_mark: Decimal
    released: bool
    score: Decimal | None = None
    voided: str = ""


@dataclass(frozen=True)
class Verdict:
    state: State
    reasons: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.state is State.PASSED


def _subjects(marks: list[Mark]) -> tuple[list[str], list[str]]:
    """(failures, pending) of the subjects."""
    failures: list[str] = []
    pending: list[str] = []
    for mark in marks:
        if not mark.released:
            pending.append(f"{mark.subject}成绩尚未发布")
        elif mark.voided:
            failures.append(f"{mark.subject}成绩无效（{mark.voided}）")
        elif mark.score is None:
            failures.append(f"{mark.subject}缺考")
        elif mark.score < mark.pass_mark:
            failures.append(
                f"{mark.subject}{mark.score}分，低于合格分数线{mark.pass_mark}分"
            )
    return failures, pending


def verdict(
    level: int,
    marks: list[Mark],
    *,
    exempt: bool = False,
    panel: bool | None = None,
    withdrawn: str = "",
) -> Verdict:
    """The result of one application. `marks`: its level's subjects (for
    level 1 the theory subjects); `exempt`: the theory exemption confirmed;
    `panel`: the panel's result (None before it); `withdrawn`: the reason a
    published result was withdrawn."""
    if withdrawn:
        return Verdict(State.FAILED, (f"公示期间撤销：{withdrawn}",))
    if level == 1:
        failures, pending = ([], []) if exempt else _subjects(marks)
        if not exempt and not marks:
            pending.append("未设置一级理论考试科目")
        if panel is False:
            failures.append("综合评审未通过")
        elif panel is None:
            pending.append("综合评审尚未完成")
    else:
        failures, pending = _subjects(marks)
        if not marks:
            pending.append("本等级未设置考试科目")
    if failures:
        return Verdict(State.FAILED, tuple(failures))
    if pending:
        return Verdict(State.PENDING, tuple(pending))
    return Verdict(State.PASSED)
