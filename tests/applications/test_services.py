from __future__ import annotations

import io
import threading
import time
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction

from gongkao.applications import permissions, services
from gongkao.applications.models import Application, StatusChange
from gongkao.applications.states import TRANSITIONS, Status
from gongkao.core.models import Notification
from gongkao.core.uploads import UploadRejected
from gongkao.organizations.models import Unit
from gongkao.review.models import ReviewStep
from tests.factories import (
    PDF,
    ApplicationFactory,
    UserFactory,
    advance,
    approve,
    fill_deferred_level1,
    fill_level4_application,
    jpeg,
    upload_all,
)

pytestmark = pytest.mark.django_db

FORBIDDEN = [
    (a, b)
    for a in Status.values
    for b in Status.values
    if b not in TRANSITIONS.get(a, frozenset())
]


@pytest.mark.parametrize(("current", "to"), FORBIDDEN)
def test_transition_refuses_every_move_the_table_forbids(applicant, current, to):
    # A raw row in every status: the table, not a path through it, is under test.
    application = ApplicationFactory(
        applicant=applicant,
        status=current,
        returned_from="unit_review" if current == "returned" else "",
    )
    with pytest.raises(services.InvalidTransition):
        services.transition(application, Status(to), by=applicant)
    assert StatusChange.objects.count() == 0
    application.refresh_from_db()
    assert application.status == current


def test_a_refused_move_on_a_locked_row_leaves_the_transaction_usable(applicant):
    """With the row already locked (the submission), the move is checked
    before any write and without a savepoint: the caller's transaction goes
    on after a refusal, and an allowed move saves the caller's fields in the
    same UPDATE as the status."""
    application = ApplicationFactory(applicant=applicant, status=Status.DRAFT)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        with pytest.raises(services.InvalidTransition):
            services.transition(
                locked, Status.QUALIFIED, by=applicant, already_locked=True
            )
        locked.round = 7
        services.transition(
            locked,
            Status.UNIT_REVIEW,
            by=applicant,
            already_locked=True,
            also_save=["round"],
        )
    application.refresh_from_db()
    assert (application.status, application.round) == (Status.UNIT_REVIEW, 7)
    assert StatusChange.objects.get().to_status == Status.UNIT_REVIEW


def test_submit_moves_to_unit_review_with_snapshot(
    ready_application, applicant, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.submit_application(ready_application, by=applicant)
    app = Application.objects.get(pk=ready_application.pk)
    assert app.status == Status.UNIT_REVIEW
    assert app.policy_id == "2025-jiaozuo"
    assert app.eligibility["eligible"] is True
    assert app.eligibility["route"] == "regular"
    assert app.snapshot["record"]["applied_level"] == 4
    assert {m["slot"] for m in app.snapshot["materials"]} >= {"id_card", "photo"}
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.by) == (
        "draft",
        "unit_review",
        applicant,
    )
    assert Notification.objects.get(kind="submitted").sms_status == "sent"
    assert sms_outbox[-1][0] == applicant.phone


def test_submit_twice_submits_once(ready_application, applicant):
    assert services.submit_application(ready_application, by=applicant)
    assert not services.submit_application(ready_application, by=applicant)
    assert StatusChange.objects.count() == 1


def test_submit_refused_outside_registration_window(applicant, school):
    with time_machine.travel("2025-04-01 09:00 +0800", tick=False):
        application = fill_level4_application(applicant, unit=school)
        upload_all(application, applicant)
        with pytest.raises(services.SubmissionRefused, match="不在报名时间内"):
            services.submit_application(application, by=applicant)


def test_submit_refused_on_the_day_before_the_window(applicant, school):
    with time_machine.travel("2025-03-12 23:59 +0800", tick=False):
        application = fill_level4_application(applicant, unit=school)
        upload_all(application, applicant)
        with pytest.raises(services.SubmissionRefused):
            services.submit_application(application, by=applicant)


