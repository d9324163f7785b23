"""The certificate PDF (core.pdf.render_pdf, certificate.typ): the holder's
photo and a QR code to the public verification page; the full layout, or
only the variable fields for pre-printed stock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings as django_settings
from django.urls import reverse

from gongkao.campaigns.models import LEVEL_CHOICES
from gongkao.certificates import queries
from gongkao.certificates.models import Certificate, CertificateSettings
from gongkao.core.dates import chinese_date
from gongkao.core.pdf import render_pdf
from gongkao.exams.ticket_pdf import photos_of, qr_svg

TEMPLATE = Path(__file__).with_name("certificate.typ")
LEVELS = dict(LEVEL_CHOICES)
# Where each variable field goes on pre-printed stock (A4 landscape, mm from
# the top-left corner) unless the campaign's settings say otherwise.
PREPRINTED_FIELDS: dict[str, list[float]] = {  # keys: forms.FIELD_NAMES
    "photo": [34, 62],
    "qr": [34, 108],
    "name": [120, 64],
    "sex": [120, 76],
    "id_number": [120, 88],
    "unit": [120, 100],
    "job_type": [120, 112],
    "level": [120, 124],
    "number": [120, 160],
    "date": [120, 172],
    "office": [210, 172],
}


def verify_url(certificate: Certificate) -> str:
    return django_settings.PUBLIC_URL + reverse(
        "certificates:verify_token", args=[certificate.token]
    )


def document(
    certificates: list[Certificate], settings: CertificateSettings | None = None
) -> tuple[dict[str, Any], dict[str, bytes]]:
    photos = photos_of([c.application_id for c in certificates])
    files: dict[str, bytes] = {}
    pages = []
    for c in certificates:
        applicant = c.application.applicant
        qr = f"qr-{c.pk}.svg"
        files[qr] = qr_svg(verify_url(c))
        photo = None
        stored = photos.get(c.application_id)
        if stored is not None:
            photo = f"photo-{c.pk}.{stored.extension.lstrip('.') or 'jpg'}"
            with stored.file.open("rb") as handle:
                files[photo] = handle.read()
        pages.append(
            {
                "name": c.name,
                "sex": applicant.get_sex_display() if applicant.sex else "",
                "id_number": applicant.id_number,
                "unit": c.unit_name,
                "job_type": c.job_type_name,
                "level": str(LEVELS.get(c.level, c.level)),
                "number": c.number,
                "date": chinese_date(c.cert_date),
                "office": c.office.name,
                "photo": photo,
                "qr": qr,
                "replaces": c.replaces.number if c.replaces_id and c.replaces else None,
            }
        )
    layout = settings.layout if settings else CertificateSettings.Layout.FULL
    positions = {**PREPRINTED_FIELDS, **(settings.positions if settings else {})}
    title = (
        "等级证书" if len(certificates) != 1 else f"等级证书 {certificates[0].number}"
    )
    return (
        {
            "title": title,
            "layout": layout,
            "positions": positions,
            "certificates": pages,
        },
        files,
    )


def render(certificates: list[Certificate]) -> bytes:
    settings = (
        queries.settings_of(certificates[0].application.campaign)
        if certificates
        else None
    )
    data, files = document(certificates, settings)
    return render_pdf(TEMPLATE, data, files)
