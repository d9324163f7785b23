"""The computer-based test under load: N candidates on one small server.

    python bench/cbt_load.py [--candidates 2000] [--think 5] [--duration 60]
                             [--workers 4] [--poll 2.5]        # make bench-cbt

Starts the server as production runs it here (tests/deploy/stack.py: a fresh
PostgreSQL database, gunicorn with deploy/gunicorn.conf.py, WEB_CONCURRENCY
sync workers, DEBUG off, the psycopg pool) and builds a sitting of
--candidates seated candidates with tickets and papers (tests/deploy/
cbt_world.py). Then N simulated exam screens, on loopback, straight to
gunicorn (the headers nginx would add):

1. log in at the seat (GET and POST /cbt/), read /cbt/state/ and fetch the
   sealed paper, as the screen does before the start;
2. wait for the start, polling the start signal /cbt/go/ every --poll seconds plus up to
   1 s (static/js/cbt.js); the room start of every room is given at one
   moment (services.start_room). `start_p99_ms` is the latency of each
   screen's first /cbt/go/ that brings the key (the time from the signal
   to the key, which adds the poll interval, goes to stderr);
3. answer a random question every --think seconds (jittered ×0.5–1.5) for
   --duration seconds: POST /cbt/answer/ with the CSRF token, a sequence
   number per screen, and /cbt/state/ every 60 s as the screen does;
4. compare every answer each screen saw acknowledged (the latest per
   position) with the database.

Prints, one per line: candidates, start_p99_ms, autosave_p50_ms,
autosave_p99_ms, errors (any request of steps 2–3 that is not a 200 with
ok, or has no answer in 30 s; a screen without the key 120 s after the
signal), lost_answers (any makes the exit status 1); details (the time from
the signal to the key, the client's CPU, the kinds of errors) go to stderr.
The client is asyncio over raw HTTP/1.1 (gunicorn's sync workers answer one
request a connection), in one process (about 1 ms of CPU a request): it
shares the machine's 2 cores with the server and the database, so the
figures are a floor. Loopback only, bounded in time; everything is stopped
and the database dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import resource
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.deploy.stack import (  # noqa: E402  (the deploy test's stack)
    HOST,
    Process,
    drop_database,
    free_port,
    missing_requirements,
    new_instance,
    prepare,
    start_gunicorn,
    wait_until_up,
)

TIMEOUT = 30.0
STATE_EVERY = 60.0  # cbt.js: the answering screen's poll


class Failed(Exception):
    pass


@dataclass
class Reply:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def json(self) -> dict[str, object]:
        data = json.loads(self.body)
        if not isinstance(data, dict):
            raise Failed("not a JSON object")
        return data


async def http(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str],
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> Reply:
    """One request on its own connection (gunicorn's sync workers close it)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {HOST}:{port}",
            "Connection: close",
            "X-Forwarded-Proto: https",
            f"X-Real-IP: {HOST}",
        ]
        if cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        raw = await reader.read(-1)
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    head, _, payload = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise Failed(f"no HTTP answer: {status_line!r}")
    found: dict[str, list[str]] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        found.setdefault(name.strip().lower(), []).append(value.strip())
    if "chunked" in ",".join(found.get("transfer-encoding", [])):
        payload = _unchunk(payload)
    for header in found.get("set-cookie", []):
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if value in ("", '""'):
            cookies.pop(name, None)
        else:
            cookies[name] = value
    return Reply(int(parts[1]), found, payload)


def _unchunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2 :]
    return out


@dataclass
class Screen:
    """One simulated exam screen."""

    ticket: str
    id_number: str
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    attempt: int = 0
    n_items: int = 0
    seq: int = 0
    start_latency: float | None = None
    key_at: float | None = None
    acked: dict[int, tuple[int, str, bool]] = field(default_factory=dict)


@dataclass
class Run:
    port: int
    args: argparse.Namespace
    save_latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    signal_at: float | None = None
    start_deadline: float = 0.0  # a screen without the key by then: an error
    end_at: float = 0.0

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


