"""Stored policies: load_policy, the office's copy-and-edit pages, the campaign's
validator, and the policy id and hash each submission keeps."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkao.applications import services as application_services
from gongkao.applications.models import Application
from gongkao.campaigns.models import Campaign
from gongkao.core.models import AuditEvent
from gongkao.eligibility import UnknownPolicyError, get_policy
from gongkao.eligibility.policies import shipped_policy_text
from gongkao.policies import services
from gongkao.policies.models import StoredPolicy
from gongkao.policies.queries import load_policy
from tests.factories import (
    StoredPolicyFactory,
    assignment_of,
    fill_level4_application,
    policy_content,
    submitted_application,
    upload_all,
)

pytestmark = pytest.mark.django_db


# load_policy


def test_load_policy_shipped_is_the_file() -> None:
    assert load_policy("2025-jiaozuo") is get_policy("2025-jiaozuo")


def test_load_policy_stored_is_cached_by_content_hash(city_office) -> None:
    stored = StoredPolicyFactory.create(office=city_office, policy_id="jz-draft")

    first, second = load_policy("jz-draft"), load_policy("jz-draft")

    assert first is second
    assert first.content_hash == stored.content_hash
    assert first.policy_id == "jz-draft"


def test_load_policy_follows_an_edit(city_office, office_admin) -> None:
    stored = StoredPolicyFactory.create(office=city_office, policy_id="jz-draft")
    before = load_policy("jz-draft")
    content = policy_content(
        "jz-draft", replace={"level4_work_years = 10": "level4_work_years = 12"}
    )

    services.update_policy(stored, content=content, by=office_admin)

    assert before.level4_work_years == 10
    assert load_policy("jz-draft").level4_work_years == 12


def test_load_policy_unknown_raises() -> None:
    with pytest.raises(UnknownPolicyError):
        load_policy("2099-nowhere")


# services


def test_create_policy_stores_content_hash_and_audit(city_office, office_admin) -> None:
    content = policy_content("jz-2025-b")

    stored = services.create_policy(
        office=city_office, content=content, based_on="2025-jiaozuo", by=office_admin
    )

    assert (stored.policy_id, stored.based_on, stored.office) == (
        "jz-2025-b",
        "2025-jiaozuo",
        city_office,
    )
    assert stored.content == content
    assert stored.content_hash == load_policy("jz-2025-b").content_hash
    event = AuditEvent.objects.get(target_id=str(stored.pk))
    assert event.action == AuditEvent.Action.CONFIG_CREATED


@pytest.mark.parametrize(
    ("policy_id", "old", "new", "error"),
    [
        (
            "jz-bad",
            "level4_work_years = 10",
            "level4_work_years = 十",
            "(文件): TOML 格式错误",
        ),
        (
            "jz-bad",
            "level4_work_years = 10",
            'level4_work_years = "10"',
            "thresholds.level4_work_years: 须为整数",
        ),
        ("2026-jiaozuo", "", "", "policy_id: 政策编号 2026-jiaozuo 已存在"),
    ],
)
def test_create_policy_refuses_and_saves_nothing(
    city_office, office_admin, policy_id, old, new, error
) -> None:
    content = policy_content(policy_id, replace={old: new} if old else None)

    with pytest.raises(services.PolicyRefused) as refused:
        services.create_policy(
            office=city_office, content=content, based_on="", by=office_admin
        )

    assert refused.value.errors[0].startswith(error)
    assert StoredPolicy.objects.count() == 0


def test_create_policy_refuses_a_taken_id(city_office, office_admin) -> None:
    StoredPolicyFactory.create(policy_id="jz-taken")

    with pytest.raises(services.PolicyRefused, match="已存在"):
        services.create_policy(
            office=city_office,
            content=policy_content("jz-taken"),
            based_on="",
            by=office_admin,
        )


def test_update_policy_keeps_its_id(city_office, office_admin) -> None:
    stored = StoredPolicyFactory.create(office=city_office, policy_id="jz-draft")

    with pytest.raises(services.PolicyRefused, match="不能更改政策编号"):
        services.update_policy(
            stored, content=policy_content("jz-other"), by=office_admin
        )


# Campaign.policy_id


def test_campaign_refuses_unknown_policy(campaign) -> None:
    campaign.policy_id = "2099-nowhere"

    with pytest.raises(ValidationError) as error:
        campaign.full_clean()

    assert error.value.message_dict["policy_id"] == [
        "资格条件政策“2099-nowhere”不存在，请选择已有的政策编号。"
    ]


def test_campaign_takes_a_stored_policy(campaign) -> None:
    StoredPolicyFactory.create(policy_id="jz-draft")
    campaign.policy_id = "jz-draft"

    campaign.full_clean()


def test_campaign_admin_shows_the_message_not_500(
    client, campaign, system_admin
) -> None:
    client.force_login(system_admin)
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list | dict)
    }
    data.update(
        {key: form[key].value() for key in form.fields if form[key].value() is not None}
    )
    data["policy_id"] = "2099-nowhere"
    data.update(
        {
            "fee_rates-TOTAL_FORMS": "0",
            "fee_rates-INITIAL_FORMS": "0",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "资格条件政策“2099-nowhere”不存在" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.policy_id == "2025-jiaozuo"


# Applications


def test_submission_keeps_policy_id_and_hash(
    applicant, school, campaign, in_window
) -> None:
    application = submitted_application(applicant, unit=school, campaign=campaign)

    assert application.policy_id == "2025-jiaozuo"
    assert application.policy_hash == get_policy("2025-jiaozuo").content_hash
    event = AuditEvent.objects.get(action=AuditEvent.Action.SUBMITTED)
    assert event.after == {
        **(event.after or {}),
        "policy_hash": application.policy_hash,
    }


def test_submission_freezes_the_stored_policy(
    applicant, school, campaign, in_window, city_office, office_admin
) -> None:
    stored = StoredPolicyFactory.create(office=city_office, policy_id="jz-2025-b")
    Campaign.objects.filter(pk=campaign.pk).update(policy_id="jz-2025-b")
    campaign.refresh_from_db()

    application = submitted_application(applicant, unit=school, campaign=campaign)

    assert (application.policy_id, application.policy_hash) == (
        "jz-2025-b",
        stored.content_hash,
    )
    stored.refresh_from_db()
    assert stored.is_frozen
    with pytest.raises(services.PolicyRefused) as refused:
        services.update_policy(
            stored,
            content=policy_content(
                "jz-2025-b", replace={"years_at_level = 5": "years_at_level = 4"}
            ),
            by=office_admin,
        )
    assert refused.value.errors == [services.FROZEN_MESSAGE]


@pytest.mark.parametrize(
    "name",
    ["applications:overview", "applications:check", "applications:annual_reviews"],
)
def test_draft_with_unknown_policy_shows_a_message(
    client, applicant, school, campaign, in_window, name
) -> None:
    application = fill_level4_application(applicant, unit=school, campaign=campaign)
    upload_all(application, applicant)
    # Data from before the validator: the campaign and the draft name no policy.
    Campaign.objects.filter(pk=campaign.pk).update(policy_id="2099-nowhere")
    Application.objects.filter(pk=application.pk).update(policy_id="2099-nowhere")
    client.force_login(applicant)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "资格条件政策（2099-nowhere）暂不可用" in response.content.decode()


def test_draft_with_unknown_policy_cannot_submit(
    applicant, school, campaign, in_window
) -> None:
    application = fill_level4_application(applicant, unit=school, campaign=campaign)
    upload_all(application, applicant)
    Campaign.objects.filter(pk=campaign.pk).update(policy_id="2099-nowhere")

    with pytest.raises(application_services.SubmissionRefused) as refused:
        application_services.submit_application(application, by=applicant)

    assert (
        "submit",
        "本年度考务的资格条件政策（2099-nowhere）暂不可用，无法核查申报资格，请联系工考办。",
    ) in refused.value.problems


def test_draft_reads_the_campaigns_policy_not_the_one_it_kept(
    client, applicant, school, campaign, in_window
) -> None:
    application = fill_level4_application(applicant, unit=school, campaign=campaign)
    Application.objects.filter(pk=application.pk).update(policy_id="2099-nowhere")
    client.force_login(applicant)

    response = client.get(reverse("applications:check"))

    assert response.status_code == 200
    assert "暂不可用" not in response.content.decode()


# Pages


def test_policy_list_shows_shipped_and_own(
    client, office_admin, city_office, county_office
) -> None:
    StoredPolicyFactory.create(office=city_office, policy_id="jz-own")
    StoredPolicyFactory.create(office=county_office, policy_id="wx-foreign")
    client.force_login(office_admin)

    response = client.get(
        reverse("policies:list", args=[assignment_of(office_admin).pk])
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "2025-jiaozuo" in text and "2026-jiaozuo" in text and "jz-own" in text
    assert "wx-foreign" not in text


def test_copy_page_saves_a_new_policy(client, office_admin, city_office) -> None:
    client.force_login(office_admin)
    assignment = assignment_of(office_admin)
    url = reverse("policies:copy", args=[assignment.pk, "2025-jiaozuo"])

    page = client.get(url)
    content = page.context["form"].initial["content"]
    response = client.post(url, {"content": content})

    assert 'policy_id = "2025-jiaozuo-copy"' in content
    assert response.status_code == 302
    stored = StoredPolicy.objects.get()
    assert (stored.policy_id, stored.based_on, stored.office) == (
        "2025-jiaozuo-copy",
        "2025-jiaozuo",
        city_office,
    )


def test_copy_page_shows_field_errors_in_chinese(client, office_admin) -> None:
    client.force_login(office_admin)
    url = reverse(
        "policies:copy", args=[assignment_of(office_admin).pk, "2025-jiaozuo"]
    )
    content = policy_content(
        "jz-new", replace={"older_male_age = 50": 'older_male_age = "50"'}
    )

    response = client.post(url, {"content": content + "\x00"})
    assert response.status_code == 200
    assert "政策文件含有不允许的控制字符。" in response.content.decode()

    response = client.post(url, {"content": content})

    assert response.status_code == 200
    text = response.content.decode()
    assert "thresholds.older_male_age" in text and "须为整数" in text
    assert StoredPolicy.objects.count() == 0


def test_edit_page_refuses_a_frozen_policy(client, office_admin, city_office) -> None:
    stored = StoredPolicyFactory.create(office=city_office, policy_id="jz-done")
    StoredPolicy.objects.filter(pk=stored.pk).update(
        first_judged_at="2025-03-20T10:00+08:00"
    )
    client.force_login(office_admin)
    url = reverse("policies:edit", args=[assignment_of(office_admin).pk, stored.pk])

    response = client.post(url, {"content": stored.content.replace("= 10", "= 11")})

    assert response.status_code == 200
    assert services.FROZEN_MESSAGE in response.content.decode()
    stored.refresh_from_db()
    assert (
        stored.content_hash
        == StoredPolicyFactory.build(policy_id="jz-done").content_hash
    )


def test_download_gives_the_file(client, office_admin, city_office) -> None:
    client.force_login(office_admin)
    assignment = assignment_of(office_admin)

    response = client.get(
        reverse("policies:download", args=[assignment.pk, "2025-jiaozuo"])
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="2025-jiaozuo.toml"'
    assert response.content.decode() == shipped_policy_text("2025-jiaozuo")


@pytest.fixture
def foreign_policy(county_office) -> StoredPolicy:
    return StoredPolicyFactory.create(office=county_office, policy_id="wx-foreign")


@pytest.mark.parametrize(
    "persona",
    [
        "applicant",
        "clerk",
        "department_reviewer",
        "office_reviewer",
        "county_admin",
        "system_admin",
    ],
)
def test_policy_pages_are_404_for_every_other_role(
    client, request, persona, office_admin, city_office, foreign_policy
) -> None:
    own = StoredPolicyFactory.create(office=city_office, policy_id="jz-own")
    user = request.getfixturevalue(persona)
    client.force_login(user)
    theirs = assignment_of(user).pk
    admin_assignment = assignment_of(office_admin).pk
    urls = [
        reverse("policies:list", args=[theirs]),
        reverse("policies:list", args=[admin_assignment]),
        reverse("policies:edit", args=[admin_assignment, own.pk]),
        reverse("policies:copy", args=[admin_assignment, "jz-own"]),
        reverse("policies:download", args=[admin_assignment, "jz-own"]),
    ]
    if persona == "county_admin":
        # Their own pages work; the city's policy through them does not.
        urls = [
            reverse("policies:edit", args=[theirs, own.pk]),
            reverse("policies:copy", args=[theirs, "jz-own"]),
            reverse("policies:download", args=[theirs, "jz-own"]),
        ]

    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(
        urls, 404
    )


def test_policy_pages_of_city_admin_hide_county_policy(
    client, office_admin, foreign_policy
) -> None:
    client.force_login(office_admin)
    mine = assignment_of(office_admin).pk
    urls = [
        reverse("policies:edit", args=[mine, foreign_policy.pk]),
        reverse("policies:copy", args=[mine, "wx-foreign"]),
        reverse("policies:download", args=[mine, "wx-foreign"]),
    ]

    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(
        urls, 404
    )


@pytest.mark.parametrize("size", [1, 8])
def test_policy_list_queries_do_not_grow(
    client, office_admin, city_office, size, django_assert_max_num_queries
) -> None:
    for _ in range(size):
        StoredPolicyFactory.create(office=city_office)
    client.force_login(office_admin)

    with django_assert_max_num_queries(6):
        response = client.get(
            reverse("policies:list", args=[assignment_of(office_admin).pk])
        )

    assert response.status_code == 200
    assert len(response.context["stored"]) == size
