"""The exam screen's requests, with the signed login cookie."""

from __future__ import annotations

import base64
import json
import time

import pytest
import time_machine
from django.urls import reverse

from gongkao.cbt import sealing, services
from gongkao.cbt.models import Answer, Attempt
from tests.cbt.conftest import at, ticket_of

pytestmark = pytest.mark.django_db


def _login(client, exam, n=0):
    seat = exam.seats[n]
    return client.post(
        reverse("cbt:login"),
        {
            "ticket": ticket_of(seat).number,
            "id_number": seat.application.applicant.id_number,
        },
    )


def test_login_state_paper_answer_submit(client, exam, duty):
    with time_machine.travel(at(exam, -10), tick=False):
        response = _login(client, exam)
        assert response.status_code == 302, response.content.decode()
        assert client.get(reverse("cbt:exam")).status_code == 200
        state = client.get(reverse("cbt:state")).json()
        assert state["candidate"]["name"] == exam.seats[0].application.applicant.name
        current = state["current"]
        assert "key" not in current and current["state"] == "waiting"
        sealed = client.get(reverse("cbt:paper", args=[current["attempt"]])).json()
    with time_machine.travel(at(exam, 0), tick=False):
        services.start_room(exam.sitting, duty.room, by=duty.user)
    with time_machine.travel(at(exam, 1), tick=False):
        state = client.get(reverse("cbt:state")).json()
        key = state["current"]["key"]
        assert state["current"]["remaining_ms"] == 59 * 60 * 1000
        paper = json.loads(
            sealing.unseal(sealed["nonce"], sealed["sealed"], base64.b64decode(key))
        )
        assert len(paper["questions"]) == state["current"]["n_items"]
        body = {
            "attempt": current["attempt"],
            "position": 1,
            "choice": paper["questions"][0]["options"][0][0],
            "seq": 1,
        }
        saved = client.post(
            reverse("cbt:answer"), body, content_type="application/json"
        ).json()
        assert saved["ok"] and saved["seq"] == 1
        assert client.get(reverse("cbt:state")).json()["current"]["saved"]["1"][2] == 1
        bad = client.post(
            reverse("cbt:answer"), {"attempt": "x"}, content_type="application/json"
        )
        assert bad.status_code == 400
        early = client.post(
            reverse("cbt:submit"),
            {"attempt": current["attempt"]},
            content_type="application/json",
        )
        assert "30分钟后" in early.json()["error"]
    with time_machine.travel(at(exam, 31), tick=False):
        done = client.post(
            reverse("cbt:submit"),
            {"attempt": current["attempt"]},
            content_type="application/json",
        )
        assert done.json()["ok"]
        state = client.get(reverse("cbt:state")).json()
        assert (
            state["subjects"][0]["state"] == "submitted"
            and state["subjects"][0]["score"] is not None
        )
        assert state["current"]["attempt"] != current["attempt"]
    assert Answer.objects.filter(attempt_id=current["attempt"]).count() == 1


def test_without_a_login_the_screen_sends_to_the_login(client, exam):
    assert client.get(reverse("cbt:exam")).url == reverse("cbt:login")
    assert client.get(reverse("cbt:state")).status_code == 404
    response = client.post(reverse("cbt:answer"), {}, content_type="application/json")
    assert response.status_code == 403
    client.cookies["gk_cbt"] = "forged:value"
    assert client.get(reverse("cbt:state")).status_code == 404


def test_another_candidates_attempt_is_a_404(client, exam, duty):
    with time_machine.travel(at(exam, -10), tick=False):
        services.login(
            ticket_of(exam.seats[1]).number,
            exam.seats[1].application.applicant.id_number,
        )
        _login(client, exam)
        other = Attempt.objects.get(seat=exam.seats[1], order=1)
        assert client.get(reverse("cbt:paper", args=[other.pk])).status_code == 404
        response = client.post(
            reverse("cbt:submit"),
            {"attempt": other.pk},
            content_type="application/json",
        )
        assert response.status_code == 404


def test_the_start_signal_reads_no_database_while_waiting(
    client, exam, duty, django_assert_num_queries
):
    with time_machine.travel(at(exam, -10), tick=False):
        _login(client, exam)
        client.get(reverse("cbt:go"))  # the room's "not yet" is now known
        with django_assert_num_queries(0):
            assert client.get(reverse("cbt:go")).json()["started"] is False
    with time_machine.travel(at(exam, 0), tick=False):
        services.start_room(exam.sitting, duty.room, by=duty.user)
    with time_machine.travel(at(exam, 0.5), tick=True):
        time.sleep(1.1)  # past the cache's second
        go = client.get(reverse("cbt:go")).json()
        assert go["started"] is True
        seat = exam.seats[0]
        assert base64.b64decode(go["key"]) == sealing.key_for_seat(seat.pk, 1)
        with django_assert_num_queries(0):  # a start, once seen, is kept
            client.get(reverse("cbt:go"))
        # The same key opens the paper the screen got before the start.
        state = client.get(reverse("cbt:state")).json()
        assert state["current"]["key"] == go["key"]


def test_the_start_signal_without_a_full_cookie(client, exam):
    assert client.get(reverse("cbt:go")).json() == {"started": False, "state": True}
