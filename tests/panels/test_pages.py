"""The panel pages: scope (a foreign panel, session, candidate or file is a
404 for every role), secrecy before closing, the pool's import and export,
the minutes."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongkao.accounts.models import Role
from gongkao.panels import queries, services
from gongkao.panels.models import Expert
from tests import factories
from tests.panels.conftest import BACKEND

pytestmark = pytest.mark.django_db

SCORES = {"业绩": "31.5", "技能": "27", "答辩": "22"}


def login(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def office_url(world, name, *args, **query):
    a = factories.assignment_of(world.admin)
    url = reverse(f"panels:{name}", args=[a.pk, *args])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def expert_url(user, name, *args):
    a = factories.assignment_of(user, Role.EXPERT)
    return reverse(f"panels:{name}", args=[a.pk, *args])


def user_of(member):
    return member.expert.user


def test_office_pages_render(client, world, panel):
    login(client, world.admin)
    for url in (
        office_url(world, "experts"),
        office_url(world, "panels", campaign=world.campaign.pk),
        office_url(world, "settings", campaign=world.campaign.pk),
        office_url(world, "panel", panel.pk),
        office_url(world, "expert_edit", world.experts[0].pk),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "电工评审组" in client.get(office_url(world, "panel", panel.pk)).text


def test_settings_saved_and_even_size_refused(client, world):
    login(client, world.admin)
    url = office_url(world, "settings", campaign=world.campaign.pk)
    form = {
        "committee_size": "4",
        "reserves": "2",
        "quorum_numerator": "2",
        "quorum_denominator": "3",
        "majority_numerator": "2",
        "majority_denominator": "3",
        "pass_mark": "60",
        "rubric_text": "业绩 40\n技能 30\n答辩 30",
        "blind": "on",
    }
    response = client.post(url, form)
    assert response.status_code == 200 and "奇数" in response.text
    assert not queries.settings_of(world.campaign).pk
    form["committee_size"] = "3"
    form["rubric_text"] = "业绩 50\n技能 50"
    assert client.post(url, form).status_code == 302
    saved = queries.settings_of(world.campaign)
    assert saved.committee_size == 3 and not saved.defence
    assert saved.rubric == [
        {"name": "业绩", "points": 50},
        {"name": "技能", "points": 50},
    ]


def test_draw_through_the_page(client, world):
    login(client, world.admin)
    response = client.post(
        office_url(world, "panels", campaign=world.campaign.pk),
        {
            "name": "电工组",
            "job_types": [world.kind.pk],
            "review_from": "2025-10-01",
            "review_until": "2025-12-31",
        },
    )
    assert response.status_code == 302
    panel = world.campaign.panels.get()
    assert panel.members.count() == 7 and panel.candidates.count() == 2


def test_foreign_panel_and_session_are_404_for_every_role(client, world, panel):
    session = services.open_session(
        panel, held_on=date(2025, 11, 5), place="", by=world.admin
    )
    other_office = factories.ExamOfficeFactory.create(division=world.campaign.division)
    other_admin = factories.office_admin(other_office)
    login(client, other_admin)
    a = factories.assignment_of(other_admin)
    assert client.get(reverse("panels:panel", args=[a.pk, panel.pk])).status_code == 404
    assert (
        client.post(
            reverse("panels:panel_action", args=[a.pk, panel.pk, "enrol"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("panels:office_minutes", args=[a.pk, panel.pk, session.pk])
        ).status_code
        == 404
    )
    # An expert of the office not on this panel.
    outsider = world.experts[-1]
    drawn = set(panel.members.values_list("expert_id", flat=True))
    outsider = next(e for e in world.experts if e.pk not in drawn)
    login(client, outsider.user)
    assert (
        client.get(expert_url(outsider.user, "my_panel", panel.pk)).status_code == 404
    )
    candidate = panel.candidates.first()
    assert (
        client.get(
            expert_url(outsider.user, "dossier", panel.pk, candidate.pk)
        ).status_code
        == 404
    )
    # A member of the panel, a session of another panel.
    member = panel.members.get(chair=True)
    other_panel = factories.PanelFactory.create(
        campaign=world.campaign, office=other_office
    )
    other_session = factories.ReviewSessionFactory.create(panel=other_panel)
    login(client, user_of(member))
    assert (
        client.get(
            expert_url(user_of(member), "my_minutes", panel.pk, other_session.pk)
        ).status_code
        == 404
    )
    assert (
        client.get(expert_url(user_of(member), "my_panel", other_panel.pk)).status_code
        == 404
    )
    # The office admin cannot use the expert pages, nor an expert the office's.
    login(client, world.admin)
    assert (
        client.get(
            reverse("panels:my_panels", args=[factories.assignment_of(world.admin).pk])
        ).status_code
        == 404
    )
    login(client, user_of(member))
    ea = factories.assignment_of(user_of(member), Role.EXPERT)
    assert (
        client.get(reverse("panels:panel", args=[ea.pk, panel.pk])).status_code == 404
    )


def test_conflict_hides_the_candidate(client, world, panel):
    member = panel.members.filter(reserve=False, chair=False).first()
    candidate = panel.candidates.get(application=world.exempt)
    login(client, user_of(member))
    response = client.post(
        expert_url(user_of(member), "declare", panel.pk, candidate.pk),
        {"reason": "师徒关系"},
    )
    assert response.status_code == 302
    assert (
        client.get(
            expert_url(user_of(member), "dossier", panel.pk, candidate.pk)
        ).status_code
        == 404
    )
    page = client.get(expert_url(user_of(member), "my_panel", panel.pk)).text
    assert f"{candidate.code}号" not in page
    reserve = panel.members.filter(reserve=True).order_by("order").first()
    login(client, user_of(reserve))
    assert (
        client.get(
            expert_url(user_of(reserve), "dossier", panel.pk, candidate.pk)
        ).status_code
        == 200
    )
    other = panel.candidates.get(application=world.examined)
    assert (
        client.get(
            expert_url(user_of(reserve), "dossier", panel.pk, other.pk)
        ).status_code
        == 404
    )


def _ballot(client, member, panel, candidate, scores=SCORES, vote="for"):
    login(client, user_of(member))
    data = {f"item{i}": v for i, v in enumerate(scores.values())} | {"vote": vote}
    return client.post(
        expert_url(user_of(member), "dossier", panel.pk, candidate.pk), data
    )


def test_secrecy_before_closing_and_counts_after(client, world, panel):
    session = services.open_session(
        panel, held_on=date(2025, 11, 5), place="", by=world.admin
    )
    candidate = panel.candidates.first()
    sitting = [m for m in panel.members.all() if not m.reserve]
    assert _ballot(client, sitting[1], panel, candidate).status_code == 302
    # Another expert sees nothing of it.
    login(client, user_of(sitting[2]))
    for url in (
        expert_url(user_of(sitting[2]), "my_panel", panel.pk),
        expert_url(user_of(sitting[2]), "dossier", panel.pk, candidate.pk),
    ):
        text = client.get(url).text
        assert "80.5" not in text and "31.5" not in text
    # The author sees their own.
    login(client, user_of(sitting[1]))
    assert (
        "80.5" in client.get(expert_url(user_of(sitting[1]), "my_panel", panel.pk)).text
    )
    # The office sees a count only.
    login(client, world.admin)
    text = client.get(office_url(world, "panel", panel.pk)).text
    assert "已收到1张评分表决票" in text and "80.5" not in text
    # Only the chair closes.
    login(client, user_of(sitting[1]))
    client.post(expert_url(user_of(sitting[1]), "close", panel.pk))
    session.refresh_from_db()
    assert not session.is_closed
    for m in sitting[2:]:
        _ballot(
            client,
            m,
            panel,
            candidate,
            scores={"业绩": "30", "技能": "20", "答辩": "20"},
        )
    chair = panel.members.get(chair=True)
    login(client, user_of(chair))
    assert client.post(expert_url(user_of(chair), "close", panel.pk)).status_code == 302
    session.refresh_from_db()
    assert session.is_closed
    login(client, world.admin)
    text = client.get(office_url(world, "panel", panel.pk)).text
    assert "80.5" not in text and "31.5" not in text  # counts and the mean only
    result = session.results.get(candidate=candidate)
    assert (result.present, result.in_favour) == (4, 4) and result.passed
    assert str(result.mean_score) in text
    # Changing a ballot after closing is refused.
    response = _ballot(client, sitting[1], panel, candidate, vote="against")
    assert response.status_code == 200
    assert session.ballots.filter(member=sitting[1]).get().vote == "for"


def test_reopen_needs_a_reason_on_the_page(client, world, panel):
    session = services.open_session(
        panel, held_on=date(2025, 11, 5), place="", by=world.admin
    )
    chair = panel.members.get(chair=True)
    services.close_session(session, chair, by=user_of(chair))
    login(client, world.admin)
    url = office_url(world, "panel_action", panel.pk, "reopen")
    client.post(url, {"session": session.pk, "reason": "  "})
    session.refresh_from_db()
    assert session.is_closed
    client.post(url, {"session": session.pk, "reason": "表决票统计有误"})
    session.refresh_from_db()
    assert not session.is_closed


def test_minutes_pdf_after_close_only(client, world, panel):
    session = services.open_session(
        panel, held_on=date(2025, 11, 5), place="第一会议室", by=world.admin
    )
    login(client, world.admin)
    url = office_url(world, "office_minutes", panel.pk, session.pk)
    assert client.get(url).status_code == 404
    chair = panel.members.get(chair=True)
    for seat in queries.seating(panel):
        for m in seat.sitting:
            services.cast_ballot(
                session, m, seat.candidate.pk, SCORES, "for", by=user_of(m)
            )
    services.close_session(session, chair, by=user_of(chair))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "姓名",
            "工作单位",
            "统一社会信用代码",
            "职称",
            "可评审工种代码",
            "手机号",
            "聘期开始",
            "聘期结束",
        ]
    )
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "experts.xlsx"
    return buf


def test_import_all_or_nothing_and_export(client, world, school):
    login(client, world.admin)
    before = Expert.objects.count()
    bad = _xlsx(
        [
            [
                "张三",
                "焦作市第一中学",
                school.credit_code,
                "高级技师",
                world.kind.code,
                "13912340001",
                "2025-01-01",
                "2027-12-31",
            ],
            [
                "李四",
                "某单位",
                "",
                "高级工程师",
                "X999",
                "12345",
                "2025-01-01",
                "2024-12-31",
            ],
            [
                "",
                "某单位",
                "",
                "技师",
                world.kind.code,
                "13912340001",
                "2025-01-01",
                "2027-12-31",
            ],
        ]
    )
    response = client.post(office_url(world, "experts_import"), {"file": bad})
    assert response.status_code == 400
    assert (
        "第3行" in response.text
        and "第4行" in response.text
        and "X999" in response.text
    )
    assert Expert.objects.count() == before
    good = _xlsx(
        [
            [
                "张三",
                "焦作市第一中学",
                school.credit_code,
                "高级技师",
                world.kind.code,
                "13912340001",
                "2025-01-01",
                "2027-12-31",
            ],
        ]
    )
    assert (
        client.post(office_url(world, "experts_import"), {"file": good}).status_code
        == 302
    )
    added = Expert.objects.get(phone="13912340001")
    assert added.unit == school and list(added.job_types.all()) == [world.kind]
    response = client.get(office_url(world, "experts_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and any(r[0] == "张三" for r in rows)


def test_expert_account_issued(client, world, city_office):
    expert = factories.ExpertFactory.create(office=city_office, job_types=[world.kind])
    login(client, world.admin)
    client.post(office_url(world, "expert_account", expert.pk))
    expert.refresh_from_db()
    assert expert.user is not None
    assert expert.user.role_assignments.filter(
        role=Role.EXPERT, office=city_office
    ).exists()


def test_materials_on_screen_under_the_experts_name_only(client, world, panel):
    stored = factories.MaterialFileFactory.create(
        material__application=world.examined,
        data=factories.jpeg(),
        content_type="image/jpeg",
        extension=".jpg",
    )
    candidate = panel.candidates.get(application=world.examined)
    member = panel.members.get(chair=True)
    login(client, user_of(member))
    dossier = client.get(expert_url(user_of(member), "dossier", panel.pk, candidate.pk))
    view_url = expert_url(
        user_of(member), "file_view", panel.pk, candidate.pk, stored.pk
    )
    assert view_url in dossier.text
    page = client.get(view_url)
    assert page.status_code == 200
    assert f"{member.expert.name} 仅供评审" in page.text and "download" not in page.text
    raw = client.get(
        expert_url(user_of(member), "file_raw", panel.pk, candidate.pk, stored.pk)
    )
    assert raw.status_code == 200 and raw["Content-Type"] == "application/pdf"
    assert raw["Content-Disposition"].startswith("inline;")
    # Through another candidate's address, or by a conflicted expert: 404.
    other = panel.candidates.get(application=world.exempt)
    assert (
        client.get(
            expert_url(user_of(member), "file_view", panel.pk, other.pk, stored.pk)
        ).status_code
        == 404
    )
    services.declare_conflict(member, candidate, "亲属", by=user_of(member))
    assert client.get(view_url).status_code == 404


def test_expert_added_and_edited_with_a_registered_unit(client, world, school):
    login(client, world.admin)
    form = {
        "name": "陈专家",
        "unit_name": "焦作市第一中学",
        "credit_code": "NOT-A-CODE",
        "title": "高级技师",
        "phone": "13912349999",
        "term_start": "2025-01-01",
        "term_end": "2027-12-31",
        "active": "on",
        "job_types": [world.kind.pk],
    }
    response = client.post(office_url(world, "experts"), form)
    assert response.status_code == 200 and "不是已登记的单位" in response.text
    form["credit_code"] = school.credit_code
    assert client.post(office_url(world, "experts"), form).status_code == 302
    expert = Expert.objects.get(phone="13912349999")
    assert expert.unit == school
    form["credit_code"] = ""
    form["term_end"] = "2024-12-31"
    response = client.post(office_url(world, "expert_edit", expert.pk), form)
    assert "聘期结束" in response.text
    other = factories.ExpertFactory.create()
    assert client.get(office_url(world, "expert_edit", other.pk)).status_code == 404
