"""Queue and extension filters parse what the request sends: a value that does
not parse is left out, never a 500 (on PostgreSQL too: NUL bytes, over-long
strings, huge numbers)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkao.accounts.models import Role, RoleAssignment
from gongkao.review.forms import QueueFilterForm

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"
BAD = {
    "q": "张\x00三",
    "unit": "9" * 40,
    "division": "-1",
    "level": "7",
    "job_type": "1e5",
    "route": "x" * 5000,
    "status": "nonsense",
    "overdue": "\x00",
}


def test_queue_filter_form_keeps_only_what_parses():
    form = QueueFilterForm(
        {"q": " 张三 ", "unit": "12", "level": "4", **{"route": "?"}}
    )
    assert form.filters() == {"q": "张三", "unit": 12, "level": 4}
    assert form.params() == {"q": "张三", "unit": "12", "level": "4"}
    assert QueueFilterForm(BAD).filters() == {"overdue": True}


@pytest.mark.parametrize("name", ["queue", "queue_export"])
def test_queue_and_export_ignore_bad_filters(client, clerk, name):
    assignment = RoleAssignment.objects.get(user=clerk, role=Role.UNIT_CLERK)
    client.force_login(clerk, backend=BACKEND)
    response = client.get(reverse(f"review:{name}", args=[assignment.pk]), BAD)
    assert response.status_code == 200


def test_extensions_ignore_a_nul_byte_in_the_name(client, office_reviewer):
    assignment = RoleAssignment.objects.get(user=office_reviewer)
    client.force_login(office_reviewer, backend=BACKEND)
    url = reverse("review:office_extensions", args=[assignment.pk])
    assert client.get(url, {"q": "张\x00" + "三" * 300}).status_code == 200
