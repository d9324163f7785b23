"""Returns that unlock what must be fixed (issue 11, point 2): a returned
item unlocks the sections and slots that prove it and nothing else; a
resubmission changes each returned item or explains why not."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkao.accounts.models import User
from gongkao.applications import permissions, services
from gongkao.applications.checklist import public_materials
from gongkao.applications.models import Application, Honor, ReturnedItem
from gongkao.applications.queries import open_returned_items
from gongkao.applications.states import Status
from gongkao.core.models import AuditEvent
from tests.factories import (
    PDF,
    fill_level2_application,
    fill_level4_application,
    jpeg,
    upload_all,
)

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"
PERFORMANCE = {
    "item": "clause:2.2.4.3",
    "code": "",
    "text": "请补充工作业绩和技术专长的证明材料",
}


@pytest.fixture
def level2(applicant, school, campaign, in_window) -> Application:
    """张建国's level-2 电工 application at unit review, every material uploaded."""
    application = fill_level2_application(applicant, unit=school, campaign=campaign)
    upload_all(application, applicant)
    assert services.submit_application(application, by=applicant)
    application.refresh_from_db()
    return application


def _return(application: Application, clerk: User, *reasons: dict) -> Application:
    return services.return_application(
        application, by=clerk, reasons=list(reasons or [PERFORMANCE])
    )


def _add_honor(application: Application) -> Honor:
    honor = Honor(
        kind="competition",
        level="city",
        title="焦作市职业技能竞赛二等奖",
        issuer="焦作市人力资源和社会保障局",
        date=date(2023, 10, 1),
        rank=2,
    )
    services.add_profile_item(application, honor, "honors")
    return honor


# --- the performance evidence slot -------------------------------------------


def test_levels_2_and_1_ask_for_the_performance_evidence(applicant, school, in_window):
    application = fill_level2_application(applicant, unit=school)
    assert "performance" in {s.key for s in services.slots_for(application)}
    application.level = 4
    application.save()
    assert "performance" not in {s.key for s in services.slots_for(application)}


def test_the_public_list_shows_the_performance_evidence_for_levels_2_and_1():
    for level in (1, 2):
        assert "performance" in {r.key for r in public_materials(level, "regular")}
    for level in (3, 4, 5):
        assert "performance" not in {r.key for r in public_materials(level, "regular")}


def test_a_level2_application_without_performance_evidence_is_refused(
    applicant, school, in_window
):
    application = fill_level2_application(applicant, unit=school)
    upload_all(application, applicant)
    application.materials.filter(slot="performance").delete()
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_application(application, by=applicant)
    assert ("material:performance", "请上传：工作业绩材料。") in refused.value.problems


# --- what a return unlocks ---------------------------------------------------


def test_returning_2243_unlocks_honours_and_the_performance_evidence_only(
    level2, applicant, clerk
):
    app = _return(level2, clerk)
    assert app.return_items == [
        "honors",
        "material:honor:*",
        "material:patent:*",
        "material:performance",
    ]
    change = app.status_changes.get(to_status=Status.RETURNED)
    assert change.reasons[0]["unlocks"] == [
        "honors",
        "material:performance",
        "material:honor:*",
        "material:patent:*",
    ]
    # Open: an honour, its scan, the performance evidence.
    honor = _add_honor(app)
    services.upload_material(app, f"honor:{honor.pk}", PDF, "h.pdf", by=applicant)
    services.upload_material(app, "performance", PDF, "p.pdf", by=applicant)
    # Locked: everything else, in the services themselves.
    with pytest.raises(permissions.NotEditable, match="没有被退回"):
        services.upload_material(app, "work_record", PDF, "w.pdf", by=applicant)
    with pytest.raises(permissions.NotEditable, match="没有被退回"):
        services.save_annual_reviews(app, {2024: ("competent", False)})
    profile = services.profile_for(applicant)
    with pytest.raises(permissions.NotEditable, match="没有被退回"):
        services.save_profile(app, profile)
    with pytest.raises(permissions.NotEditable):
        services.save_application_choices(app, {"ack_policy_at": True})


