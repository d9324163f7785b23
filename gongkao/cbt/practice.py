"""The practice test (模拟练习): before the exam a candidate takes a short
paper of the questions the office marked public, from home or a phone, on
the same exam screen. Nothing is stored but the candidate's session: it is
practice, not a result."""

from __future__ import annotations

import json
import random
import secrets
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkao.accounts.access import request_user
from gongkao.accounts.models import Role
from gongkao.accounts.permissions import has_role
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.cbt import scoring, sealing
from gongkao.cbt.views import json_body
from gongkao.exams.models import Subject
from gongkao.organizations.queries import at_or_above
from gongkao.questions.models import Question

SESSION = "cbt_practice"
SIZE = 10
MINUTES = 15
POINTS = Decimal(10)


def _application(request: HttpRequest) -> Application:
    """The candidate's qualified application of the latest year, else 404."""
    found = _qualified(request)
    if found is None:
        raise Http404("资格审查通过后可以参加模拟练习。")
    return found


def _qualified(request: HttpRequest) -> Application | None:
    user = request_user(request)
    if not has_role(user, Role.APPLICANT):
        raise Http404
    return (
        Application.objects.filter(applicant=user, status=Status.QUALIFIED)
        .select_related("campaign", "job_type")
        .order_by("-campaign__year")
        .first()
    )


def _pool(application: Application) -> list[Question]:
    level = application.level or 0
    subjects = Subject.objects.filter(campaign=application.campaign, level=level)
    codes = {s.code: s.per_job_type for s in subjects}
    questions = Question.objects.filter(
        at_or_above(application.campaign.division_id, "office__division"),
        is_current=True,
        status=Question.Status.APPROVED,
        public=True,
        level=level,
        subject__in=list(codes),
    )
    return [
        q
        # distinct: the office-above filter joins the division tree.
        for q in questions.order_by("id").distinct()
        if not codes.get(q.subject) or q.job_type_id == application.job_type_id
    ]


def _practice(request: HttpRequest) -> dict[str, Any]:
    practice = request.session.get(SESSION)
    if not practice:
        raise Http404("请先开始模拟练习。")
    return dict(practice)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """A new practice paper (GET shows the screen; the paper is drawn now)."""
    application = _qualified(request)
    if application is None:
        return render(request, "cbt/practice_none.html", {"application": None})
    pool = _pool(application)
    if not pool:
        return render(request, "cbt/practice_none.html", {"application": application})
    rng = random.Random(secrets.randbits(32))
    chosen = rng.sample(pool, min(SIZE, len(pool)))
    items = []
    for q in chosen:
        order = ""
        if q.kind != Question.Kind.JUDGE:
            letters = [chr(ord("A") + n) for n in range(len(q.options))]
            rng.shuffle(letters)
            order = "".join(letters)
        items.append([q.pk, order])
    request.session[SESSION] = {
        "items": items,
        "started": timezone.now().isoformat(),
        "answers": {},
        "done": False,
        "application": application.pk,
    }
    urls = {
        "state": reverse("cbt:practice_state"),
        "paper": reverse("cbt:practice_paper", args=[0]),
        "answer": reverse("cbt:practice_answer"),
        "submit": reverse("cbt:practice_submit"),
        "photo": "",
        "logout": reverse("cbt:practice"),
    }
    return render(request, "cbt/exam.html", {"urls": urls, "practice": True})


def _questions(practice: dict[str, Any]) -> dict[int, Question]:
    return Question.objects.in_bulk([item[0] for item in practice["items"]])


@login_required
def state(request: HttpRequest) -> JsonResponse:
    practice = _practice(request)
    application = _application(request)
    started = datetime.fromisoformat(practice["started"])
    left = started + timedelta(minutes=MINUTES) - timezone.now()
    body: dict[str, Any] = {
        "now": timezone.now().isoformat(),
        "practice": True,
        "candidate": {
            "name": application.applicant.name,
            "level": application.get_level_display(),
            "job_type": application.job_type.name if application.job_type else "",
        },
        "sitting": "模拟练习（成绩不计入考试）",
        "subjects": [
            {
                "attempt": 0,
                "name": "模拟练习",
                "state": "submitted" if practice["done"] else "answering",
                "score": practice.get("score"),
                "passed": None,
                "minutes": MINUTES,
            }
        ],
        "finished": practice["done"],
        "current": None,
    }
    if not practice["done"]:
        body["current"] = {
            "attempt": 0,
            "state": "answering",
            "n_items": len(practice["items"]),
            "remaining_ms": max(0, int(left.total_seconds() * 1000)),
            "earliest_submit_ms": 0,
            "key": sealing.b64(_key(request)),
            "saved": practice["answers"],
        }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _key(request: HttpRequest) -> bytes:
    return sealing.key_for(-int(request_user(request).pk))


@login_required
def paper(request: HttpRequest, attempt_id: int) -> JsonResponse:
    practice = _practice(request)
    questions = _questions(practice)
    items = []
    for n, (qid, order) in enumerate(practice["items"], start=1):
        q = questions[qid]
        options = q.shown_options(order)
        items.append(
            {
                "n": n,
                "kind": q.kind,
                "stem": q.stem,
                "options": options,
                "points": str(POINTS),
            }
        )
    plain = json.dumps({"subject": "模拟练习", "questions": items}, ensure_ascii=False)
    nonce, sealed = sealing.seal(plain.encode(), _key(request))
    return JsonResponse({"nonce": nonce, "sealed": sealed, "counter": sealing.COUNTER})


@login_required
@require_POST
def answer(request: HttpRequest) -> JsonResponse:
    practice = _practice(request)
    data = json_body(request)
    position, seq, choice = (
        data.get("position"),
        data.get("seq"),
        data.get("choice", ""),
    )
    if (
        practice["done"]
        or not isinstance(position, int)
        or not isinstance(seq, int)
        or not isinstance(choice, str)
        or not 1 <= position <= len(practice["items"])
        or not set(choice.upper()) <= set("ABCDEFGH")
    ):
        return JsonResponse({"ok": False, "error": "请求无效。"}, status=400)
    saved = practice["answers"].get(str(position))
    if saved is None or saved[2] < seq:
        practice["answers"][str(position)] = [
            "".join(sorted(set(choice.upper()))),
            bool(data.get("marked")),
            seq,
        ]
        request.session[SESSION] = practice
    return JsonResponse(
        {"ok": True, "seq": seq, "saved_at": timezone.now().isoformat()}
    )


@login_required
@require_POST
def submit(request: HttpRequest) -> JsonResponse:
    practice = _practice(request)
    questions = _questions(practice)
    items = [
        scoring.Item(qid, questions[qid].kind, questions[qid].answer, POINTS)
        for qid, _ in practice["items"]
    ]
    choices = {
        qid: practice["answers"].get(str(n), [""])[0]
        for n, (qid, _) in enumerate(practice["items"], start=1)
    }
    result = scoring.score(items, choices, partial=False)
    practice["done"] = True
    practice["score"] = f"{result.total}（满分{result.maximum}）"
    request.session[SESSION] = practice
    return JsonResponse({"ok": True})
