"""What-if runs: a policy judged again over a campaign's submitted snapshots."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkao.applications.models import Application
from gongkao.core.models import AuditEvent, BackgroundJob
from gongkao.eligibility import get_policy
from gongkao.whatif.compare import GAINED, LOST, Submitted, compare
from gongkao.whatif.models import WhatIfRun
from tests.eligibility.builders import applicant as record_of
from tests.factories import (
    ApplicationFactory,
    StoredPolicyFactory,
    WhatIfRunFactory,
    assignment_of,
    policy_content,
    submitted_application,
)

# A draft that asks 11 years at level 5 and 18 years of work for level 4.
STRICTER = {
    "years_at_level = 5": "years_at_level = 11",
    "level4_work_years = 10": "level4_work_years = 18",
}


def _row(pk: int, eligible: bool, failed: tuple[str, ...] = (), **record) -> Submitted:
    return Submitted(
        pk,
        f"申报人{pk}",
        "焦作市第一中学" if pk % 2 else "温县第一高级中学",
        4,
        "电工",
        record_of(id=str(pk), **record),
        date(2025, 3, 20),
        eligible,
        failed,
    )


def test_compare_lists_flips_both_ways_with_clauses() -> None:
    draft = get_policy("2026-jiaozuo")
    rows = [
        # 9 years of work by 2025-12-31, 10 by 2026-12-31; no certificate.
        _row(1, False, ("2.2.2",), work_start_date="2017-01-01", certificates=[]),
        # Retires 2026-02-01: in scope for 2025, not under the 2026 dates.
        _row(2, True, (), birth_date="1965-11-01"),
        _row(3, True),  # eligible under both
        _row(4, True, (), gender="X"),  # a snapshot the engine cannot read
    ]
    seen: list[int] = []

    outcome = compare(rows, draft, progress=seen.append, every=2)

    assert (outcome.total, outcome.errors, outcome.lost, outcome.gained) == (3, 1, 1, 1)
    assert [(f.application_id, f.direction, f.clauses) for f in outcome.flips] == [
        (1, GAINED, ("2.2.2",)),
        (2, LOST, ("1.2",)),
    ]
    assert (
        outcome.flips[1]
        .lines[0]
        .startswith("1.2 法定退休年龄60岁3个月，已于2026年2月1日达到")
    )
    assert outcome.by_level == {4: [3, 1, 1]}
    assert outcome.by_unit == {
        "焦作市第一中学": [2, 0, 1],
        "温县第一高级中学": [1, 1, 0],
    }
    assert seen == [2, 4, 4]


@pytest.fixture
def draft(city_office):
    return StoredPolicyFactory.create(
        office=city_office,
        policy_id="jz-stricter",
        content=policy_content("jz-stricter", replace=STRICTER),
    )


@pytest.fixture
def two_submitted(db, school, campaign, in_window):
    """A level-4 file at the school (10 years at level 5, 17 years of work),
    and one that was not eligible when submitted (a raw row)."""
    eligible = submitted_application(unit=school, campaign=campaign)
    raw = ApplicationFactory.create(
        campaign=campaign,
        unit=school,
        level=4,
        status="unit_review",
        submitted_at=timezone.now(),
        snapshot={
            "record": record_of(id="x", work_start_date="2017-01-01", certificates=[]),
            "submitted_on": "2025-03-20",
        },
        eligibility={"eligible": False, "failed": ["2.2.2"]},
    )
    return eligible, raw


@pytest.mark.django_db
def test_whatif_run_shows_flips_counts_and_exports(
    client,
    office_admin,
    campaign,
    draft,
    two_submitted,
    django_capture_on_commit_callbacks,
) -> None:
    eligible, raw = two_submitted
    before = list(Application.objects.order_by("pk").values())
    client.force_login(office_admin)
    assignment = assignment_of(office_admin).pk

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("whatif:list", args=[assignment]),
            {"policy_id": "jz-stricter", "campaign": campaign.pk},
        )

    run = WhatIfRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("whatif:run", args=[assignment, run.pk])
    assert run.job is not None and run.job.state == BackgroundJob.State.DONE
    assert (run.total, run.lost, run.gained) == (2, 1, 0)
    assert [(f["application_id"], f["direction"], f["clauses"]) for f in run.flips] == [
        (eligible.pk, LOST, ["2.2.2"])
    ]
    assert run.by_level == [[4, 2, 1, 0]]
    assert run.by_unit == [["焦作市第一中学", 2, 1, 0]]
    # Nothing about the real applications changed.
    assert list(Application.objects.order_by("pk").values()) == before

    page = client.get(reverse("whatif:run", args=[assignment, run.pk]))
    text = page.content.decode()
    assert "符合 → 不符合 1 人" in text and "2.2.2" in text

    export = client.get(reverse("whatif:export", args=[assignment, run.pk]))
    sheet = load_workbook(BytesIO(export.content))["变化名单"]
    values = [row for row in sheet.iter_rows(values_only=True) if row[0]]
    assert values[-1][:6] == (
        "符合 → 不符合",
        eligible.applicant.name,
        "焦作市第一中学",
        "四级（中级工）",
        "电工",
        "2.2.2",
    )
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORTED, target_id=str(run.pk)
    ).exists()


@pytest.mark.django_db
def test_whatif_progress_page_polls_until_done(
    client, office_admin, campaign, draft, two_submitted
) -> None:
    client.force_login(office_admin)
    assignment = assignment_of(office_admin).pk
    client.post(
        reverse("whatif:list", args=[assignment]),
        {"policy_id": "jz-stricter", "campaign": campaign.pk},
    )
    run = WhatIfRun.objects.get()  # queued: on_commit callbacks not run

    page = client.get(
        reverse("whatif:run", args=[assignment, run.pk]), HTTP_HX_REQUEST="true"
    )

    text = page.content.decode()
    assert 'hx-trigger="every 1s"' in text and "排队中" in text
    assert "<html" not in text


@pytest.mark.django_db
def test_whatif_refuses_a_foreign_policy_or_campaign(
    client, office_admin, campaign, county_office
) -> None:
    StoredPolicyFactory.create(office=county_office, policy_id="wx-draft")
    client.force_login(office_admin)

    response = client.post(
        reverse("whatif:list", args=[assignment_of(office_admin).pk]),
        {"policy_id": "wx-draft", "campaign": campaign.pk + 1000},
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "请从列表中选择试算政策。" in text and "请从列表中选择年度考务。" in text
    assert WhatIfRun.objects.count() == 0


@pytest.mark.django_db
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
def test_whatif_pages_are_404_for_every_other_role(
    client, request, persona, office_admin, city_office, campaign
) -> None:
    run = WhatIfRunFactory.create(
        office=city_office, campaign=campaign, finished_at=timezone.now()
    )
    user = request.getfixturevalue(persona)
    client.force_login(user)
    mine = assignment_of(user).pk
    admin = assignment_of(office_admin).pk
    urls = [
        reverse("whatif:list", args=[admin]),
        reverse("whatif:run", args=[admin, run.pk]),
        reverse("whatif:export", args=[admin, run.pk]),
    ]
    if persona == "county_admin":
        urls = [
            reverse("whatif:run", args=[mine, run.pk]),
            reverse("whatif:export", args=[mine, run.pk]),
        ]
    else:
        urls.append(reverse("whatif:list", args=[mine]))

    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(
        urls, 404
    )


@pytest.mark.django_db
def test_whatif_fails_when_the_policy_changed_after_start(
    client,
    office_admin,
    campaign,
    draft,
    two_submitted,
    django_capture_on_commit_callbacks,
) -> None:
    client.force_login(office_admin)
    assignment = assignment_of(office_admin).pk
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("whatif:list", args=[assignment]),
            {"policy_id": "jz-stricter", "campaign": campaign.pk},
        )
    draft.content = policy_content("jz-stricter")
    draft.content_hash = "0" * 64
    draft.save()

    for callback in callbacks:
        callback()

    run = WhatIfRun.objects.get()
    assert run.job is not None
    run.job.refresh_from_db()
    assert run.job.state == BackgroundJob.State.FAILED
    assert run.job.error == "试算政策在发起试算后已被修改，请重新发起试算。"
    page = client.get(reverse("whatif:run", args=[assignment, run.pk]))
    assert "失败：试算政策在发起试算后已被修改" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 8])
def test_whatif_list_queries_do_not_grow(
    client, office_admin, city_office, campaign, size, django_assert_max_num_queries
) -> None:
    for _ in range(size):
        WhatIfRunFactory.create(office=city_office, campaign=campaign)
    client.force_login(office_admin)

    with django_assert_max_num_queries(9):
        response = client.get(
            reverse("whatif:list", args=[assignment_of(office_admin).pk])
        )

    assert response.status_code == 200
    assert len(response.context["runs"]) == size
