"""Free text read by views: NUL and over-long values are refused with a Chinese
message and change nothing; emoji and RTL text are stored exactly."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkao.applications.states import Status
from gongkao.review import services as review
from gongkao.review.models import Review, ReviewStep
from tests.factories import assignment_of

pytestmark = pytest.mark.django_db


def _post_review(client, submitted, clerk, note: str):
    assignment = assignment_of(clerk)
    client.force_login(clerk)
    items = review.review_items(submitted, ReviewStep.UNIT)
    data = {f"ok_{i}": "ok" for i in range(len(items))}
    data["note"] = note
    url = reverse("review:review", args=[assignment.pk, submitted.pk])
    return client.post(url, data)


@pytest.mark.parametrize(
    ("note", "message"),
    [("a\x00b", "意见含有不允许的控制字符"), ("长" * 501, "意见过长（最多500个字）")],
)
def test_review_note_refused_changes_nothing(client, submitted, clerk, note, message):
    response = _post_review(client, submitted, clerk, note)

    assert response.status_code == 200
    assert message in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.UNIT_REVIEW
    assert not Review.objects.exists()


def test_review_note_with_emoji_and_rtl_is_stored_exactly(client, submitted, clerk):
    note = "材料齐全😀👍 \u202eRTL\u202c"

    response = _post_review(client, submitted, clerk, note)

    assert response.status_code == 302
    assert Review.objects.get(application=submitted, step="unit").note == note


@pytest.mark.parametrize(
    ("q", "message"),
    [("电\x00工", "不允许"), ("x" * 100_000, "查询内容过长（最多50个字）")],
)
def test_job_type_filter_refuses_nul_and_long_text(client, system_admin, q, message):
    client.force_login(system_admin)

    response = client.get(reverse("campaigns:job_types"), {"q": q})

    assert response.status_code == 200
    assert "查询条件无效" in response.content.decode()
    assert message in response.content.decode()
