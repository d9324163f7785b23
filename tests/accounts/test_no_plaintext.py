"""No plaintext phone or ID number in any table: after registrations and failed
logins through the client, every column of every table (sessions decoded) is
searched for the numbers typed. The lockout's counters (LoginThrottle) hold
keyed hashes only."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from gongkao.accounts.models import LoginThrottle
from gongkao.core import audit
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")
LOGIN = reverse("accounts:login")
PEOPLE = [
    ("李秀兰", "13912345678", make_id_number("19700315", seq=12, sex="F")),
    ("赵大军", "13698765432", make_id_number("19821109", seq=7, sex="M")),
]
STRANGER_PHONE = "13511112222"
STRANGER_ID = make_id_number("19900101", seq=3, sex="M")


def _register(client, sms_outbox, name: str, phone: str, id_number: str) -> None:
    client.post(REGISTER, {"phone": phone, "send_code": "1"})
    match = re.search(r"验证码为(\d{6})", sms_outbox[-1][1])
    assert match is not None
    code = match.group(1)
    response = client.post(
        REGISTER,
        {
            "name": name,
            "id_number": id_number,
            "phone": phone,
            "code": code,
            "new_password1": "Xin-mima-2025",
            "new_password2": "Xin-mima-2025",
            "pledge": "on",
        },
    )
    assert response.status_code == 302
    client.post(reverse("accounts:logout"))


def _every_value() -> list[tuple[str, str]]:
    """(table, text) for every non-empty value of every table."""
    found: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                found.extend((table, str(v)) for v in row if v not in (None, ""))
    for session in Session.objects.all():
        found.append(("session data", str(SessionStore().decode(session.session_data))))
    return found


def test_no_plaintext_phone_or_id_number_after_registrations_and_failed_logins(
    client, sms_outbox
):
    for name, phone, id_number in PEOPLE:
        _register(client, sms_outbox, name, phone, id_number)
    # A successful login by phone (before the failures below lock the account).
    other = Client()
    response = other.post(
        LOGIN, {"username": PEOPLE[1][1], "password": "Xin-mima-2025"}
    )
    assert response.status_code == 302
    typed = [
        PEOPLE[0][1],
        f"{PEOPLE[0][1][:3]} {PEOPLE[0][1][3:7]} {PEOPLE[0][1][7:]}",
        PEOPLE[1][2].lower(),
        STRANGER_PHONE,
        STRANGER_ID,
    ]
    for login in typed:
        for _ in range(5):  # up to the lockout
            client.post(LOGIN, {"username": login, "password": "wrong-password"})

    # A password reset asked for (the phone is kept in the session on the way).
    resetting = Client()
    resetting.post(reverse("accounts:password_reset"), {"phone": STRANGER_PHONE})
    page = resetting.get(reverse("accounts:password_reset_confirm"))
    assert STRANGER_PHONE in page.content.decode()  # shown back to who typed it

    assert LoginThrottle.objects.filter(locked_until__isnull=False).exists()
    secrets = [p for _, p, _ in PEOPLE] + [i for _, _, i in PEOPLE]
    secrets += [STRANGER_PHONE, STRANGER_ID, PEOPLE[1][2].lower()]
    leaks = [
        (table, secret)
        for table, text in _every_value()
        for secret in secrets
        if secret in text
    ]
    assert leaks == []
    assert audit.verify_chain().ok
