"""Checking and normalising uploaded application materials (申报材料).

Pure functions over bytes: no models, no storage, no settings. The caller
passes the raw upload and gets back either a `CheckedFile` to store or an
`UploadRejected` whose message can be shown to the applicant as is.

Choices worth knowing:

* The type is decided by the first bytes only; the file name is never trusted
  (phones and e-mail clients rename freely).
* PDFs are stored byte for byte; we only refuse truncated and encrypted ones.
* Images are re-encoded, which drops every piece of metadata (EXIF with GPS,
  ICC profiles, comments). Photos become JPEG quality 85. A PNG with at most
  256 colours (a document scan, a screenshot of a form) stays PNG so text
  stays crisp; every other image becomes JPEG.
* Output is deterministic for a given Pillow build: the same upload yields
  the same bytes and hence the same sha256.
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

from PIL import Image, ImageFile, ImageOps

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PIXELS",
    "MAX_OUTPUT_SIDE",
    "CheckedFile",
    "PhotoRule",
    "UploadRejected",
    "check_upload",
]

DEFAULT_MAX_BYTES: Final = 10 * 1024 * 1024
# Checked from the header before decoding: a 7,700×7,700 PNG (59 MP) of a
# few hundred KB would otherwise take seconds and a gigabyte to decode.
# Phone photos (12–24 MP by default, 48 MP only in "high resolution" mode)
# stay under it; anything beyond is a bomb or junk.
DEFAULT_MAX_PIXELS: Final = 40_000_000
# Keeps a 300-dpi A4 scan (2480×3508) readable while capping storage.
MAX_OUTPUT_SIDE: Final = 3000
JPEG_QUALITY: Final = 85

# Trailing window that must hold the PDF end marker; phones often cut uploads.
_PDF_TAIL_BYTES: Final = 2048
_MIB: Final = 1024 * 1024

_PDF: Final = "application/pdf"
_JPEG: Final = "image/jpeg"
_PNG: Final = "image/png"

_PDF_MAGIC: Final = b"%PDF-"
_JPEG_MAGIC: Final = b"\xff\xd8\xff"
_PNG_MAGIC: Final = b"\x89PNG\r\n\x1a\n"

_WRONG_TYPE: Final = "只能上传 PDF、JPG 或 PNG 文件"
_CONVERT_HINT: Final = "请转换为 PDF、JPG 或 PNG 后重新上传。"
_BROKEN_IMAGE: Final = "图片已损坏或不完整，请重新拍摄或导出后上传。"

# Errors Pillow raises on malformed input; its plugins are not consistent.
_PILLOW_DECODE_ERRORS: Final = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
)

# ISO-BMFF brands that mean HEIC/HEIF (iPhone default) or AVIF.
_HEIF_BRANDS: Final = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
)


class UploadRejected(ValueError):
    """The upload cannot be accepted; `str(exc)` is a message for the applicant."""


@dataclass(frozen=True)
class CheckedFile:
    content: bytes  # what to store (normalised for images, unchanged for PDF)
    content_type: str  # "application/pdf" | "image/jpeg" | "image/png"
    extension: str  # ".pdf" | ".jpg" | ".png"
    sha256: str  # of `content`
    width: int | None  # pixels, images only
    height: int | None


@dataclass(frozen=True)
class PhotoRule:
    """Requirements for the ID photo (证件照); only JPG or PNG is accepted.

    The defaults describe a 1-inch photo at 300 dpi (295×413 px), portrait.
    Sizes are checked on the upright image before any downscaling.
    """

    min_width: int = 295
    min_height: int = 413
    max_side: int = 10000
    # height / width; 413 / 295 = 1.4 sits in the middle.
    min_ratio: float = 1.2
    max_ratio: float = 1.6
    # Shown in messages, so it must match the numbers above.
    name: str = "一寸证件照"

    def __post_init__(self) -> None:
        if not 0 < self.min_width <= self.max_side:
            raise ValueError("min_width must be positive and at most max_side")
        if not 0 < self.min_height <= self.max_side:
            raise ValueError("min_height must be positive and at most max_side")
        if not 0 < self.min_ratio <= self.max_ratio:
            raise ValueError("min_ratio must be positive and at most max_ratio")


def check_upload(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    photo: PhotoRule | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> CheckedFile:
    """Validate one uploaded file and return what should be stored.

    `filename` is accepted for symmetry with upload handlers but deliberately
    ignored: the type comes from the content. Pass `photo` when the upload is
    the ID photo. `max_pixels` bounds decoded image size (decompression bombs).

    Raises `UploadRejected` with a Simplified Chinese message.
    """
    del filename  # never trusted; see module docstring
    if not data:
        raise UploadRejected("文件是空的，请重新选择文件上传。")
    if len(data) > max_bytes:
        raise UploadRejected(
            f"文件过大（{_format_mb(len(data), round_up=True)}），"
            f"单个文件不能超过{_format_mb(max_bytes)}，请压缩后重新上传。"
        )

    content_type = _sniff(data)
    if content_type == _PDF:
        if photo is not None:
            raise UploadRejected(
                f"证件照须为 JPG 或 PNG 图片，不能上传 PDF。请上传{photo.name}的照片文件。"
            )
        return _check_pdf(data)
    with _strict_decoding():
        return _normalise_image(data, content_type, photo=photo, max_pixels=max_pixels)


def _format_mb(size: int, *, round_up: bool = False) -> str:
    tenths = size * 10 / _MIB
    # Round the file's size up so "10.0MB" is never shown as over a 10MB limit.
    value = (math.ceil(tenths) if round_up else round(tenths)) / 10
    text = f"{value:.1f}"
    if not round_up:
        text = text.removesuffix(".0")
    return f"{text}MB"


def _sniff(data: bytes) -> str:
    if data.startswith(_PDF_MAGIC):
        return _PDF
    if data.startswith(_JPEG_MAGIC):
        return _JPEG
    if data.startswith(_PNG_MAGIC):
        return _PNG
    detected = _describe_unsupported(data)
    if detected is None:
        raise UploadRejected(f"{_WRONG_TYPE}，无法识别该文件的格式，{_CONVERT_HINT}")
    raise UploadRejected(f"{_WRONG_TYPE}，该文件实际是{detected}，{_CONVERT_HINT}")


def _describe_unsupported(data: bytes) -> str | None:
    """Name common wrong uploads so the applicant knows what to convert."""
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in _HEIF_BRANDS:
            return "HEIC 照片（苹果手机默认的照片格式，可在相机设置中改为“兼容性最佳”）"
        if brand in (b"avif", b"avis"):
            return "AVIF 图片"
        return "视频或其他多媒体文件"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF 图片"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "WebP 图片"
    if data.startswith(b"BM"):
        return "BMP 图片"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF 图片"
    if data.startswith(b"PK\x03\x04"):
        return "Word/Excel 文档或压缩包"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "旧版 Word/Excel 文档"
    if data.startswith((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c")):
        return "压缩包"
    return None


def _check_pdf(data: bytes) -> CheckedFile:
    if b"%%EOF" not in data[-_PDF_TAIL_BYTES:]:
        raise UploadRejected("PDF 文件不完整或已损坏，请重新导出后上传。")
    # Crude but sufficient: reviewers must be able to open the file, and a
    # false positive only asks the applicant to export again without a password.
    if b"/Encrypt" in data:
        raise UploadRejected(
            "PDF 文件设置了密码或加密保护，审核人员无法打开，请取消密码后重新导出上传。"
        )
    return CheckedFile(
        content=data,
        content_type=_PDF,
        extension=".pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        width=None,
        height=None,
    )


_DECODING = threading.Lock()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Refuse truncated images while we decode, whatever the global says.

    Some libraries switch the process-wide PIL.ImageFile.LOAD_TRUNCATED_IMAGES
    on when imported (WeasyPrint, the former PDF engine, did); truncated uploads
    must still be rejected, so the flag is held off for the duration of our
    decode and then restored.
    """
    with _DECODING:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _normalise_image(
    data: bytes, content_type: str, *, photo: PhotoRule | None, max_pixels: int
) -> CheckedFile:
    # Pillow would decode anything it recognises; restrict it to what we sniffed.
    formats = ["JPEG"] if content_type == _JPEG else ["PNG"]
    too_large = (
        f"图片像素过大（超过{_format_pixels(max_pixels)}像素），请缩小后重新上传。"
    )
    with warnings.catch_warnings():
        # Pillow warns (UserWarning) about odd metadata we discard anyway, and
        # the project runs with warnings as errors. Bombs must stop the upload.
        # Note: catch_warnings is process-global before Python 3.14.
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=formats) as probe:
                width, height = probe.size
                if width * height > max_pixels:
                    raise UploadRejected(too_large)
                probe.verify()
            # verify() leaves the image unusable; decode a fresh one fully.
            with Image.open(io.BytesIO(data), formats=formats) as image:
                upright_size = _upright_size(image)
                if photo is not None:
                    _check_photo(upright_size, photo)
                if image.format == "JPEG":
                    # Decode large JPEGs at 1/2, 1/4 or 1/8 scale straight away;
                    # saves memory and still leaves enough pixels to downscale.
                    image.draft(None, (MAX_OUTPUT_SIDE, MAX_OUTPUT_SIDE))
                image.load()
                flat = _flatten(ImageOps.exif_transpose(image))
        except UploadRejected:
            raise  # it is a ValueError; keep it from the clause below
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise UploadRejected(too_large) from None
        except _PILLOW_DECODE_ERRORS:
            raise UploadRejected(_BROKEN_IMAGE) from None

    # Few colours means a document scan or form screenshot; PNG keeps it crisp.
    # getcolors() returns None as soon as more than `maxcolors` values exist.
    keep_png = content_type == _PNG and flat.getcolors(maxcolors=256) is not None
    if not keep_png and flat.mode != "RGB":
        flat = flat.convert("RGB")

    resized = _downscale(flat, MAX_OUTPUT_SIDE)
    # A fresh image carries no info dict at all: no EXIF, GPS, ICC or comments.
    clean = Image.new(resized.mode, resized.size)
    clean.paste(resized)

    buffer = io.BytesIO()
    if keep_png:
        clean.save(buffer, format="PNG")
        out_type, extension = _PNG, ".png"
    else:
        clean.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        out_type, extension = _JPEG, ".jpg"
    content = buffer.getvalue()
    return CheckedFile(
        content=content,
        content_type=out_type,
        extension=extension,
        sha256=hashlib.sha256(content).hexdigest(),
        width=clean.width,
        height=clean.height,
    )