def test_submit_allowed_on_the_last_evening_in_shanghai_time(applicant, school):
    # 23:30 in Shanghai is still 3/31 there, though already 4/1 nowhere; 15:30 UTC.
    with time_machine.travel("2025-03-31 23:30 +0800", tick=False):
        application = fill_level4_application(applicant, unit=school)
        upload_all(application, applicant)
        assert services.submit_application(application, by=applicant)


def test_office_extension_lets_one_applicant_submit_late(
    applicant, school, office_admin
):
    with time_machine.travel("2025-04-03 09:00 +0800", tick=False):
        application = fill_level4_application(applicant, unit=school)
        upload_all(application, applicant)
        services.extend_registration(
            application,
            until=date(2025, 4, 5),
            reason="住院治疗，单位证明",
            by=office_admin,
        )
        application.refresh_from_db()
        assert services.submit_application(application, by=applicant)


def test_submission_refused_while_a_computable_condition_fails(
    applicant, school, in_window
):
    application = fill_level4_application(applicant, unit=school)
    profile = services.profile_for(applicant)
    profile.certificates.all().delete()
    profile.work_start_date = date(2020, 1, 1)  # 6 years: no years route either
    profile.save()
    upload_all(application, applicant)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_application(application, by=applicant)
    sections = {section for section, _ in refused.value.problems}
    assert "certificates" in sections
    assert any(message.startswith("2.2.2") for _, message in refused.value.problems)


def test_submission_lists_missing_materials(applicant, school, in_window):
    application = fill_level4_application(applicant, unit=school)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_application(application, by=applicant)
    assert ("material:photo", "请上传：近期免冠证件照。") in refused.value.problems


def _return(application, clerk, items=("material:photo",)):
    return services.return_application(
        application,
        by=clerk,
        reasons=[
            {"item": item, "code": "photo", "text": "照片背景不是纯色，请重新拍摄"}
            for item in items
        ],
    )


def test_return_sets_deadline_in_working_days_and_notifies(
    ready_application, applicant, clerk, sms_outbox, django_capture_on_commit_callbacks
):
    services.submit_application(ready_application, by=applicant)
    # Thursday 2025-03-20: two working days after is Monday 3/24.
    with django_capture_on_commit_callbacks(execute=True):
        app = _return(ready_application, clerk)
    assert app.status == Status.RETURNED
    assert app.returned_from == Status.UNIT_REVIEW
    assert app.resubmit_by == date(2025, 3, 24)
    assert app.return_items == ["material:photo"]
    change = app.status_changes.get(to_status="returned")
    assert change.reasons[0]["label"] == "近期免冠证件照"
    assert "3月24日" in sms_outbox[-1][1]


def test_return_deadline_counts_trigger_day_when_campaign_says_so(
    ready_application, applicant, clerk
):
    ready_application.campaign.count_trigger_day = True
    ready_application.campaign.save()
    services.submit_application(ready_application, by=applicant)
    assert _return(ready_application, clerk).resubmit_by == date(2025, 3, 21)


def test_returned_application_can_fix_only_returned_items(
    ready_application, applicant, clerk
):
    services.submit_application(ready_application, by=applicant)
    _return(ready_application, clerk)
    with pytest.raises(permissions.NotEditable, match="没有被退回"):
        services.upload_material(
            ready_application, "id_card", PDF, "id.pdf", by=applicant
        )
    stored = services.upload_material(
        ready_application, "photo", jpeg(), "new.jpg", by=applicant
    )
    assert stored.version == 2
    assert services.submit_application(ready_application, by=applicant)
    app = Application.objects.get(pk=ready_application.pk)
    assert (app.status, app.round, app.return_items, app.resubmit_overdue) == (
        Status.UNIT_REVIEW,
        2,
        [],
        False,
    )


