"""Two app processes behind nginx with TLS, sharing one PostgreSQL and one
MEDIA_ROOT (tests/deploy/stack.py): what docs/deploy.md promises.

A file uploaded through one process is served by the other, a session and
the login lockout and the SMS limit hold across both, and a backup restored
into an empty database and an empty directory serves the same pages. Runs
only where nginx, openssl and PostgreSQL are (`make system-deps` installs
nginx; CI has all three); loopback only, every wait bounded.
"""

from __future__ import annotations

import re
import secrets
import shutil
from collections.abc import Iterator

import pytest

from tests.deploy.stack import (
    HOST,
    PASSWORD,
    VIA_PROXY,
    Browser,
    Response,
    ScriptFailed,
    Stack,
    csrf_token,
    log_in,
    missing_requirements,
    running_stack,
)

pytestmark = pytest.mark.deploy

APPLICANT = "13800000021"  # 张建国 (campaigns/demo.py)
# A PDF over nginx's default 1 MB body limit: the shipped client_max_body_size
# must let it through. PDFs are stored byte for byte.
PDF = (
    b"%PDF-1.4\n%" + b"x" * (1536 * 1024) + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    reason = missing_requirements()
    if reason:
        pytest.skip(reason)
    with running_stack() as running:
        yield running


def served_by_both(responses: list[Response], stack: Stack) -> set[str]:
    return {r.via for r in responses} & {
        f"{HOST}:{port}" for port in stack.backend_ports
    }


def upload_id_card(browser: Browser, base: str, content: bytes) -> int:
    """Upload the ID card slot's file; the id of the stored file."""
    headers = VIA_PROXY if base.startswith("http:") else {}
    page = browser.get(f"{base}/apply/materials/", headers=headers)
    assert page.status == 200, page.status
    answer = browser.post(
        f"{base}/apply/materials/id_card/",
        fields={"csrfmiddlewaretoken": csrf_token(page)},
        files={"id_card-file": ("身份证.pdf", content, "application/pdf")},
        headers=headers,
    )
    assert answer.status == 302, answer.text[:500]
    page = browser.get(f"{base}/apply/materials/", headers=headers)
    ids = re.findall(r'href="/files/(\d+)/', page.text)
    assert ids, "the materials page links no file"
    return max(int(i) for i in ids)


def test_proxy_redirects_http_and_serves_static_files_itself(stack):
    browser = Browser()

    plain = browser.get(f"http://{HOST}:{stack.http_port}/accounts/login/")
    page = browser.get(f"{stack.proxy}/accounts/login/")
    css = re.search(r'href="(/static/css/[^"]+)"', page.text)
    assert css, "the page links no stylesheet"
    static = browser.get(f"{stack.proxy}{css.group(1)}")

    assert plain.status == 301
    assert plain.headers["Location"].startswith("https://")
    assert page.headers["Strict-Transport-Security"] == "max-age=3600"
    # A hashed name (WhiteNoise's manifest), answered by nginx, not gunicorn.
    assert re.search(r"\.[0-9a-f]{12}\.css$", css.group(1))
    assert (static.status, static.via) == (200, "")


def test_gunicorn_redirects_a_request_that_bypassed_tls(stack):
    answer = Browser().get(f"{stack.backend(0)}/accounts/login/")

    assert answer.status == 301
    assert answer.headers["Location"].startswith("https://")


def test_session_holds_on_both_processes(stack):
    browser = Browser()
    logged_in = log_in(browser, stack.proxy, APPLICANT)
    through_proxy = [browser.get(f"{stack.proxy}/apply/status/") for _ in range(4)]
    direct = [
        browser.get(f"{stack.backend(i)}/apply/status/", headers=VIA_PROXY)
        for i in range(2)
    ]
    anonymous = Browser().get(f"{stack.backend(1)}/apply/status/", headers=VIA_PROXY)

    assert logged_in.status == 302
    assert logged_in.headers["Location"] != "/accounts/login/"
    assert [r.status for r in through_proxy + direct] == [200] * 6
    assert all("张建国" in r.text for r in through_proxy + direct)
    assert len(served_by_both(through_proxy, stack)) == 2
    assert anonymous.status == 302
    assert anonymous.headers["Location"].startswith("/accounts/login/")


def test_file_uploaded_through_one_process_is_served_by_the_other(stack):
    browser = Browser()
    log_in(browser, stack.backend(0), APPLICANT)

    file_id = upload_id_card(browser, stack.backend(0), PDF)
    from_b = browser.get(f"{stack.backend(1)}/files/{file_id}/", headers=VIA_PROXY)
    through_proxy = [
        browser.get(f"{stack.proxy}/files/{file_id}/?download=1") for _ in range(2)
    ]
    stranger = Browser()
    log_in(stranger, stack.proxy, "13800000013")  # a clerk of another unit
    foreign = stranger.get(f"{stack.proxy}/files/{file_id}/")

    assert (from_b.status, from_b.body) == (200, PDF)
    assert [(r.status, r.body) for r in through_proxy] == [(200, PDF)] * 2
    assert len(served_by_both(through_proxy, stack)) == 2
    assert {"private", "no-store"} <= set(from_b.headers["Cache-Control"].split(", "))
    assert foreign.status == 404


def test_upload_through_the_proxy_accepts_a_large_file(stack):
    browser = Browser()
    log_in(browser, stack.proxy, APPLICANT)

    file_id = upload_id_card(browser, stack.proxy, PDF)

    assert browser.get(f"{stack.proxy}/files/{file_id}/").body == PDF


def test_login_lockout_counts_failures_on_both_processes(stack):
    account = "13800000012"  # 主管部门审核人 (campaigns/demo.py)
    browser = Browser()
    token = csrf_token(browser.get(f"{stack.proxy}/accounts/login/"))
    # One request per attempt, so that round-robin alternates the processes.
    attempts = [
        browser.post(
            f"{stack.proxy}/accounts/login/",
            fields={
                "csrfmiddlewaretoken": token,
                "username": account,
                "password": "wrong-password",
            },
        )
        for _ in range(5)
    ]
    with_password = [
        log_in(Browser(), stack.backend(i), account, PASSWORD) for i in range(2)
    ]
    through_proxy = log_in(Browser(), stack.proxy, account, PASSWORD)

    # The first four were wrong passwords; the fifth reached the limit.
    assert [r.status for r in attempts] == [200, 200, 200, 200, 429]
    assert len(served_by_both(attempts, stack)) == 2
    assert [r.status for r in with_password] == [429, 429]
    assert through_proxy.status == 429
    assert "锁定" in through_proxy.text


def test_sms_limit_holds_across_processes(stack):
    phone = "13800000004"  # 温县工考办 审查人员

    def ask_for_code(base: str) -> Response:
        browser = Browser()
        headers = VIA_PROXY if base.startswith("http:") else {}
        page = browser.get(f"{base}/accounts/password/reset/", headers=headers)
        return browser.post(
            f"{base}/accounts/password/reset/",
            fields={"csrfmiddlewaretoken": csrf_token(page), "phone": phone},
            headers=headers,
        )

    first = ask_for_code(stack.backend(0))
    second = ask_for_code(stack.backend(1))

    assert first.status == 302
    assert second.status == 200
    assert "验证码已发送，请60秒后再试" in second.text


def _comparable(page: Response) -> str:
    """A page without what differs between two renderings of it."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.text)


@pytest.mark.skipif(
    shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
    reason="needs pg_dump and pg_restore (postgresql-client)",
)
def test_backup_restores_into_an_empty_database_and_serves_the_same_pages(stack):
    browser = Browser()
    log_in(browser, stack.proxy, APPLICANT)
    file_id = upload_id_card(browser, stack.proxy, PDF)
    pages = ("/apply/status/", "/apply/materials/", "/apply/basic/")
    before = [browser.get(f"{stack.proxy}{page}") for page in pages]
    backups = stack.workdir / "backups"

    made = stack.instance.script("backup.sh", str(backups)).strip().splitlines()[-1]
    restored = stack.new_instance("restored")
    stack_key_restore = restored.script("restore.sh", made)
    restored.manage("migrate", "--no-input", "-v0")
    restored.manage("collectstatic", "--no-input", "-v0")
    server = stack.start_gunicorn(restored, "restored")
    again = Browser()
    log_in(again, server, APPLICANT)
    after = [again.get(f"{server}{page}", headers=VIA_PROXY) for page in pages]
    file_after = again.get(f"{server}/files/{file_id}/", headers=VIA_PROXY)

    assert "Restored" in stack_key_restore
    assert restored.media_root.is_dir()
    assert [r.status for r in after] == [200, 200, 200]
    assert [_comparable(r) for r in after] == [_comparable(r) for r in before]
    assert "张建国" in after[0].text
    # The owner sees the ID number decrypted: the restored key reads it.
    assert re.search(r"\b41\d{15}[\dX]\b", after[2].text)
    assert (file_after.status, file_after.body) == (200, PDF)


def test_restore_refuses_another_key_and_a_database_in_use(stack):
    backups = stack.workdir / "backups-refused"
    made = stack.instance.script("backup.sh", str(backups)).strip().splitlines()[-1]
    other_key = stack.new_instance("other-key", key=secrets.token_hex(32))

    with pytest.raises(ScriptFailed, match="not the key this backup was made with"):
        other_key.script("restore.sh", made)
    with pytest.raises(ScriptFailed, match="the target database is not empty"):
        stack.instance.script(
            "restore.sh", made, env={"MEDIA_ROOT": str(stack.workdir / "empty")}
        )
