"""Predicates of the review chain: the questions views, templates and services
all ask, so that no guard is written twice."""

from __future__ import annotations

from gongkao.accounts.models import OFFICE_ROLES, Role, RoleAssignment
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.organizations.queries import NoJurisdiction, jurisdiction_for_unit
from gongkao.review.chain import step_status
from gongkao.review.models import Batch, ReviewStep

B = Batch.State


def is_office(assignment: RoleAssignment) -> bool:
    return assignment.role in OFFICE_ROLES


def is_unit(assignment: RoleAssignment) -> bool:
    return assignment.role == Role.UNIT_CLERK


def is_department(assignment: RoleAssignment) -> bool:
    return assignment.role == Role.DEPARTMENT_REVIEWER


def can_reveal_numbers(assignment: RoleAssignment) -> bool:
    """The unit clerk and the office see an applicant's full ID and mobile
    number on demand (to verify the person, to report upward); the
    department does not. The application itself must be in the role's scope."""
    return is_unit(assignment) or is_office(assignment)


def can_decide(application: Application, step: ReviewStep | str) -> bool:
    """Whether `application` waits for a decision at `step`."""
    return application.status == step_status(step)


def can_reject_deferred(application: Application) -> bool:
    """A 容缺后补 upload may be found wanting until the end (3.4)."""
    return application.deferred_committed_at is not None and application.status in (
        Status.ONSITE_CHECK,
        Status.QUALIFIED,
    )


def requires_rosters(batch: Batch) -> bool:
    """Whether the office's procedure asks for signed, stamped rosters (3.5.3)."""
    try:
        return jurisdiction_for_unit(batch.unit).requires_signed_rosters
    except NoJurisdiction:
        return False


def can_print_rosters(batch: Batch) -> bool:
    return batch.state != B.OPEN


def can_mark_printed(batch: Batch) -> bool:
    return batch.state in (B.ONLINE_REVIEW_COMPLETE, B.ROSTERS_PRINTED)


def can_upload_scans(batch: Batch) -> bool:
    return batch.state in (B.ROSTERS_PRINTED, B.SCANS_UPLOADED)


def can_stamp(batch: Batch) -> bool:
    return batch.state == B.SCANS_UPLOADED


def ready_for_onsite(batch: Batch) -> bool:
    """Whether the paper steps the office's procedure asks for are done: fees
    and conclusions may then be recorded on site."""
    if not requires_rosters(batch):
        return batch.state in (
            B.ONLINE_REVIEW_COMPLETE,
            B.ROSTERS_PRINTED,
            B.SCANS_UPLOADED,
            B.DEPARTMENT_STAMPED,
        )
    if batch.unit.supervising_department_id is None:
        return batch.state in (B.SCANS_UPLOADED, B.DEPARTMENT_STAMPED)
    return batch.state == B.DEPARTMENT_STAMPED


def can_complete(batch: Batch) -> bool:
    """Every application is concluded: the office enters the fee total and closes."""
    return batch.state == B.ONSITE_CHECKED
