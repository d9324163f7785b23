"""Every write of certificates: the settings, issuing (numbered without
gaps under a lock per office and year), reissue and revocation. Each writes
its audit row; the holder's profile follows (applications.HeldCertificate)."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkao.accounts.models import User
from gongkao.applications.models import HeldCertificate
from gongkao.applications.services import profile_for
from gongkao.campaigns.models import Campaign
from gongkao.certificates import numbering, queries, retention, tasks
from gongkao.certificates.models import (
    Certificate,
    CertificateCounter,
    CertificateSettings,
    Purge,
    RetentionRule,
)
from gongkao.core.jobs import start_job
from gongkao.core.models import AuditEvent, BackgroundJob, Notification
from gongkao.core.notifications import notify
from gongkao.core.services import client_ip, record_audit
from gongkao.organizations.models import ExamOffice
from gongkao.questions.exchange import read_rows
from gongkao.results import queries as result_queries
from gongkao.results.models import Publication, PublishedResult

ACTION = AuditEvent.Action.CERTIFICATE_ACTION


class Refused(ValueError):
    """A refused certificate action; the message is shown to the user."""


class ImportRefused(Refused):
    """A number list refused whole: `errors` names every bad row."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("编号名单未导入：" + "；".join(errors[:3]))
        self.errors = errors[:50]


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
    numbers_from_province: bool = False,
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
        issued = Certificate.objects.filter(application__campaign=campaign).exists()
        if issued and found.pattern != pattern:
            raise Refused("本年度已颁发证书，编号格式不能再改。")
        if issued and found.cert_date != cert_date:
            raise Refused(
                "本年度已颁发证书，发证日期不能再改（次年申报由此日期计算年限）。"
            )
        before = {"pattern": found.pattern, "cert_date": str(found.cert_date or "")}
        found.pattern = pattern
        found.cert_date = cert_date
        found.layout = layout
        found.numbers_from_province = numbers_from_province
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
            numbers_from_province=numbers_from_province,
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
    try:
        with transaction.atomic():
            settings = _locked_settings(publication.campaign)
            if settings.numbers_from_province:
                raise Refused("本年度证书编号由省里分配，请导入省里下发的编号名单。")
            counter = _counter(publication.office, publication.campaign.year)
            entries = sorted(
                (
                    e
                    for e in queries.waiting(publication)
                    if unit_id is None or (e.application.unit_id or 0) == unit_id
                ),
                key=lambda e: (e.unit_name, e.number),
            )
            if not entries:
                raise Refused("没有待颁发证书的合格人员。")
            cert_date = settings.cert_date or publication.ends_on
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
    except IntegrityError:
        raise Refused(
            "编号与已有证书重复（编号格式与已有编号相同，或同时颁发），请检查编号格式后重试。"
        ) from None
    return made


def _locked_settings(campaign: Campaign) -> CertificateSettings:
    """The campaign's settings, locked: they cannot change while numbers are taken."""
    CertificateSettings.objects.get_or_create(campaign=campaign)
    return CertificateSettings.objects.select_for_update().get(campaign=campaign)


def _create(
    entry: PublishedResult,
    counter: CertificateCounter | None,
    settings: CertificateSettings,
    cert_date: date,
    *,
    by: User,
    now: datetime,
    number: str = "",
    office: ExamOffice | None = None,
) -> Certificate:
    """One certificate: the counter's next number, or the province's."""
    if counter is not None:
        number = _next_number(counter, settings, entry.level)
        office = counter.office
    assert office is not None and number
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
        office=office,
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


