"""The job page, its progress fragment (htmx polls the same URL) and the download."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from gongkao.core.jobs import expire_job_if_stale, result_expired
from gongkao.core.models import BackgroundJob
from gongkao.core.queries import jobs_for_user

PROGRESS_TEMPLATE = "core/_job_progress.html"


def _job_for_user(request: HttpRequest, job_id: int) -> BackgroundJob:
    # Another user's job is a 404, whatever their role: it may name people.
    if not isinstance(request.user, AbstractBaseUser):
        raise Http404
    return get_object_or_404(jobs_for_user(request.user), pk=job_id)


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = expire_job_if_stale(_job_for_user(request, job_id))
    if getattr(request, "htmx", False):
        response = render(request, PROGRESS_TEMPLATE, {"job": job})
    else:
        response = render(request, "core/job_detail.html", {"job": job})
    # The fragment and the page share a URL: keep caches from mixing them up.
    patch_vary_headers(response, ["HX-Request"])
    add_never_cache_headers(response)
    return response


@login_required
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = _job_for_user(request, job_id)
    if not job.has_result:
        raise Http404("该任务没有可下载的文件。")
    if result_expired(job):
        raise Http404("文件已过保存期限，请重新导出。")
    response = FileResponse(
        job.result_file.open("rb"),
        content_type=job.result_content_type,
        as_attachment=True,
        filename=job.result_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response