async def log_in(run: Run, screen: Screen) -> None:
    page = await http(run.port, "GET", "/cbt/", cookies=screen.cookies)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if page.status != 200 or token is None:
        raise Failed(f"login page {page.status}")
    fields = {
        "csrfmiddlewaretoken": token.group(1).decode(),
        "ticket": screen.ticket,
        "id_number": screen.id_number,
    }
    body = "&".join(f"{k}={quote_plus(v)}" for k, v in fields.items()).encode()
    answer = await http(
        run.port,
        "POST",
        "/cbt/",
        cookies=screen.cookies,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://{HOST}:{run.port}/cbt/",
        },
    )
    if answer.status != 302 or "gk_cbt" not in screen.cookies:
        raise Failed(f"login {answer.status}: {answer.body[:300]!r}")
    screen.csrf = screen.cookies["csrftoken"]
    state = (await http(run.port, "GET", "/cbt/state/", cookies=screen.cookies)).json()
    current = state["current"]
    assert isinstance(current, dict)
    screen.attempt = int(current["attempt"])
    screen.n_items = int(current["n_items"])
    sealed = await http(
        run.port, "GET", f"/cbt/paper/{screen.attempt}/", cookies=screen.cookies
    )
    if sealed.status != 200 or "sealed" not in sealed.json():
        raise Failed(f"paper {sealed.status}")


async def wait_for_start(run: Run, screen: Screen) -> None:
    """Poll the start signal /cbt/go/ as the waiting screen does until it
    brings the key; the screen reads its state once, later, spread out."""
    await asyncio.sleep(random.uniform(0, run.args.poll))
    while time.monotonic() < run.start_deadline:
        sent = time.monotonic()
        try:
            reply = await asyncio.wait_for(
                http(run.port, "GET", "/cbt/go/", cookies=screen.cookies), TIMEOUT
            )
            go = reply.json() if reply.status == 200 else {}
        except (OSError, TimeoutError, ValueError, Failed):
            run.error("go")
            go = {}
        if go.get("key"):
            screen.key_at = time.monotonic()
            screen.start_latency = screen.key_at - sent
            return
        await asyncio.sleep(run.args.poll + random.uniform(0, 1.0))


async def answer(run: Run, screen: Screen, position: int) -> None:
    screen.seq += 1
    choice = "".join(sorted(random.sample("ABCD", 2 if random.random() < 0.25 else 1)))
    marked = random.random() < 0.1
    body = json.dumps(
        {
            "attempt": screen.attempt,
            "position": position,
            "choice": choice,
            "marked": marked,
            "seq": screen.seq,
        }
    ).encode()
    sent = time.perf_counter()
    try:
        reply = await asyncio.wait_for(
            http(
                run.port,
                "POST",
                "/cbt/answer/",
                cookies=screen.cookies,
                body=body,
                headers={
                    "Content-Type": "application/json",
                    "X-CSRFToken": screen.csrf,
                    "Referer": f"https://{HOST}:{run.port}/cbt/exam/",
                },
            ),
            TIMEOUT,
        )
    except (OSError, TimeoutError, Failed):
        run.error("answer: no reply")
        return
    run.save_latencies.append(time.perf_counter() - sent)
    try:
        data = reply.json()
    except ValueError:
        data = {}
    if reply.status != 200 or not data.get("ok") or data.get("seq") != screen.seq:
        run.error(f"answer: {reply.status} {str(data.get('error', ''))[:40]}")
        return
    screen.acked[position] = (screen.seq, choice, marked)


async def keep_state(run: Run, screen: Screen) -> None:
    """The answering screen's /cbt/state/ every 60 s (plus up to 0.5 s)."""
    await asyncio.sleep(random.uniform(0, STATE_EVERY))
    while time.monotonic() < run.end_at:
        try:
            reply = await asyncio.wait_for(
                http(run.port, "GET", "/cbt/state/", cookies=screen.cookies), TIMEOUT
            )
            if reply.status != 200:
                run.error(f"state {reply.status}")
        except (OSError, TimeoutError, Failed):
            run.error("state: no reply")
        await asyncio.sleep(STATE_EVERY + random.uniform(0, 0.5))


async def sit(run: Run, screen: Screen, answering_until: list[float]) -> None:
    await wait_for_start(run, screen)
    if screen.key_at is None:
        run.error("never started")
        return
    polling = asyncio.create_task(keep_state(run, screen))
    think = run.args.think
    await asyncio.sleep(random.uniform(0, think))
    while time.monotonic() < answering_until[0]:
        await answer(run, screen, random.randint(1, screen.n_items))
        await asyncio.sleep(think * random.uniform(0.5, 1.5))
    polling.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await polling


async def bounded(limit: asyncio.Semaphore, work: object) -> None:
    async with limit:
        await work  # type: ignore[misc]


