"""Whether a request may reach a room's exam: the room's PCs (address ranges)
and, where the room uses Safe Exam Browser, its config-key header, which
SEB sends as sha256(the full URL + the config key)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time

from django.http import HttpRequest

from gongkao.cbt.models import RoomAccess
from gongkao.core.services import client_ip

SEB_HEADER = "HTTP_X_SAFEEXAMBROWSER_CONFIGKEYHASH"
# Rules change rarely and every answer checks them: kept per process briefly.
TTL = 30.0
_cache: dict[
    int, tuple[float, tuple[list[ipaddress.IPv4Network | ipaddress.IPv6Network], str]]
] = {}


def parse_networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The ranges of the text, one per line; raises ValueError (Chinese)."""
    found = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            found.append(ipaddress.ip_network(line, strict=False))
        except ValueError:
            raise ValueError(f"第{n}行“{line[:50]}”不是地址或地址段。") from None
    return found


def rules(
    room_id: int,
) -> tuple[list[ipaddress.IPv4Network | ipaddress.IPv6Network], str]:
    now = time.monotonic()
    cached = _cache.get(room_id)
    if cached is not None and now - cached[0] < TTL:
        return cached[1]
    found = RoomAccess.objects.filter(room_id=room_id).first()
    value = (
        (parse_networks(found.networks), found.seb_config_key) if found else ([], "")
    )
    _cache[room_id] = (now, value)
    return value


def forget(room_id: int) -> None:
    _cache.pop(room_id, None)


def refusal(request: HttpRequest, room_id: int) -> str:
    """Why this request may not reach the room's exam ("" when it may)."""
    networks, seb_key = rules(room_id)
    if networks:
        address = client_ip(request) or ""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return "本机不是本考场的考试机，不能参加本考场的考试。"
        if not any(ip in network for network in networks):
            return "本机不是本考场的考试机，不能参加本考场的考试。"
    if seb_key:
        expected = hashlib.sha256(
            (request.build_absolute_uri() + seb_key).encode()
        ).hexdigest()
        if not hmac.compare_digest(str(request.META.get(SEB_HEADER, "")), expected):
            return "请使用考场的安全考试浏览器（Safe Exam Browser）登录考试。"
    return ""
