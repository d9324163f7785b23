"""Every write of certificates: the settings, issuing (numbered without
gaps under a lock per office and year), reissue and revocation. Each writes
its audit row; the holder's profile follows (applications.HeldCertificate)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkao.accounts.models import User
from gongkao.applications.models import HeldCertificate
from gongkao.applications.services import profile_for
from gongkao.campaigns.models import Campaign
from gongkao.certificates import numbering, queries, tasks
from gongkao.certificates.models import (
    Certificate,
    CertificateCounter,
    CertificateSettings,
)
from gongkao.core.jobs import start_job
from gongkao.core.models import AuditEvent, BackgroundJob, Notification
from gongkao.core.notifications import notify
from gongkao.core.services import client_ip, record_audit
from gongkao.organizations.models import ExamOffice
from gongkao.results import queries as result_queries
from gongkao.results.models import Publication, PublishedResult

ACTION = AuditEvent.Action.CERTIFICATE_ACTION


class Refused(ValueError):
    """A refused certificate action; the message is shown to the user."""


def _audit(
    what: str,
    *,
    by: User,
    target: Any,
    request: HttpRequest | None,
    before: dict[str, Any] | None = None,
    **after: Any,
) -> None:
    record_audit(
        ACTION,
        by=by,
        target=target,
        before=before,
        after={"action": what, **after},
        request=request,
    )


def save_settings(
    campaign: Campaign,
    *,
    pattern: str,
    cert_date: date | None,
    layout: str,
    positions: dict[str, list[float]],
    by: User,
    request: HttpRequest | None = None,
) -> CertificateSettings:
    try:
        numbering.check_pattern(pattern)
    except numbering.PatternError as exc:
        raise Refused(str(exc)) from None
    if layout not in CertificateSettings.Layout.values:
        raise Refused("请选择打印版式。")
    with transaction.atomic():
        found, _ = CertificateSettings.objects.select_for_update().get_or_create(
            campaign=campaign
        )
        if (
            found.pattern != pattern
            and Certificate.objects.filter(application__campaign=campaign).exists()
        ):
            raise Refused("本年度已颁发证书，编号格式不能再改。")
        before = {"pattern": found.pattern, "cert_date": str(found.cert_date or "")}
        found.pattern = pattern
        found.cert_date = cert_date
        found.layout = layout
        found.positions = positions
        found.save()
        _audit(
            "settings",
            by=by,
            target=found,
            request=request,
            before=before,
            pattern=pattern,
            cert_date=str(cert_date or ""),
            layout=layout,
        )
    return found


def _counter(office: ExamOffice, year: int) -> CertificateCounter:
    """The office's counter of the year, locked for this transaction."""
    CertificateCounter.objects.get_or_create(office=office, year=year)
    return CertificateCounter.objects.select_for_update().get(office=office, year=year)


def _next_number(
    counter: CertificateCounter, settings: CertificateSettings, level: int
) -> str:
    counter.last += 1
    return numbering.fill(
        settings.pattern,
        year=counter.year,
        division=counter.office.division.code,
        level=level,
        seq=counter.last,
    )


def _token() -> str:
    return secrets.token_urlsafe(12)


