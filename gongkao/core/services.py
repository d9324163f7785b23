from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from gongkao.core import audit
from gongkao.core.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: the socket's, or behind the proxy its X-Real-IP.

    The audit rows, the SMS limits per address and the login lockout all
    read it. X-Real-IP is trusted only with BEHIND_PROXY, whose proxy
    overwrites what a client sent; otherwise anyone could pick an address.
    """
    if request is None:
        return None
    if settings.BEHIND_PROXY:
        forwarded = str(request.META.get("HTTP_X_REAL_IP", "")).strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR") or None


def record_audit(
    action: AuditEvent.Action,
    *,
    by: Any = None,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    ip: str | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Write one audit row. Called from services, never from views or models.

    The address comes from `request`, or from `ip` in a background task that
    the request started.
    """
    actor_id = getattr(by, "pk", None)
    event = AuditEvent(
        actor_id=actor_id,
        actor_label=actor_label or (str(by) if by is not None else "系统"),
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        before=before,
        after=after,
        ip=ip or client_ip(request),
        at=timezone.now(),
    )
    # The next link of the chain, serialised across processes (core/audit.py).
    return audit.append(event)


# Never in an audit row: password hashes, ciphertext, blind indexes and other
# hashes or keys. A model may name more fields in `AUDIT_EXCLUDE`.
SECRET_FIELD = re.compile(
    r"^(password|.*_encrypted|.*_index|.*_hash|.*secret.*|.*token.*|.*_key)$"
)


def is_secret_field(model: type[models.Model] | models.Model, name: str) -> bool:
    excluded: Iterable[str] = getattr(model, "AUDIT_EXCLUDE", ())
    return name in excluded or bool(SECRET_FIELD.match(name))


def model_snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of `obj`, JSON-safe, for an audit row.

    Secret fields are left out (`is_secret_field`); an encrypted field is
    shown by its masked form where the model has one (`phone_masked`), so
    that the row still says the number changed, without the number.
    """
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if is_secret_field(obj, f.attname):
            if f.attname.endswith("_encrypted") and getattr(obj, f.attname):
                masked = f.attname.removesuffix("_encrypted") + "_masked"
                if hasattr(type(obj), masked):
                    data[masked] = str(getattr(obj, masked))
            continue
        value = getattr(obj, f.attname)
        data[f.attname] = (
            value
            if isinstance(value, (int, float, bool, str, type(None)))
            else str(value)
        )
    return data
