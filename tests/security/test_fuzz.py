"""Issue #12: hostile input never answers 500, on SQLite and PostgreSQL.

Each role of the seeded demo (with demo applications in every status) crawls
the site from its home page, following links to every URL pattern it can
reach (at most a few URLs per pattern). Every form found, GET filters and
POST forms alike, is then sent once per payload with every text-like field
(hidden ones too: views read them) and every choice set to the payload.
Forms without such fields (buttons: withdraw, mark printed, logout …) and
the buttons' own actions (`hx-post`) are sent once, last; the pages they
redirect to (a job started by an export) are crawled in turn. Downloads
(stored files, exports, PDFs) are fetched once each and closed. File inputs
are left out; uploads have their own tests (tests/core/test_uploads.py).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.applications.models import Application
from gongkao.applications.services import submit_application
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign
from gongkao.cbt import practice as cbt_practice
from gongkao.cbt import services as cbt_services
from gongkao.cbt import views as cbt_views
from gongkao.cbt.models import Attempt
from gongkao.core.models import BackgroundJob
from gongkao.exams.checkin import starts_at
from gongkao.exams.models import SeatAssignment
from gongkao.organizations.models import ExamOffice, Unit
from gongkao.organizations.queries import reviewing_office
from gongkao.questions.models import Paper, Question
from gongkao.review.models import Batch
from tests import factories

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
SKIP_PREFIXES = ("/admin/", "/static/", "/media/")
# Downloads: fetched once per pattern and closed (a FileResponse left
# unconsumed would leave its file open), never parsed.
DOWNLOAD_PREFIXES = ("/files/",)
DOWNLOAD_SUFFIXES = (".xlsx", ".csv", ".pdf", "/download/")
PAGES_PER_PATTERN = 2
# Pages whose buttons depend on the state shown: more of them, so that a
# batch in every state of the demo and a file at every step are seen.
MORE_PAGES = {"review:batch": 16, "review:review": 8}


@dataclass
class Form:
    method: str
    action: str
    text: list[str] = field(default_factory=list)
    fixed: dict[str, str] = field(default_factory=dict)
    # Other actions of the same fields: a button's hx-post or formaction.
    alternates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExamCandidate:
    """A candidate at the exam screen: known by the signed cookie of their
    login (gongkao/cbt/views.py), not by an account session."""

    login_id: int
    version: int
    attempt_id: int

    def __str__(self) -> str:
        return f"exam-login {self.login_id}"

    def cookie(self) -> str:
        return signing.dumps([self.login_id, self.version], salt=cbt_views.SALT)

    def starts(self) -> list[str]:
        return ["/cbt/exam/", "/cbt/state/", f"/cbt/paper/{self.attempt_id}/"]


# The exam screen's JSON requests (static/js/cbt.js), each field set in turn
# to a payload (and to a non-string).
JSON_FIELDS: dict[str, dict[str, object]] = {
    "/cbt/answer/": {"attempt": 0, "position": 1, "choice": "A", "seq": 1},
    "/cbt/submit/": {"attempt": 0},
}
# The practice test's (the same screen, the applicant's session).
PRACTICE_FIELDS: dict[str, dict[str, object]] = {
    "/practice/answer/": {"position": 1, "choice": "A", "seq": 1},
    "/practice/submit/": {},
}


JSON_PAYLOADS: list[object] = [*PAYLOADS, None, [], {"a": 1}, 10**30, -1]


def _fuzz_json(
    client: Client,
    candidate: ExamCandidate | User,
    paths: dict[str, dict[str, object]],
    attempt_id: int = 0,
) -> tuple[int, list[str], set[str]]:
    """Returns the requests sent, the 500s and the patterns that answered."""
    failures = []
    reached: set[str] = set()
    sent = 0
    for path, fields in paths.items():
        base = {k: attempt_id if k == "attempt" else v for k, v in fields.items()}
        bodies: list[tuple[str, bytes]] = [("as is", json.dumps(base).encode())]
        bodies += [
            (
                f"{name} = {str(payload)[:20]!r}",
                json.dumps({**base, name: payload}).encode(),
            )
            for name in fields
            for payload in JSON_PAYLOADS
        ]
        bodies += [
            (f"raw {raw[:20]!r}", raw)
            for raw in (b"\x00", b"{", b"[]", b"\xff\xfe", b"x" * 100_000)
        ]
        for label, body in bodies:
            response = client.post(path, body, content_type="application/json")
            sent += 1
            if response.status_code in (200, 400, 409):  # the view's own answer
                reached.add(_pattern(path) or "")
            if response.status_code == 500:
                failures.append(f"{candidate} POST {path} {label}")
    return sent, failures, reached


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
        elif self._form is None:
            return
        elif tag == "button" or (tag == "input" and a.get("type") == "submit"):
            for attribute in ("hx-post", "formaction"):
                if a.get(attribute):
                    self._form.alternates.append(urljoin(self.url, a[attribute]))
            if a.get("name"):
                self._form.fixed.setdefault(a["name"], a.get("value", ""))
        elif not a.get("name"):
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
            self._form.text.append(a["name"])  # a tampered choice is input too
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
    if path.startswith(SKIP_PREFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _is_download(path: str) -> bool:
    plain = urlsplit(path).path
    return plain.startswith(DOWNLOAD_PREFIXES) or plain.endswith(DOWNLOAD_SUFFIXES)


def _pattern(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


@dataclass
class Crawl:
    """One visitor's crawl: the pages reached (by pattern) and the distinct
    forms on them; `visit` may be called again with more start pages."""

    client: Client
    patterns: set[str] = field(default_factory=set)
    forms: dict[tuple[str, str, tuple[str, ...]], Form] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)
    seen_per_pattern: Counter[str] = field(default_factory=Counter)

    def visit(self, starts: list[str]) -> None:
        queue = list(starts)
        while queue:
            path = queue.pop(0)
            pattern = _pattern(path)
            if path in self.visited or pattern is None:
                continue
            if self.seen_per_pattern[pattern] >= MORE_PAGES.get(
                pattern, PAGES_PER_PATTERN
            ):
                continue
            self.visited.add(path)
            self.seen_per_pattern[pattern] += 1
            response = self.client.get(path)
            assert response.status_code != 500, path
            if _is_download(path):
                _finish(response)
                if response.status_code == 200:
                    self.patterns.add(pattern)
                continue
            location = _local_path(response.get("Location", ""))
            if response.status_code in (301, 302) and location:
                self.patterns.add(pattern)  # answered, by a redirect
                queue.append(location)
                continue
            if response.status_code != 200 or "html" not in response.get(
                "Content-Type", ""
            ):
                if response.status_code == 200:
                    self.patterns.add(pattern)  # a file (a scan) or data
                _finish(response)
                continue
            self.patterns.add(pattern)
            parser = _PageParser("http://testserver" + path)
            parser.feed(response.content.decode())
            for link in parser.links:
                local = _local_path(link)
                if local and local not in self.visited:
                    queue.append(local)
            for form in parser.forms:
                self._add(form)

    def _add(self, form: Form) -> None:
        for target in [form.action, *form.alternates]:
            action = _local_path(target)
            if action is None or _pattern(action) is None:
                continue
            one = Form(form.method if target == form.action else "post", action)
            one.text, one.fixed = list(form.text), dict(form.fixed)
            self.patterns.add(_pattern(action) or "")
            key = (one.method, urlsplit(action).path, tuple(sorted(one.text)))
            self.forms.setdefault(key, one)


def _finish(response) -> None:
    """Read a streamed file to its end, which closes it. Not response.close():
    outside the test client's wrapper that signals the request's end, which
    closes the database connection (a PostgreSQL test then fails)."""
    if response.streaming:
        for _ in response.streaming_content:
            pass


def _send(client: Client, form: Form, payload: str | None) -> tuple[int, str]:
    """The status and the redirect target; `payload=None` sends the form as is."""
    data = dict(form.fixed)
    for name in form.text:
        data[name] = payload if payload is not None else data.get(name, "")
    if form.method == "post":
        response = client.post(form.action, data)
    else:
        response = client.get(urlsplit(form.action).path, data)
    _finish(response)
    return response.status_code, response.get("Location", "")


def _form_key(
    key: tuple[str, str, tuple[str, ...]],
) -> tuple[str, str, tuple[str, ...]]:
    method, path, fields = key
    return method, _pattern(path) or path, fields


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


def _applicant_with(status: str) -> User | None:
    return User.objects.filter(applications__status=status).order_by("pk").first()


def _personas() -> Iterator[User]:
    """Every staff member but the first of each role (the clerk of a unit
    whose batch waits for rosters sees buttons another clerk does not), then
    the first of each role: their bulk decisions reopen batches, so they
    come after."""
    assignments = list(RoleAssignment.objects.select_related("user").order_by("pk"))
    firsts: dict[str, User] = {}
    for assignment in assignments:
        firsts.setdefault(assignment.role, assignment.user)
    staff = {a.user for a in assignments if a.role != "applicant"}
    yield from sorted(staff - set(firsts.values()), key=lambda user: user.pk)
    yield from firsts.values()
    # Applicants whose forms are open (a draft, a returned application).
    # And one with a ticket (training, tickets, 放弃考试).
    for status in ("draft", "returned", "qualified"):
        applicant = _applicant_with(status)
        if applicant is not None:
            yield applicant


def _exam_candidate() -> ExamCandidate | None:
    """The demo's absent candidate logs in after all, at the sitting's
    time: their first subject is open (the fuzz's clock stands months
    before its end)."""
    seat = (
        SeatAssignment.objects.filter(
            exam_login__isnull=True,
            sitting__in=Paper.objects.values("seat__sitting"),
            application__ticket__isnull=False,
        )
        .select_related("sitting", "application__applicant", "application__ticket")
        .first()
    )
    if seat is None:
        return None
    found = cbt_services.login(
        seat.application.ticket.number,
        seat.application.applicant.id_number,
        now=starts_at(seat.sitting),
    )
    attempt = Attempt.objects.get(seat=seat, order=1)
    assert attempt.state == Attempt.State.ANSWERING
    return ExamCandidate(found.pk, found.version, attempt.pk)


@pytest.fixture
def world(demo, in_window) -> dict[int, list[str]]:
    """The demo and more; returns extra start pages by user id."""
    from gongkao.cbt.demo import seed_finished_sitting
    from gongkao.exams.demo import seed_exam_plan
    from gongkao.questions.demo import seed_question_bank
    from gongkao.review.demo import seed_demo_applications

    starts: dict[int, list[str]] = {}

    seed_demo_applications(20)
    # The exam half: a locked plan with tickets, proctors on duty, a class.
    seed_exam_plan()
    # The computer-based test: the province's bank, blueprints and papers
    # (its question-bank staff is a persona), the 五至二级 sitting sat and
    # scored (the proctors' console, the office's results page).
    seed_question_bank()
    seed_finished_sitting()
    for office in ExamOffice.objects.all():
        factories.TrustedNetworkFactory(office=office)
    # The demo leaves batches at each paper step but gives only two units
    # staff: whoever acts next on them (rosters, scans, the stamp) is added.
    for batch in Batch.objects.exclude(state__in=["open", "closed"]):
        unit = batch.unit
        if not RoleAssignment.objects.filter(role=Role.UNIT_CLERK, unit=unit).exists():
            factories.unit_clerk(unit)
        department = unit.supervising_department
        if (
            department is not None
            and not RoleAssignment.objects.filter(
                role=Role.DEPARTMENT_REVIEWER, unit=department
            ).exists()
        ):
            factories.department_reviewer(department)
    # A draft with a row the applicant may delete (a prize).
    drafter = _applicant_with("draft")
    if drafter is not None:
        factories.HonorFactory(profile=drafter.applicant_profile)
    # One application at the office's step (its not-qualified form).
    school = Unit.objects.get(name="焦作市第一中学")
    application = Application.objects.filter(
        unit=school, status=Status.UNIT_REVIEW
    ).first()
    if application is not None:

        def staff(role: Role, **scope: object) -> User:
            return RoleAssignment.objects.filter(role=role, **scope)[0].user

        reviewers = factories.Reviewers(
            staff(Role.UNIT_CLERK, unit=school),
            staff(Role.DEPARTMENT_REVIEWER, unit=school.supervising_department),
            staff(Role.OFFICE_REVIEWER, office=reviewing_office(school)),
        )
        factories.advance(application, Status.QUALIFICATION_REVIEW, reviewers)
        # And a 容缺后补 application at the on-site check (the office may
        # still find the later annual review wanting).
        deferred = factories.fill_deferred_level1(
            factories.ApplicantFactory.create(
                phone="13700009999",
                id_number=factories.make_id_number("19700101", seq=77),
            ),
            unit=school,
        )
        submit_application(deferred, by=deferred.applicant)
        factories.advance(
            deferred, Status.ONSITE_CHECK, reviewers, onsite_required=True
        )
        # Its review page is linked from no list at that step: a start page.
        for assignment in RoleAssignment.objects.filter(
            office=reviewing_office(school)
        ):
            starts.setdefault(assignment.user_id, []).append(
                f"/review/{assignment.pk}/{deferred.pk}/"
            )
    # The bank's sittings page of 焦作市 (the staff's default campaign may be
    # another city's): papers, paper sets, the build.
    jiaozuo = Campaign.objects.filter(division__code="410800").first()
    for assignment in RoleAssignment.objects.filter(role=Role.QUESTION_BANK):
        if jiaozuo is not None:
            starts.setdefault(assignment.user_id, []).append(
                f"/bank/{assignment.pk}/papers/?campaign={jiaozuo.pk}"
            )
    # The qualified applicant's own paper (the JSON the exam screen reads).
    holder = _applicant_with("qualified")
    paper = Paper.objects.filter(seat__application__applicant=holder).first()
    if holder is not None and paper is not None:
        starts.setdefault(holder.pk, []).append(f"/exam/papers/{paper.pk}/")
    # And the practice test on public questions (the demo marks none public).
    Question.objects.filter(is_current=True).update(public=True)
    if holder is not None:
        starts.setdefault(holder.pk, []).extend(
            ["/practice/", "/practice/state/", "/practice/paper/0/"]
        )
    return starts


def test_no_500_for_hostile_input_in_any_form_of_any_role(
    world, capsys, django_capture_on_commit_callbacks
):
    start = time.perf_counter()
    failures: list[str] = []
    combinations = 0
    all_patterns: set[str] = set()
    # None: not logged in; then a candidate at the exam screen.
    candidate = _exam_candidate()
    visitors: list[User | ExamCandidate | None] = [
        None,
        *([candidate] if candidate else []),
        *_personas(),
    ]
    # A form (method, URL pattern, fields) is sent by the first visitor who
    # finds it: another clerk's copy runs the same code.
    sent: set[tuple[str, str, tuple[str, ...]]] = set()
    for user in visitors:
        client = Client(raise_request_exception=False)
        if isinstance(user, User):
            client.force_login(user)
        crawl = Crawl(client)
        if isinstance(user, ExamCandidate):
            client.cookies[cbt_views.COOKIE] = user.cookie()
            crawl.visit(user.starts())
            sent_json, failed, reached = _fuzz_json(
                client, user, JSON_FIELDS, user.attempt_id
            )
            crawl.patterns |= reached
            combinations += sent_json
            failures += failed
            crawl.visit(["/cbt/photo/", "/cbt/logout/"])  # logout: last
        else:
            # Step 2 of a reset is reached only by the redirect of step 1.
            crawl.visit(
                ["/", *world.get(user.pk, [])]
                if user
                else ["/accounts/login/", "/accounts/password/reset/confirm/", "/cbt/"]
            )
            if isinstance(user, User) and cbt_practice.SESSION in client.session:
                sent_json, failed, reached = _fuzz_json(client, user, PRACTICE_FIELDS)
                crawl.patterns |= reached
                combinations += sent_json
                failures += failed
        for _ in range(2):  # the pages buttons lead to, once more
            redirects: list[str] = []
            pending = [
                (k, f) for k, f in crawl.forms.items() if _form_key(k) not in sent
            ]
            # Fields first, buttons last: a withdrawal or a logout must not
            # end what the other forms need.
            pending.sort(key=lambda item: (not item[1].text, "logout" in item[0][1]))
            for key, form in pending:
                sent.add(_form_key(key))
                for payload in PAYLOADS if form.text else [None]:
                    combinations += 1
                    # Background jobs (exports) run at once, as after a commit.
                    with django_capture_on_commit_callbacks(execute=True):
                        status, location = _send(client, form, payload)
                    if status == 500:
                        failures.append(
                            f"{user} {form.method.upper()} {form.action} "
                            f"{sorted(form.text)} = {(payload or '')[:20]!r}"
                        )
                    if status in (301, 302) and _local_path(location):
                        redirects.append(_local_path(location) or "")
                    if isinstance(user, User):  # a password form may end the session
                        client.force_login(user)
            # And the pages of the jobs those forms started (exports).
            jobs = (
                BackgroundJob.objects.filter(started_by=user)
                if isinstance(user, User)
                else []
            )
            crawl.visit(redirects + [f"/jobs/{job.pk}/" for job in jobs])
        all_patterns |= crawl.patterns
    all_patterns.discard("")
    with capsys.disabled():
        print(
            f"\nfuzz: {len(all_patterns)} of {len(_all_patterns())} URL patterns, "
            f"{combinations} form×payload requests in "
            f"{time.perf_counter() - start:.1f} s"
        )
        print(
            "fuzz: patterns not reached:",
            " ".join(sorted(_all_patterns() - all_patterns)),
        )
    assert not failures, "\n".join(failures)