def import_numbers(
    publication: Publication,
    data: bytes,
    filename: str,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> list[Certificate]:
    """The province's numbers (准考证号、姓名、证书编号), all or nothing:
    each row a person waiting for a certificate on this final publication,
    each number new. Checked under the same locks as issue()."""
    now = now or timezone.now()
    if not result_queries.is_final(publication, timezone.localdate(now)):
        raise Refused("公示期满且异议全部答复后才能颁发证书。")
    try:
        with transaction.atomic():
            settings = _locked_settings(publication.campaign)
            if not settings.numbers_from_province:
                raise Refused(
                    "本年度证书编号由本系统编排；由省里分配时请先在证书设置中勾选。"
                )
            _counter(publication.office, publication.campaign.year)
            return _import_numbers(
                publication, settings, data, filename, by=by, now=now, request=request
            )
    except IntegrityError:
        raise Refused("导入期间有证书被颁发，文件未导入，请重新导入。") from None


def _import_numbers(
    publication: Publication,
    settings: CertificateSettings,
    data: bytes,
    filename: str,
    *,
    by: User,
    now: datetime,
    request: HttpRequest | None,
) -> list[Certificate]:
    try:
        header, rows = read_rows(data, filename, "编号名单")
    except ValueError as exc:
        raise ImportRefused([str(exc)]) from None
    columns = ("准考证号", "姓名", "证书编号")
    missing = [c for c in columns if c not in header]
    if missing:
        raise ImportRefused([f"缺少列：{'、'.join(missing)}。"])
    index = {c: header.index(c) for c in columns}
    waiting = {
        e.application.ticket.number: e
        for e in queries.waiting(publication)
        if hasattr(e.application, "ticket")
    }
    errors: list[str] = []
    chosen: list[tuple[PublishedResult, str]] = []
    seen_numbers: set[str] = set()
    for n, cells in enumerate(rows, start=2):
        cells = cells + [""] * (len(header) - len(cells))
        ticket, name, number = (
            numbering.normalise(cells[index["准考证号"]]),
            cells[index["姓名"]].replace("\x00", "").strip(),
            numbering.normalise(cells[index["证书编号"]]),
        )
        if not (ticket or name or number):
            continue
        entry = waiting.get(ticket)
        if entry is None:
            errors.append(
                f"第{n}行：准考证号{ticket[:24]}不是本公示中待颁发证书的人员。"
            )
        elif name != entry.name:
            errors.append(f"第{n}行：姓名与准考证号不符。")
        elif not number or len(number) > numbering.MAX_LENGTH:
            errors.append(f"第{n}行：证书编号为空或过长。")
        elif number in seen_numbers:
            errors.append(f"第{n}行：证书编号{number}在文件中重复。")
        else:
            seen_numbers.add(number)
            chosen.append((entry, number))
    taken = set(
        Certificate.objects.filter(number__in=seen_numbers).values_list(
            "number", flat=True
        )
    )
    errors += [f"证书编号{number}已被使用。" for number in sorted(taken)]
    if not chosen and not errors:
        errors.append("文件中没有证书编号。")
    if errors:
        raise ImportRefused(errors)
    cert_date = settings.cert_date or publication.ends_on
    made = [
        _create(
            entry,
            None,
            settings,
            cert_date,
            by=by,
            now=now,
            number=number,
            office=publication.office,
        )
        for entry, number in chosen
    ]
    _audit(
        "numbers_imported",
        by=by,
        target=publication,
        request=request,
        count=len(made),
        file=filename.replace("\x00", "")[:100],
    )
    return made


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
        settings = _locked_settings(campaign)
        if settings.numbers_from_province:
            raise Refused("本年度证书编号由省里分配：补发的新编号请向省里申请。")
        counter = _counter(old.office, campaign.year)
        number = _next_number(counter, settings, old.level)
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
            Certificate.objects.select_for_update(of=("self",))
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


CAMPAIGN_ARCHIVES = "certificates.archives"


def start_campaign_archives(
    campaign: Campaign,
    office: ExamOffice | None,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> BackgroundJob:
    """Every candidate's archive of the campaign in one ZIP, as a background job."""
    return start_job(
        CAMPAIGN_ARCHIVES,
        tasks.campaign_archives,
        by=by,
        title="考核档案（ZIP）",
        campaign_id=campaign.pk,
        office_id=office.pk if office else None,
        ip=client_ip(request),
    )


def record_archive_read(
    application_id: int, *, by: User, request: HttpRequest | None = None
) -> None:
    """One candidate's archive (full ID number) was downloaded."""
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=by,
        after={"what": "archive", "application": application_id},
        request=request,
    )


def save_retention(
    office: ExamOffice,
    years: dict[str, int],
    *,
    by: User,
    request: HttpRequest | None = None,
) -> None:
    for kind, value in years.items():
        if kind not in RetentionRule.Kind.values or not 1 <= value <= 100:
            raise Refused("保存年限须为1至100年。")
    with transaction.atomic():
        before = retention.years_of(office)
        for kind, value in years.items():
            RetentionRule.objects.update_or_create(
                office=office, kind=kind, defaults={"years": value}
            )
        _audit(
            "retention",
            by=by,
            target=office,
            request=request,
            before={str(k): v for k, v in before.items()},
            **years,
        )


def purge(
    office: ExamOffice,
    campaign: Campaign,
    kind: str,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Purge:
    """删除到期记录: only what has passed its retention, recorded and audited."""
    now = now or timezone.now()
    with transaction.atomic():
        ExamOffice.objects.select_for_update().get(pk=office.pk)
        listed = {
            (d.campaign.pk, d.kind)
            for d in retention.due(office, timezone.localdate(now))
        }
        if (campaign.pk, kind) not in listed:
            raise Refused("这些记录尚未到保存期限，或已经删除。")
        found = retention.records(kind, campaign, office)
        files = (
            list(found.values_list("file", flat=True))
            if kind == RetentionRule.Kind.MATERIALS
            else []
        )
        count = found.count()
        found.delete()
        done = Purge.objects.create(
            office=office,
            campaign=campaign,
            kind=kind,
            count=count,
            purged_at=now,
            purged_by=by,
        )
        _audit("purged", by=by, target=done, request=request, kind=kind, count=count)
        if files:
            # Storage is not transactional: the files go once the rows have.
            transaction.on_commit(lambda: _delete_files(files))
    return done


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


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
