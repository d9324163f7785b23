"""The exam screen: login at the seat, the screen itself (static/js/cbt.js)
and its small JSON requests. The candidate is known by a signed cookie of
their login, not by an account session: the room's PCs are shared."""

from __future__ import annotations

import json
from typing import Any

from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gongkao.accounts.idnumbers import mask_id_number
from gongkao.applications.models import MaterialFile
from gongkao.cbt import queries, sealing, services
from gongkao.cbt.forms import ExamLoginForm
from gongkao.cbt.models import Attempt, ExamLogin
from gongkao.core.forms import int_param

COOKIE = "gk_cbt"
SALT = "gongkao.cbt.login"


def _cookie(request: HttpRequest) -> list[int] | None:
    """[login id, version, seat id, sitting id, room id] of the signed cookie."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return None
    try:
        values = signing.loads(raw, salt=SALT, max_age=24 * 3600)
        return [int(v) for v in values]
    except (signing.BadSignature, ValueError, TypeError):
        return None


def _login(request: HttpRequest) -> tuple[int, int] | None:
    values = _cookie(request)
    if values is None or len(values) < 2:
        return None
    return values[0], values[1]


def _found(request: HttpRequest) -> ExamLogin:
    pair = _login(request)
    found = queries.login_of(*pair) if pair else None
    if found is None:
        raise Http404("请先在考试机上登录。")
    return found


def _json_error(message: str, status: int = 409, **extra: Any) -> JsonResponse:
    return JsonResponse({"ok": False, "error": message, **extra}, status=status)


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    form = ExamLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.login(
                form.cleaned_data["ticket"], form.cleaned_data["id_number"]
            )
        except services.Refused as exc:
            form.add_error(None, str(exc))
        else:
            response = redirect("cbt:exam")
            response.set_cookie(
                COOKIE,
                signing.dumps(
                    [
                        found.pk,
                        found.version,
                        found.seat.pk,
                        found.seat.sitting_id,
                        found.seat.room_id,
                    ],
                    salt=SALT,
                ),
                max_age=24 * 3600,
                httponly=True,
                samesite="Strict",
                secure=request.is_secure(),
            )
            return response
    return render(request, "cbt/login.html", {"form": form})


def exam(request: HttpRequest) -> HttpResponse:
    """The screen's shell; everything else comes by the JSON requests."""
    if _login(request) is None:
        return redirect("cbt:login")
    found = _found(request)
    urls = {
        "state": reverse("cbt:state"),
        "go": reverse("cbt:go"),
        "paper": reverse("cbt:paper", args=[0]),
        "answer": reverse("cbt:answer"),
        "submit": reverse("cbt:submit"),
        "photo": reverse("cbt:photo"),
        "logout": reverse("cbt:logout"),
    }
    return render(request, "cbt/exam.html", {"login": found, "urls": urls})


