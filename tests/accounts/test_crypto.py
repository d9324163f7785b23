from __future__ import annotations

import pytest
from django.db import connection

from gongkao.accounts import crypto
from gongkao.accounts.models import User
from tests.factories import make_id_number


def test_encrypt_roundtrip_with_fresh_nonce():
    a, b = crypto.encrypt("13700000021"), crypto.encrypt("13700000021")
    assert a != b
    assert crypto.decrypt(a) == crypto.decrypt(b) == "13700000021"


def test_decrypt_rejects_tampered_ciphertext():
    token = crypto.encrypt("410802197203151234")
    raw = bytearray(token.encode())
    raw[-5] = ord("A") if raw[-5] != ord("A") else ord("B")
    with pytest.raises(Exception):  # noqa: B017 - GCM tag check fails (InvalidTag)
        crypto.decrypt(raw.decode())


def test_blind_index_is_stable_and_keyed(settings):
    first = crypto.blind_index("13700000021")
    assert first == crypto.blind_index("13700000021")
    settings.FIELD_ENCRYPTION_KEY = "11" * 32
    assert crypto.blind_index("13700000021") != first


@pytest.mark.django_db
def test_personal_data_is_not_stored_in_clear():
    id_number = make_id_number("19720315")
    user = User(username="u1", name="张三")
    user.set_id_number(id_number)
    user.set_phone("13912345678")
    user.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_user WHERE id = %s", [user.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert id_number not in row
    assert "13912345678" not in row
    fresh = User.objects.get(pk=user.pk)
    assert fresh.id_number == id_number
    assert fresh.phone == "13912345678"
    assert fresh.id_number_masked == id_number[:4] + "*" * 10 + id_number[-4:]


@pytest.mark.django_db
def test_one_account_per_id_number():
    from django.db import IntegrityError

    id_number = make_id_number("19720315")
    first = User(username="a", name="甲")
    first.set_id_number(id_number)
    first.save()
    second = User(username="b", name="乙")
    second.set_id_number(id_number)
    with pytest.raises(IntegrityError):
        second.save()
