"""The practice test: public questions only, nothing stored but the session."""

from __future__ import annotations

import base64
import json

import pytest
from django.urls import reverse

from gongkao.cbt import sealing
from gongkao.cbt.models import Attempt
from gongkao.questions.models import Question
from tests.cbt.conftest import BACKEND

pytestmark = pytest.mark.django_db


def test_practice_draws_only_public_questions_and_scores(client, world):
    seat = world.seats[0]
    public = list(Question.objects.filter(subject="ethics")[:3])
    Question.objects.filter(pk__in=[q.pk for q in public]).update(public=True)
    client.force_login(seat.application.applicant, backend=BACKEND)
    assert client.get(reverse("cbt:practice")).status_code == 200
    state = client.get(reverse("cbt:practice_state")).json()
    current = state["current"]
    assert current["n_items"] == 3 and current["remaining_ms"] > 0
    box = client.get(reverse("cbt:practice_paper", args=[0])).json()
    paper = json.loads(
        sealing.unseal(box["nonce"], box["sealed"], base64.b64decode(current["key"]))
    )
    stems = {q["stem"] for q in paper["questions"]}
    assert stems == {q.stem for q in public}
    first = paper["questions"][0]
    right = next(q for q in public if q.stem == first["stem"]).answer
    saved = client.post(
        reverse("cbt:practice_answer"),
        {"attempt": 0, "position": 1, "choice": right, "seq": 2},
        content_type="application/json",
    )
    assert saved.json()["ok"]
    # An older sequence number changes nothing.
    client.post(
        reverse("cbt:practice_answer"),
        {"attempt": 0, "position": 1, "choice": "Z", "seq": 1},
        content_type="application/json",
    )
    assert client.post(
        reverse("cbt:practice_submit"), {}, content_type="application/json"
    ).json()["ok"]
    state = client.get(reverse("cbt:practice_state")).json()
    assert state["finished"] and state["subjects"][0]["score"] == "10.0（满分30）"
    assert not Attempt.objects.exists()


def test_practice_without_public_questions_or_qualification(client, world, applicant):
    client.force_login(world.seats[0].application.applicant, backend=BACKEND)
    assert "还没有公布" in client.get(reverse("cbt:practice")).content.decode()
    assert client.get(reverse("cbt:practice_state")).status_code == 404
    client.force_login(applicant, backend=BACKEND)
    assert "资格审查通过后" in client.get(reverse("cbt:practice")).content.decode()


def test_staff_have_no_practice(client, world, office_reviewer):
    client.force_login(office_reviewer, backend=BACKEND)
    assert client.get(reverse("cbt:practice")).status_code == 404
