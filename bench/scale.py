"""Gongkao at province scale: every page at SCALE_N applications, and the surge.

    SCALE_N=100000 python bench/scale.py        # make bench-scale

Builds (once) a PostgreSQL database DB_NAME (default gk_scale) holding what a
real year holds: SCALE_N applicants with profiles and certificates, their
applications over the demo's 44 units (about half in the city office's
jurisdiction, the largest unit, 焦作市第一中学, about 4 %), every status of the
chain with its status changes and reviews, materials with their current file,
one batch per unit and fees. Rows go in by bulk inserts; every generated
account shares one precomputed password hash. A marker row (a user named
`scale-built-<N>`) makes a rerun skip the build.

Then it serves the database as production does (gunicorn with
deploy/gunicorn.conf.py, WEB_CONCURRENCY=2 sync workers, DEBUG off, the
psycopg pool; only the recycling of workers every 2,000 requests is off, as
its cold starts would land at random in one page's few seconds) on a
loopback port, after a VACUUM ANALYZE, and prints one line a figure:

  scale_n                        applications in the database
  scale_build_s                  the build (0 when it was kept)
  page_bare_rps                  a bare Django view (whole middleware stack)
  page_<name>_p95_ms             95th percentile latency of a page
  page_<name>_x_bare             its cost over the bare view (bare rps / page rps,
                                 the bare view measured again right after it)
  page_<name>_queries            SQL queries of one request (CaptureQueriesContext)
  submit_per_s, submit_p95_ms, submit_errors
                                 the deadline surge: fresh complete drafts
                                 submitted from 16 connections; checked in SQL
                                 (exactly one status change per submission)
  login_per_s                    password logins per second (8 connections)

SCALE_ONLY=pages or SCALE_ONLY=surge runs one half.

Sessions of the staff and of the surge's applicants are written straight into
the session table (the login itself is measured apart). Loopback only, every
wait bounded; gunicorn is stopped at the end, the database kept.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
N = int(os.environ.get("SCALE_N", "100000"))
DB_NAME = os.environ.get("DB_NAME", "gk_scale")
WORKDIR = ROOT / ".bench-scale"
PASSWORD = "Gongkao@2025"
SECONDS = float(os.environ.get("SCALE_SECONDS", "3"))
CLIENTS = int(os.environ.get("SCALE_CLIENTS", "4"))
SURGE = int(os.environ.get("SCALE_SURGE", str(min(2000, max(200, N // 50)))))

ENV = {
    "ENV_FILE": str(WORKDIR / "no.env"),
    "DJANGO_SETTINGS_MODULE": "scale_site",
    "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
    "DEBUG": "false",
    # Fixed keys: the database is kept between runs and read with them.
    "SECRET_KEY": "bench-scale-secret-key-not-for-production-0123456789abcdef",
    "FIELD_ENCRYPTION_KEY": "5c" * 32,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_COOKIES": "false",
    "DB": "postgres",
    "DB_NAME": DB_NAME,
    "DB_HOST": os.environ.get("DB_HOST", HOST),
    "DB_PORT": os.environ.get("DB_PORT", "5432"),
    "DB_USER": os.environ.get("DB_USER", "postgres"),
    "DB_PASSWORD": os.environ.get("DB_PASSWORD", ""),
    "DB_POOL": "true",
    "MEDIA_ROOT": str(WORKDIR / "media"),
    "STATIC_ROOT": str(WORKDIR / "static"),
    "TASKS_BACKEND": "database",
    "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
    # No worker recycling while measuring (deploy/gunicorn.conf.py).
    "GUNICORN_MAX_REQUESTS": "0",
    "LOG_LEVEL": "WARNING",
    "AXES_FAILURE_LIMIT": "1000",
}
os.environ.update(ENV)
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

import django  # noqa: E402
import psycopg  # noqa: E402


def ensure_database() -> None:
    admin = psycopg.connect(
        host=ENV["DB_HOST"],
        port=int(ENV["DB_PORT"]),
        user=ENV["DB_USER"],
        password=ENV["DB_PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    )
    with admin:
        exists = admin.execute(
            "select 1 from pg_database where datname = %s", [DB_NAME]
        ).fetchone()
        if not exists:
            admin.execute(f'create database "{DB_NAME}"')


WORKDIR.mkdir(exist_ok=True)
ensure_database()
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongkao.accounts.idnumbers import check_digit  # noqa: E402
from gongkao.accounts.models import Role, RoleAssignment, User  # noqa: E402
from gongkao.accounts.services import find_user_by_phone  # noqa: E402
from gongkao.applications import services  # noqa: E402
from gongkao.applications.models import (  # noqa: E402
    PROFILE_FIELDS,
    AnnualReview,
    ApplicantProfile,
    Application,
    HeldCertificate,
    Material,
    MaterialFile,
    StatusChange,
)
from gongkao.applications.states import Status  # noqa: E402
from gongkao.campaigns.demo import seed_demo  # noqa: E402
from gongkao.campaigns.models import Campaign, JobType  # noqa: E402
from gongkao.eligibility.labels import ROUTE_LABELS  # noqa: E402
from gongkao.organizations.models import Unit  # noqa: E402
from gongkao.organizations.queries import at_or_below  # noqa: E402
from gongkao.review import batches, demo, queries  # noqa: E402
from gongkao.review.models import Batch, FeePayment, Review, ReviewStep  # noqa: E402

# --- the build ----------------------------------------------------------------

# Share of each status among the year's applications.
STATUS_MIX = [
    (Status.DRAFT, 8),
    (Status.UNIT_REVIEW, 15),
    (Status.DEPARTMENT_REVIEW, 10),
    (Status.QUALIFICATION_REVIEW, 25),
    (Status.RETURNED, 5),
    (Status.ONSITE_CHECK, 17),
    (Status.QUALIFIED, 12),
    (Status.NOT_QUALIFIED, 3),
    (Status.WITHDRAWN, 5),
]
LARGEST_UNIT = "焦作市第一中学"
BATCH = 5000


def _marker() -> str:
    return f"scale-built-{N}"


def _templates(campaign: Campaign) -> tuple[Application, Application]:
    """Two complete applications made through the real services: a draft
    (cloned for the surge) and a submitted one (its snapshot and result are
    copied into the generated applications)."""
    found = list(
        Application.objects.filter(applicant__username__startswith="scale-template-")
        .select_related("applicant")
        .order_by("applicant__username")
    )
    if len(found) == 2:
        return found[0], found[1]
    rng = random.Random(7)
    unit = Unit.objects.get(name=LARGEST_UNIT)
    job_type = JobType.objects.filter(valid_until__isnull=True, name="电工").first()
    assert job_type is not None
    made = []
    for k in range(2):
        user = User(
            username=f"scale-template-{k}", name=f"模板{k}", password=_password()
        )
        first17 = f"41080219800101{k:03d}"
        user.set_id_number(first17 + check_digit(first17))
        user.save()
        RoleAssignment.objects.create(user=user, role=Role.APPLICANT)
        made.append(demo._fill(user, unit, job_type, campaign, rng, demo._photo()))
    services.save_pledges(made[1], pledge=True, defer=False)
    assert services.submit_application(made[1], by=made[1].applicant)
    made[1].refresh_from_db()
    return made[0], made[1]


_HASH: list[str] = []


def _password() -> str:
    if not _HASH:
        _HASH.append(make_password(PASSWORD))  # one hash for every generated account
    return _HASH[0]


def _units(campaign: Campaign) -> tuple[list[Unit], list[float]]:
    """The campaign's city's units (the demo's 44 in 焦作市: an applicant at
    新乡市's would have 新乡市's campaign) and their weights: the largest
    first, about 4 % of the total."""
    units = sorted(
        Unit.objects.filter(at_or_below(campaign.division_id)),
        key=lambda u: (u.name != LARGEST_UNIT, u.pk),
    )
    weights = [1 / ((k + 5) ** 0.5) for k in range(len(units))]
    return units, weights


def _clone_applicants(
    count: int,
    prefix: str,
    template: Application,
    campaign: Campaign,
    rng: random.Random,
    *,
    phone_base: int,
    shape: Callable[[Application], None] | None = None,
) -> list[Application]:
    """`count` applicants like `template` (profile, certificates, reviews,
    materials), by bulk inserts; their applications are drafts unless `shape`
    sets a status and its fields (the history is then added by the caller)."""
    units, weights = _units(campaign)
    password = _password()
    tprofile = ApplicantProfile.objects.get(user=template.applicant)
    certs = list(HeldCertificate.objects.filter(profile=tprofile))
    annual = list(AnnualReview.objects.filter(profile=tprofile))
    materials = list(
        Material.objects.filter(application=template).select_related("current")
    )
    created: list[Application] = []
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        users = []
        for i in range(start, start + size):
            user = User(
                username=f"{prefix}{i:06d}",
                name=rng.choice(demo.SURNAMES) + rng.choice(demo.GIVEN),
                password=password,
                birth_date=template.applicant.birth_date,
                sex=template.applicant.sex,
            )
            user.set_phone(f"{phone_base + i:011d}")
            users.append(user)
        User.objects.bulk_create(users, batch_size=BATCH)
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=u, role=Role.APPLICANT) for u in users]
        )
        chosen = rng.choices(units, weights, k=size)
        profiles = []
        for user, unit in zip(users, chosen, strict=True):
            profile = ApplicantProfile(user=user)
            for field in PROFILE_FIELDS + ("declared_at",):
                setattr(profile, field, getattr(tprofile, field))
            profile.unit = unit
            profiles.append(profile)
        ApplicantProfile.objects.bulk_create(profiles)
        held = [
            HeldCertificate(
                profile=p,
                level=c.level,
                job_type_name=c.job_type_name,
                cert_date=c.cert_date,
                number=f"S{p.user_id:09d}",
            )
            for p in profiles
            for c in certs
        ]
        HeldCertificate.objects.bulk_create(held)
        # Material slots of a certificate name it: certificate:<its id>.
        slot_maps = [
            {
                f"certificate:{c.pk}": f"certificate:{h.pk}"
                for c, h in zip(
                    certs, held[k * len(certs) : (k + 1) * len(certs)], strict=True
                )
            }
            for k in range(len(profiles))
        ]
        AnnualReview.objects.bulk_create(
            AnnualReview(profile=p, year=a.year, result=a.result)
            for p in profiles
            for a in annual
        )
        apps = []
        for user, unit in zip(users, chosen, strict=True):
            app = Application(
                applicant=user,
                campaign=campaign,
                unit=unit,
                level=template.level,
                job_type_id=template.job_type_id,
                ack_policy_at=template.ack_policy_at,
                pledged_at=template.pledged_at,
                extended_until=template.extended_until,
                extension_reason=template.extension_reason,
                extended_by_id=template.extended_by_id,
            )
            if shape is not None:
                shape(app)
            apps.append(app)
        Application.objects.bulk_create(apps)
        rows = [
            Material(application=a, slot=slot_map.get(m.slot, m.slot))
            for a, slot_map in zip(apps, slot_maps, strict=True)
            for m in materials
        ]
        Material.objects.bulk_create(rows, batch_size=BATCH)
        files = []
        for row, m in zip(rows, materials * len(apps), strict=True):
            f = m.current
            assert f is not None
            files.append(
                MaterialFile(
                    material=row,
                    version=1,
                    file=f.file.name,
                    extension=f.extension,
                    content_type=f.content_type,
                    size=f.size,
                    sha256=f.sha256,
                    width=f.width,
                    height=f.height,
                    original_name=f.original_name,
                    uploaded_by_id=row.application.applicant_id,
                )
            )
        MaterialFile.objects.bulk_create(files, batch_size=BATCH)
        with connection.cursor() as cursor:
            cursor.execute(
                f"update {Material._meta.db_table} m set current_id = f.id "
                f"from {MaterialFile._meta.db_table} f "
                "where f.material_id = m.id and m.current_id is null"
            )
        created += apps
    return created


def _shape(
    app: Application,
    status: Status,
    template: Application,
    rng: random.Random,
    routes: list[str],
) -> None:
    """The fields of a generated application in `status`, set before insert."""
    app.status = status
    if status == Status.DRAFT:
        return
    eligibility = dict(template.eligibility or {})
    eligibility["route"] = rng.choice(routes)
    app.eligibility = eligibility
    app.route = eligibility["route"]
    app.snapshot = template.snapshot
    app.policy_id = template.policy_id
    app.round = 1
    app.submitted_at = timezone.now() - timedelta(days=rng.randint(1, 30))
    if status == Status.RETURNED:
        app.returned_from = Status.UNIT_REVIEW
        app.return_items = ["material:photo"]
        app.resubmit_by = date.today() + timedelta(days=rng.randint(-3, 10))
        app.returns_count = 1
    if status in (Status.ONSITE_CHECK, Status.QUALIFIED):
        app.onsite_required = rng.random() < 0.3


def _history(apps: list[Application], reviewer: User) -> None:
    """Status changes, reviews and fees of generated applications, as their
    status needs them."""
    now = timezone.now()
    changes: list[StatusChange] = []
    reviews: list[Review] = []
    fees: list[FeePayment] = []
    unit_dept = dict(Unit.objects.values_list("pk", "supervising_department_id"))

    def review(app: Application, step: str, decision: str = "pass") -> None:
        reviews.append(
            Review(
                application=app,
                step=step,
                round=1,
                reviewer=reviewer,
                decision=decision,
                decided_at=now,
                checks={"material:photo": {"ok": decision == "pass"}},
            )
        )

    def change(app: Application, a: Status, b: Status) -> None:
        changes.append(
            StatusChange(
                application=app, from_status=a, to_status=b, by=reviewer, round=1
            )
        )

    for app in apps:
        status = Status(app.status)
        if status == Status.DRAFT:
            continue
        change(app, Status.DRAFT, Status.UNIT_REVIEW)
        if status in (Status.RETURNED, Status.WITHDRAWN):
            if status == Status.RETURNED:
                review(app, ReviewStep.UNIT, "return")
            change(app, Status.UNIT_REVIEW, status)
            continue
        if status == Status.UNIT_REVIEW:
            continue
        review(app, ReviewStep.UNIT)
        if unit_dept.get(app.unit_id or 0) is not None:
            change(app, Status.UNIT_REVIEW, Status.DEPARTMENT_REVIEW)
            if status == Status.DEPARTMENT_REVIEW:
                continue
            review(app, ReviewStep.DEPARTMENT)
            change(app, Status.DEPARTMENT_REVIEW, Status.QUALIFICATION_REVIEW)
        else:
            change(app, Status.UNIT_REVIEW, Status.QUALIFICATION_REVIEW)
        if status == Status.QUALIFICATION_REVIEW:
            continue
        if status == Status.NOT_QUALIFIED:
            review(app, ReviewStep.OFFICE, "not_qualified")
            change(app, Status.QUALIFICATION_REVIEW, status)
            continue
        review(app, ReviewStep.OFFICE)
        change(app, Status.QUALIFICATION_REVIEW, Status.ONSITE_CHECK)
        if status == Status.QUALIFIED:
            review(app, ReviewStep.ONSITE)
            change(app, Status.ONSITE_CHECK, Status.QUALIFIED)
            fees.append(
                FeePayment(
                    application=app,
                    amount=120,
                    method="cash",
                    receipt_number=f"S{app.pk:09d}",
                    recorded_by=reviewer,
                )
            )
    StatusChange.objects.bulk_create(changes, batch_size=BATCH)
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    FeePayment.objects.bulk_create(fees, batch_size=BATCH)


def build(campaign: Campaign) -> None:
    rng = random.Random(N)
    draft, submitted = _templates(campaign)
    reviewer = User.objects.get(username="admin")
    statuses = [s for s, _ in STATUS_MIX]
    weights = [w for _, w in STATUS_MIX]
    depts = set(
        Unit.objects.exclude(supervising_department=None).values_list("pk", flat=True)
    )

    routes = list(ROUTE_LABELS)

    def shape(app: Application) -> None:
        s = rng.choices(statuses, weights)[0]
        if s == Status.DEPARTMENT_REVIEW and app.unit_id not in depts:
            s = Status.QUALIFICATION_REVIEW
        _shape(app, s, submitted, rng, routes)

    done = Application.objects.filter(applicant__username__startswith="scale-a").count()
    step = 20000
    while done < N:
        size = min(step, N - done)
        with transaction.atomic():
            apps = _clone_applicants(
                size,
                f"scale-a{done:07d}-",
                draft,
                campaign,
                rng,
                phone_base=15000000000 + done,
                shape=shape,
            )
            _history(apps, reviewer)
        done += size
        print(f"  built {done}/{N}", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        # Spread the times a status was entered over the review window.
        cursor.execute(
            f"update {Application._meta.db_table} set status_since = "
            "now() - random() * interval '30 days' "
            "where applicant_id in (select id from accounts_user "
            "where username like 'scale-a%%')"
        )
    for unit in Unit.objects.filter(applications__isnull=False).distinct():
        batch, _ = Batch.objects.get_or_create(
            campaign=campaign,
            unit=unit,
            defaults={"reference": f"SCALE-{campaign.year}-{unit.pk:04d}"},
        )
        # Stored at the unit's first submission (review.batches.sync_batch).
        batch.list_due = batches.list_due_date(batch)
        batch.save(update_fields=["list_due"])
    User.objects.create(username=_marker(), name="基准数据已生成", is_active=False)
    with connection.cursor() as cursor:
        cursor.execute("vacuum analyze")


def prepare() -> tuple[Campaign, float]:
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if User.objects.filter(username=_marker()).exists():
        # A migration may have rewritten rows since (a new column filled):
        # statistics and the visibility map as a running server keeps them.
        with connection.cursor() as cursor:
            cursor.execute("vacuum analyze")
        return Campaign.objects.get(year=2025, division__code="410800"), 0.0
    if Application.objects.filter(applicant__username__startswith="scale-a").exists():
        sys.exit(
            f"{DB_NAME} holds another SCALE_N's data: drop it "
            f"(dropdb {DB_NAME}) or use another DB_NAME."
        )
    call_command("collectstatic", verbosity=0, interactive=False)
    seed_demo()
    demo.ensure_return_reasons()
    campaign = Campaign.objects.get(year=2025, division__code="410800")
    build(campaign)
    return campaign, time.perf_counter() - started


# --- serving ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def gunicorn() -> Iterator[int]:
    port = free_port()
    env = {**os.environ, "GUNICORN_BIND": f"{HOST}:{port}"}
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(WORKDIR / "gunicorn.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                status, _, _ = request(port, "GET", "/__bare__/")
                if status == 200:
                    break
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {WORKDIR / 'gunicorn.log'}")
            time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not answer within 60 s")
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def request(
    port: int,
    method: str,
    path: str,
    *,
    cookies: str = "",
    body: dict[str, str] | None = None,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, dict[str, str], bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Cookie": cookies} if cookies else {}
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        return response.status, dict(response.getheaders()), payload
    finally:
        if own:
            conn.close()


def session_cookie(user: User) -> str:
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "gongkao.accounts.backends.PhoneOrIdNumberBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return f"sessionid={store.session_key}"


def hammer(port: int, path: str, cookies: str) -> tuple[float, list[float], int]:
    """Requests per second, latencies (s) and non-200 answers of one page."""
    latencies: list[float] = []
    bad = [0]
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + SECONDS

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        mine: list[float] = []
        failures = 0
        try:
            # At least a few requests each, so a slow page still has a p95.
            while time.monotonic() < deadline or len(mine) < 3:
                t0 = time.perf_counter()
                status, _, _ = request(port, "GET", path, cookies=cookies, conn=conn)
                mine.append(time.perf_counter() - t0)
                failures += status != 200
        finally:
            conn.close()
        with lock:
            latencies.extend(mine)
            bad[0] += failures

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return len(latencies) / elapsed, latencies, bad[0]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def queries_of(path: str, user: User) -> int:
    """SQL queries of one request, counted in this process (test client)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx)


