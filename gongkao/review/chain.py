"""The review chain as one table: which step reviews which status, who acts
there, and when a step applies. Services, queries, views and templates all
read it; a new step is a new row here.

Who holds the file at each status (for the applicant's status page) stays
beside the statuses, in applications/states.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gongkao.accounts.models import OFFICE_ROLES, Role
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.review.models import ReviewStep


def _always(application: Application) -> bool:
    return True


def _has_department(application: Application) -> bool:
    unit = application.unit
    return unit is not None and unit.supervising_department_id is not None


@dataclass(frozen=True)
class Step:
    step: ReviewStep
    status: Status  # the status an application waits in for this step
    roles: frozenset[Role]  # who decides here
    applies: Callable[[Application], bool] = _always
    # A role's queue opens on the first step it acts at; the on-site check
    # has its own pages (the batch), not a queue of its own.
    queue: bool = True


CHAIN: tuple[Step, ...] = (
    Step(ReviewStep.UNIT, Status.UNIT_REVIEW, frozenset({Role.UNIT_CLERK})),
    # A unit without a separate supervising department skips this step.
    Step(
        ReviewStep.DEPARTMENT,
        Status.DEPARTMENT_REVIEW,
        frozenset({Role.DEPARTMENT_REVIEWER}),
        _has_department,
    ),
    Step(ReviewStep.OFFICE, Status.QUALIFICATION_REVIEW, OFFICE_ROLES),
    Step(ReviewStep.ONSITE, Status.ONSITE_CHECK, OFFICE_ROLES, queue=False),
)
# Passing the last step qualifies the application.
AFTER_CHAIN = Status.QUALIFIED

BY_STEP: dict[str, Step] = {s.step: s for s in CHAIN}
REVIEWER_ROLES: frozenset[Role] = frozenset().union(*(s.roles for s in CHAIN))
# Applications in these statuses have passed the online review (or ended there).
ONLINE_DONE: frozenset[Status] = frozenset(
    {BY_STEP[ReviewStep.ONSITE].status, AFTER_CHAIN, Status.NOT_QUALIFIED}
)


def step_status(step: ReviewStep | str) -> Status:
    """The status an application is in while it waits for `step`."""
    return BY_STEP[step].status


def step_of_role(role: Role | str) -> ReviewStep:
    """The step whose queue a reviewer with `role` works through."""
    return next(s.step for s in CHAIN if s.queue and role in s.roles)


def next_status(application: Application, step: ReviewStep | str) -> Status:
    """Where `application` goes when it passes `step`: the next step that applies."""
    index = next(i for i, s in enumerate(CHAIN) if s.step == step)
    for later in CHAIN[index + 1 :]:
        if later.applies(application):
            return later.status
    return AFTER_CHAIN
