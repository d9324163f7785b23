"""Gongkao as production runs it, on loopback: PostgreSQL, gunicorn, nginx.

`running_stack()` creates a fresh PostgreSQL database, migrates and seeds it
with the demo's accounts, then starts two gunicorn processes (each with its
own workers, deploy/gunicorn.conf.py) on two loopback ports with the same
settings (one database, one MEDIA_ROOT, one key), and nginx in front of them
with deploy/nginx/gongkao.conf and a self-signed certificate. Everything it
starts runs in its own process group and is stopped, and the database
dropped, when the block ends, however it ends.

Used by tests/deploy/test_two_processes.py and bench/serving.py. Loopback
only; every wait is bounded.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote_plus

import psycopg

ROOT = Path(__file__).resolve().parents[2]
NGINX_SITE = ROOT / "deploy" / "nginx" / "gongkao.conf"
HOST = "127.0.0.1"
PASSWORD = "Gongkao@2025"  # the demo's (campaigns/demo.py)
# Variables of the caller's environment that must not reach the stack.
_CLEARED = (
    "DATABASE_URL",
    "DB",
    "DB_NAME",
    "DB_TEST_NAME",
    "DEBUG",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEY",
    "REDIS_URL",
    "TASKS_BACKEND",
    "FILE_STORAGE_BACKEND",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "SQLITE_PATH",
)


def pg_settings() -> dict[str, str]:
    """The local PostgreSQL server, as `make test-postgres` finds it."""
    return {
        "DB_HOST": os.environ.get("DB_HOST", HOST),
        "DB_PORT": os.environ.get("DB_PORT", "5432"),
        "DB_USER": os.environ.get("DB_USER", "postgres"),
        "DB_PASSWORD": os.environ.get("DB_PASSWORD", ""),
    }


def _admin_connection() -> psycopg.Connection[tuple[object, ...]]:
    pg = pg_settings()
    return psycopg.connect(
        host=pg["DB_HOST"],
        port=int(pg["DB_PORT"]),
        user=pg["DB_USER"],
        password=pg["DB_PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    )


def missing_requirements() -> str:
    """Why the stack cannot run here, or "" when it can."""
    for tool in ("nginx", "openssl"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            return f"{tool} is not installed (make system-deps installs it)"
    try:
        with _admin_connection() as conn:
            conn.execute("select 1")
    except psycopg.Error as exc:
        return f"no PostgreSQL at {pg_settings()['DB_HOST']}: {exc}"
    return ""


def create_database(name: str) -> None:
    with _admin_connection() as conn:
        conn.execute(f'create database "{name}"')


def drop_database(name: str) -> None:
    with _admin_connection() as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def _nginx() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass
class Instance:
    """One deployment's settings: its database, files and keys."""

    env: dict[str, str]
    database: str
    media_root: Path
    static_root: Path

    def manage(self, *args: str, timeout: float = 120) -> str:
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def script(self, *args: str, env: dict[str, str] | None = None) -> str:
        """Run a deploy/ script with this instance's environment."""
        result = subprocess.run(
            [str(ROOT / "deploy" / args[0]), *args[1:]],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise ScriptFailed(result.stdout + result.stderr)
        return result.stdout


class ScriptFailed(RuntimeError):
    pass


def new_instance(
    workdir: Path, *, name: str, key: str, secret_key: str, database: str = ""
) -> Instance:
    """Settings for one deployment; its database is created empty."""
    database = database or f"gongkao_{name}_{uuid.uuid4().hex[:8]}"
    media_root = workdir / f"media-{name}"
    static_root = workdir / f"static-{name}"
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env.update(pg_settings())
    env.update(
        {
            # A developer's .env must not leak in.
            "ENV_FILE": str(workdir / "no.env"),
            "DJANGO_SETTINGS_MODULE": "gongkao.settings",
            "DEBUG": "false",
            "SECRET_KEY": secret_key,
            "FIELD_ENCRYPTION_KEY": key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DB": "postgres",
            "DB_NAME": database,
            "DB_POOL": "true",
            "MEDIA_ROOT": str(media_root),
            "STATIC_ROOT": str(static_root),
            "BEHIND_PROXY": "true",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_HSTS_SECONDS": "3600",
            "TASKS_BACKEND": "database",
            "WEB_CONCURRENCY": os.environ.get("STACK_WORKERS", "2"),
            "LOG_LEVEL": "WARNING",
        }
    )
    create_database(database)
    return Instance(env, database, media_root, static_root)


def prepare(instance: Instance, *, seed: bool = True) -> None:
    """What docs/deploy.md runs before a first start: migrate, cache table,
    static files; and the demo's organisations and accounts."""
    instance.manage("migrate", "--no-input", "-v0", timeout=300)
    instance.manage("createcachetable")
    instance.manage("collectstatic", "--no-input", "-v0")
    if seed:
        instance.manage(
            "shell", "-c", "from gongkao.campaigns.demo import seed_demo; seed_demo()"
        )


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        """TERM the process group, then KILL it if it is still there after 15 s."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=5)

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""


def _start(name: str, command: list[str], env: dict[str, str], log: Path) -> Process:
    with log.open("wb") as out:
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own group: stop() ends the workers too
        )
    return Process(name, popen, log)


def start_gunicorn(instance: Instance, port: int, log: Path) -> Process:
    env = {
        **instance.env,
        "GUNICORN_BIND": f"{HOST}:{port}",
        "GUNICORN_PROC_NAME": f"gongkao-test-{port}",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
    ]
    return _start(f"gunicorn:{port}", command, env, log)


def wait_until_up(process: Process, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited:\n{process.tail()}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), 1):
            return
        time.sleep(0.2)
    raise RuntimeError(
        f"{process.name} not listening after {timeout} s:\n{process.tail()}"
    )


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def render_site(
    *,
    backends: list[int],
    http_port: int,
    https_port: int,
    cert: Path,
    key: Path,
    static_root: Path,
) -> str:
    """deploy/nginx/gongkao.conf with loopback ports and this run's paths.

    Every replaced line must be in the shipped file, so that the test runs
    the configuration the guide installs. One line is added: the upstream
    that served each request, which the test reads.
    """
    site = NGINX_SITE.read_text(encoding="utf-8")
    upstreams = "\n".join(f"    server {HOST}:{port};" for port in backends)
    replacements = {
        "    server 127.0.0.1:8001;": upstreams,
        "    listen 80;": f"    listen {HOST}:{http_port};",
        "    listen [::]:80;\n": "",
        "    listen 443 ssl http2;": f"    listen {HOST}:{https_port} ssl http2;",
        "    listen [::]:443 ssl http2;\n": "",
        "/etc/ssl/gongkao/fullchain.pem": str(cert),
        "/etc/ssl/gongkao/privkey.pem": str(key),
        "alias /var/lib/gongkao/static/;": f"alias {static_root}/;",
        "        proxy_pass http://gongkao;": (
            "        proxy_pass http://gongkao;\n"
            "        add_header X-Upstream $upstream_addr always;"
        ),
    }
    for old, new in replacements.items():
        if old not in site:
            raise AssertionError(f"deploy/nginx/gongkao.conf no longer has {old!r}")
        site = site.replace(old, new)
    return site


def start_nginx(directory: Path, site: str) -> Process:
    """nginx in the foreground with its own prefix, logs and temp paths."""
    (directory / "gongkao.conf").write_text(site, encoding="utf-8")
    (directory / "nginx.conf").write_text(
        f"""
worker_processes 1;
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {directory}/access.log;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {directory}/gongkao.conf;
}}
""",
        encoding="utf-8",
    )
    command = [
        _nginx(),
        "-p",
        str(directory),
        "-e",
        str(directory / "error.log"),
        "-c",
        str(directory / "nginx.conf"),
    ]
    check = subprocess.run(
        [*command, "-t"], capture_output=True, text=True, timeout=30, check=False
    )
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
    return _start("nginx", command, dict(os.environ), directory / "nginx.out")


@dataclass
class Stack:
    workdir: Path
    instance: Instance
    backend_ports: list[int]
    http_port: int
    https_port: int
    processes: list[Process] = field(default_factory=list)
    databases: list[str] = field(default_factory=list)

    @property
    def proxy(self) -> str:
        return f"https://{HOST}:{self.https_port}"

    def backend(self, index: int) -> str:
        return f"http://{HOST}:{self.backend_ports[index]}"

    def start_gunicorn(self, instance: Instance, name: str) -> str:
        """One more gunicorn (e.g. a restored instance); stopped with the rest."""
        port = free_port()
        process = start_gunicorn(instance, port, self.workdir / f"{name}.log")
        self.processes.append(process)
        wait_until_up(process, port)
        return f"http://{HOST}:{port}"

    def new_instance(self, name: str, *, key: str | None = None) -> Instance:
        """Another deployment's settings with an empty database (dropped at the
        end); the same key and secret key as the stack's unless `key` is given."""
        instance = new_instance(
            self.workdir,
            name=name,
            key=key or self.instance.env["FIELD_ENCRYPTION_KEY"],
            secret_key=self.instance.env["SECRET_KEY"],
        )
        self.databases.append(instance.database)
        return instance

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.tail()}" for p in self.processes)


