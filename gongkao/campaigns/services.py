"""Writes of the campaigns app: the job-type catalogue's import and export, a
campaign's settings and the units of an office's jurisdiction.

Each locks what it checks and writes its audit row; views only call these.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest

from gongkao.campaigns import catalogue, tasks
from gongkao.campaigns.models import Campaign, FeeRate
from gongkao.core.jobs import start_job
from gongkao.core.models import AuditEvent, BackgroundJob
from gongkao.core.services import client_ip, record_audit
from gongkao.organizations.models import ExamOffice, Unit
from gongkao.organizations.queries import NoJurisdiction, jurisdiction_for_unit

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


# --- campaign settings and units --------------------------------------------------


class UnitRefused(ValueError):
    """A unit change the rules do not allow; the message is for the user."""


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else str(value)


@transaction.atomic
def update_campaign_settings(
    campaign: Campaign,
    changes: dict[str, Any],
    fees: dict[int, Decimal],
    *,
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> list[str]:
    """Save the changed settings and fees of `campaign`; one audit row with
    what changed (before and after). Returns the names of changed fields."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in changes.items():
        old = getattr(locked, name)
        if old != value:
            before[name], after[name] = _plain(old), _plain(value)
            setattr(locked, name, value)
    for level, amount in fees.items():
        rate, _ = FeeRate.objects.select_for_update().get_or_create(
            campaign=locked, level=level
        )
        if rate.amount != amount:
            before[f"fee_{level}"], after[f"fee_{level}"] = (
                str(rate.amount),
                str(amount),
            )
            rate.amount = amount
            rate.save(update_fields=["amount"])
    if not after:
        return []
    fields = [name for name in after if not name.startswith("fee_")]
    if fields:
        locked.save(update_fields=[*fields, "updated_at"])
    record_audit(
        AuditEvent.Action.CONFIG_CHANGED,
        by=by,
        target=locked,
        before=before,
        after=after,
        request=request,
    )
    return list(after)


def _check_owner(unit: Unit, office: ExamOffice) -> None:
    try:
        owner = jurisdiction_for_unit(unit).office
    except NoJurisdiction as exc:
        raise UnitRefused(str(exc)) from None
    if owner.pk != office.pk:
        raise UnitRefused(f"该类别和区划的单位由{owner}审查，请联系该机构添加。")


@transaction.atomic
def add_unit(
    unit: Unit,
    office: ExamOffice,
    *,
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> Unit:
    """Add a unit the office reviews (adding is allowed at any time)."""
    _check_owner(unit, office)
    unit.save()
    record_audit(
        AuditEvent.Action.CONFIG_CREATED,
        by=by,
        target=unit,
        after={
            "name": unit.name,
            "category": unit.category,
            "division": unit.division_id,
        },
        request=request,
    )
    return unit


@transaction.atomic
def change_unit(
    unit: Unit,
    office: ExamOffice,
    *,
    name: str,
    is_active: bool,
    frozen: bool,
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> bool:
    """Rename or (de)activate a unit — only before registration opens
    (`frozen` says it has). Returns False when nothing changed."""
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    _check_owner(locked, office)
    before = {"name": locked.name, "is_active": locked.is_active}
    after = {"name": name, "is_active": is_active}
    if before == after:
        return False
    if frozen:
        raise UnitRefused(
            "网上注册报名已经开始，单位不能再改名或停用；如确需调整，请联系市工考办。"
        )
    if (
        Unit.objects.filter(division=locked.division, name=name)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise UnitRefused("本区划已有同名单位。")
    locked.name, locked.is_active = name, is_active
    locked.save(update_fields=["name", "is_active", "updated_at"])
    record_audit(
        AuditEvent.Action.CONFIG_CHANGED,
        by=by,
        target=locked,
        before=before,
        after=after,
        request=request,
    )
    return True


# --- the public portal's content: notices, FAQ, office contacts --------------------


def _fields(instance: Any, names: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(instance, name)) for name in names}


@transaction.atomic
def save_portal_item(
    instance: Any,
    fields: list[str],
    *,
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> None:
    """Create or change a notice, a FAQ entry or an office's contacts (values
    already set from a valid form); audited with what changed."""
    model = type(instance)
    if instance.pk is None:
        instance.save()
        record_audit(
            AuditEvent.Action.CONFIG_CREATED,
            by=by,
            target=instance,
            after=_fields(instance, fields),
            request=request,
        )
        return
    stored = model.objects.select_for_update().get(pk=instance.pk)
    before, after = _fields(stored, fields), _fields(instance, fields)
    changed = [name for name in fields if before[name] != after[name]]
    if not changed:
        return
    instance.save(update_fields=[*changed, "updated_at"])
    record_audit(
        AuditEvent.Action.CONFIG_CHANGED,
        by=by,
        target=instance,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
        request=request,
    )


@transaction.atomic
def delete_portal_item(
    instance: Any,
    fields: list[str],
    *,
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> None:
    record_audit(
        AuditEvent.Action.CONFIG_DELETED,
        by=by,
        target=instance,
        before=_fields(instance, fields),
        request=request,
    )
    instance.delete()
