from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from gongkao.accounts.models import User
from gongkao.applications.queries import material_file_for


@login_required
def material_file(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an uploaded file to its owner or a reviewer in scope; never by public URL."""
    assert isinstance(request.user, User)
    stored = material_file_for(request.user, pk)
    if stored is None:
        raise Http404
    response = FileResponse(
        stored.file.open("rb"),
        content_type=stored.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=f"material-{stored.pk}-v{stored.version}{stored.extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response
