"""The exam screen's frequent requests stay cheap: 2,000 screens poll
/cbt/state/ and save answers (bench/cbt_load.py measures them)."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from gongkao.cbt import services
from gongkao.cbt.models import CbtSettings
from tests.cbt.conftest import at
from tests.cbt.test_screen import _login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("saved_settings", [False, True])
def test_state_and_answer_queries(
    client, exam, duty, django_assert_num_queries, saved_settings
):
    if saved_settings:
        CbtSettings.objects.create(campaign=exam.campaign, grace_seconds=10)
    with time_machine.travel(at(exam, -10), tick=False):
        _login(client, exam)
        # The login, the seat's attempts, nothing else.
        with django_assert_num_queries(2):
            attempt = client.get(reverse("cbt:state")).json()["current"]["attempt"]
    with time_machine.travel(at(exam, 0), tick=False):
        services.start_room(exam.sitting, duty.room, by=duty.user)
    with time_machine.travel(at(exam, 1), tick=False):
        # The attempt with its campaign's settings; the upsert.
        with django_assert_num_queries(2):
            saved = client.post(
                reverse("cbt:answer"),
                {"attempt": attempt, "position": 1, "choice": "A", "seq": 1},
                content_type="application/json",
            )
        # The login, the attempts, the saved answers.
        with django_assert_num_queries(3):
            state = client.get(reverse("cbt:state")).json()
    assert saved.json()["ok"]
    assert state["current"]["saved"] == {"1": ["A", False, 1]}