def pages(campaign: Campaign) -> list[tuple[str, str, User | None]]:
    def assignment(phone: str, role: Role) -> tuple[User, int]:
        user = find_user_by_phone(phone)
        assert user is not None
        return user, RoleAssignment.objects.get(user=user, role=role).pk

    clerk, a_clerk = assignment("13800000011", Role.UNIT_CLERK)
    dept, a_dept = assignment("13800000012", Role.DEPARTMENT_REVIEWER)
    reviewer, a_rev = assignment("13800000002", Role.OFFICE_REVIEWER)
    admin, a_admin = assignment("13800000001", Role.OFFICE_ADMIN)
    applicant = (
        User.objects.filter(
            username__startswith="scale-a", applications__status=Status.ONSITE_CHECK
        )
        .order_by("pk")
        .first()
    )
    assert applicant is not None
    route = next(iter(ROUTE_LABELS))
    batch = Batch.objects.get(campaign=campaign, unit__name=LARGEST_UNIT).pk
    # A page deep in one route's list (position `deep`), by its keyset cursor.
    assignment_rev = RoleAssignment.objects.get(pk=a_rev)
    routed = queries.filter_queue(
        queries.scoped_applications(assignment_rev), {"route": route}
    ).order_by(*queries.QUEUE_ORDER)
    deep = routed.count() * 3 // 4
    cursor = queries.queue_cursor(routed[deep])
    return [
        ("bare", "/__bare__/", None),
        ("login_form", "/accounts/login/", None),
        ("applicant_overview", "/apply/", applicant),
        ("applicant_status", "/apply/status/", applicant),
        ("applicant_materials", "/apply/materials/", applicant),
        ("unit_queue", f"/review/{a_clerk}/", clerk),
        ("department_queue", f"/review/{a_dept}/", dept),
        ("office_queue", f"/review/{a_rev}/", reviewer),
        ("office_queue_all", f"/review/{a_rev}/?page=1&status=", reviewer),
        (
            "office_queue_route_deep",
            f"/review/{a_rev}/?route={route}&after={cursor}",
            reviewer,
        ),
        ("office_dashboard", f"/office/{a_admin}/dashboard/", admin),
        ("office_dashboard_city", f"/office/{a_admin}/dashboard/?scope=city", admin),
        ("batch_list", f"/batches/{a_admin}/", admin),
        ("unit_batch", f"/batches/{a_clerk}/{batch}/", clerk),
        ("circular", f"/office/{a_admin}/circular/", admin),
        ("role_home", f"/home/{a_admin}/", admin),
        # The public portal, read by everyone on deadline day.
        ("portal", "/", None),
        # The exam half's office pages over the year's applications.
        ("exam_plan", f"/office/{a_admin}/exam-plan/", admin),
        ("results", f"/results/{a_admin}/", admin),
        ("certificates", f"/certificates/{a_admin}/", admin),
        ("campaign_stats", f"/certificates/{a_admin}/stats/", admin),
    ]


