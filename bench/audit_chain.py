"""Benchmark the audit chain under a deadline surge: appends from many threads.

    DB=postgres DB_HOST=127.0.0.1 DB_USER=postgres python bench/audit_chain.py \
        [--threads 1,8,32] [--rows 200]

Every append locks the chain's one head row until its transaction commits
(core/audit.py), so concurrent audited writes queue there. Each thread runs
--rows transactions of one audit row each on a scratch test database
(`test_<DB_NAME>`, made and dropped here). Prints one line a figure:
  audit_append_<T>threads_per_s   rows appended per second, all threads
  audit_append_<T>threads_p95_ms  95th percentile of one transaction, in ms
and checks the chain is intact at the end. SQLite serialises every writer
anyway: the figures are for PostgreSQL, and the script says so and stops
without it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkao.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from gongkao.core import audit  # noqa: E402
from gongkao.core.models import AuditEvent  # noqa: E402
from gongkao.core.services import record_audit  # noqa: E402


def surge(threads: int, rows: int) -> tuple[float, float]:
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def writer(n: int) -> None:
        mine: list[float] = []
        barrier.wait()
        for i in range(rows):
            started = time.perf_counter()
            with transaction.atomic():
                record_audit(
                    AuditEvent.Action.SUBMITTED,
                    actor_label=f"申报人{n}",
                    after={"round": 1, "i": i, "materials": [{"slot": "photo"}]},
                    ip="10.0.0.1",
                )
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
        connection.close()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    return threads * rows / elapsed, p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1,8,32")
    parser.add_argument("--rows", type=int, default=200)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("audit_chain: set DB=postgres (or DATABASE_URL); skipped on SQLite")
        return
    old = setup_databases(verbosity=0, interactive=False)
    try:
        for threads in [int(t) for t in args.threads.split(",")]:
            per_s, p95 = surge(threads, args.rows)
            print(f"audit_append_{threads}threads_per_s {per_s:.0f}")
            print(f"audit_append_{threads}threads_p95_ms {p95:.1f}")
        report = audit.verify_chain()
        assert report.ok, report
        print(f"audit_chain_length {report.length} (intact)")
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
