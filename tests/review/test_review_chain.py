"""The review chain: unit → department → office, bulk actions, batches with
rosters, the on-site check with fees, exports and scoping for every role."""

from __future__ import annotations

import io
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.applications import services
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.core.models import AuditEvent
from gongkao.review import batches, permissions
from gongkao.review import services as review
from gongkao.review.models import (
    Batch,
    FeePayment,
    ReturnReasonCode,
    Review,
    ReviewStep,
)
from tests.factories import (
    PDF,
    ApplicantFactory,
    ApplicationFactory,
    UnitFactory,
    UserFactory,
    advance,
    approve,
    assignment_of,
    department_reviewer,
    resubmit_unchanged,
    submitted_application,
)

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


def _staff(user: User) -> tuple[User, RoleAssignment]:
    return user, assignment_of(user)


def _to_onsite(application, reviewers, onsite_required=True):
    return advance(
        application, Status.ONSITE_CHECK, reviewers, onsite_required=onsite_required
    )


@pytest.fixture
def health_commission_reviewer(jiaozuo) -> User:
    """卫健委审核: a department with no say over 焦作市第一中学."""
    return department_reviewer(
        UnitFactory.create(name="焦作市卫生健康委员会", city_direct=True),
        name="卫健委审核",
    )


def test_unit_review_page_lists_items_and_passes_to_department(
    client, submitted, clerk
):
    clerk, assignment = _staff(clerk)
    client.force_login(clerk, backend=BACKEND)
    url = reverse("review:review", args=[assignment.pk, submitted.pk])
    page = client.get(url).content.decode()
    assert "近期免冠证件照" in page and "2.1 身体健康" in page
    items = review.review_items(submitted, ReviewStep.UNIT)
    data = {f"ok_{i}": "ok" for i in range(len(items))}
    assert client.post(url, data).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.DEPARTMENT_REVIEW
    decided = Review.objects.get(application=submitted, step="unit")
    assert decided.decision == "pass" and set(decided.checks) == {i.key for i in items}
    assert AuditEvent.objects.filter(
        action="review_decided", target_id=str(submitted.pk)
    ).exists()


def test_unit_review_item_returned_with_reason(client, submitted, clerk):
    clerk, assignment = _staff(clerk)
    client.force_login(clerk, backend=BACKEND)
    items = review.review_items(submitted, ReviewStep.UNIT)
    photo = next(i for i, item in enumerate(items) if item.key == "material:photo")
    data = {f"ok_{i}": "ok" for i in range(len(items))}
    data[f"ok_{photo}"] = "return"
    data[f"text_{photo}"] = "照片不是近期照片"
    url = reverse("review:review", args=[assignment.pk, submitted.pk])
    client.post(url, data)
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    assert submitted.return_items == ["material:photo"]
    assert submitted.returns_count == 1


def test_unit_review_without_a_choice_saves_nothing(client, submitted, clerk):
    clerk, assignment = _staff(clerk)
    client.force_login(clerk, backend=BACKEND)
    url = reverse("review:review", args=[assignment.pk, submitted.pk])
    response = client.post(url, {"ok_0": "return"})
    body = response.content.decode()
    assert "请选择“符合”或“退回”" in body and "请选择退回原因" in body
    submitted.refresh_from_db()
    assert submitted.status == Status.UNIT_REVIEW
    assert not Review.objects.exists()