def test_returning_a_date_proof_unlocks_the_date(ready_application, applicant, clerk):
    services.submit_application(ready_application, by=applicant)
    app = _return(
        ready_application,
        clerk,
        {"item": "material:work_record", "code": "", "text": "参加工作时间与档案不符"},
    )
    assert app.return_items == ["basic", "material:work_record"]
    permissions.check_editable(app, "basic")
    with pytest.raises(permissions.NotEditable):
        permissions.check_editable(app, "certificates")


def test_the_return_records_each_item_with_what_it_unlocked(level2, clerk):
    _return(
        level2,
        clerk,
        PERFORMANCE,
        {"item": "material:photo", "code": "photo", "text": "照片不清楚", "label": ""},
    )
    items = list(ReturnedItem.objects.filter(application=level2))
    assert [(i.item, i.round, i.label) for i in items] == [
        ("clause:2.2.4.3", 1, "申报条件 2.2.4.3"),
        ("material:photo", 1, "近期免冠证件照"),
    ]
    assert set(items[0].baseline) == set(items[0].unlocks)


# --- the resubmission --------------------------------------------------------


def test_resubmission_must_change_or_explain_each_returned_item(
    level2, applicant, clerk
):
    _return(level2, clerk)
    with pytest.raises(services.SubmissionRefused, match="还没有修改"):
        services.submit_application(level2, by=applicant)
    honor = _add_honor(level2)
    with pytest.raises(services.SubmissionRefused, match="请上传：荣誉证书"):
        services.submit_application(level2, by=applicant)
    services.upload_material(level2, f"honor:{honor.pk}", PDF, "h.pdf", by=applicant)
    services.upload_material(level2, "performance", PDF, "p2.pdf", by=applicant)
    [item] = open_returned_items(level2)
    assert item.changed_labels == ["荣誉和专利", "工作业绩材料", "荣誉证书"]
    assert services.submit_application(level2, by=applicant)
    item.refresh_from_db()
    assert item.changes == ["荣誉和专利", "工作业绩材料", "荣誉证书"]
    assert item.answered_at is not None and item.explanation == ""
    level2.refresh_from_db()
    assert (level2.status, level2.round, level2.return_items) == (
        Status.UNIT_REVIEW,
        2,
        [],
    )


def test_an_unchanged_item_resubmits_with_an_explanation(level2, applicant, clerk):
    _return(level2, clerk)
    [item] = open_returned_items(level2)
    with pytest.raises(services.SubmissionRefused):
        services.submit_application(level2, by=applicant, explanations={item.pk: "  "})
    assert services.submit_application(
        level2, by=applicant, explanations={item.pk: "业绩材料已包含技术革新成果"}
    )
    item.refresh_from_db()
    assert (item.changes, item.explanation) == ([], "业绩材料已包含技术革新成果")
    [row] = AuditEvent.objects.filter(
        action=AuditEvent.Action.RESUBMITTED, target_id=str(level2.pk)
    )
    # The audit names the item and whether it was explained, not the words.
    assert row.after["returned"] == [
        {"item": "clause:2.2.4.3", "changed": False, "explained": True}
    ]
    assert "技术革新" not in str(row.after)


def test_a_slot_still_empty_may_be_filled_while_returned(
    ready_application, applicant, clerk
):
    """Returned for its level, a level-4 application changed to level 2 needs
    the performance evidence: that empty slot can be filled, while a slot
    with a submitted file (the photo) stays locked."""
    services.submit_application(ready_application, by=applicant)
    app = _return(
        ready_application,
        clerk,
        {"item": "application", "code": "", "text": "请核对申报等级"},
    )
    assert app.return_items == ["application", "material:job_type_change"]
    app.level = 2
    services.save_application_choices(app, {"ack_policy_at": True})
    slots = {s.key: s for s in services.slots_for(app)}
    assert permissions.can_upload(app, slots["performance"])
    assert not permissions.can_upload(app, slots["photo"])
    services.upload_material(app, "performance", PDF, "p.pdf", by=applicant)
    # A wrong file can be replaced until resubmission.
    assert permissions.can_upload(app, slots["performance"])