def issue(
    publication: Publication,
    *,
    by: User,
    unit_id: int | None = None,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> list[Certificate]:
    """颁发证书 to everyone on a final publication (or one unit's) who has
    none yet, numbered in unit and publication order."""
    now = now or timezone.now()
    if not result_queries.is_final(publication, timezone.localdate(now)):
        raise Refused("公示期满且异议全部答复后才能颁发证书。")
    campaign = publication.campaign
    settings = queries.settings_of(campaign)
    cert_date = settings.cert_date or publication.ends_on
    with transaction.atomic():
        counter = _counter(publication.office, campaign.year)
        entries: Iterable[PublishedResult] = queries.waiting(publication)
        if unit_id is not None:
            entries = [e for e in entries if (e.application.unit_id or 0) == unit_id]
        entries = sorted(entries, key=lambda e: (e.unit_name, e.number))
        if not entries:
            raise Refused("没有待颁发证书的合格人员。")
        made = [
            _create(entry, counter, settings, cert_date, by=by, now=now)
            for entry in entries
        ]
        counter.save(update_fields=["last"])
        _audit(
            "issued",
            by=by,
            target=publication,
            request=request,
            count=len(made),
            first=made[0].number,
            last=made[-1].number,
        )
    return made


def _create(
    entry: PublishedResult,
    counter: CertificateCounter,
    settings: CertificateSettings,
    cert_date: date,
    *,
    by: User,
    now: datetime,
) -> Certificate:
    number = _next_number(counter, settings, entry.level)
    application = entry.application
    held = HeldCertificate.objects.create(
        profile=profile_for(application.applicant),
        level=entry.level,
        job_type_name=entry.job_type_name[:50],
        cert_date=cert_date,
        number=number,
        issued=True,
    )
    found = Certificate.objects.create(
        application=application,
        office=counter.office,
        number=number,
        token=_token(),
        name=entry.name,
        level=entry.level,
        job_type_name=entry.job_type_name,
        unit_name=entry.unit_name,
        cert_date=cert_date,
        held=held,
        issued_at=now,
        issued_by=by,
    )
    notify(
        application.applicant,
        Notification.Kind.RESULT,
        "等级证书已颁发",
        f"您的{entry.job_type_name}等级证书已颁发，编号{number}，"
        "已记入您的个人信息，以后申报时无需再填写。",
        target=application,
        sms=False,
    )
    return found


def reissue(
    certificate: Certificate,
    reason: str,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Certificate:
    """补发: a new number; the old one is marked replaced."""
    now = now or timezone.now()
    reason = _reason(reason)
    with transaction.atomic():
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.status != Certificate.Status.VALID:
            raise Refused("只有有效的证书可以补发。")
        campaign = old.application.campaign
        counter = _counter(old.office, campaign.year)
        number = _next_number(counter, queries.settings_of(campaign), old.level)
        counter.save(update_fields=["last"])
        held = old.held
        old.status = Certificate.Status.REPLACED
        old.reason = reason
        old.held = None
        old.save(update_fields=["status", "reason", "held"])
        new = Certificate.objects.create(
            application=old.application,
            office=old.office,
            number=number,
            token=_token(),
            name=old.name,
            level=old.level,
            job_type_name=old.job_type_name,
            unit_name=old.unit_name,
            cert_date=old.cert_date,
            replaces=old,
            reason=reason,
            held=held,
            issued_at=now,
            issued_by=by,
        )
        if held is not None:
            held.number = number
            held.save(update_fields=["number"])
        _audit(
            "reissued",
            by=by,
            target=new,
            request=request,
            before={"number": old.number},
            number=number,
            reason=reason[:200],
        )
    return new


def revoke(
    certificate: Certificate,
    reason: str,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Certificate:
    """撤销, with a reason; it leaves the holder's profile."""
    now = now or timezone.now()
    reason = _reason(reason)
    with transaction.atomic():
        found = (
            Certificate.objects.select_for_update()
            .select_related("application__applicant")
            .get(pk=certificate.pk)
        )
        if found.status != Certificate.Status.VALID:
            raise Refused("只有有效的证书可以撤销。")
        held = found.held
        found.status = Certificate.Status.REVOKED
        found.reason = reason
        found.revoked_at = now
        found.revoked_by = by
        found.held = None
        found.save()
        if held is not None:
            held.delete()
        _audit("revoked", by=by, target=found, request=request, reason=reason[:200])
        notify(
            found.application.applicant,
            Notification.Kind.RESULT,
            "等级证书已撤销",
            f"您的等级证书（编号{found.number}）已撤销。原因：{reason[:200]}",
            target=found.application,
        )
    return found


def _reason(value: str) -> str:
    value = (value or "").replace("\x00", "").strip()
    if not value:
        raise Refused("请填写原因。")
    if len(value) > 300:
        raise Refused("原因最多300字。")
    return value


UNIT_CERTIFICATES = "certificates.unit"


def start_unit_certificates(
    campaign: Campaign,
    unit_id: int,
    office: ExamOffice | None,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> BackgroundJob:
    """A unit's certificates in one PDF, as a background job."""
    return start_job(
        UNIT_CERTIFICATES,
        tasks.unit_certificates,
        by=by,
        title="本单位等级证书（PDF）",
        campaign_id=campaign.pk,
        unit_id=unit_id,
        office_id=office.pk if office else None,
        ip=client_ip(request),
    )


def record_stats_export(
    campaign: Campaign,
    office: ExamOffice | None,
    *,
    by: User,
    rows: int,
    request: HttpRequest | None = None,
) -> None:
    """The campaign's statistics left the system as Excel: audited."""
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=by,
        target=campaign,
        after={
            "what": "campaign_stats",
            "office": office.pk if office else None,
            "rows": rows,
        },
        request=request,
    )
