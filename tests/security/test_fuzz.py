"""Issue #12: hostile input never answers 500, on SQLite and PostgreSQL.

Each role of the seeded demo (with demo applications in every status) crawls
the site from its home page, following links to every URL pattern it can
reach (at most a few URLs per pattern). Every form found, GET filters and
POST forms alike, is then sent once per payload with every text-like field
(hidden ones too: views read them) set to the payload. File inputs are left
out; uploads have their own tests (tests/core/test_uploads.py).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve

from gongkao.accounts.models import RoleAssignment, User

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "😀👍",
    "\u202ertl\u202c",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "=cmd|' /C calc'!A0",
    "9" * 40,
    "-1",
]
# Free-text fields; choices and check boxes keep their first option.
TEXT_TYPES = {"text", "search", "number", "tel", "email", "date", "hidden", "url", ""}
# Stored files (/files/) are streamed downloads with no form; their own tests
# cover them, and an unconsumed FileResponse would leave the file open.
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/files/", "/accounts/logout/")
SKIP_SUFFIXES = (".xlsx", ".pdf", "/download/")
PAGES_PER_PATTERN = 2


@dataclass
class Form:
    method: str
    action: str
    text: list[str] = field(default_factory=list)
    fixed: dict[str, str] = field(default_factory=dict)


class _PageParser(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form":
            action = urljoin(self.url, a.get("action") or self.url)
            method = (a.get("method") or "get").lower()
            self._form = Form(method, action)
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "").lower()
            if kind in TEXT_TYPES and a["name"] != "csrfmiddlewaretoken":
                self._form.text.append(a["name"])
                self._form.fixed.setdefault(a["name"], a.get("value", ""))
            elif kind in {"checkbox", "radio"}:
                self._form.fixed.setdefault(a["name"], a.get("value", "on"))
        elif tag == "textarea":
            self._form.text.append(a["name"])
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select:
            self._form.fixed.setdefault(self._select, a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _local_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
        return None
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _pattern(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def _crawl(client: Client, start: str) -> tuple[set[str], list[Form]]:
    """Pages reached (by pattern) and the distinct forms on them."""
    seen_per_pattern: Counter[str] = Counter()
    visited: set[str] = set()
    queue = [start]
    forms: dict[tuple[str, str, tuple[str, ...]], Form] = {}
    patterns: set[str] = set()
    while queue:
        path = queue.pop(0)
        pattern = _pattern(path)
        if path in visited or pattern is None:
            continue
        if seen_per_pattern[pattern] >= PAGES_PER_PATTERN:
            continue
        visited.add(path)
        seen_per_pattern[pattern] += 1
        response = client.get(path)
        assert response.status_code != 500, path
        if response.status_code in (301, 302) and _local_path(response["Location"]):
            seen_per_pattern[pattern] -= 1
            queue.append(_local_path(response["Location"]) or "")
            continue
        if response.status_code != 200 or "html" not in response.get(
            "Content-Type", ""
        ):
            continue
        patterns.add(pattern)
        parser = _PageParser("http://testserver" + path)
        parser.feed(response.content.decode())
        for link in parser.links:
            local = _local_path(link)
            if local and local not in visited:
                queue.append(local)
        for form in parser.forms:
            action = _local_path(form.action)
            if action is None or not form.text:
                continue
            form.action = action
            patterns.add(_pattern(action) or "")
            key = (form.method, urlsplit(action).path, tuple(sorted(form.text)))
            forms.setdefault(key, form)
    return patterns, list(forms.values())


def _send(client: Client, form: Form, payload: str) -> int:
    data = dict(form.fixed)
    for name in form.text:
        data[name] = payload
    if form.method == "post":
        return client.post(form.action, data).status_code
    return client.get(urlsplit(form.action).path, data).status_code


def _all_patterns() -> set[str]:
    """Every named URL pattern of the project but the admin's."""
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace != "admin":
                    ns = entry.namespace or namespace
                    walk(entry, ns)
            elif entry.name:
                names.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver(), "")
    return names


def _personas() -> Iterator[User]:
    seen: set[str] = set()
    for assignment in RoleAssignment.objects.select_related("user").order_by("pk"):
        if assignment.role not in seen:
            seen.add(assignment.role)
            yield assignment.user
    # Applicants whose forms are open (a draft, a returned application).
    for status in ("draft", "returned"):
        applicant = User.objects.filter(applications__status=status).first()
        if applicant is not None:
            yield applicant


@pytest.fixture
def world(demo, in_window):
    from gongkao.review.demo import seed_demo_applications

    seed_demo_applications(20)


def test_no_500_for_hostile_input_in_any_form_of_any_role(world, capsys):
    start = time.perf_counter()
    failures: list[str] = []
    combinations = 0
    all_patterns: set[str] = set()
    visitors: list[User | None] = [None, *_personas()]  # None: not logged in
    for user in visitors:
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        patterns, forms = _crawl(client, "/" if user else "/accounts/login/")
        all_patterns |= patterns
        for form in forms:
            for payload in PAYLOADS:
                combinations += 1
                status = _send(client, form, payload)
                if status == 500:
                    failures.append(
                        f"{user} {form.method.upper()} {form.action} "
                        f"{sorted(form.text)} = {payload[:20]!r}"
                    )
                if user is not None:  # a password form may end the session
                    client.force_login(user)
    all_patterns.discard("")
    with capsys.disabled():
        print(
            f"\nfuzz: {len(all_patterns)} URL patterns, {combinations} "
            f"form×payload requests in {time.perf_counter() - start:.1f} s"
        )
        print(
            "fuzz: patterns not reached:",
            " ".join(sorted(_all_patterns() - all_patterns)),
        )
    assert not failures, "\n".join(failures)
