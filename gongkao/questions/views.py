"""The pages of question-bank staff (their office's bank, blueprints and
papers), the office administrator's list of them, and a candidate's paper."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.models import Role, RoleAssignment
from gongkao.accounts.services import AccountExists, issue_staff_account
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.access import Chosen, campaign_for_request
from gongkao.campaigns.models import Campaign, JobType
from gongkao.core.forms import form_errors, int_param
from gongkao.core.queries import jobs_for_user
from gongkao.exams import queries as exam_queries
from gongkao.exams.checkin import starts_at
from gongkao.exams.models import Subject
from gongkao.organizations.models import ExamOffice
from gongkao.questions import drawing, exchange, papers, queries, services
from gongkao.questions.forms import (
    BlueprintForm,
    BlueprintRowFormSet,
    ImportForm,
    QuestionForm,
    StaffForm,
)
from gongkao.questions.models import Question
from gongkao.questions.permissions import (
    BANK_ROLES,
    paper_open,
    papers_rebuildable,
    serves,
)

PAGE_SIZE = 50


def _bank_staff(
    request: HttpRequest, assignment_id: int
) -> tuple[RoleAssignment, ExamOffice]:
    assignment = assignment_for_user(request_user(request), assignment_id, *BANK_ROLES)
    assert assignment.office is not None
    return assignment, assignment.office


def _served(
    request: HttpRequest, assignment_id: int
) -> tuple[RoleAssignment, Chosen, Campaign]:
    """The bank staff's role and the chosen campaign, which their bank serves."""
    assignment, _ = _bank_staff(request, assignment_id)
    chosen = campaign_for_request(request, assignment)
    if chosen.campaign is None or not serves(assignment, chosen.campaign):
        raise Http404("本题库不服务该年度考务。")
    return assignment, chosen, chosen.campaign


def _job(request: HttpRequest, kind: str) -> Any:
    job_id = request.GET.get("job")
    if not job_id:
        return None
    pk = int_param(job_id)
    if pk is None:
        raise Http404
    return get_object_or_404(
        jobs_for_user(request_user(request)).filter(kind=kind), pk=pk
    )


FILTERS = ("subject", "level", "kind", "status", "job_type", "public", "q")


