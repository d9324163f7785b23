"""Application statuses and the one table of allowed transitions.

A leaf module: it imports nothing from the app. The review chain (issue 5)
extends the table; `services.transition` is the only code that changes a
status.
"""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    UNIT_REVIEW = "unit_review", "单位审核中"
    DEPARTMENT_REVIEW = "department_review", "主管部门审核中"
    QUALIFICATION_REVIEW = "qualification_review", "资格审查中"
    RETURNED = "returned", "已退回待修改"
    ONSITE_CHECK = "onsite_check", "待现场审查确认"
    QUALIFIED = "qualified", "资格审查通过"
    NOT_QUALIFIED = "not_qualified", "资格审查不通过"
    WITHDRAWN = "withdrawn", "已撤回"


S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.UNIT_REVIEW, S.WITHDRAWN}),
    # A unit without a separate supervising department goes straight to the office.
    # Not qualified from the unit or department only by the deadline sweep: a
    # deferred annual review still missing after its deadline (3.4).
    S.UNIT_REVIEW: frozenset(
        {
            S.DEPARTMENT_REVIEW,
            S.QUALIFICATION_REVIEW,
            S.RETURNED,
            S.WITHDRAWN,
            S.NOT_QUALIFIED,
        }
    ),
    S.DEPARTMENT_REVIEW: frozenset(
        {S.QUALIFICATION_REVIEW, S.RETURNED, S.NOT_QUALIFIED}
    ),
    S.QUALIFICATION_REVIEW: frozenset({S.ONSITE_CHECK, S.RETURNED, S.NOT_QUALIFIED}),
    S.ONSITE_CHECK: frozenset({S.QUALIFIED, S.NOT_QUALIFIED, S.RETURNED}),
    # Resubmission starts a new round at the unit; an unanswered return
    # becomes not qualified when the review window closes.
    S.RETURNED: frozenset({S.UNIT_REVIEW, S.WITHDRAWN, S.NOT_QUALIFIED}),
    # A deferred annual review that never arrives, or fails the office's
    # check, still ends the application (3.4).
    S.QUALIFIED: frozenset({S.NOT_QUALIFIED}),
    # An appeal (复核, review.appeals) that overturns the conclusion sends the
    # file back to the office's qualification review.
    S.NOT_QUALIFIED: frozenset({S.QUALIFICATION_REVIEW}),
    S.WITHDRAWN: frozenset(),
}

# Where the file is, for the status page: which party holds it at each status.
HOLDER: dict[str, str] = {
    S.DRAFT: "applicant",
    S.RETURNED: "applicant",
    S.UNIT_REVIEW: "unit",
    S.DEPARTMENT_REVIEW: "department",
    S.QUALIFICATION_REVIEW: "office",
    S.ONSITE_CHECK: "office",
}
# Statuses in which the applicant may change what they entered.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
FINAL = frozenset({S.NOT_QUALIFIED, S.WITHDRAWN})
