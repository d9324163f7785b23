"""Audit rows written before the chain are chained by migration core.0007, in
id order, and the chain then goes on from them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from gongkao.core import audit
from gongkao.core.models import AuditChainHead, AuditEvent
from gongkao.core.services import record_audit

BEFORE_CHAIN = ("core", "0005_background_job")


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_chain_are_chained_in_id_order():
    call_command("migrate", *BEFORE_CHAIN, verbosity=0)
    try:
        old = MigrationExecutor(connection).loader.project_state(BEFORE_CHAIN).apps
        OldEvent = old.get_model("core", "AuditEvent")
        ids = [
            OldEvent.objects.create(
                action="login",
                actor_label=f"旧用户{i}",
                after={"i": i},
                ip="192.168.1.9",
            ).pk
            for i in range(3)
        ]
        # The newest row first by time: the chain follows ids, not times.
        OldEvent.objects.filter(pk=ids[0]).update(at=timezone.now())
    finally:
        call_command("migrate", verbosity=0)

    assert list(AuditEvent.objects.order_by("seq").values_list("pk", flat=True)) == ids
    head = AuditChainHead.objects.get()
    assert head.seq == 3
    new = record_audit(AuditEvent.Action.LOGOUT, actor_label="新用户")
    assert new.seq == 4
    report = audit.verify_chain()
    assert report.ok
    assert (report.length, report.head_hash) == (4, new.chain_hash)