def measure_pages(port: int, campaign: Campaign) -> None:
    listed = pages(campaign)
    bare_path = listed[0][1]
    for name, path, user in listed:
        cookies = session_cookie(user) if user else ""
        if user is not None:
            print(f"page_{name}_queries {queries_of(path, user)}", flush=True)
        # The bare view again right after each page: a shared machine's
        # speed drifts over a run, and a ratio to a figure from minutes
        # before would measure the drift.
        rps, latencies, bad = hammer(port, path, cookies)
        bare_rps = rps if path == bare_path else hammer(port, bare_path, "")[0]
        if bad:
            print(f"page_{name}_errors {bad}", flush=True)
        if name == "bare":
            print(f"page_bare_rps {rps:.0f}")
        print(f"page_{name}_p95_ms {p95(latencies) * 1000:.1f}")
        print(f"page_{name}_x_bare {bare_rps / rps:.1f}", flush=True)


# --- the surge and logins -----------------------------------------------------

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _cookie_header(headers: dict[str, str], cookies: str) -> str:
    jar = dict(c.split("=", 1) for c in cookies.split("; ") if c)
    for key, value in headers.items():
        if key.lower() == "set-cookie":
            name, rest = value.split("=", 1)
            jar[name] = rest.split(";", 1)[0]
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def surge(port: int, campaign: Campaign) -> None:
    draft, _ = _templates(campaign)
    run = int(time.time())
    rng = random.Random(run)
    with transaction.atomic():
        apps = _clone_applicants(
            SURGE,
            f"scale-s{run}-",
            draft,
            campaign,
            rng,
            phone_base=16000000000 + (run % 1000) * 100000,
        )
    ids = [a.pk for a in apps]
    users = [a.applicant for a in apps]
    cookies = [session_cookie(u) for u in users]
    queue = list(range(len(users)))
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    kinds: Counter[str] = Counter()

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    k = queue.pop()
                jar = cookies[k]
                status, headers, body = request(
                    port, "GET", "/apply/check/", cookies=jar, conn=conn
                )
                jar = _cookie_header(headers, jar)
                token = TOKEN.search(body)
                if status != 200 or token is None:
                    with lock:
                        errors[0] += 1
                        kinds[f"GET {status}"] += 1
                    continue
                t0 = time.perf_counter()
                status, headers, _ = request(
                    port,
                    "POST",
                    "/apply/check/",
                    cookies=jar,
                    body={
                        "csrfmiddlewaretoken": token.group(1).decode(),
                        "pledge": "on",
                    },
                    conn=conn,
                )
                elapsed = time.perf_counter() - t0
                ok = status == 302 and headers.get("Location", "").endswith(
                    "/apply/status/"
                )
                with lock:
                    latencies.append(elapsed)
                    errors[0] += not ok
                    if not ok:
                        kinds[f"POST {status} {headers.get('Location', '')}"] += 1
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(16)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute(
            f"select count(*) from {Application._meta.db_table} a where a.id = any(%s) "
            "and a.status = %s and (select count(*) from "
            f"{StatusChange._meta.db_table} c where c.application_id = a.id "
            "and c.from_status = %s and c.to_status = %s) = 1 and (select count(*) "
            f"from {StatusChange._meta.db_table} c where c.application_id = a.id) = 1",
            [ids, Status.UNIT_REVIEW, Status.DRAFT, Status.UNIT_REVIEW],
        )
        (exact,) = cursor.fetchone()
    print(f"submit_count {len(ids)}")
    print(f"submit_per_s {len(latencies) / wall:.1f}")
    print(f"submit_p95_ms {p95(latencies) * 1000:.1f}")
    print(f"submit_errors {errors[0] + (len(ids) - exact)}", flush=True)
    for kind, n in kinds.most_common():
        print(f"  submit error: {kind} × {n}", file=sys.stderr)
    _logins(
        port,
        [a.applicant for a in apps[: int(os.environ.get("SCALE_LOGINS", "400"))]],
        phone_of=lambda u: u.phone,
    )


