from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from gongkao.accounts.models import User
from gongkao.applications.queries import material_file_for
from gongkao.applications.services import record_material_read


@login_required
def material_file(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an uploaded file to its owner or a reviewer in scope; never by public URL."""
    assert isinstance(request.user, User)
    stored = material_file_for(request.user, pk)
    if stored is None:
        raise Http404
    download = request.GET.get("download") == "1"
    handle = stored.file.open("rb")  # a missing file fails before the audit row
    try:
        record_material_read(
            stored, by=request.user, download=download, request=request
        )
    except BaseException:
        handle.close()
        raise
    response = FileResponse(
        handle,
        content_type=stored.content_type,
        as_attachment=download,
        filename=f"material-{stored.pk}-v{stored.version}{stored.extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response
