"""Admission ticket numbers, their check character, and the QR token.

A number is the year, the city's GB/T 2260 code and a serial, then an ISO 7064
MOD 11-2 check character (as in the 公民身份号码): a mistyped number at the
door is refused before any lookup. The QR code carries a token signed with the
installation's key: the ticket's id and version, so a reissue voids it.
"""

from __future__ import annotations

from django.core import signing

SALT = "gongkao.exams.ticket"


def check_character(digits: str) -> str:
    """ISO 7064 MOD 11-2 over `digits` (any length), 'X' for ten."""
    weights = [pow(2, len(digits) - i, 11) for i in range(len(digits))]
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def ticket_number(year: int, division_code: str, serial: int) -> str:
    body = f"{year}{division_code}{serial:05d}"
    return body + check_character(body)


def is_well_formed(number: str) -> bool:
    number = number.strip().upper()
    return (
        len(number) >= 2
        and number[:-1].isascii()
        and number[:-1].isdigit()
        and check_character(number[:-1]) == number[-1]
    )


def token_for(ticket_id: int, version: int) -> str:
    return signing.Signer(salt=SALT).sign(f"{ticket_id}.{version}")


def read_token(token: str) -> tuple[int, int] | None:
    """(ticket id, version) of a genuine token; None for a forged or garbled one."""
    try:
        value = signing.Signer(salt=SALT).unsign(token.strip())
        ticket_id, version = value.split(".")
        return int(ticket_id), int(version)
    except (signing.BadSignature, ValueError):
        return None
