"""Issue #13: passwords hashed with Argon2id at OWASP's minimum (19 MiB, 2
iterations, 1 lane); a hash made with Django's heavier default is rehashed
at the next login and still lets the user in."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher as Argon2
from argon2 import Type
from argon2.low_level import ARGON2_VERSION
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.urls import reverse

from gongkao import settings as project
from gongkao.accounts.models import User
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_hashers(settings):
    """The hashers of gongkao/settings.py (the tests otherwise use MD5)."""
    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    return settings


def _params(encoded: str) -> str:
    # argon2$argon2id$v=19$m=19456,t=2,p=1$salt$hash
    return encoded.split("$")[3]


def test_new_hash_is_argon2id_at_owasp_minimum(production_hashers):
    encoded = make_password(PASSWORD)
    assert encoded.split("$")[:3] == ["argon2", "argon2id", f"v={ARGON2_VERSION}"]
    assert _params(encoded) == "m=19456,t=2,p=1"
    # The library itself verifies it as Argon2id.
    verifier = Argon2(type=Type.ID)
    assert verifier.verify(encoded.removeprefix("argon2"), PASSWORD)


def test_djangos_default_hash_is_rehashed_at_login(client, production_hashers):
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    assert _params(old) != "m=19456,t=2,p=1"  # Django's heavier default
    user = UserFactory(username="alice", name="王爱丽", phone="13911112222")
    User.objects.filter(pk=user.pk).update(password=old)

    response = client.post(
        reverse("accounts:login"), {"username": "13911112222", "password": PASSWORD}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password != old
    assert _params(user.password) == "m=19456,t=2,p=1"
    assert user.check_password(PASSWORD)


def test_settings_list_one_argon2_hasher():
    assert project.PASSWORD_HASHERS[0] == "gongkao.core.hashers.Argon2idHasher"
    assert "django.contrib.auth.hashers.Argon2PasswordHasher" not in (
        project.PASSWORD_HASHERS
    )
