"""Throughput of Gongkao as production runs it, on this machine's loopback.

    python bench/serving.py [--seconds 5] [--clients 8]

Brings up the two-process stack of the deploy test (tests/deploy/stack.py: a
fresh PostgreSQL database, two gunicorn processes of WEB_CONCURRENCY=2 sync
workers each with the psycopg pool, nginx with TLS in front), then for each
page sends requests through the proxy from --clients threads over keep-alive
connections for --seconds. Prints one line a figure:
  serving_setup_s              database, migrations, demo accounts, processes up
  serving_<page>_rps           answered requests per second (all 200)
  serving_<page>_p50_ms        median latency
  serving_<page>_p95_ms        95th percentile latency
Pages: `login` (anonymous, reads the current campaign) and `status` (the
applicant's status page, logged in: session, user, application). The client
shares the machine's 2 cores with the servers, so the figures are a floor.
Loopback only, bounded in time; everything is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.deploy.stack import (  # noqa: E402  (the deploy test's stack)
    _UNVERIFIED,
    HOST,
    Browser,
    log_in,
    missing_requirements,
    running_stack,
)


def hammer(
    port: int, path: str, cookies: str, seconds: float, clients: int
) -> tuple[int, list[float], int]:
    """Requests answered, their latencies in seconds, and the non-200 answers."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPSConnection(HOST, port, context=_UNVERIFIED, timeout=30)
        mine: list[float] = []
        bad = 0
        headers = {"Cookie": cookies} if cookies else {}
        try:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                mine.append(time.perf_counter() - started)
                if response.status != 200:
                    bad += 1
        finally:
            conn.close()
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    return len(latencies), latencies, failures[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    reason = missing_requirements()
    if reason:
        print(f"serving: skipped ({reason})")
        return 0
    started = time.perf_counter()
    with running_stack() as stack:
        print(f"serving_setup_s {time.perf_counter() - started:.1f}")
        browser = Browser()
        log_in(browser, stack.proxy, "13800000021")
        session = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        for name, path, cookies in (
            ("login", "/accounts/login/", ""),
            ("status", "/apply/status/", session),
        ):
            count, latencies, failures = hammer(
                stack.https_port, path, cookies, args.seconds, args.clients
            )
            if failures:
                print(f"serving_{name}: {failures} answers were not 200")
                return 1
            cuts = statistics.quantiles(latencies, n=20)
            print(f"serving_{name}_rps {count / args.seconds:.0f}")
            print(f"serving_{name}_p50_ms {statistics.median(latencies) * 1000:.1f}")
            print(f"serving_{name}_p95_ms {cuts[18] * 1000:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