@login_required
def bank(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The office's bank: counts, filters, import and export."""
    assignment, office = _bank_staff(request, assignment_id)
    questions = queries.bank(office)
    chosen = {name: request.GET.get(name, "").strip()[:50] for name in FILTERS}
    if chosen["subject"] in exchange.SUBJECT_NAMES:
        questions = questions.filter(subject=chosen["subject"])
    if (level := int_param(chosen["level"])) is not None:
        questions = questions.filter(level=level)
    if chosen["kind"] in Question.Kind.values:
        questions = questions.filter(kind=chosen["kind"])
    if chosen["status"] in Question.Status.values:
        questions = questions.filter(status=chosen["status"])
    if (job_type := int_param(chosen["job_type"])) is not None:
        questions = questions.filter(job_type_id=job_type)
    if chosen.get("public") == "1":
        questions = questions.filter(public=True)
    if chosen["q"] and "\x00" not in chosen["q"]:
        questions = questions.filter(
            Q(stem__icontains=chosen["q"])
            | Q(uid__icontains=chosen["q"])
            | Q(knowledge_point__icontains=chosen["q"])
        )
    page = Paginator(
        questions.order_by("subject", "-level", "uid"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    keep = "&".join(f"{k}={v}" for k, v in chosen.items() if v)
    context = {
        "assignment": assignment,
        "office": office,
        "page": page,
        "chosen": chosen,
        "keep": keep,
        "counts": queries.bank_counts(office),
        "subjects": exchange.SUBJECT_NAMES,
        "kinds": Question.Kind.choices,
        "statuses": Question.Status.choices,
        "job_types": JobType.objects.filter(questions__office=office)
        .distinct()
        .order_by("code"),
        "import_form": ImportForm(),
        "job": _job(request, services.EXPORT),
    }
    return render(request, "questions/bank.html", context)


@login_required
@require_POST
def import_bank(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, office = _bank_staff(request, assignment_id)
    form = ImportForm(request.POST, request.FILES)
    result = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        result = services.import_questions(
            office,
            upload.read(),
            upload.name,
            by=request_user(request),
            status=form.cleaned_data["status"],
            dry_run=form.cleaned_data["dry_run"],
            request=request,
        )
        if result.ok and not result.dry_run:
            messages.success(
                request,
                f"已导入{result.created + result.versioned}道试题"
                f"（新增{result.created}道，更新版本{result.versioned}道）。",
            )
            return redirect("questions:bank", assignment.pk)
    context = {
        "assignment": assignment,
        "office": office,
        "form": form,
        "result": result,
        "filename": getattr(request.FILES.get("file"), "name", ""),
    }
    return render(
        request,
        "questions/import_result.html",
        context,
        status=200 if result is None or result.ok else 422,
    )


@login_required
@require_POST
def export_bank(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, office = _bank_staff(request, assignment_id)
    job = services.start_export(office, by=request_user(request), request=request)
    return redirect(f"{reverse('questions:bank', args=[assignment.pk])}?job={job.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def question(
    request: HttpRequest, assignment_id: int, question_id: int | None = None
) -> HttpResponse:
    """One question with its versions; editing an approved one adds a version.
    An earlier version's address leads to the current one."""
    assignment, office = _bank_staff(request, assignment_id)
    current = None
    uid = None
    if question_id is not None:
        found = get_object_or_404(queries.all_versions(office), pk=question_id)
        uid = found.uid
        current = get_object_or_404(queries.bank(office), uid=uid)
        if current.pk != found.pk:
            return redirect("questions:question", assignment.pk, current.pk)
    initial = QuestionForm.initial_of(current) if current is not None else {}
    form = QuestionForm(
        request.POST or None, initial=initial, job_types=services.job_type_lookup()
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_question(
                office,
                uid,
                form.cleaned_data["parsed"],
                by=request_user(request),
                request=request,
            )
        except services.QuestionRefused as exc:
            form.add_error("stem", str(exc))
        else:
            messages.success(request, f"已保存试题{saved.uid}（第{saved.version}版）。")
            return redirect("questions:question", assignment.pk, saved.pk)
    context = {
        "assignment": assignment,
        "office": office,
        "question": current,
        "versions": queries.versions(office, uid) if uid is not None else [],
        "form": form,
        "statuses": Question.Status.choices,
    }
    return render(request, "questions/question.html", context)


@login_required
@require_POST
def question_status(
    request: HttpRequest, assignment_id: int, question_id: int
) -> HttpResponse:
    assignment, office = _bank_staff(request, assignment_id)
    current = get_object_or_404(queries.bank(office), pk=question_id)
    status = request.POST.get("status", "")
    if request.POST.get("public") in ("0", "1"):
        public = request.POST["public"] == "1"
        services.set_public(current, public, by=request_user(request), request=request)
        messages.success(
            request,
            f"试题{current.uid}" + ("已设为公开练习题。" if public else "已取消公开。"),
        )
    elif status not in Question.Status.values:
        messages.error(request, "请选择试题状态。")
    else:
        services.set_status(current, status, by=request_user(request), request=request)
        messages.success(
            request, f"试题{current.uid}已设为{Question.Status(status).label}。"
        )
    return redirect("questions:question", assignment.pk, current.pk)


def _level_job_types(campaign: Campaign, level: int) -> list[JobType]:
    """The job types of the campaign's qualified applicants of one level."""
    ids = (
        Application.objects.filter(
            campaign=campaign, level=level, status=Status.QUALIFIED
        )
        .values_list("job_type_id", flat=True)
        .distinct()
    )
    return list(JobType.objects.filter(pk__in=ids).order_by("code"))


@login_required
def blueprints(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Every subject of the chosen campaign and its blueprint."""
    assignment, chosen, campaign = _served(request, assignment_id)
    rows = []
    for subject in queries.stored_subjects(campaign):
        blueprint = queries.blueprint_of(subject)
        rows.append({"subject": subject, "blueprint": blueprint})
    context = {**chosen.context(), "assignment": assignment, "rows": rows}
    return render(request, "questions/blueprints.html", context)


def _pool_checks(
    campaign: Campaign, subject: Subject, rows: list[drawing.Row]
) -> list[dict[str, Any]]:
    """For each job type of the level (or the common pool): how many questions
    the pool holds and what the rows miss."""
    groups: list[JobType | None] = (
        list(_level_job_types(campaign, subject.level))
        if subject.per_job_type
        else [None]
    )
    checks = []
    for job_type in groups:
        pool = queries.pool(campaign, subject, job_type.pk if job_type else None)
        missing = drawing.shortfalls(rows, queries.pool_items(pool)) if rows else []
        label = job_type.name if job_type else "本等级通用"
        checks.append(
            {
                "label": label,
                "pool": len(pool),
                "missing": papers.shortfall_text(label, missing),
            }
        )
    return checks


@login_required
@require_http_methods(["GET", "POST"])
def blueprint(
    request: HttpRequest, assignment_id: int, subject_id: int
) -> HttpResponse:
    assignment, chosen, campaign = _served(request, assignment_id)
    subject = get_object_or_404(queries.stored_subjects(campaign), pk=subject_id)
    current = queries.blueprint_of(subject)
    initial_rows = [
        {
            "kind": r.kind,
            "knowledge_point": r.knowledge_point,
            "difficulty": r.difficulty,
            "count": r.count,
        }
        for r in (current.rows.all() if current else [])
    ]
    form = BlueprintForm(
        request.POST or None,
        initial={
            "single_points": current.single_points if current else 1,
            "multiple_points": current.multiple_points if current else 2,
            "judge_points": current.judge_points if current else 1,
            "multiple_partial": current.multiple_partial if current else False,
        },
    )
    formset = BlueprintRowFormSet(
        request.POST or None, initial=initial_rows, prefix="rows"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [r for f in formset.forms if (r := f.row()) is not None]
        data = form.cleaned_data
        try:
            services.save_blueprint(
                subject,
                points={
                    "single": data["single_points"],
                    "multiple": data["multiple_points"],
                    "judge": data["judge_points"],
                },
                multiple_partial=data["multiple_partial"],
                rows=rows,
                by=request_user(request),
                request=request,
            )
        except services.BlueprintRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存{subject}的组卷规则。")
            return redirect(
                f"{reverse('questions:blueprint', args=[assignment.pk, subject.pk])}?campaign={campaign.pk}"
            )
    rows_now = queries.blueprint_rows(current) if current else []
    context = {
        **chosen.context(),
        "assignment": assignment,
        "subject": subject,
        "blueprint": current,
        "form": form,
        "formset": formset,
        "checks": _pool_checks(campaign, subject, rows_now),
        "knowledge_points": queries.knowledge_points(assignment.office)
        if assignment.office
        else [],
    }
    return render(request, "questions/blueprint.html", context)


@login_required
def sittings(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Each sitting of the chosen campaign: can its papers be built, are they."""
    assignment, chosen, campaign = _served(request, assignment_id)
    now = timezone.now()
    rows = []
    for sitting in exam_queries.sittings(campaign):
        checks = queries.readiness(sitting)
        problems: list[str] = []
        for check in checks:
            if check.blueprint is None or not check.blueprint.rows.all():
                problems.append(f"{check.group.label}：尚未制定组卷规则")
            problems += papers.shortfall_text(check.group.label, check.missing)
        rows.append(
            {
                "sitting": sitting,
                "checks": checks,
                "problems": problems,
                "sets": queries.paper_sets(sitting),
                "buildable": papers_rebuildable(sitting, now),
                "starts_at": starts_at(sitting),
            }
        )
    context = {
        **chosen.context(),
        "assignment": assignment,
        "rows": rows,
        "job": _job(request, services.BUILD),
    }
    return render(request, "questions/sittings.html", context)


@login_required
@require_POST
def build(request: HttpRequest, assignment_id: int, sitting_id: int) -> HttpResponse:
    assignment, _, campaign = _served(request, assignment_id)
    sitting = get_object_or_404(exam_queries.sittings(campaign), pk=sitting_id)
    url = (
        f"{reverse('questions:sittings', args=[assignment.pk])}?campaign={campaign.pk}"
    )
    if not papers_rebuildable(sitting, timezone.now()):
        messages.error(request, "考生已开始入场，试卷不能再生成。")
        return redirect(url)
    job = services.start_build(sitting, by=request_user(request), request=request)
    return redirect(f"{url}&job={job.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def paper_set(request: HttpRequest, assignment_id: int, set_id: int) -> HttpResponse:
    """The papers of one subject of a sitting; each can be rebuilt from its
    seed and compared with what is stored."""
    assignment, chosen, campaign = _served(request, assignment_id)
    found = get_object_or_404(queries.paper_sets_of_campaign(campaign), pk=set_id)
    checked = None
    if request.method == "POST":
        all_papers = list(found.papers.all())
        differing = [p for p in all_papers if papers.rebuild(p) != p.items]
        checked = {"total": len(all_papers), "differing": differing}
    page = Paginator(queries.papers_of_set(found), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        **chosen.context(),
        "assignment": assignment,
        "paper_set": found,
        "page": page,
        "checked": checked,
    }
    return render(request, "questions/paper_set.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def paper(request: HttpRequest, assignment_id: int, paper_id: int) -> HttpResponse:
    """One candidate's paper as built, with the answers (bank staff only)."""
    assignment, chosen, campaign = _served(request, assignment_id)
    found = get_object_or_404(queries.papers_of_campaign(campaign), pk=paper_id)
    rebuilt = None
    if request.method == "POST":
        rebuilt = papers.rebuild(found) == found.items
    by_id = queries.paper_questions(found)
    items = [
        {
            "n": n,
            "question": by_id[qid],
            "options": [
                (chr(ord("A") + i), text, letter)
                for i, (letter, text) in enumerate(by_id[qid].shown_options(order))
            ],
            "points": points,
        }
        for n, (qid, order, points) in enumerate(found.items, start=1)
    ]
    context = {
        **chosen.context(),
        "assignment": assignment,
        "paper": found,
        "items": items,
        "rebuilt": rebuilt,
    }
    return render(request, "questions/paper.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The office administrator gives question-bank staff their accounts."""
    assignment = assignment_for_user(
        request_user(request), assignment_id, Role.OFFICE_ADMIN
    )
    office = assignment.office
    assert office is not None
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = issue_staff_account(
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                role=Role.QUESTION_BANK,
                office=office,
                by=request_user(request),
                request=request,
            )
        except AccountExists as exc:
            form.add_error("phone", str(exc))
        else:
            messages.success(
                request,
                f"已开通题库管理人员账号：{user.name}"
                + (
                    "，初始密码已短信发送。"
                    if password
                    else "（已有账号，已增加该角色）。"
                ),
            )
            return redirect("questions:staff", assignment.pk)
    context = {
        "assignment": assignment,
        "office": office,
        "form": form,
        "members": RoleAssignment.objects.filter(role=Role.QUESTION_BANK, office=office)
        .select_related("user")
        .order_by("user__name"),
        "error": form_errors(form) if form.errors else "",
    }
    return render(request, "questions/staff.html", context)


@login_required
def candidate_paper(request: HttpRequest, paper_id: int) -> HttpResponse:
    """A candidate's own paper, for the exam screen: refused before the
    sitting starts, and never with the answers."""
    found = get_object_or_404(
        queries.candidate_papers(request_user(request).pk), pk=paper_id
    )
    sitting = found.seat.sitting
    if not paper_open(sitting, timezone.now()):
        return JsonResponse(
            {
                "error": "考试尚未开始，试题在开考时显示。",
                "starts_at": starts_at(sitting).isoformat(),
            },
            status=403,
        )
    by_id = queries.paper_questions(found)
    return JsonResponse(
        {
            "subject": found.subject.name,
            "questions": [
                {
                    "n": n,
                    "kind": by_id[qid].kind,
                    "stem": by_id[qid].stem,
                    "options": [text for _, text in by_id[qid].shown_options(order)],
                    "points": points,
                }
                for n, (qid, order, points) in enumerate(found.items, start=1)
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
