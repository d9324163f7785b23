"""The tamper-evident audit chain.

Every `AuditEvent` carries `seq` (1, 2, 3 … with no gap) and `chain_hash`, a
keyed SM3 HMAC over the previous row's hash and a canonical JSON of the row's
own fields. Someone who edits or deletes rows behind the application's back
(with SQL) cannot recompute the hashes without the key, which is a setting
(`AUDIT_CHAIN_KEY`, or derived from `FIELD_ENCRYPTION_KEY`), never in the
database. `verify_chain` (`manage.py verify_audit`) finds the first broken
row; cutting off the newest rows shows against a head logged earlier (the
daily sweep logs it: `log_chain_head`).

Appends are serialised by locking the one-row `AuditChainHead` inside the
caller's transaction, so two processes never fork the chain, and a rolled-back
write leaves neither a row nor a gap.
"""

from __future__ import annotations

import hmac
import json
import logging
from dataclasses import dataclass
from datetime import UTC
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from gongkao.core.models import AuditChainHead, AuditEvent

logger = logging.getLogger("gongkao.audit")

# The fields the hash covers, in the canonical JSON (sorted keys anyway).
HASHED_FIELDS = (
    "seq",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "before",
    "after",
    "ip",
    "at",
)
# Used only when DEBUG is on and no key is configured (first run).
_DEV_MASTER = "00" * 32


@lru_cache(maxsize=4)
def _derive(chain_key: str, master: str) -> bytes:
    if chain_key:
        try:
            key = bytes.fromhex(chain_key)
        except ValueError:
            raise ImproperlyConfigured("AUDIT_CHAIN_KEY must be hexadecimal.") from None
        if len(key) < 32:
            raise ImproperlyConfigured("AUDIT_CHAIN_KEY must be 64 hex characters.")
        return key
    try:
        raw = bytes.fromhex(master)
    except ValueError:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be hexadecimal."
        ) from None
    if len(raw) < 32:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be 64 hex characters.")
    return hmac.new(raw, b"gongkao audit chain key", "sm3").digest()


def chain_key() -> bytes:
    """`AUDIT_CHAIN_KEY`, or a key derived from `FIELD_ENCRYPTION_KEY`."""
    master: str = settings.FIELD_ENCRYPTION_KEY or (
        _DEV_MASTER if settings.DEBUG else ""
    )
    own: str = getattr(settings, "AUDIT_CHAIN_KEY", "")
    if not own and not master:
        raise ImproperlyConfigured(
            "Set AUDIT_CHAIN_KEY or FIELD_ENCRYPTION_KEY: the audit chain needs a key."
        )
    return _derive(own, master)


def _json_safe(value: Any) -> Any:
    # What the JSON column gives back: tuples as lists, keys as strings.
    return None if value is None else json.loads(json.dumps(value))


def canonical(fields: dict[str, Any]) -> str:
    """The row's hashed fields as one JSON text: sorted keys, UTC time."""
    at = fields["at"]
    data = {name: fields[name] for name in HASHED_FIELDS}
    data["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    data["before"] = _json_safe(fields["before"])
    data["after"] = _json_safe(fields["after"])
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_hash(prev_hash: str, fields: dict[str, Any], key: bytes) -> str:
    message = (prev_hash + "\n" + canonical(fields)).encode("utf-8")
    return hmac.new(key, message, "sm3").hexdigest()


def event_fields(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in HASHED_FIELDS}


def append(event: AuditEvent) -> AuditEvent:
    """Give `event` the next seq and its chain hash, and save it.

    Locks the chain head until the caller's transaction ends: appends from
    every process queue here, one at a time.
    """
    key = chain_key()
    # No savepoint inside the caller's transaction: a failed append fails
    # the whole write it records.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        event.seq = head.seq + 1
        ip_field = AuditEvent._meta.get_field("ip")
        event.ip = ip_field.get_prep_value(event.ip)
        event.chain_hash = compute_hash(head.hash, event_fields(event), key)
        event.save()
        head.seq, head.hash = event.seq, event.chain_hash
        head.save(update_fields=["seq", "hash"])
    return event


def _locked_head() -> AuditChainHead:
    # Insert-if-missing never blocks nor fails (a flushed test database, a
    # first start); the lock then orders every append.
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        last = AuditEvent.objects.order_by("-seq").first()
        AuditChainHead.objects.bulk_create(
            [
                AuditChainHead(
                    pk=1,
                    seq=last.seq if last else 0,
                    hash=last.chain_hash if last else "",
                )
            ],
            ignore_conflicts=True,
        )
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


@dataclass
class ChainReport:
    length: int = 0
    head_seq: int = 0
    head_hash: str = ""
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str = ""  # "edited", "deleted", "truncated"

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.problem


def verify_chain(expect_head: tuple[int, str] | None = None) -> ChainReport:
    """Walk the chain in seq order; stop at the first broken row.

    An edited row fails its own hash; a deleted one leaves a gap in seq (or,
    when the rows after it were renumbered, fails the next row's hash). With
    `expect_head` (a head logged earlier) a chain cut shorter is reported;
    without it, only if the cut left the head row (`AuditChainHead`) alone.
    """
    key = chain_key()
    report = ChainReport()
    # Read before the walk: rows appended meanwhile only lengthen the chain.
    stored_head = AuditChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    prev_hash = ""
    expected_seq = 1
    rows = AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    for event in rows:
        if event.seq != expected_seq:
            report.broken_seq, report.broken_id = expected_seq, event.pk
            report.problem = "deleted"
            break
        if not hmac.compare_digest(
            compute_hash(prev_hash, event_fields(event), key), event.chain_hash
        ):
            report.broken_seq, report.broken_id = event.seq, event.pk
            report.problem = "edited"
            break
        prev_hash = event.chain_hash
        report.length += 1
        report.head_seq, report.head_hash = event.seq, event.chain_hash
        expected_seq += 1
    # The newest rows cut off: the chain no longer reaches the head row that
    # every append updates, nor a head logged earlier.
    for head in (stored_head, expect_head):
        if report.ok and head is not None and head[0] > 0:
            seq, expected_hash = head
            stored = (
                AuditEvent.objects.filter(seq=seq)
                .values_list("chain_hash", flat=True)
                .first()
            )
            if stored is None or not hmac.compare_digest(stored, expected_hash):
                report.broken_seq = seq
                report.problem = "truncated"
    return report


def chain_head() -> tuple[int, str, int]:
    """(seq, hash, length) of the newest row; (0, "", 0) for an empty chain."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "chain_hash").first()
    if last is None:
        return 0, "", 0
    return last[0], last[1], AuditEvent.objects.count()


def log_chain_head() -> tuple[int, str, int]:
    """Log the head so that a later cut of the newest rows shows (the sweep)."""
    seq, head_hash, length = chain_head()
    logger.info("audit chain head %d:%s length %d", seq, head_hash, length)
    return seq, head_hash, length
