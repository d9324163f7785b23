"""Nothing acknowledged is lost (issue #16, point 5): the server, as production
runs it (gunicorn with deploy/gunicorn.conf.py on PostgreSQL, DEBUG off), is
killed with SIGKILL in the middle of a sitting and started again; every answer
it acknowledged is in the database and the candidate resumes with the same
exam-screen cookie. Loopback only, every wait bounded.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.deploy.stack import (
    HOST,
    VIA_PROXY,
    Browser,
    Instance,
    Process,
    csrf_token,
    drop_database,
    free_port,
    missing_requirements,
    new_instance,
    pg_settings,
    prepare,
    start_gunicorn,
    wait_until_up,
)

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="gongkao-cbt-restart-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def instance(workdir: Path) -> Iterator[Instance]:
    reason = missing_requirements()
    if reason:
        pytest.skip(reason)
    made = new_instance(
        workdir,
        name="cbtrestart",
        key=secrets.token_hex(32),
        secret_key=secrets.token_urlsafe(50),
    )
    try:
        prepare(made, seed=False)
        yield made
    finally:
        with contextlib.suppress(psycopg.Error):
            drop_database(made.database)


def shell(instance: Instance, code: str) -> str:
    return instance.manage("shell", "-c", code).strip().splitlines()[-1]


def stored_answers(instance: Instance, attempt: int) -> dict[str, list[object]]:
    pg = pg_settings()
    with psycopg.connect(
        host=pg["DB_HOST"],
        port=int(pg["DB_PORT"]),
        user=pg["DB_USER"],
        password=pg["DB_PASSWORD"] or None,
        dbname=instance.database,
        connect_timeout=3,
    ) as conn:
        rows = conn.execute(
            "select position, choice, marked, seq from cbt_answer "
            "where attempt_id = %s",
            [attempt],
        ).fetchall()
    return {str(p): [c, m, s] for p, c, m, s in rows}


def kill(process: Process) -> None:
    """SIGKILL the master and every worker (one process group): no clean-up."""
    os.killpg(process.popen.pid, signal.SIGKILL)
    process.popen.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the workers too, and their socket
        try:
            os.killpg(process.popen.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise AssertionError("gunicorn's workers outlived SIGKILL")


def test_acknowledged_answers_survive_a_killed_server(instance, workdir):
    world = json.loads(
        shell(instance, "from tests.deploy.cbt_world import main_build; main_build(1)")
    )
    ticket, id_number = world["candidates"][0]
    port = free_port()
    base = f"http://{HOST}:{port}"
    processes = [start_gunicorn(instance, port, workdir / "gunicorn-1.log")]
    try:
        wait_until_up(processes[0], port)
        screen = Browser()
        page = screen.get(f"{base}/cbt/", headers=VIA_PROXY)
        login = screen.post(
            f"{base}/cbt/",
            fields={
                "csrfmiddlewaretoken": csrf_token(page),
                "ticket": ticket,
                "id_number": id_number,
            },
            headers=VIA_PROXY,
        )
        assert login.status == 302, login.text[:500]
        waiting = json.loads(screen.get(f"{base}/cbt/state/", headers=VIA_PROXY).body)
        attempt = waiting["current"]["attempt"]
        assert "key" not in waiting["current"]
        shell(
            instance,
            "from tests.deploy.cbt_world import start; "
            f"start({world['sitting']}, {world['rooms']}, {world['proctor']})",
        )
        headers = {
            **VIA_PROXY,
            "X-CSRFToken": screen.cookies["csrftoken"],
            "Referer": f"https://{HOST}:{port}/cbt/exam/",
        }
        sent = [(1, "A", False), (2, "B", True), (3, "AC", False), (2, "D", False)]
        acknowledged: dict[str, list[object]] = {}
        for seq, (position, choice, marked) in enumerate(sent, start=1):
            reply = screen.post(
                f"{base}/cbt/answer/",
                data={
                    "attempt": attempt,
                    "position": position,
                    "choice": choice,
                    "marked": marked,
                    "seq": seq,
                },
                headers=headers,
            )
            body = json.loads(reply.body)
            assert (reply.status, body["ok"], body["seq"]) == (200, True, seq)
            acknowledged[str(position)] = [choice, marked, seq]

        kill(processes[0])
        after_kill = stored_answers(instance, attempt)
        processes.append(start_gunicorn(instance, port, workdir / "gunicorn-2.log"))
        wait_until_up(processes[1], port)
        resumed = json.loads(screen.get(f"{base}/cbt/state/", headers=VIA_PROXY).body)
        stale = screen.post(
            f"{base}/cbt/answer/",
            data={"attempt": attempt, "position": 2, "choice": "B", "seq": 2},
            headers=headers,
        )
        more = screen.post(
            f"{base}/cbt/answer/",
            data={"attempt": attempt, "position": 4, "choice": "B", "seq": 5},
            headers=headers,
        )
    finally:
        for process in processes:
            process.stop()

    assert after_kill == acknowledged
    current = resumed["current"]
    assert (current["attempt"], current["state"]) == (attempt, "answering")
    assert current["key"] and current["remaining_ms"] > 0
    assert current["saved"] == acknowledged
    # A repeat of an old save changes nothing; the next one is kept.
    assert json.loads(stale.body)["ok"] and json.loads(more.body)["ok"]
    assert stored_answers(instance, attempt) == {
        **acknowledged,
        "4": ["B", False, 5],
    }
