"""The tamper-evident audit chain (core/audit.py, `manage.py verify_audit`)."""

from __future__ import annotations

import logging
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from gongkao.applications.services import sweep_deadlines
from gongkao.core import audit
from gongkao.core.models import AuditChainHead, AuditEvent
from gongkao.core.services import record_audit

pytestmark = pytest.mark.django_db


def _write(n: int) -> list[AuditEvent]:
    return [
        record_audit(
            AuditEvent.Action.CONFIG_CHANGED,
            actor_label=f"管理员{i}",
            after={"field": i, "名称": "焦作市"},
            ip="10.0.0.1",
        )
        for i in range(n)
    ]


def _verify(*args: str) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_rows_are_numbered_without_gaps_and_chained():
    events = _write(4)
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert len({e.chain_hash for e in events}) == 4
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (4, events[-1].chain_hash)
    report = audit.verify_chain()
    assert report.ok
    assert (report.length, report.head_seq, report.head_hash) == (
        4,
        4,
        events[-1].chain_hash,
    )


def test_verify_audit_reports_an_intact_chain_with_its_head():
    events = _write(3)
    out, error = _verify()
    assert error is None
    assert f"3:{events[-1].chain_hash}" in out
    assert "长度 length: 3" in out
    assert "Audit chain intact." in out


def test_a_rolled_back_write_leaves_no_row_and_no_gap():
    _write(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        _write(1)
        raise RuntimeError
    assert _write(1)[0].seq == 2
    assert audit.verify_chain().ok


def test_a_row_edited_in_sql_is_reported_at_that_row():
    events = _write(5)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET actor_label = %s WHERE id = %s",
            ["别人", events[2].pk],
        )
    out, error = _verify()
    assert error is not None
    assert error.returncode != 0
    assert "审计记录被修改：序号 seq 3" in out
    assert "row edited at seq 3" in out


def test_a_json_value_edited_in_sql_is_reported():
    events = _write(3)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET after = %s WHERE id = %s",
            ['{"field": 99, "名称": "焦作市"}', events[1].pk],
        )
    report = audit.verify_chain()
    assert (report.problem, report.broken_seq) == ("edited", 2)


def test_a_deleted_middle_row_is_reported():
    events = _write(5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    out, error = _verify()
    assert error is not None
    assert "审计记录被删除：序号 seq 2" in out
    assert "row deleted at seq 2" in out


def test_a_deletion_hidden_by_renumbering_fails_the_next_hash():
    events = _write(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
        for e in events[2:]:
            cursor.execute(
                "UPDATE core_auditevent SET seq = %s WHERE id = %s", [e.seq - 1, e.pk]
            )
    report = audit.verify_chain()
    assert (report.problem, report.broken_seq) == ("edited", 2)


def test_cutting_off_the_newest_rows_shows_against_a_logged_head(caplog):
    _write(3)
    with caplog.at_level(logging.INFO, logger="gongkao.audit"):
        sweep_deadlines()
    line = next(r.getMessage() for r in caplog.records if r.name == "gongkao.audit")
    logged = line.split()[3]  # "audit chain head SEQ:HASH length N"
    assert line.endswith("length 3")
    assert logged.startswith("3:")
    _write(2)
    assert _verify("--expect-head", logged)[1] is None

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq >= 3")
        # Someone who knows to move the head row back too.
        cursor.execute(
            "UPDATE core_auditchainhead SET seq = 2, hash = "
            "(SELECT chain_hash FROM core_auditevent WHERE seq = 2)"
        )
    assert _verify()[1] is None  # alone, a shorter chain looks whole
    out, error = _verify("--expect-head", logged)
    assert error is not None
    assert "最新的审计记录被删除" in out
    assert "newest rows cut off" in out


def test_cutting_off_the_newest_rows_shows_against_the_head_row():
    _write(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq >= 3")
    out, error = _verify()
    assert error is not None
    assert "最新的审计记录被删除" in out
    assert audit.verify_chain().broken_seq == 4


def test_the_sweep_logs_the_head_and_length(caplog):
    events = _write(2)
    with caplog.at_level(logging.INFO, logger="gongkao.audit"):
        call_command("sweep_deadlines", stdout=StringIO())
    assert [r.getMessage() for r in caplog.records if r.name == "gongkao.audit"] == [
        f"audit chain head 2:{events[-1].chain_hash} length 2"
    ]


def test_a_bad_expected_head_is_refused():
    with pytest.raises(CommandError):
        call_command("verify_audit", "--expect-head", "nonsense")


def test_another_key_breaks_every_row(settings):
    _write(2)
    settings.AUDIT_CHAIN_KEY = "ab" * 32
    report = audit.verify_chain()
    assert (report.problem, report.broken_seq) == ("edited", 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database serialises whole tables")
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(15):
                with transaction.atomic():
                    record_audit(
                        AuditEvent.Action.CONFIG_CHANGED,
                        actor_label=f"线程{n}",
                        after={"i": i},
                    )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = audit.verify_chain()
    assert report.ok
    assert report.length == 60
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == (
        list(range(1, 61))
    )