def _format_pixels(pixels: int) -> str:
    # 60_000_000 reads as "6000万", the way Chinese phone specs state it.
    return f"{pixels / 10_000:g}万" if pixels >= 10_000 else str(pixels)


def _upright_size(image: Image.Image) -> tuple[int, int]:
    """Size after EXIF rotation, read from the header without decoding pixels."""
    orientation = image.getexif().get(0x0112)  # ExifTags.Base.Orientation
    width, height = image.size
    # Orientations 5-8 involve a quarter turn, swapping the sides.
    if orientation in (5, 6, 7, 8):
        return height, width
    return width, height


def _check_photo(size: tuple[int, int], rule: PhotoRule) -> None:
    width, height = size
    actual = f"照片尺寸为{width}×{height}像素"
    if width < rule.min_width or height < rule.min_height:
        raise UploadRejected(
            f"{actual}，至少需要{rule.min_width}×{rule.min_height}像素（{rule.name}）。"
        )
    if width > rule.max_side or height > rule.max_side:
        raise UploadRejected(
            f"{actual}，每边不能超过{rule.max_side}像素，请缩小后重新上传。"
        )
    ratio = height / width
    if not rule.min_ratio <= ratio <= rule.max_ratio:
        raise UploadRejected(
            f"{actual}（高宽比{ratio:.2f}），证件照须为竖版，"
            f"高宽比在{rule.min_ratio:g}到{rule.max_ratio:g}之间"
            f"（如{rule.min_width}×{rule.min_height}像素），请裁剪后重新上传。"
        )


def _flatten(image: Image.Image) -> Image.Image:
    """Paint any transparency onto white; return mode "L" for grey, else "RGB"."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        # 16-bit greyscale scans would clip to white if converted directly.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    if image.mode in ("1", "L"):
        return image.convert("L")
    return image.convert("RGB")


def _downscale(image: Image.Image, max_side: int) -> Image.Image:
    width, height = image.size
    longest = max(width, height)
    if longest <= max_side:
        return image
    scale = max_side / longest
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)
