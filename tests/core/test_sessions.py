"""The session store: Django's database sessions, a changed one saved by one
UPDATE (gongkao/core/sessions.py)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkao.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _stored() -> SessionStore:
    session = SessionStore()
    session["step"] = "basic"
    session.create()
    return session


@pytest.mark.django_db(transaction=True)
def test_a_changed_session_is_saved_by_one_update() -> None:
    # Outside any transaction, as the session middleware saves.
    session = SessionStore(_stored().session_key)
    session["step"] = "提交"

    with CaptureQueriesContext(connection) as queries:
        session.save()

    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["UPDATE"]
    assert SessionStore(session.session_key)["step"] == "提交"


@pytest.mark.django_db(transaction=True)
def test_a_session_deleted_meanwhile_is_not_written_again() -> None:
    key = _stored().session_key
    assert key is not None
    session = SessionStore(key)
    session["step"] = "提交"
    SessionStore(key).delete()

    with pytest.raises(UpdateError):
        session.save()

    assert not SessionStore().exists(key)


def test_inside_a_transaction_it_saves_as_django_does() -> None:
    session = SessionStore(_stored().session_key)
    session["step"] = "materials"

    with transaction.atomic():
        session.save()

    assert SessionStore(session.session_key)["step"] == "materials"


def test_a_new_session_is_created_as_django_does() -> None:
    session = SessionStore()
    session["step"] = "basic"
    session.save()

    assert session.session_key is not None
    assert SessionStore(session.session_key)["step"] == "basic"


@pytest.mark.django_db(transaction=True)
def test_an_expired_session_marked_changed_unread_is_not_brought_back() -> None:
    key = _stored().session_key
    assert key is not None
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    session = SessionStore(key)
    session.modified = True

    with pytest.raises(UpdateError):
        session.save()

    assert Session.objects.get(session_key=key).expire_date < timezone.now()
