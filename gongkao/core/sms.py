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


# The newest messages `LogSmsSender.outbox` keeps (tests read it).
OUTBOX_SIZE = 100


class LogSmsSender:
    """Logs each message and keeps the newest in `outbox` (tests read it).

    Messages carry codes and initial passwords: the text is logged only with
    DEBUG on (development); otherwise the log line names the masked number
    and the length only, so no secret reaches a log file in production.
    """

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, message: str) -> None:
        LogSmsSender.outbox.append((phone, message))
        del LogSmsSender.outbox[:-OUTBOX_SIZE]
        if settings.DEBUG:
            logger.info("SMS to %s: %s", mask_phone(phone), message)
        else:
            logger.info(
                "SMS to %s (%d characters, text not logged)",
                mask_phone(phone),
                len(message),
            )


def get_sms_sender() -> SmsSender:
    sender: SmsSender = import_string(settings.SMS_SENDER)()
    return sender
