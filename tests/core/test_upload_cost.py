"""Bounded cost of uploads (issue #12): huge images refused from the header.

A uniform 7,700×7,700 PNG compresses to a few hundred KB but decodes to about
180 MB of pixels; it must be refused within 1 s and 200 MB of peak memory.
The check runs in a fresh interpreter so that the peak memory is its own.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib

from gongkao.core.uploads import DEFAULT_MAX_PIXELS

_MEASURE = """
import resource, sys, time
from gongkao.core.uploads import UploadRejected, check_upload
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    check_upload(data, "huge.png")
    message = ""
except UploadRejected as exc:
    message = str(exc)
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
import json
print(json.dumps({"message": message, "seconds": seconds,
                  "rss_kib": after, "growth_kib": after - before}))
"""


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _uniform_png(width: int, height: int) -> bytes:
    """A valid RGB PNG of one colour, compressed row by row (little memory)."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x80\x80\x80" * width
    idat = b"".join(compressor.compress(row) for _ in range(height))
    idat += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def test_limit_is_40_megapixels():
    assert DEFAULT_MAX_PIXELS == 40_000_000


def test_7700_square_png_refused_within_1s_and_200mb(tmp_path):
    data = _uniform_png(7_700, 7_700)
    assert len(data) < 1024 * 1024  # the attack: a small file
    path = tmp_path / "huge.png"
    path.write_bytes(data)

    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    measured = json.loads(result.stdout)

    assert measured["message"].startswith("图片像素过大（超过4000万像素）")
    assert measured["seconds"] < 1.0
    assert measured["rss_kib"] < 200 * 1024
