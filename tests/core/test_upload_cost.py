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
import json, resource, sys, time
from gongkao.core.uploads import UploadRejected, check_upload

def peak_kib():
    # VmHWM, reset below: ru_maxrss would include the parent's memory, which
    # a forked child inherits on Linux.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

data = open(sys.argv[1], "rb").read()
try:
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # reset the peak resident set size
except OSError:
    pass
start = time.perf_counter()
try:
    check_upload(data, "huge.png")
    message = ""
except UploadRejected as exc:
    message = str(exc)
seconds = time.perf_counter() - start
print(json.dumps({"message": message, "seconds": seconds, "peak_kib": peak_kib()}))
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
    assert measured["peak_kib"] < 200 * 1024
