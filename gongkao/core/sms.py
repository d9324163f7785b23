"""Pluggable SMS sending.

settings.SMS_SENDER names a class with `send(phone, message)`. The default
logs the message (development, tests); a real gateway is one small class
implementing SmsSender, configured by its own environment variables.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("gongkao.sms")


def mask_phone(value: str) -> str:
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "****" + value[-4:]


class SmsSender(Protocol):
    def send(self, phone: str, message: str) -> None: ...


class LogSmsSender:
    """Writes each message to the log and keeps it in `outbox` (tests read it)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, message: str) -> None:
        LogSmsSender.outbox.append((phone, message))
        logger.info("SMS to %s: %s", mask_phone(phone), message)


def get_sms_sender() -> SmsSender:
    sender: SmsSender = import_string(settings.SMS_SENDER)()
    return sender