def test_resubmission_after_window_within_deadline_is_allowed(
    ready_application, applicant, clerk
):
    with time_machine.travel("2025-03-31 10:00 +0800", tick=False):
        services.submit_application(ready_application, by=applicant)
        _return(ready_application, clerk)  # due Wednesday 4/2
    with time_machine.travel("2025-04-02 18:00 +0800", tick=False):
        services.upload_material(
            ready_application, "photo", jpeg(), "new.jpg", by=applicant
        )
        assert services.submit_application(ready_application, by=applicant)


def test_resubmission_after_window_and_deadline_is_refused(
    ready_application, applicant, clerk
):
    with time_machine.travel("2025-03-31 10:00 +0800", tick=False):
        services.submit_application(ready_application, by=applicant)
        _return(ready_application, clerk)
    with (
        time_machine.travel("2025-04-03 09:00 +0800", tick=False),
        pytest.raises(services.SubmissionRefused, match="期限"),
    ):
        services.submit_application(ready_application, by=applicant)


def test_late_resubmission_inside_window_is_recorded_overdue(
    ready_application, applicant, clerk
):
    services.submit_application(ready_application, by=applicant)  # 3/20
    _return(ready_application, clerk)  # due 3/24
    [returned] = ready_application.returned_items.all()
    with time_machine.travel("2025-03-26 09:00 +0800", tick=False):
        assert services.submit_application(
            ready_application,
            by=applicant,
            explanations={returned.pk: "照片背景为白色，符合要求"},
        )
    assert Application.objects.get(pk=ready_application.pk).resubmit_overdue


def test_bad_upload_keeps_the_earlier_version(ready_application, applicant):
    with pytest.raises(UploadRejected):
        services.upload_material(
            ready_application, "id_card", b"%PDF-1.4 truncated", "id.pdf", by=applicant
        )
    material = ready_application.materials.get(slot="id_card")
    assert material.current.version == 1
    assert material.versions.count() == 1


def test_sweep_marks_overdue_then_closes_unanswered_returns(
    ready_application, applicant, clerk
):
    services.submit_application(ready_application, by=applicant)
    _return(ready_application, clerk)
    assert services.sweep_deadlines(date(2025, 3, 25))["overdue"] == 1
    assert services.sweep_deadlines(date(2025, 3, 25))["overdue"] == 0  # idempotent
    assert (
        services.sweep_deadlines(date(2025, 4, 11))["closed_returns"] == 0
    )  # last day
    counts = services.sweep_deadlines(date(2025, 4, 12))
    assert counts["closed_returns"] == 1
    app = Application.objects.get(pk=ready_application.pk)
    assert app.status == Status.NOT_QUALIFIED
    assert services.sweep_deadlines(date(2025, 4, 13))["closed_returns"] == 0


def test_sweep_command_reports_what_it_changed(ready_application, applicant, clerk):
    services.submit_application(ready_application, by=applicant)
    _return(ready_application, clerk)
    out = io.StringIO()
    call_command("sweep_deadlines", "--today", "2025-04-12", stdout=out)
    assert "审查期结束未提交转为不通过 1" in out.getvalue()
    assert Application.objects.get(pk=ready_application.pk).status == (
        Status.NOT_QUALIFIED
    )


def test_sweep_reminds_once_the_day_before_the_deadline(
    ready_application, applicant, clerk
):
    services.submit_application(ready_application, by=applicant)
    _return(ready_application, clerk)  # due Monday 3/24
    assert services.sweep_deadlines(date(2025, 3, 21))["reminders"] == 1  # Friday
    assert services.sweep_deadlines(date(2025, 3, 21))["reminders"] == 0


def test_deferred_material_missing_after_deadline_makes_not_qualified(
    applicant, school, reviewers, in_window
):
    application = fill_deferred_level1(applicant, unit=school)
    assert services.submit_application(application, by=applicant)
    app = Application.objects.get(pk=application.pk)
    assert any(w.startswith("3.3") for w in app.eligibility["warnings"])
    advance(app, Status.QUALIFIED, reviewers)
    assert services.sweep_deadlines(date(2025, 6, 30))["deferred_missing"] == 0
    assert services.sweep_deadlines(date(2025, 7, 1))["deferred_missing"] == 1
    assert Application.objects.get(pk=app.pk).status == Status.NOT_QUALIFIED
    assert services.sweep_deadlines(date(2025, 7, 2))["deferred_missing"] == 0


