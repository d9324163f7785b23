"""Benchmark 1,000 admission tickets in one PDF through the one PDF path
(issue #14): each page with a photo, a QR code and the candidate's sittings.

    python bench/tickets.py [--n 1000]

Prints `tickets_<n>_pdf_s` (seconds from the ticket rows to the PDF bytes,
QR codes included) and `tickets_<n>_pdf_mb`. Target: under 10 s for 1,000.
"""

from __future__ import annotations

import argparse
import io
import os
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

from gongkao.core.pdf import render_pdf  # noqa: E402
from gongkao.exams.ticket_pdf import TEMPLATE, candidate_rules, qr_svg  # noqa: E402
from gongkao.exams.tickets import ticket_number, token_for  # noqa: E402


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
        files[f"qr-{i}.svg"] = qr_svg(token_for(i + 1, 1))
        files[f"photo-{i}.jpg"] = photos[i]
        pages.append(
            {
                "title": "2025年焦作市机关事业单位工勤技能岗位等级考核",
                "number": ticket_number(2025, "410800", i + 1),
                "name": f"考生{i:04d}",
                "id_number": "4108**********0113",
                "level": "四级（中级工）",
                "job_type": "电工",
                "unit": "焦作市第一中学",
                "rows": [
                    {
                        "when": "6月14日 09:00",
                        "subjects": "岗位技能、职业道德、职业能力",
                        "centre": "焦作市职业技术学院考点",
                        "address": "焦作市山阳区新园路",
                        "room": f"第{i // 28 + 1:02d}考场",
                        "seat": f"{i % 28 + 1:02d}",
                    }
                ],
                "rules": candidate_rules(30, 30, 30),
                "photo": f"photo-{i}.jpg",
                "qr": f"qr-{i}.svg",
                "footer": "第1版 · 以最新打印的准考证为准",
            }
        )
    pdf = render_pdf(TEMPLATE, {"title": "准考证", "tickets": pages}, files)
    elapsed = time.perf_counter() - started
    print(f"tickets_{n}_pdf_s {elapsed:.2f}")
    print(f"tickets_{n}_pdf_mb {len(pdf) / 1e6:.1f}")


if __name__ == "__main__":
    main()
