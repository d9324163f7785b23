"""Tests for checking and normalising uploaded materials; no database needed.

Every fixture is built in memory with Pillow or as a short byte string.
"""

from __future__ import annotations

import hashlib
import io
import random
import struct
import warnings
import zlib

import pytest
from PIL import ExifTags, Image

from gongkao.core.uploads import (
    CheckedFile,
    PhotoRule,
    UploadRejected,
    check_upload,
)

MIB = 1024 * 1024

PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n"
    b"startxref\n0\n%%EOF\n"
)


def _noise(size: tuple[int, int]) -> Image.Image:
    """A photo-like RGB image: far more than 256 colours."""
    bands = [Image.effect_noise(size, 60) for _ in range(3)]
    return Image.merge("RGB", bands)


def _encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims the given size, with a tiny (bogus) IDAT."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def _reopen(checked: CheckedFile) -> Image.Image:
    image = Image.open(io.BytesIO(checked.content))
    image.load()
    return image


# --- PDF -------------------------------------------------------------------


def test_pdf_valid_is_kept_byte_for_byte():
    checked = check_upload(PDF, "学历证书.pdf")

    assert checked == CheckedFile(
        content=PDF,
        content_type="application/pdf",
        extension=".pdf",
        sha256=hashlib.sha256(PDF).hexdigest(),
        width=None,
        height=None,
    )


def test_pdf_truncated_is_rejected():
    truncated = PDF[: PDF.index(b"%%EOF")]

    with pytest.raises(UploadRejected) as excinfo:
        check_upload(truncated, "证书.pdf")

    assert str(excinfo.value) == "PDF 文件不完整或已损坏，请重新导出后上传。"


def test_pdf_end_marker_far_from_end_is_rejected():
    # A marker from an earlier revision does not prove the file is complete.
    data = PDF + b"1 0 obj\n" + b"0" * 4096

    with pytest.raises(UploadRejected, match="PDF 文件不完整"):
        check_upload(data, "证书.pdf")


def test_pdf_encrypted_is_rejected():
    data = PDF.replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 3 0 R")

    with pytest.raises(UploadRejected, match="密码或加密"):
        check_upload(data, "证书.pdf")


# --- type detection ------------------------------------------------------


def test_jpeg_renamed_as_pdf_is_detected_by_content():
    data = _encode(_noise((60, 40)), "JPEG")

    checked = check_upload(data, "材料.pdf")

    assert (checked.content_type, checked.extension) == ("image/jpeg", ".jpg")
    assert (checked.width, checked.height) == (60, 40)


def test_pdf_renamed_as_jpg_is_detected_by_content():
    checked = check_upload(PDF, "photo.JPG")

    assert checked.content_type == "application/pdf"
    assert checked.extension == ".pdf"


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Word/Excel 文档"),
        (b"PK\x03\x04" + b"\x00" * 100, "Word/Excel 文档或压缩包"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIC 照片"),
        (b"GIF89a" + b"\x00" * 100, "GIF 图片"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WebP 图片"),
    ],
)
def test_unsupported_type_renamed_as_jpg_is_rejected_naming_type(data, named):
    with pytest.raises(UploadRejected) as excinfo:
        check_upload(data, "身份证.jpg")

    message = str(excinfo.value)
    assert message.startswith("只能上传 PDF、JPG 或 PNG 文件，")
    assert named in message


def test_random_bytes_are_rejected_as_unknown_type():
    data = random.Random(20240601).randbytes(4096)

    with pytest.raises(UploadRejected) as excinfo:
        check_upload(data, "scan.png")

    assert str(excinfo.value) == (
        "只能上传 PDF、JPG 或 PNG 文件，无法识别该文件的格式，"
        "请转换为 PDF、JPG 或 PNG 后重新上传。"
    )


def test_empty_file_is_rejected():
    with pytest.raises(UploadRejected) as excinfo:
        check_upload(b"", "证书.pdf")

    assert str(excinfo.value).startswith("文件是空的")


def test_oversize_file_is_rejected_with_sizes_in_mb():
    data = PDF + b"0" * (int(12.25 * MIB) - len(PDF))

    with pytest.raises(UploadRejected) as excinfo:
        check_upload(data, "证书.pdf")

    assert str(excinfo.value).startswith("文件过大（12.3MB），单个文件不能超过10MB，")