def test_deferred_material_uploaded_after_qualification_is_accepted(
    applicant, school, reviewers, in_window
):
    application = fill_deferred_level1(applicant, unit=school)
    services.submit_application(application, by=applicant)
    advance(application, Status.QUALIFIED, reviewers)
    stored = services.upload_material(
        application, "annual_review:2024", PDF, "2024.pdf", by=applicant
    )
    assert stored.version == 1
    assert services.sweep_deadlines(date(2025, 7, 1))["deferred_missing"] == 0
    # Other items stay locked after submission.
    with pytest.raises(permissions.NotEditable):
        services.upload_material(application, "id_card", PDF, "id.pdf", by=applicant)


def test_unit_approval_goes_to_department_when_unit_has_one(
    ready_application, applicant, clerk
):
    services.submit_application(ready_application, by=applicant)
    assert _approve_at_unit(ready_application, clerk).status == Status.DEPARTMENT_REVIEW


def test_unit_approval_skips_department_when_unit_has_none(
    ready_application, applicant, clerk
):
    Unit.objects.filter(pk=ready_application.unit_id).update(
        supervising_department=None
    )
    services.submit_application(ready_application, by=applicant)
    ready_application.refresh_from_db()
    app = _approve_at_unit(ready_application, clerk)
    assert app.status == Status.QUALIFICATION_REVIEW


def _approve_at_unit(application, clerk):
    approve(application, ReviewStep.UNIT, clerk)
    return application


def test_stale_form_save_does_not_undo_a_submission(ready_application, applicant):
    """The applicant's form was loaded as a draft; the application is submitted
    meanwhile: saving the stale form is refused and the status stays."""
    stale = Application.objects.get(pk=ready_application.pk)
    services.submit_application(ready_application, by=applicant)
    stale.level = 3
    with pytest.raises(permissions.NotEditable):
        services.save_application_choices(stale, {"ack_policy_at": True})
    fresh = Application.objects.get(pk=ready_application.pk)
    assert (fresh.status, fresh.level) == (Status.UNIT_REVIEW, 4)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database locks whole tables; "
    "select_for_update is exercised on PostgreSQL (make test-postgres)",
)
def test_choices_saved_while_the_sweep_closes_keep_the_closure(
    ready_application, applicant
):
    """The applicant saves the level and job type of a returned application
    from a page loaded before, while the deadline sweep closes it: the row lock
    orders the two, the closure survives and the save is refused."""
    services.submit_application(ready_application, by=applicant)
    clerk = UserFactory(username="race-clerk", name="审核员")
    services.return_application(
        ready_application,
        by=clerk,
        reasons=[{"item": "application", "code": "", "text": "请核对工种"}],
    )
    stale = Application.objects.get(pk=ready_application.pk)  # the open page
    locked = threading.Event()
    outcome: list[str] = []

    def sweep():
        try:
            with transaction.atomic():
                row = Application.objects.select_for_update().get(pk=stale.pk)
                locked.set()
                time.sleep(0.3)  # the applicant's save arrives meanwhile
                services.transition(row, Status.NOT_QUALIFIED, by=None)
        finally:
            connection.close()

    def applicant_saves():
        try:
            locked.wait(5)
            stale.level = 3
            services.save_application_choices(stale, {"ack_policy_at": True})
            outcome.append("saved")
        except permissions.NotEditable:
            outcome.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep), threading.Thread(target=applicant_saves)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fresh = Application.objects.get(pk=stale.pk)
    assert outcome == ["refused"]
    assert (fresh.status, fresh.level) == (Status.NOT_QUALIFIED, 4)
