"""Sessions in the database, as Django keeps them, written with one UPDATE.

Django saves a changed session through a model save inside a transaction:
BEGIN, UPDATE, COMMIT. A single UPDATE of one row is atomic by itself, so
outside a transaction it is sent alone; a request that leaves a message (every
submission on deadline day) saves two round trips and the model machinery.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import connections, router


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        using = router.db_for_write(self.model)
        if (
            must_create
            or self.session_key is None
            or connections[using].in_atomic_block
        ):
            super().save(must_create=must_create)
            return
        # Loaded first if it was not: a row gone or expired drops the key.
        data = self._get_session()  # type: ignore[attr-defined]
        key = self.session_key
        updated = key is not None and self.model.objects.using(using).filter(
            session_key=key
        ).update(session_data=self.encode(data), expire_date=self.get_expiry_date())
        if not updated:
            # Deleted or expired meanwhile (a logout elsewhere): as Django's
            # own save, which then fails its forced update.
            raise UpdateError
