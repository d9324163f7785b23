"""The results pages: each renders for the office, a foreign object is a 404
for every other role, the candidate's own pages, and the public lookup (the
same answer for a wrong pair, a rate limit) and objections."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from gongkao.accounts.models import Role
from gongkao.results import services
from gongkao.results.models import Objection, Publication, Recheck
from tests import factories
from tests.results.conftest import Past, aware

pytestmark = pytest.mark.django_db

BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


def login(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def url(user, name, *args, role=None):
    a = factories.assignment_of(user, role)
    return reverse(f"results:{name}", args=[a.pk, *args])


@pytest.fixture
def done(past: Past, city_office):
    """Released, one re-check asked, published; the period is over."""
    services.release_sitting(past.sitting, by=past.admin, now=aware(date(2025, 6, 20)))
    score = past.seats[1].application.subject_scores.get(subject=past.skill)
    recheck = services.ask_recheck(
        score, "请核对", by=score.application.applicant, now=aware(date(2025, 6, 23))
    )
    publication = services.publish(
        past.campaign, None, city_office, by=past.admin, now=aware(date(2025, 11, 14))
    )
    return past, recheck, publication


def test_office_pages_render(client, done):
    past, recheck, publication = done
    login(client, past.admin)
    q = f"?campaign={past.campaign.pk}"
    for name, args in [
        ("overview", []),
        ("scores", []),
        ("import", []),
        ("rechecks", []),
        ("recheck", [recheck.pk]),
        ("publications", []),
        ("publication", [publication.pk]),
        ("settings", []),
    ]:
        response = client.get(url(past.admin, name, *args) + q)
        assert response.status_code == 200, name
    page = client.get(
        url(past.admin, "scores") + q + f"&unit={past.seats[0].application.unit_id}"
    )
    assert past.tickets[0].number in page.content.decode()
    export = client.get(url(past.admin, "scores") + q + "&export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    notices = client.get(url(past.admin, "notices", publication.pk) + q)
    assert notices["Content-Type"] == "application/pdf"
    xlsx = client.get(url(past.admin, "passers_xlsx", publication.pk) + q)
    assert xlsx.status_code == 200


def test_notices_wait_for_the_end_of_the_period(client, done):
    past, _, publication = done
    login(client, past.admin)
    q = f"?campaign={past.campaign.pk}"
    with time_machine.travel(date(2025, 11, 18)):
        assert (
            client.get(url(past.admin, "notices", publication.pk) + q).status_code
            == 404
        )
        assert (
            client.get(url(past.admin, "passers_xlsx", publication.pk) + q).status_code
            == 404
        )


def test_foreign_objects_are_404_for_every_other_role(
    client, done, county_admin, clerk, office_reviewer
):
    past, recheck, publication = done
    q = f"?campaign={past.campaign.pk}"
    objection = factories.ObjectionFactory.create(entry=publication.entries.first())
    # The county office does not run the city's exams.
    login(client, county_admin)
    for name, args in [
        ("overview", []),
        ("recheck", [recheck.pk]),
        ("publication", [publication.pk]),
        ("notices", [publication.pk]),
    ]:
        assert client.get(url(county_admin, name, *args) + q).status_code == 404, name
    assert (
        client.post(
            url(county_admin, "answer_objection", publication.pk, objection.pk) + q,
            {"upheld": "yes", "answer": "x"},
        ).status_code
        == 404
    )
    # Another city's office with its own campaign: the city's objects stay out.
    xinxiang = factories.DivisionFactory.create(xinxiang=True)
    other = factories.office_admin(
        factories.ExamOfficeFactory.create(division=xinxiang)
    )
    factories.CampaignFactory.create(division=xinxiang)
    login(client, other)
    assert client.get(url(other, "recheck", recheck.pk)).status_code == 404
    assert client.get(url(other, "publication", publication.pk)).status_code == 404
    assert client.get(url(other, "overview") + q).status_code == 404
    # A unit clerk has no results pages; an applicant only their own.
    login(client, clerk)
    assert client.get(url(clerk, "overview")).status_code == 404
    stranger = factories.ApplicationFactory.create(campaign=past.campaign).applicant
    login(client, stranger)
    assert (
        client.post(
            reverse("results:ask_recheck", args=[recheck.score_id]), {"reason": "x"}
        ).status_code
        == 404
    )
    login(client, office_reviewer)
    assert client.get(reverse("results:mine")).status_code == 404
    # The reviewer of the city office (a planner) sees them.
    assert (
        client.get(url(office_reviewer, "recheck", recheck.pk) + q).status_code == 200
    )
    objection.refresh_from_db()
    assert objection.answered_at is None


def test_a_county_office_sees_only_its_own_when_it_runs_its_exams(
    client, done, county_admin
):
    past, recheck, publication = done
    past.campaign.exams_run_by_city = False
    past.campaign.save()
    login(client, county_admin)
    q = f"?campaign={past.campaign.pk}"
    assert client.get(url(county_admin, "overview") + q).status_code == 200
    assert client.get(url(county_admin, "recheck", recheck.pk) + q).status_code == 404
    assert (
        client.get(url(county_admin, "publication", publication.pk) + q).status_code
        == 404
    )
    page = client.get(url(county_admin, "scores") + q).content.decode()
    assert past.tickets[0].number not in page


def test_the_candidate_reads_scores_and_asks_a_recheck(client, past):
    applicant = past.seats[0].application.applicant
    login(client, applicant)
    before = client.get(reverse("results:mine")).content.decode()
    # Before release: what the exam screen showed, marked as not released.
    assert "考试机显示，成绩尚未发布" in before and "待定" in before
    services.release_sitting(past.sitting, by=past.admin, now=aware(date(2025, 6, 20)))
    with time_machine.travel(aware(date(2025, 6, 23))):
        page = client.get(reverse("results:mine")).content.decode()
        assert '<span class="badge ok">合格</span>' in page
        assert "申请复查（2025年6月27日截止）" in page
        score = past.seats[0].application.subject_scores.get(subject=past.skill)
        response = client.post(
            reverse("results:ask_recheck", args=[score.pk]), {"reason": "请核对\x00"}
        )
        assert response.status_code == 302 and not Recheck.objects.exists()
        client.post(
            reverse("results:ask_recheck", args=[score.pk]), {"reason": "请核对"}
        )
    assert Recheck.objects.get().score == score


def lookup(client, id_number, ticket):
    return client.post(
        reverse("results:lookup"), {"id_number": id_number, "ticket": ticket}
    )


def _answer(response) -> str:
    text: str = response.content.decode()
    start = text.index('id="lookup-result"')
    return text[start : text.index("</section>", start)]


def test_public_lookup_same_answer_for_a_wrong_pair_and_rate_limited(client, past):
    services.release_sitting(past.sitting, by=past.admin, now=aware(date(2025, 6, 20)))
    applicant = past.seats[0].application.applicant
    right = lookup(client, applicant.id_number, past.tickets[0].number)
    assert "100.0" in _answer(right) and "考核结果：合格" in _answer(right)
    other_id = past.seats[1].application.applicant.id_number
    wrong_pair = _answer(lookup(client, other_id, past.tickets[0].number))
    no_ticket = _answer(lookup(client, applicant.id_number, "T2099999999"))
    bad_id = _answer(lookup(client, "123", past.tickets[0].number))
    assert wrong_pair == no_ticket
    assert "未查到成绩" in wrong_pair
    assert (
        "form" in bad_id or "未查到" in bad_id
    )  # the form refuses it, or the same answer
    for _ in range(10):
        lookup(client, applicant.id_number, past.tickets[0].number)
    limited = lookup(
        client, applicant.id_number, past.tickets[0].number
    ).content.decode()
    assert "查询过于频繁" in limited and "100.0" not in limited


def test_publicity_and_an_objection_in_the_period(client, past, city_office):
    services.release_sitting(past.sitting, by=past.admin, now=aware(date(2025, 6, 20)))
    with time_machine.travel(aware(date(2025, 11, 14))):
        publication = services.publish(past.campaign, None, city_office, by=past.admin)
        entry = publication.entries.get()
        listed = client.get(reverse("results:publicity")).content.decode()
        assert publication.title in listed
        page = client.get(
            reverse("results:publicity_page", args=[publication.pk])
        ).content.decode()
        assert entry.name in page and past.tickets[0].number not in page
        objection_url = reverse("results:objection", args=[publication.pk, entry.pk])
        refused = client.post(
            objection_url, {"reason": "x", "contact_name": "王", "contact_phone": "abc"}
        )
        assert "请填写正确的联系电话" in refused.content.decode()
        client.post(
            objection_url,
            {
                "reason": "业绩不实",
                "contact_name": "王先生",
                "contact_phone": "13912345678",
            },
        )
        assert Objection.objects.get().contact_phone == "13912345678"
    with time_machine.travel(aware(date(2025, 11, 24))):
        assert (
            client.get(
                reverse("results:publicity_page", args=[publication.pk])
            ).status_code
            == 404
        )
        assert client.get(objection_url).status_code == 404


def test_the_import_page_lists_every_bad_row(client, past):
    from tests.results.test_services import workbook

    login(client, past.admin)
    q = f"?campaign={past.campaign.pk}"
    data = workbook([[past.tickets[2].number, "别人", "职业道德", "x"]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        url(past.admin, "import") + q, {"file": SimpleUploadedFile("s.xlsx", data)}
    )
    assert "第2行" in response.content.decode()


def test_roles_without_results(client, past):
    expert = factories.staff(Role.EXPERT, office=past.seats[0].room.centre.office)
    login(client, expert)
    assert client.get(url(expert, "overview", role=Role.EXPERT)).status_code == 404


def test_bad_input_is_refused_in_chinese_and_saves_nothing(client, past, city_office):
    """NUL bytes and over-long text (PostgreSQL refuses what SQLite keeps)."""
    services.release_sitting(past.sitting, by=past.admin, now=aware(date(2025, 6, 20)))
    with time_machine.travel(aware(date(2025, 11, 14))):
        login(client, past.admin)
        q = f"?campaign={past.campaign.pk}"
        client.post(url(past.admin, "publications") + q, {"title": "公示\x00" * 60})
        publication = Publication.objects.get()
        assert publication.title == "公示" * 50
        client.logout()
        entry = publication.entries.get()
        objection_url = reverse("results:objection", args=[publication.pk, entry.pk])
        for data in [
            {
                "reason": "业绩\x00不实",
                "contact_name": "王",
                "contact_phone": "13912345678",
            },
            {
                "reason": "长" * 1001,
                "contact_name": "王",
                "contact_phone": "13912345678",
            },
            {
                "reason": "不实",
                "contact_name": "王" * 51,
                "contact_phone": "13912345678",
            },
            {"reason": "不实", "contact_name": "王", "contact_phone": "1" * 21},
        ]:
            response = client.post(objection_url, data)
            assert response.status_code == 200
            assert "error" in response.content.decode()
        assert not Objection.objects.exists()
        login(client, past.admin)
        withdraw = url(past.admin, "withdraw", publication.pk, entry.pk) + q
        client.post(withdraw, {"reason": "撤\x00销"})
        client.post(withdraw, {"reason": "撤" * 301})
        entry.refresh_from_db()
        assert entry.withdrawn_at is None
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.logout()  # the session of 2025 has timed out
    login(client, past.admin)
    data = (
        f"准考证号,姓名,科目,成绩\n{past.tickets[2].number},名\x00字,职业道德\x00,60\n"
    ).encode()
    response = client.post(
        url(past.admin, "import") + q,
        {"file": SimpleUploadedFile("s\x00.csv", data)},
    )
    assert "第2行" in response.content.decode()
    assert response.status_code == 200