def test_oversize_just_over_limit_never_shows_limit_as_size():
    # 10 MiB + 1 byte must not read "文件过大（10.0MB），不能超过10MB".
    data = PDF + b"0" * (10 * MIB + 1 - len(PDF))

    with pytest.raises(UploadRejected, match=r"文件过大（10\.1MB）"):
        check_upload(data, "证书.pdf")


def test_oversize_is_checked_before_type():
    with pytest.raises(UploadRejected, match="文件过大"):
        check_upload(b"junk" * 1024, "a.bin", max_bytes=1024)


# --- image normalisation -------------------------------------------------


def _jpeg_with_orientation_and_gps(orientation: int, size=(80, 40)) -> bytes:
    # Left half red, right half blue, so rotation is visible in the pixels.
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (39.0, 54.0, 27.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (116.0, 23.0, 17.0)
    return _encode(image, "JPEG", exif=exif, quality=95)


def test_jpeg_exif_orientation_6_is_rotated_upright():
    data = _jpeg_with_orientation_and_gps(6)

    checked = check_upload(data, "photo.jpg")

    # Orientation 6 means "rotate 90° clockwise to view": left half ends on top.
    assert (checked.width, checked.height) == (40, 80)
    image = _reopen(checked)
    assert image.size == (40, 80)
    top_r, _, top_b = image.getpixel((20, 10))
    bottom_r, _, bottom_b = image.getpixel((20, 70))
    assert top_r > 200 and top_b < 60
    assert bottom_b > 200 and bottom_r < 60


def test_jpeg_exif_and_gps_are_removed():
    data = _jpeg_with_orientation_and_gps(6)
    with Image.open(io.BytesIO(data)) as source:
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # fixture sanity

    checked = check_upload(data, "photo.jpg")

    image = _reopen(checked)
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert b"Exif" not in checked.content
    assert b"PhoneMaker" not in checked.content


def test_png_photo_with_alpha_is_flattened_onto_white_jpeg():
    image = _noise((120, 100)).convert("RGBA")
    # Fully transparent left half.
    alpha = Image.new("L", image.size, 255)
    alpha.paste(0, (0, 0, 60, 100))
    image.putalpha(alpha)

    checked = check_upload(_encode(image, "PNG"), "photo.png")

    assert (checked.content_type, checked.extension) == ("image/jpeg", ".jpg")
    result = _reopen(checked)
    assert result.mode == "RGB"
    assert all(channel >= 245 for channel in result.getpixel((20, 50)))


def test_png_document_with_few_colours_stays_png_on_white():
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    image.paste((0, 0, 0, 255), (50, 25, 150, 75))  # black "text" block

    checked = check_upload(_encode(image, "PNG"), "scan.png")

    assert (checked.content_type, checked.extension) == ("image/png", ".png")
    result = _reopen(checked)
    assert result.mode == "RGB"
    assert result.getpixel((5, 5)) == (255, 255, 255)
    assert result.getpixel((100, 50)) == (0, 0, 0)


def test_png_16_bit_grey_scan_keeps_its_grey_level():
    image = Image.new("I;16", (50, 50), 40000)

    checked = check_upload(_encode(image, "PNG"), "scan.png")

    result = _reopen(checked)
    assert checked.content_type == "image/png"
    assert result.mode == "L"
    assert result.getpixel((10, 10)) == 156  # 40000 / 256, not clipped to 255


def test_jpeg_truncated_is_rejected():
    data = _encode(_noise((200, 200)), "JPEG")

    with pytest.raises(UploadRejected) as excinfo:
        check_upload(data[: len(data) // 2], "photo.jpg")

    assert str(excinfo.value).startswith("图片已损坏或不完整")


def test_png_with_bad_checksum_is_rejected():
    data = bytearray(_encode(_noise((50, 50)), "PNG"))
    data[-20] ^= 0xFF  # inside the last IDAT or its CRC

    with pytest.raises(UploadRejected, match="图片已损坏或不完整"):
        check_upload(bytes(data), "scan.png")


@pytest.mark.parametrize(
    ("width", "height", "max_pixels"),
    [
        (100_000, 100_000, 60_000_000),  # Pillow's own hard limit (error)
        (10_000, 10_000, 200_000_000),  # Pillow's warning range
        (8_000, 8_000, 60_000_000),  # under Pillow's limits, over ours
    ],
)
def test_png_decompression_bomb_is_rejected(width, height, max_pixels):
    data = _png_header_only(width, height)

    # Production does not turn warnings into errors; the module must do it.
    with warnings.catch_warnings(), pytest.raises(UploadRejected) as excinfo:
        warnings.simplefilter("ignore")
        check_upload(data, "bomb.png", max_pixels=max_pixels)

    assert str(excinfo.value).startswith("图片像素过大")


def test_image_over_pixel_limit_parameter_is_rejected():
    data = _encode(_noise((100, 100)), "JPEG")

    with pytest.raises(UploadRejected, match="图片像素过大（超过9999像素）"):
        check_upload(data, "photo.jpg", max_pixels=9_999)


def test_image_5000x4000_is_downscaled_to_3000_longest_side():
    data = _encode(Image.new("RGB", (5000, 4000), (30, 120, 200)), "JPEG")

    checked = check_upload(data, "scan.jpg")

    assert (checked.width, checked.height) == (3000, 2400)
    assert _reopen(checked).size == (3000, 2400)


def test_large_jpeg_decoded_at_reduced_scale_still_ends_at_3000():
    # 7000×5600 (39 MP, under the limit) triggers JPEG draft decoding at 1/2 scale.
    data = _encode(Image.new("RGB", (7000, 5600), (200, 200, 190)), "JPEG")

    checked = check_upload(data, "scan.jpg")

    assert (checked.width, checked.height) == (3000, 2400)


def test_image_small_is_not_upscaled():
    checked = check_upload(_encode(_noise((640, 480)), "JPEG"), "photo.jpg")

    assert (checked.width, checked.height) == (640, 480)


def test_image_normalisation_is_deterministic():
    data = _jpeg_with_orientation_and_gps(6, size=(400, 300))

    first = check_upload(data, "a.jpg")
    second = check_upload(data, "b.png")

    assert first.content == second.content
    assert first.sha256 == second.sha256 == hashlib.sha256(first.content).hexdigest()


# --- ID photo rule -------------------------------------------------------

PHOTO = PhotoRule()


def test_photo_too_small_is_rejected_with_actual_and_required_size():
    data = _encode(_noise((200, 300)), "JPEG")

    with pytest.raises(UploadRejected) as excinfo:
        check_upload(data, "证件照.jpg", photo=PHOTO)

    assert str(excinfo.value) == (
        "照片尺寸为200×300像素，至少需要295×413像素（一寸证件照）。"
    )


@pytest.mark.parametrize("size", [(400, 420), (600, 413), (300, 600)])
def test_photo_wrong_ratio_is_rejected(size):
    data = _encode(_noise(size), "JPEG")

    with pytest.raises(UploadRejected) as excinfo:
        check_upload(data, "证件照.jpg", photo=PHOTO)

    message = str(excinfo.value)
    assert message.startswith(f"照片尺寸为{size[0]}×{size[1]}像素（高宽比")
    assert "高宽比在1.2到1.6之间" in message


def test_photo_side_over_maximum_is_rejected():
    rule = PhotoRule(max_side=500)
    data = _encode(_noise((400, 600)), "JPEG")

    with pytest.raises(UploadRejected, match="每边不能超过500像素"):
        check_upload(data, "证件照.jpg", photo=rule)


def test_photo_ok_is_accepted_as_jpeg():
    data = _encode(_noise((295, 413)), "PNG")

    checked = check_upload(data, "证件照.png", photo=PHOTO)

    assert (checked.content_type, checked.width, checked.height) == (
        "image/jpeg",
        295,
        413,
    )


def test_photo_size_is_checked_after_exif_rotation():
    # Stored landscape 413×295, but EXIF says it is an upright portrait.
    data = _jpeg_with_orientation_and_gps(6, size=(413, 295))

    checked = check_upload(data, "证件照.jpg", photo=PHOTO)

    assert (checked.width, checked.height) == (295, 413)


def test_photo_as_pdf_is_rejected():
    with pytest.raises(UploadRejected) as excinfo:
        check_upload(PDF, "证件照.pdf", photo=PHOTO)

    assert str(excinfo.value).startswith("证件照须为 JPG 或 PNG 图片")


def test_photo_rule_inconsistent_bounds_raise_value_error():
    with pytest.raises(ValueError, match="min_ratio"):
        PhotoRule(min_ratio=1.7, max_ratio=1.6)


def test_check_upload_rejects_truncated_jpeg_even_if_a_library_allows_them(
    monkeypatch,
):
    # Some libraries switch PIL's global LOAD_TRUNCATED_IMAGES on when imported
    # (WeasyPrint did); the upload check must stay strict all the same.
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 120, 200)).save(buffer, "JPEG")
    with pytest.raises(UploadRejected):
        check_upload(buffer.getvalue()[:-400], "cut.jpg")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored for that library