async def drive(run: Run, screens: list[Screen], start_signal: object) -> None:
    """Log everyone in, wait a few polls, give the start, let them answer."""
    limit = asyncio.Semaphore(32)
    started = time.perf_counter()
    results = await asyncio.gather(
        *(bounded(limit, log_in(run, s)) for s in screens), return_exceptions=True
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        raise Failed(f"{len(failures)} logins failed, e.g. {failures[0]!r}")
    print(
        f"logged in {len(screens)} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    run.end_at = run.start_deadline = time.monotonic() + 3600
    answering_until = [run.end_at]
    tasks = [asyncio.create_task(sit(run, s, answering_until)) for s in screens]
    await asyncio.sleep(run.args.poll * 2)  # the waiting room's polls settle
    loop = asyncio.get_running_loop()
    run.signal_at = time.monotonic()
    await loop.run_in_executor(None, start_signal)  # type: ignore[arg-type]
    print(
        f"start signal given in {time.monotonic() - run.signal_at:.2f} s",
        file=sys.stderr,
    )
    run.start_deadline = run.signal_at + 120
    answering_until[0] = time.monotonic() + run.args.duration
    run.end_at = answering_until[0] + 5
    await asyncio.gather(*tasks)


def lost_answers(screens: list[Screen]) -> int:
    """Acknowledged answers the database does not hold as acknowledged (or newer)."""
    from gongkao.cbt.models import Answer

    stored = {
        (a, p): (seq, choice, marked)
        for a, p, seq, choice, marked in Answer.objects.filter(
            attempt_id__in=[s.attempt for s in screens]
        ).values_list("attempt_id", "position", "seq", "choice", "marked")
    }
    lost = 0
    for screen in screens:
        for position, (seq, choice, marked) in screen.acked.items():
            found = stored.get((screen.attempt, position))
            kept = found is not None and (
                found[0] > seq or (found[0] == seq and found[1:] == (choice, marked))
            )
            lost += not kept
    return lost


def ms(value: float) -> str:
    return f"{value * 1000:.0f}"


def quantile(values: list[float], q: int) -> float:
    """The q-th percentile (0 for no values)."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--think", type=float, default=5.0)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--poll", type=float, default=2.5)
    args = parser.parse_args()
    reason = missing_requirements()
    if reason:
        print(f"cbt_load: skipped ({reason})")
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="gongkao-cbtload-"))
    instance = new_instance(
        workdir,
        name="cbtload",
        key=secrets.token_hex(32),
        secret_key=secrets.token_urlsafe(50),
        database=f"gk_cbtload_{secrets.token_hex(4)}",
    )
    server: Process | None = None
    lost = 0
    try:
        instance.env["WEB_CONCURRENCY"] = str(args.workers)
        started = time.perf_counter()
        prepare(instance, seed=False)
        os.environ.update(instance.env)
        import django

        django.setup()
        from tests.deploy import cbt_world

        world = cbt_world.build(args.candidates)
        print(f"built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        port = free_port()
        server = start_gunicorn(instance, port, workdir / "gunicorn.log")
        wait_until_up(server, port)
        screens = [Screen(t, i) for t, i in world["candidates"]]  # type: ignore[attr-defined]
        run = Run(port, args)

        def start_signal() -> None:
            from django.db import connection

            cbt_world.start(world["sitting"], world["rooms"], world["proctor"])  # type: ignore[arg-type]
            connection.close()

        used = resource.getrusage(resource.RUSAGE_SELF)
        asyncio.run(drive(run, screens, start_signal))
        after = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
        starts = [s.start_latency for s in screens if s.start_latency is not None]
        waits = [
            s.key_at - run.signal_at for s in screens if s.key_at and run.signal_at
        ]
        print(
            f"(start: signal to key p50 {ms(quantile(waits, 50))} ms, "
            f"p99 {ms(quantile(waits, 99))} ms; "
            f"{len(run.save_latencies)} saves; the client's CPU {client_cpu:.1f} s; "
            f"errors {run.error_kinds})",
            file=sys.stderr,
        )
        print(f"candidates {len(screens)}")
        print(f"start_p99_ms {ms(quantile(starts, 99))}")
        print(f"autosave_p50_ms {ms(quantile(run.save_latencies, 50))}")
        print(f"autosave_p99_ms {ms(quantile(run.save_latencies, 99))}")
        print(f"errors {run.errors}")
        lost = lost_answers(screens)
        print(f"lost_answers {lost}")
    finally:
        if server is not None:
            server.stop()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with contextlib.suppress(Exception):
            drop_database(instance.database)
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
