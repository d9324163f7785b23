"""Benchmark a unit's 1,000 certificates in one PDF through the one PDF path
(issue #19): each page with a photo and a QR code to the verification page.

    python bench/certificates.py [--n 1000]

Prints `certificates_<n>_pdf_s` (seconds from the certificate rows to the
PDF bytes, QR codes included) and `certificates_<n>_pdf_mb`. Target: a few
seconds for 1,000.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkao.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from PIL import Image  # noqa: E402

from gongkao.certificates.document import PREPRINTED_FIELDS, TEMPLATE  # noqa: E402
from gongkao.certificates.numbering import DEFAULT_PATTERN, fill  # noqa: E402
from gongkao.core.pdf import render_pdf  # noqa: E402
from gongkao.exams.ticket_pdf import qr_svg  # noqa: E402


def _photo(i: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (295, 413), (200, 180 + i % 50, 170)).save(
        buffer, "JPEG", quality=85
    )
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    n = parser.parse_args().n
    photos = [_photo(i) for i in range(n)]  # as read from storage: not timed
    started = time.perf_counter()
    files: dict[str, bytes] = {}
    pages = []
    for i in range(n):
        token = secrets.token_urlsafe(12)
        files[f"qr-{i}.svg"] = qr_svg(f"https://gk.example.gov.cn/verify/{token}/")
        files[f"photo-{i}.jpg"] = photos[i]
        pages.append(
            {
                "name": f"持证人{i:04d}",
                "sex": "男",
                "id_number": "410802198305131175",
                "unit": "焦作市第一中学",
                "job_type": "电工",
                "level": "四级（中级工）",
                "number": fill(
                    DEFAULT_PATTERN, year=2025, division="410800", level=4, seq=i + 1
                ),
                "date": "2025年11月21日",
                "office": "焦作市工考办",
                "photo": f"photo-{i}.jpg",
                "qr": f"qr-{i}.svg",
                "replaces": None,
            }
        )
    data = {
        "title": "等级证书",
        "layout": "full",
        "positions": PREPRINTED_FIELDS,
        "certificates": pages,
    }
    pdf = render_pdf(TEMPLATE, data, files)
    elapsed = time.perf_counter() - started
    print(f"certificates_{n}_pdf_s {elapsed:.2f}")
    print(f"certificates_{n}_pdf_mb {len(pdf) / 1e6:.1f}")


if __name__ == "__main__":
    main()