def test_second_reviewer_is_told_the_first_won(submitted, clerk):
    colleague = UserFactory(username="colleague", name="同事")
    RoleAssignment.objects.create(
        user=colleague, role=Role.UNIT_CLERK, unit=submitted.unit
    )
    stale = Application.objects.get(pk=submitted.pk)
    approve(submitted, ReviewStep.UNIT, clerk)
    with pytest.raises(review.AlreadyHandled, match="主管部门审核中"):
        approve(stale, ReviewStep.UNIT, colleague)
    assert Review.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database locks whole tables; "
    "select_for_update is exercised on PostgreSQL (make test-postgres)",
)
def test_two_reviewers_at_once_one_wins(ready_application, applicant, clerk):
    """Two threads decide the same application at the same moment: the row lock
    makes the second wait, then find the application already decided."""
    services.submit_application(ready_application, by=applicant)
    colleague = UserFactory(username="colleague2", name="同事")
    RoleAssignment.objects.create(
        user=colleague, role=Role.UNIT_CLERK, unit=ready_application.unit
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(user):
        try:
            barrier.wait()
            approve(
                Application.objects.get(pk=ready_application.pk), ReviewStep.UNIT, user
            )
            outcomes.append("won")
        except review.AlreadyHandled:
            outcomes.append("told")
        except Exception as exc:  # reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(u,)) for u in (clerk, colleague)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["told", "won"]
    assert Review.objects.filter(application_id=ready_application.pk).count() == 1
    assert (
        Application.objects.get(pk=ready_application.pk).status
        == Status.DEPARTMENT_REVIEW
    )


def test_chain_to_onsite_and_batch_complete(submitted, reviewers):
    application = _to_onsite(submitted, reviewers)
    assert application.status == Status.ONSITE_CHECK and application.onsite_required
    batch = Batch.objects.get(unit=application.unit)
    assert batch.state == Batch.State.ONLINE_REVIEW_COMPLETE
    assert list(batch.changes.values_list("to_state", flat=True)) == [
        "online_review_complete"
    ]


def test_office_not_qualified_needs_reason(client, submitted, reviewers):
    office, assignment = _staff(reviewers.office)
    advance(submitted, Status.QUALIFICATION_REVIEW, reviewers)
    client.force_login(office, backend=BACKEND)
    url = reverse("review:not_qualified", args=[assignment.pk, submitted.pk])
    client.post(url, {"reason": ""})
    assert (
        Application.objects.get(pk=submitted.pk).status == Status.QUALIFICATION_REVIEW
    )
    client.post(url, {"reason": "工作年限与档案记载不符"})
    assert Application.objects.get(pk=submitted.pk).status == Status.NOT_QUALIFIED


def test_bulk_approve_shows_selection_before_acting(client, submitted, clerk):
    clerk, assignment = _staff(clerk)
    client.force_login(clerk, backend=BACKEND)
    url = reverse("review:bulk", args=[assignment.pk])
    preview = client.post(url, {"ids": [submitted.pk], "action": "approve"})
    assert "确认通过以上1份" in preview.content.decode()
    assert Application.objects.get(pk=submitted.pk).status == Status.UNIT_REVIEW
    client.post(url, {"ids": [submitted.pk], "action": "approve", "confirm": "1"})
    assert Application.objects.get(pk=submitted.pk).status == Status.DEPARTMENT_REVIEW


def test_bulk_return_requires_reason_and_ignores_foreign_ids(
    client, submitted, clerk, county_clerk
):
    foreign, assignment = _staff(county_clerk)  # 温县一高: not this unit
    client.force_login(foreign, backend=BACKEND)
    url = reverse("review:bulk", args=[assignment.pk])
    response = client.post(
        url, {"ids": [submitted.pk], "action": "return", "confirm": "1"}, follow=True
    )
    assert "请先勾选" in response.content.decode()
    assert Application.objects.get(pk=submitted.pk).status == Status.UNIT_REVIEW
    clerk, assignment = _staff(clerk)
    client.force_login(clerk, backend=BACKEND)
    url = reverse("review:bulk", args=[assignment.pk])
    response = client.post(
        url, {"ids": [submitted.pk], "action": "return", "confirm": "1"}
    )
    assert "批量退回须选择" in response.content.decode()
    code = ReturnReasonCode.objects.get(code="wrong_info")
    client.post(
        url,
        {
            "ids": [submitted.pk],
            "action": "return",
            "confirm": "1",
            "item": "basic",
            "code": code.pk,
            "text": "参加工作时间与档案不一致",
        },
    )
    app = Application.objects.get(pk=submitted.pk)
    # The section and the materials proving what it holds (the work start date).
    assert app.status == Status.RETURNED and app.return_items == [
        "basic",
        "material:education",
        "material:work_record",
    ]


def _scan_upload(client, assignment, batch, kind):
    return client.post(
        reverse("review:upload_scan", args=[assignment.pk, batch.pk]),
        {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", PDF)},
    )


def test_batch_rosters_scans_stamp_onsite_fees_closed(client, submitted, reviewers):
    application = _to_onsite(submitted, reviewers)
    batch = Batch.objects.get(unit=application.unit)
    clerk, unit_assignment = _staff(reviewers.clerk)
    client.force_login(clerk, backend=BACKEND)
    response = client.get(
        reverse("review:roster", args=[unit_assignment.pk, batch.pk, "passed"])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    # The roster (names, masked ID numbers) is an export of personal data.
    exported = AuditEvent.objects.get(
        action=AuditEvent.Action.EXPORTED, target_type="review.Batch"
    )
    assert (exported.actor_id, exported.target_id) == (clerk.pk, str(batch.pk))
    assert exported.after == {"what": "roster", "kind": "passed", "rows": 1}
    batch.refresh_from_db()
    assert batch.state == Batch.State.ONLINE_REVIEW_COMPLETE  # a GET changes nothing
    client.post(reverse("review:mark_printed", args=[unit_assignment.pk, batch.pk]))
    batch.refresh_from_db()
    assert batch.state == Batch.State.ROSTERS_PRINTED
    _scan_upload(client, unit_assignment, batch, "passed")
    _scan_upload(client, unit_assignment, batch, "onsite")
    batch.refresh_from_db()
    assert batch.state == Batch.State.SCANS_UPLOADED

    department, dept_assignment = _staff(reviewers.department)
    client.force_login(department, backend=BACKEND)
    client.post(reverse("review:stamp", args=[dept_assignment.pk, batch.pk]))
    batch.refresh_from_db()
    assert batch.state == Batch.State.DEPARTMENT_STAMPED

    office, office_assignment = _staff(reviewers.office)
    client.force_login(office, backend=BACKEND)
    url = reverse(
        "review:onsite", args=[office_assignment.pk, batch.pk, application.pk]
    )
    assert client.get(url).status_code == 200
    client.post(
        url, {"action": "original_in", "item": "五级证书原件", "received_from": "刘芳"}
    )
    custody = application.originals.get()
    client.post(
        url, {"action": "original_out", "custody": custody.pk, "returned_to": "刘芳"}
    )
    custody.refresh_from_db()
    assert custody.returned_to == "刘芳" and custody.returned_at is not None
    # Qualified is refused until the originals are seen and the fee is paid.
    response = client.post(url, {"action": "conclude", "qualified": "1"}, follow=True)
    assert "还有原件没有核验" in response.content.decode()
    # A NUL byte in the reason is refused in Chinese and changes nothing.
    response = client.post(url, {"action": "conclude", "reason": "a\x00b"}, follow=True)
    assert "原因含有不允许的控制字符" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.ONSITE_CHECK
    client.post(
        url,
        {
            "action": "fee",
            "amount": "120.00",
            "method": "cash",
            "receipt_number": "No.0001",
        },
    )
    seen = [
        i.key
        for i in review.review_items(application, ReviewStep.ONSITE)
        if i.kind == "material"
    ]
    client.post(url, {"action": "conclude", "qualified": "1", "seen": seen})
    application.refresh_from_db()
    assert application.status == Status.QUALIFIED
    complete = reverse("review:complete", args=[office_assignment.pk, batch.pk])
    response = client.post(complete, {"fee_total": "100"}, follow=True)
    assert "不一致" in response.content.decode()
    client.post(complete, {"fee_total": "120.00"})
    batch.refresh_from_db()
    assert batch.state == Batch.State.CLOSED and batch.fee_total == Decimal("120.00")
    assert FeePayment.objects.get().receipt_number == "No.0001"


def test_onsite_refused_before_rosters_are_stamped(client, submitted, reviewers):
    application = _to_onsite(submitted, reviewers)
    batch = Batch.objects.get(unit=application.unit)
    office, assignment = _staff(reviewers.office)
    client.force_login(office, backend=BACKEND)
    url = reverse("review:onsite", args=[assignment.pk, batch.pk, application.pk])
    response = client.post(
        url,
        {"action": "fee", "amount": "1", "method": "cash", "receipt_number": "x"},
        follow=True,
    )
    assert "名册表尚未签字盖章齐全" in response.content.decode()
    assert not FeePayment.objects.exists()


def test_county_procedure_without_rosters_goes_straight_to_onsite(
    county_school, county_clerk, county_reviewer, in_window
):
    """温县 does not ask for signed rosters: the batch is ready at once."""
    user = ApplicantFactory(username="wx", name="温县申报人")
    application = submitted_application(user, unit=county_school)
    county_department = department_reviewer(county_school.supervising_department)
    approve(application, ReviewStep.UNIT, county_clerk)
    application.refresh_from_db()
    assert application.status == Status.DEPARTMENT_REVIEW  # 温县教育局 supervises it
    approve(application, ReviewStep.DEPARTMENT, county_department)
    approve(application, ReviewStep.OFFICE, county_reviewer)
    batch = Batch.objects.get(unit=application.unit)
    assert not permissions.requires_rosters(batch)
    assert permissions.ready_for_onsite(batch)


def test_list_mail_sent_with_excel_and_recorded(client, submitted, clerk):
    clerk, assignment = _staff(clerk)
    batch = batches.sync_batch(submitted.unit, submitted.campaign)
    client.force_login(clerk, backend=BACKEND)
    client.post(reverse("review:send_list", args=[assignment.pk, batch.pk]))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rsjgzk8826970@126.com"]
    name, content, _ = message.attachments[0]
    assert name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert any("张建国" in str(c.value) for row in sheet.iter_rows() for c in row)
    batch.refresh_from_db()
    assert batch.list_mailed_at is not None and not batches.list_is_late(batch)


def test_list_late_after_two_working_days(submitted):
    from datetime import date

    batch = batches.sync_batch(submitted.unit, submitted.campaign)
    # Submitted Thursday 3/20: due Monday 3/24.
    assert batches.list_due_date(batch) == date(2025, 3, 24)
    assert not batches.list_is_late(batch, today=date(2025, 3, 24))
    assert batches.list_is_late(batch, today=date(2025, 3, 25))


def test_queue_export_applies_filters(client, submitted, clerk, office_reviewer):
    office, assignment = _staff(office_reviewer)
    approve(submitted, ReviewStep.UNIT, clerk)
    client.force_login(office, backend=BACKEND)
    response = client.get(
        reverse("review:queue_export", args=[assignment.pk]),
        {"status": "department_review"},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "张建国" in values
    # The subtitle names the filters in words, not query-string codes.
    assert any("状态=主管部门审核中" in v for v in values)
    assert not any("department_review" in v for v in values)
    response = client.get(
        reverse("review:queue_export", args=[assignment.pk]),
        {"status": "qualified"},
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "张建国" not in [str(c.value) for row in sheet.iter_rows() for c in row]


@pytest.mark.parametrize("persona", ["county_clerk", "county_reviewer", "county_admin"])
def test_foreign_reviewers_get_404_everywhere(
    client, submitted, reviewers, persona, request
):
    """温县's clerk and office see nothing of a 焦作市第一中学 application."""
    application = _to_onsite(submitted, reviewers)
    batch = Batch.objects.get(unit=application.unit)
    user, assignment = _staff(request.getfixturevalue(persona))
    client.force_login(user, backend=BACKEND)
    urls = [
        reverse("review:review", args=[assignment.pk, application.pk]),
        reverse("review:batch", args=[assignment.pk, batch.pk]),
        reverse("review:roster", args=[assignment.pk, batch.pk, "passed"]),
        reverse("applications:file", args=[application.materials.first().current.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    queue = client.get(reverse("review:queue", args=[assignment.pk]) + "?status=")
    assert "张建国" not in queue.content.decode()


def test_foreign_department_gets_404(client, submitted, health_commission_reviewer):
    """A department sees only its subordinate units' applications."""
    other, assignment = _staff(health_commission_reviewer)
    client.force_login(other, backend=BACKEND)
    url = reverse("review:review", args=[assignment.pk, submitted.pk])
    assert client.get(url).status_code == 404


def test_someone_elses_assignment_id_is_404(client, submitted, clerk, office_reviewer):
    _, clerk_assignment = _staff(clerk)
    office = office_reviewer
    client.force_login(office, backend=BACKEND)
    assert (
        client.get(reverse("review:queue", args=[clerk_assignment.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("n", [1, 50])
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office_reviewer", Status.QUALIFICATION_REVIEW),
        ("clerk", Status.UNIT_REVIEW),
        ("department_reviewer", Status.DEPARTMENT_REVIEW),
    ],
)
def test_queue_query_count_is_flat(
    client,
    submitted,
    reviewers,
    n,
    persona,
    status,
    request,
    django_assert_max_num_queries,
):
    reviewer, assignment = _staff(request.getfixturevalue(persona))
    for i in range(n - 1):
        ApplicationFactory(
            applicant=UserFactory(username=f"q{i}"),
            campaign=submitted.campaign,
            unit=submitted.unit,
            level=4,
            job_type=submitted.job_type,
            status=status,
            eligibility=submitted.eligibility,
        )
    advance(submitted, status, reviewers)
    client.force_login(reviewer, backend=BACKEND)
    # The same bound for 1 and for 50 rows: no query per row.
    with django_assert_max_num_queries(22):
        response = client.get(reverse("review:queue", args=[assignment.pk]))
    assert response.content.decode().count('name="ids"') == n


def test_dashboard_counts_and_unreviewed_list(client, submitted, office_reviewer):
    office, assignment = _staff(office_reviewer)
    client.force_login(office, backend=BACKEND)
    body = client.get(
        reverse("review:dashboard", args=[assignment.pk])
    ).content.decode()
    assert "审查进度" in body and "系统不会自动作出审核结论" in body
    assert "张建国" in body  # waiting at the unit: listed for the office to follow up
    assert 'data-chart="chart-status-data"' in body


def test_county_office_dashboard_cannot_go_city_wide(
    client, submitted, county_reviewer
):
    office, assignment = _staff(county_reviewer)
    client.force_login(office, backend=BACKEND)
    body = client.get(
        reverse("review:dashboard", args=[assignment.pk]), {"scope": "city"}
    ).content.decode()
    assert "温县工考办审查进度" in body and "张建国" not in body


def test_city_office_city_wide_dashboard_is_aggregate_only(
    client, submitted, office_reviewer
):
    office, assignment = _staff(office_reviewer)
    client.force_login(office, backend=BACKEND)
    body = client.get(
        reverse("review:dashboard", args=[assignment.pk]), {"scope": "city"}
    ).content.decode()
    assert "焦作市审查进度" in body and "张建国" not in body


def test_circular_names_units_over_thresholds(
    client, submitted, applicant, clerk, office_reviewer
):
    for _ in range(2):
        services.return_application(
            submitted,
            by=clerk,
            reasons=[{"item": "basic", "code": "wrong_info", "text": "请核对"}],
        )
        assert resubmit_unchanged(submitted)
    submitted.campaign.circular_repeated_returns = 1
    submitted.campaign.save()
    office, assignment = _staff(office_reviewer)
    client.force_login(office, backend=BACKEND)
    url = reverse("review:circular", args=[assignment.pk])
    text = client.get(url, {"format": "txt"}).content.decode()
    assert "焦作市第一中学" in text
    pdf = client.get(url, {"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="circular_issued").count() == 2


def test_queue_export_subtitle_names_units_levels_routes_and_flags(
    client, submitted, clerk, office_reviewer
):
    approve(submitted, ReviewStep.UNIT, clerk)
    office, assignment = _staff(office_reviewer)
    client.force_login(office, backend=BACKEND)
    response = client.get(
        reverse("review:queue_export", args=[assignment.pk]),
        {
            "unit": submitted.unit_id,
            "level": "4",
            "route": "regular",
            "job_type": submitted.job_type_id,
            "overdue": "1",
        },
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    subtitle = next(
        str(c.value) for row in sheet.iter_rows() for c in row if "筛选" in str(c.value)
    )
    assert f"单位={submitted.unit.name}" in subtitle
    assert "等级=四级（中级工）" in subtitle
    assert f"工种={submitted.job_type.name}" in subtitle
    assert "逾期" in subtitle and "regular" not in subtitle
    title = str(sheet.cell(row=1, column=1).value)
    assert title.endswith("申报列表（2025年3月20日）")
    assert str(submitted.unit_id) not in subtitle.replace(submitted.unit.name, "")


def test_summary_export_lists_qualified_by_level_and_job_type(
    client, submitted, reviewers
):
    advance(submitted, Status.QUALIFIED, reviewers)
    office, assignment = _staff(reviewers.office)
    client.force_login(office, backend=BACKEND)
    response = client.get(reverse("review:summary_export", args=[assignment.pk]))
    book = load_workbook(io.BytesIO(response.content))
    counts = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert ["四级（中级工）", "电工", 1] in counts
    people = [str(c.value) for row in book.worksheets[1].iter_rows() for c in row]
    assert "张建国" in people


@pytest.mark.parametrize("name", ["dashboard", "circular", "summary_export"])
def test_office_pages_refuse_other_roles(client, submitted, clerk, name):
    clerk, assignment = _staff(clerk)
    client.force_login(clerk, backend=BACKEND)
    assert (
        client.get(reverse(f"review:{name}", args=[assignment.pk])).status_code == 404
    )


def test_dashboard_export_has_every_table(client, submitted, office_reviewer):
    office, assignment = _staff(office_reviewer)
    client.force_login(office, backend=BACKEND)
    response = client.get(reverse("review:dashboard_export", args=[assignment.pk]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["各地进度", "按状态", "按等级", "按工种"]
    rows = [[c.value for c in row] for row in book["按状态"].iter_rows()]
    assert ["单位审核中", 1] in rows


def test_foreign_department_gets_404_for_batch_and_roster(
    client, submitted, reviewers, health_commission_reviewer
):
    application = _to_onsite(submitted, reviewers)
    batch = Batch.objects.get(unit=application.unit)
    other, assignment = _staff(health_commission_reviewer)
    client.force_login(other, backend=BACKEND)
    for url in [
        reverse("review:batch", args=[assignment.pk, batch.pk]),
        reverse("review:roster", args=[assignment.pk, batch.pk, "onsite"]),
        reverse("applications:file", args=[application.materials.first().current.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    batches_page = client.get(reverse("review:batches", args=[assignment.pk]))
    assert "焦作市第一中学" not in batches_page.content.decode()


def test_applicant_cannot_open_reviewer_pages(client, submitted, applicant):
    client.force_login(applicant, backend=BACKEND)
    own = RoleAssignment.objects.get(user=applicant)
    for name, args in [
        ("queue", [own.pk]),
        ("review", [own.pk, submitted.pk]),
        ("batches", [own.pk]),
        ("dashboard", [own.pk]),
    ]:
        assert client.get(reverse(f"review:{name}", args=args)).status_code == 404, name
