"""The self-check and the review pages quote the notice's own words, from the
policy file, beside each condition."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkao.eligibility import get_policy
from gongkao.policies.models import StoredPolicy
from tests.factories import (
    StoredPolicyFactory,
    assignment_of,
    fill_level4_application,
    policy_content,
    submitted_application,
)

pytestmark = pytest.mark.django_db

POLICY = get_policy("2025-jiaozuo")


def test_self_check_quotes_the_notice_beside_each_condition(
    client, applicant, school, campaign, in_window
) -> None:
    fill_level4_application(applicant, unit=school, campaign=campaign)
    client.force_login(applicant)

    response = client.get(reverse("applications:check"))

    text = response.content.decode()
    lines = response.context["lines"]
    assert [line["notice"] for line in lines] == [
        POLICY.clause_text(line["clause"]) for line in lines
    ]
    assert "考核对象：机关事业单位工勤技能岗位在岗正式工作人员和聘用工作人员。" in text
    assert (
        "通过工勤技能岗位五级考核并在本工种本等级工作满5年，或工作年限10年（含）以上，"
        "可申报工勤技能岗位四级考核。" in text
    )


def test_review_page_quotes_the_notice_for_lines_and_items(
    client, applicant, school, campaign, in_window, clerk
) -> None:
    application = submitted_application(applicant, unit=school, campaign=campaign)
    client.force_login(clerk)

    response = client.get(
        reverse("review:review", args=[assignment_of(clerk).pk, application.pk])
    )

    text = response.content.decode()
    assert response.status_code == 200
    # 2.1, judged by the unit: the notice's words beside the paraphrase.
    assert POLICY.clause_text("2.1") in text
    assert [notice for _, notice in response.context["explained"]] == [
        POLICY.clause_text(line.split(" ", 1)[0])
        for line in (application.eligibility or {})["explanation"]
    ]


def test_review_page_quotes_the_policy_the_application_was_judged_by(
    client, applicant, school, campaign, in_window, clerk, city_office
) -> None:
    # A stored policy whose 2.1 text differs; a later campaign change does not
    # change what the submitted file quotes.
    StoredPolicyFactory.create(
        office=city_office,
        policy_id="jz-worded",
        content=policy_content(
            "jz-worded",
            replace={
                "由个人申请，经所在单位审查批准": "由个人申请（本版措辞），经所在单位审查批准"
            },
        ),
    )
    campaign.policy_id = "jz-worded"
    campaign.save(update_fields=["policy_id"])
    application = submitted_application(applicant, unit=school, campaign=campaign)
    campaign.policy_id = "2025-jiaozuo"
    campaign.save(update_fields=["policy_id"])
    client.force_login(clerk)

    response = client.get(
        reverse("review:review", args=[assignment_of(clerk).pk, application.pk])
    )

    assert "由个人申请（本版措辞）" in response.content.decode()
    assert StoredPolicy.objects.get().is_frozen