@contextlib.contextmanager
def running_stack(*, seed: bool = True) -> Iterator[Stack]:
    """Two gunicorn processes sharing one database and one MEDIA_ROOT, nginx
    with TLS in front; all stopped and the databases dropped at the end."""
    workdir = Path(tempfile.mkdtemp(prefix="gongkao-stack-"))
    # nginx's workers run as nobody when the tests run as root: they must be
    # able to read the static files and write their temp files here.
    workdir.chmod(0o755)
    databases: list[str] = []
    stack: Stack | None = None
    try:
        instance = new_instance(
            workdir,
            name="deploy",
            key=secrets.token_hex(32),
            secret_key=secrets.token_urlsafe(50),
        )
        databases.append(instance.database)
        prepare(instance, seed=seed)
        stack = Stack(
            workdir=workdir,
            instance=instance,
            backend_ports=[free_port(), free_port()],
            http_port=free_port(),
            https_port=free_port(),
            databases=databases,
        )
        for port in stack.backend_ports:
            stack.processes.append(
                start_gunicorn(instance, port, workdir / f"gunicorn-{port}.log")
            )
        for process, port in zip(stack.processes, stack.backend_ports, strict=True):
            wait_until_up(process, port)
        cert, key = self_signed_certificate(workdir)
        nginx_dir = workdir / "nginx"
        nginx_dir.mkdir(mode=0o755)
        site = render_site(
            backends=stack.backend_ports,
            http_port=stack.http_port,
            https_port=stack.https_port,
            cert=cert,
            key=key,
            static_root=instance.static_root,
        )
        nginx = start_nginx(nginx_dir, site)
        stack.processes.append(nginx)
        wait_until_up(nginx, stack.https_port, timeout=20)
        yield stack
    finally:
        if stack is not None:
            for process in reversed(stack.processes):
                process.stop()
        for name in databases:
            with contextlib.suppress(psycopg.Error):
                drop_database(name)
        shutil.rmtree(workdir, ignore_errors=True)