def state(request: HttpRequest) -> JsonResponse:
    """Where the candidate is: subjects, the open one's end by the server's
    clock, the saved answers, and the paper's key once the subject started."""
    found = _found(request)
    now = timezone.now()
    seat = found.seat
    attempts = list(queries.attempts_of(seat))
    if services.close_expired_of(seat, now, attempts):
        attempts = list(queries.attempts_of(seat))
    for a in attempts:
        a.seat = seat  # loaded with the login: no query per attempt
    show_scores = services.settings_of(seat.sitting.campaign).show_scores
    current = next((a for a in attempts if a.state != Attempt.State.SUBMITTED), None)
    applicant = seat.application.applicant
    body: dict[str, Any] = {
        "now": now.isoformat(),
        "candidate": {
            "name": applicant.name,
            "id_number": mask_id_number(applicant.id_number)
            if applicant.id_number
            else "",
            "ticket": getattr(getattr(seat.application, "ticket", None), "number", ""),
            "level": seat.application.get_level_display(),
            "job_type": seat.application.job_type.name
            if seat.application.job_type
            else "",
            "room": str(seat.room),
            "seat": seat.number,
            "pc": found.pc,
        },
        "sitting": str(seat.sitting),
        "subjects": [
            {
                "attempt": a.pk,
                "name": a.subject.name,
                "state": a.state,
                "state_label": a.get_state_display(),
                "score": str(a.score)
                if show_scores and a.score is not None and not a.voided
                else None,
                "passed": (a.score >= a.subject.pass_mark)
                if show_scores and a.score is not None and not a.voided
                else None,
                "minutes": a.duration_seconds // 60,
            }
            for a in attempts
        ],
        "finished": current is None,
        "current": None,
    }
    if current is not None:
        ends = current.ends_at()
        info: dict[str, Any] = {
            "attempt": current.pk,
            "state": current.state,
            "n_items": current.n_items,
            "remaining_ms": int((ends - now).total_seconds() * 1000) if ends else None,
            "earliest_submit_ms": queries.earliest_submit_ms(current, now),
        }
        if current.started_at is not None:
            info["key"] = sealing.b64(
                sealing.key_for_seat(current.seat_id, current.order)
            )
            info["saved"] = {
                str(pos): [choice, marked, seq]
                for pos, choice, marked, seq in current.answers.values_list(
                    "position", "choice", "marked", "seq"
                )
            }
        body["current"] = info
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def go(request: HttpRequest) -> JsonResponse:
    """The start signal the waiting screen polls: from the signed cookie and
    the room's start (kept by the process once seen), no database read per
    request while the room waits or after it started, so two thousand
    waiting screens cost little. It brings the first subject's key."""
    values = _cookie(request)
    if values is None or len(values) < 5:
        return JsonResponse({"started": False, "state": True})
    _, _, seat_id, sitting_id, room_id = values[:5]
    started = queries.room_started(sitting_id, room_id)
    now = timezone.now()
    body: dict[str, Any] = {"started": started is not None, "now": now.isoformat()}
    if started is not None:
        body["started_at"] = started.isoformat()
        body["key"] = sealing.b64(sealing.key_for_seat(seat_id, 1))
    response = JsonResponse(body)
    response["Cache-Control"] = "private, no-store"
    return response


def paper(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """The paper, sealed: sent at login, readable only with the key the
    start brings."""
    found = _found(request)
    attempt = queries.attempts_of(found.seat).filter(pk=attempt_id).first()
    if attempt is None:
        raise Http404
    plain = json.dumps(queries.paper_content(attempt), ensure_ascii=False).encode()
    nonce, sealed = sealing.seal(
        plain, sealing.key_for_seat(attempt.seat_id, attempt.order)
    )
    response = JsonResponse(
        {"nonce": nonce, "sealed": sealed, "counter": sealing.COUNTER}
    )
    response["Cache-Control"] = "private, no-store"
    return response


def json_body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object the exam screen posts; anything else reads as {}."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _int(value: object) -> int | None:
    return int_param(str(value)) if value is not None else None


@require_POST
def answer(request: HttpRequest) -> JsonResponse:
    pair = _login(request)
    if pair is None:
        return _json_error("请先在考试机上登录。", 403, closed=True)
    data = json_body(request)
    attempt_id, position, seq = (
        _int(data.get("attempt")),
        _int(data.get("position")),
        _int(data.get("seq")),
    )
    choice = data.get("choice", "")
    if (
        attempt_id is None
        or position is None
        or seq is None
        or not isinstance(choice, str)
        or len(choice) > 8
    ):
        return _json_error("请求无效。", 400)
    try:
        saved = services.save_answer(
            pair[0],
            pair[1],
            attempt_id,
            position,
            choice,
            marked=bool(data.get("marked")),
            seq=seq,
        )
    except services.Paused as exc:
        return _json_error(str(exc), paused=True)
    except services.Refused as exc:
        return _json_error(str(exc), closed=True)
    return JsonResponse(
        {"ok": True, "seq": saved.seq, "saved_at": saved.saved_at.isoformat()}
    )


@require_POST
def submit(request: HttpRequest) -> JsonResponse:
    found = _found(request)
    attempt_id = _int(json_body(request).get("attempt"))
    attempt = queries.attempts_of(found.seat).filter(pk=attempt_id or 0).first()
    if attempt is None:
        raise Http404
    try:
        services.submit(attempt, now=timezone.now())
    except services.Refused as exc:
        return _json_error(str(exc))
    return JsonResponse({"ok": True})


def photo(request: HttpRequest) -> FileResponse:
    """The candidate's own photo, to confirm at the start."""
    found = _found(request)
    stored = (
        MaterialFile.objects.filter(
            material__application_id=found.seat.application_id, material__slot="photo"
        )
        .order_by("-version")
        .first()
    )
    if stored is None:
        raise Http404
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def logout(request: HttpRequest) -> HttpResponse:
    response = redirect("cbt:login")
    response.delete_cookie(COOKIE)
    return response
