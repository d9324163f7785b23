"""Writes of the campaigns app: the job-type catalogue's import and export.

Each writes its audit row; views only call these. Like the models, this
module does not import `accounts` (accounts imports campaigns).
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from gongkao.campaigns import catalogue, tasks
from gongkao.core.jobs import start_job
from gongkao.core.models import AuditEvent, BackgroundJob
from gongkao.core.services import client_ip, record_audit

CATALOGUE_EXPORT = "campaigns.catalogue_export"
_EXPORT_TITLES = {"xlsx": "导出工种目录（Excel）", "csv": "导出工种目录（CSV）"}


def import_catalogue(
    data: bytes,
    filename: str,
    *,
    retire_starter: bool,
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> catalogue.ImportReport:
    """Import a catalogue file (all or nothing); audit a successful import."""
    report = catalogue.import_job_types(data, filename, retire_starter=retire_starter)
    if report.ok:
        record_audit(
            AuditEvent.Action.CATALOGUE_IMPORTED,
            by=by,
            request=request,
            after={
                "file": filename,
                "created": report.created,
                "updated": report.updated,
                "retired": report.retired,
            },
        )
    return report


def start_catalogue_export(
    fmt: str, *, by: AbstractBaseUser, request: HttpRequest | None = None
) -> BackgroundJob:
    """Start the background export of the catalogue as `xlsx` or `csv`.

    The task (tasks.export_catalogue) writes the file and the audit row.
    """
    if fmt not in _EXPORT_TITLES:
        raise ValueError(f"unknown format {fmt!r}")
    return start_job(
        CATALOGUE_EXPORT,
        tasks.export_catalogue,
        by=by,
        title=_EXPORT_TITLES[fmt],
        fmt=fmt,
        ip=client_ip(request),
    )
