"""`make run` serves the demo with DEBUG off: a newcomer sees the real Chinese
error pages, styled by the static files WhiteNoise serves from the same process.

The test takes the environment of `make run`'s runserver line from the Makefile
itself (`make -n run`), starts runserver with it on a fresh SQLite database and
a free loopback port, and looks at a missing page in Chromium."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


def _run_env() -> dict[str, str]:
    """The VAR=value words before `manage.py runserver` in `make -n run`."""
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", "PY=python"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    line = next(raw for raw in dry.splitlines() if "manage.py runserver" in raw)
    env = {}
    for word in shlex.split(line):
        match = re.fullmatch(r"([A-Z_]+)=(.*)", word)
        if match:
            env[match[1]] = match[2]
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_make_run_serves_with_debug_off():
    env = _run_env()
    assert env.get("DEBUG") == "false"
    assert env.get("SECURE_COOKIES") == "false"


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[str]:
    cleared = {"DATABASE_URL", "DB", "DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEY"}
    env = {k: v for k, v in os.environ.items() if k not in cleared}
    env |= {
        "ENV_FILE": "/nonexistent/.env",
        "SECRET_KEY": "s" * 50,
        "FIELD_ENCRYPTION_KEY": "ab" * 32,
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "TASKS_BACKEND": "immediate",
        **_run_env(),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "-v0"],
        ["createcachetable"],
        ["collectstatic", "--no-input", "-v0"],
    ):
        subprocess.run(manage + command, env=env, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def test_missing_page_is_the_chinese_404_with_its_styles(
    demo_server, page: Page, screenshot_dir
):
    page.set_viewport_size({"width": 360, "height": 740})
    stylesheets = []
    page.on(
        "response",
        lambda r: stylesheets.append(r.status) if r.url.endswith(".css") else None,
    )
    response = page.goto(f"{demo_server}/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    expect(page.get_by_role("link", name="返回首页")).to_be_visible()
    assert "Page not found" not in page.content()
    # The stylesheet came from WhiteNoise (hashed name), not a debug handler.
    assert stylesheets and set(stylesheets) == {200}
    page.screenshot(path=screenshot_dir / "make-run-404.png", full_page=True)