def _logins(port: int, users: list[User], phone_of: Callable[[User], str]) -> None:
    phones = [phone_of(u) for u in users]
    lock = threading.Lock()
    done = [0]
    bad = [0]

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            while True:
                with lock:
                    if not phones:
                        return
                    phone = phones.pop()
                status, headers, body = request(
                    port, "GET", "/accounts/login/", conn=conn
                )
                jar = _cookie_header(headers, "")
                token = TOKEN.search(body)
                assert token is not None
                status, headers, _ = request(
                    port,
                    "POST",
                    "/accounts/login/",
                    cookies=jar,
                    body={
                        "csrfmiddlewaretoken": token.group(1).decode(),
                        "username": phone,
                        "password": PASSWORD,
                    },
                    conn=conn,
                )
                with lock:
                    done[0] += status == 302
                    bad[0] += status != 302
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(8)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    print(f"login_per_s {done[0] / wall:.1f}")
    print(f"login_errors {bad[0]}", flush=True)


def main() -> int:
    campaign, build_s = prepare()
    print(f"scale_n {Application.objects.count()}")
    print(f"scale_build_s {build_s:.0f}", flush=True)
    if os.environ.get("SCALE_BUILD_ONLY"):
        return 0
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    # Every run measures the same state: the last run's surge leaves dead
    # rows and stale statistics, and an autovacuum in the middle of the
    # pages would be measured with them.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    only = os.environ.get("SCALE_ONLY", "")  # "pages" or "surge": one half
    with gunicorn() as port:
        if only != "surge":
            measure_pages(port, campaign)
        if only != "pages":
            surge(port, campaign)
    return 0


if __name__ == "__main__":
    sys.exit(main())