# --- the applicant's pages -----------------------------------------------------


def test_overview_right_after_a_return_says_what_to_fix(
    client, level2, applicant, clerk
):
    _return(level2, clerk)
    client.force_login(applicant, backend=BACKEND)
    page = client.get(reverse("applications:overview")).content.decode()
    assert "可以提交" not in page
    assert "退回须修改的事项" in page
    assert "请补充工作业绩和技术专长的证明材料" in page
    assert "待修改" in page
    assert reverse("applications:honors") in page
    status = client.get(reverse("applications:status")).content.decode()
    assert "请补充工作业绩和技术专长的证明材料（待修改）" in status


def test_post_to_a_locked_section_is_refused_in_chinese(
    client, level2, applicant, clerk
):
    _return(level2, clerk)
    client.force_login(applicant, backend=BACKEND)
    response = client.post(
        reverse("applications:basic"),
        {
            "employment": "contract",
            "work_start_date": "2001-07-01",
            "education": "high_school",
            "retirement_group": "male_60",
            "declare": "on",
        },
        follow=True,
    )
    assert "这一项没有被退回，不需要修改" in response.content.decode()
    assert services.profile_for(applicant).work_start_date == date(2008, 7, 1)
    response = client.post(
        reverse("applications:upload", args=["work_record"]),
        {"work_record-file": _file("w.pdf", PDF)},
        follow=True,
    )
    assert "上传未成功" in response.content.decode()


def test_the_unlocked_section_accepts_a_post(client, level2, applicant, clerk):
    _return(level2, clerk)
    client.force_login(applicant, backend=BACKEND)
    page = client.get(reverse("applications:honors")).content.decode()
    assert "请补充工作业绩和技术专长的证明材料" in page
    client.post(
        reverse("applications:honors"),
        {
            "kind_of_item": "honor",
            "honor-kind": "competition",
            "honor-level": "city",
            "honor-title": "焦作市职业技能竞赛二等奖",
            "honor-issuer": "焦作市人力资源和社会保障局",
            "honor-date": "2023-10-01",
            "honor-rank": "2",
        },
    )
    assert services.profile_for(applicant).honors.count() == 1
    materials = client.get(reverse("applications:materials")).content.decode()
    assert 'id="slot-performance" class="material returned"' in materials


def test_the_check_page_asks_an_explanation_per_returned_item(
    client, level2, applicant, clerk
):
    _return(level2, clerk)
    [item] = open_returned_items(level2)
    client.force_login(applicant, backend=BACKEND)
    page = client.get(reverse("applications:check")).content.decode()
    assert f'name="explain_{item.pk}"' in page
    refused = client.post(reverse("applications:check"), {"pledge": "on"})
    assert "还没有修改" in refused.content.decode()
    too_long = client.post(
        reverse("applications:check"),
        {"pledge": "on", f"explain_{item.pk}": "长" * 201},
    )
    assert "200字以内" in too_long.content.decode()
    assert Application.objects.get(pk=level2.pk).status == Status.RETURNED
    client.post(
        reverse("applications:check"),
        {"pledge": "on", f"explain_{item.pk}": "材料已齐全，无需修改"},
    )
    assert Application.objects.get(pk=level2.pk).status == Status.UNIT_REVIEW
    item.refresh_from_db()
    assert item.explanation == "材料已齐全，无需修改"


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_draft_is_not_touched_by_returns(applicant, school, in_window):
    application = fill_level4_application(applicant, unit=school)
    assert open_returned_items(application) == []
    services.upload_material(application, "photo", jpeg(), "p.jpg", by=applicant)


def test_the_admin_shows_the_returned_items_read_only(
    client, level2, clerk, system_admin
):
    _return(level2, clerk)
    client.force_login(system_admin)
    url = reverse("admin:applications_application_change", args=[level2.pk])
    page = client.get(url).content.decode()
    assert "请补充工作业绩和技术专长的证明材料" in page
    assert "material:performance" in page