# --- an HTTP client that keeps cookies across addresses ---------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    via: str  # the upstream nginx named, or "" when nginx answered itself

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


_UNVERIFIED = ssl.create_default_context()
_UNVERIFIED.check_hostname = False
_UNVERIFIED.verify_mode = ssl.CERT_NONE  # the test's self-signed certificate


class Browser:
    """Cookies by name, sent to any address: the same session through the
    proxy (HTTPS) and straight to each gunicorn (HTTP, told by the headers the
    proxy would add that the client came over HTTPS). No redirects followed;
    `data` is sent as a JSON body."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self,
        url: str,
        method: str = "GET",
        *,
        fields: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        data: object = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        match = re.fullmatch(r"(https?)://([^/]+)(/.*)", url)
        assert match, url
        scheme, netloc, path = match.groups()
        host, _, port = netloc.partition(":")
        conn: http.client.HTTPConnection = (
            http.client.HTTPSConnection(
                host, int(port), context=_UNVERIFIED, timeout=30
            )
            if scheme == "https"
            else http.client.HTTPConnection(host, int(port), timeout=30)
        )
        sent = {"Host": netloc, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body: bytes | None = None
        if data is not None:
            body = json.dumps(data).encode()
            sent["Content-Type"] = "application/json"
        elif files is not None:
            body, sent["Content-Type"] = _multipart(fields or {}, files)
        elif fields is not None:
            body = "&".join(
                f"{quote_plus(k)}={quote_plus(v)}" for k, v in fields.items()
            ).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if method == "POST":
            # Django's CSRF check wants a same-origin Referer over HTTPS.
            sent.setdefault("Referer", f"https://{netloc}{path}")
        try:
            conn.request(method, path, body=body, headers=sent)
            raw = conn.getresponse()
            data = raw.read()
        finally:
            conn.close()
        for header in raw.headers.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Response(
            raw.status, raw.headers, data, raw.headers.get("X-Upstream", "")
        )

    def get(self, url: str, **kwargs: object) -> Response:
        return self.request(url, "GET", **kwargs)  # type: ignore[arg-type]

    def post(self, url: str, **kwargs: object) -> Response:
        return self.request(url, "POST", **kwargs)  # type: ignore[arg-type]


# What nginx adds for a client: straight to gunicorn, a test must add it itself.
VIA_PROXY = {"X-Forwarded-Proto": "https", "X-Real-IP": HOST}


def _multipart(
    fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    boundary = "gongkao" + uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def csrf_token(page: Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, f"no CSRF token in the page ({page.status})"
    return match.group(1)


def log_in(
    browser: Browser, base: str, login: str, password: str = PASSWORD
) -> Response:
    headers = VIA_PROXY if base.startswith("http:") else {}
    page = browser.get(f"{base}/accounts/login/", headers=headers)
    return browser.post(
        f"{base}/accounts/login/",
        fields={
            "csrfmiddlewaretoken": csrf_token(page),
            "username": login,
            "password": password,
        },
        headers=headers,
    )
