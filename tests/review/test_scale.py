"""Issue #13: pages that stay flat as the applications grow.

Queues page by keyset (a deep page costs what the first does, pages neither
skip nor repeat a row), filter by the route column, and list their filters
from units and the catalogue; the circular and the batch page read the same
number of queries for 3 applications as for 30 (over 3 units or 10).
"""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.core.models import AuditEvent, BackgroundJob
from gongkao.review import batches, queries
from gongkao.review.models import Batch
from tests.factories import (
    ApplicationFactory,
    BatchFactory,
    JobTypeFactory,
    UnitFactory,
    UserFactory,
    assignment_of,
)

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


def _waiting(campaign, units, n, **fields):
    """`n` applications waiting for the office, spread over `units`."""
    start = timezone.now() - timedelta(days=5)
    apps = []
    for i in range(n):
        app = ApplicationFactory(
            applicant=UserFactory(username=f"s{i}-{units[0].pk}"),
            campaign=campaign,
            unit=units[i % len(units)],
            level=4,
            status=Status.QUALIFICATION_REVIEW,
            **fields,
        )
        # A few share one time: the id breaks the tie.
        app.status_since = start + timedelta(minutes=i // 3)
        app.save(update_fields=["status_since"])
        apps.append(app)
    return apps


def _rows(client, url, params):
    body = client.get(url, params).content.decode()
    return [
        int(part.split('"', 1)[0]) for part in body.split('name="ids" value="')[1:]
    ], body


def test_queue_pages_by_keyset_without_gaps_or_repeats(
    client, campaign, school, office_reviewer
):
    apps = _waiting(campaign, [school], 120)
    expected = [a.pk for a in sorted(apps, key=lambda a: (a.status_since, a.pk))]
    assignment = assignment_of(office_reviewer)
    client.force_login(office_reviewer, backend=BACKEND)
    url = reverse("review:queue", args=[assignment.pk])
    seen: list[int] = []
    params = {"status": Status.QUALIFICATION_REVIEW}
    pages = []
    while True:
        rows, body = _rows(client, url, params)
        assert "共 120 份" in body
        seen += rows
        pages.append(rows)
        page = queries.queue_page(
            queries.filter_queue(
                queries.scoped_applications(assignment),
                {"status": Status.QUALIFICATION_REVIEW},
            ),
            after=params.get("after", ""),
        )
        if not page.after:
            assert "下一页" not in body
            break
        assert "下一页" in body
        params = {**params, "after": page.after}
    assert seen == expected
    assert [len(p) for p in pages] == [50, 50, 20]
    # Back from the last page: the page before it, in the same order.
    last = queries.queue_cursor(Application_by_pk(apps, pages[2][0]))
    back, _ = _rows(client, url, {"status": params["status"], "before": last})
    assert back == pages[1]


def Application_by_pk(apps, pk):  # noqa: N802
    return next(a for a in apps if a.pk == pk)


@pytest.mark.parametrize(
    "cursor", ["x", "draft~1~", "a~99999999999999999999~1", "\x00"]
)
def test_queue_bad_cursor_is_the_first_page(
    client, campaign, school, office_reviewer, cursor
):
    _waiting(campaign, [school], 3)
    assignment = assignment_of(office_reviewer)
    client.force_login(office_reviewer, backend=BACKEND)
    url = reverse("review:queue", args=[assignment.pk])
    first, _ = _rows(client, url, {"status": Status.QUALIFICATION_REVIEW})
    rows, _ = _rows(
        client, url, {"status": Status.QUALIFICATION_REVIEW, "after": cursor}
    )
    assert rows == first and len(rows) == 3


def test_queue_route_filter_reads_the_column(client, campaign, school, office_reviewer):
    routed = _waiting(campaign, [school], 4, route="years")
    _waiting(campaign, [UnitFactory(city_direct=True)], 3, route="regular")
    assignment = assignment_of(office_reviewer)
    client.force_login(office_reviewer, backend=BACKEND)
    rows, _ = _rows(
        client, reverse("review:queue", args=[assignment.pk]), {"route": "years"}
    )
    assert sorted(rows) == sorted(a.pk for a in routed)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("page", ["queue", "circular", "batch"])
def test_queries_per_page_flat_in_applications(client, campaign, office_admin, page):
    """3 applications in 3 units, then 30 in 10: the same number of queries."""
    assignment = assignment_of(office_admin)
    client.force_login(office_admin, backend=BACKEND)
    counts = []
    for n, width in ((3, 3), (30, 10)):
        units = [UnitFactory(city_direct=True) for _ in range(width)]
        for unit in units:
            BatchFactory(campaign=campaign, unit=unit)
        _waiting(campaign, units, n, returns_count=2, resubmit_overdue=True)
        url = {
            "queue": reverse("review:queue", args=[assignment.pk]),
            "circular": reverse("review:circular", args=[assignment.pk]),
            "batch": reverse(
                "review:batch",
                args=[assignment.pk, Batch.objects.get(unit=units[0]).pk],
            ),
        }[page]
        client.get(url)  # warm: the calendar, the current campaign
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]


def test_dashboard_panels_from_the_counts_match_the_per_panel_queries(
    campaign, school, county_school, office_admin
):
    """The panels added up from the counts the triggers keep give what the
    per-panel aggregates over the applications give."""
    today = timezone.localdate()
    other = UnitFactory(city_direct=True)
    for i, (unit, status, level) in enumerate(
        [
            (school, Status.QUALIFICATION_REVIEW, 4),
            (school, Status.RETURNED, 3),
            (school, Status.QUALIFIED, 4),
            (other, Status.UNIT_REVIEW, None),
            (other, Status.DRAFT, 4),
            (other, Status.WITHDRAWN, 4),
            (other, Status.NOT_QUALIFIED, 5),
            (county_school, Status.ONSITE_CHECK, 4),
        ]
    ):
        ApplicationFactory(
            applicant=UserFactory(username=f"d{i}"),
            campaign=campaign,
            unit=unit,
            level=level,
            status=status,
            returned_from=Status.UNIT_REVIEW if status == Status.RETURNED else "",
            resubmit_by=today - timedelta(days=1)
            if status == Status.RETURNED
            else None,
        )
    for city_wide in (False, True):
        apps = queries.office_applications(
            assignment_of(office_admin), campaign, city_wide=city_wide
        )
        submitted = apps.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
        panels = queries.dashboard_panels(
            apps,
            today,
            queries.office_count_groups(
                assignment_of(office_admin), campaign, city_wide=city_wide
            ),
        )
        assert panels["totals"] == queries.status_totals(submitted, today)
        assert panels["by_status"] == queries.counts_by(submitted, "status")
        # Where NULL sorts differs by database: compare the counts.
        assert dict(panels["by_level"]) == dict(queries.counts_by(submitted, "level"))
        assert dict(panels["by_job_type"]) == dict(
            queries.counts_by(submitted, "job_type__name")
        )
        assert panels["progress"] == queries.division_progress(apps)
        assert panels["totals"]["submitted"] == (6 if city_wide else 5)


def test_large_summary_export_runs_as_a_job_with_a_download_that_expires(
    client, campaign, school, office_admin, settings, django_capture_on_commit_callbacks
):
    """Over EXPORT_INLINE_ROWS rows the summary is a background job: its page,
    then the file; past JOB_RESULT_HOURS the download is refused and the
    daily sweep deletes the file."""
    settings.EXPORT_INLINE_ROWS = 2
    for i in range(3):
        ApplicationFactory(
            applicant=UserFactory(username=f"q{i}"),
            campaign=campaign,
            unit=school,
            level=4,
            status=Status.QUALIFIED,
        )
    assignment = assignment_of(office_admin)
    client.force_login(office_admin, backend=BACKEND)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("review:summary_export", args=[assignment.pk]))

    job = BackgroundJob.objects.get(kind="review.summary_export")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert job.state == BackgroundJob.State.DONE and (job.done, job.total) == (3, 3)
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    book = load_workbook(BytesIO(b"".join(download.streaming_content)))
    sheet = book["资格审查通过人员名单"]
    numbers = [r[0] for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert numbers == [1, 2, 3]  # one row a person, after the title and header
    audit = AuditEvent.objects.get(action="exported")
    assert audit.after == {
        "what": "summary",
        "rows": 3,
        "full_numbers": ["id_number", "phone"],
    }

    BackgroundJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - timedelta(hours=25)
    )
    expired = client.get(reverse("core:job_download", args=[job.pk]))
    assert expired.status_code == 404
    stored = job.result_file.name
    assert job.result_file.storage.exists(stored)
    out = StringIO()
    call_command("sweep_deadlines", stdout=out)
    assert "删除过期导出文件 1" in out.getvalue()
    job.refresh_from_db()
    assert not job.result_file and not job.result_file.storage.exists(stored)


def test_small_summary_export_stays_inline(client, campaign, school, office_admin):
    ApplicationFactory(campaign=campaign, unit=school, level=4, status=Status.QUALIFIED)
    assignment = assignment_of(office_admin)
    client.force_login(office_admin, backend=BACKEND)
    response = client.get(reverse("review:summary_export", args=[assignment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxml")


def test_large_queue_export_runs_as_a_job_with_its_filters(
    client,
    campaign,
    school,
    office_reviewer,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.EXPORT_INLINE_ROWS = 2
    _waiting(campaign, [school], 3, route="years")
    _waiting(campaign, [UnitFactory(city_direct=True)], 2, route="regular")
    assignment = assignment_of(office_reviewer)
    client.force_login(office_reviewer, backend=BACKEND)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            reverse("review:queue_export", args=[assignment.pk]), {"route": "years"}
        )

    job = BackgroundJob.objects.get(kind="review.queue_export")
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert job.state == BackgroundJob.State.DONE and (job.done, job.total) == (3, 3)
    download = client.get(reverse("core:job_download", args=[job.pk]))
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content)))["申报列表"]
    assert sheet.max_row == 3 + 3  # title, filters, header; the 3 on that route
    audit = AuditEvent.objects.get(action="exported")
    assert audit.after == {"what": "queue", "filters": {"route": "years"}}
    # Another reviewer never sees the job or its file.
    other = UserFactory(username="other")
    client.force_login(other, backend=BACKEND)
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_batch_page_lists_its_applications_by_pages(
    client, campaign, school, office_admin
):
    apps = _waiting(campaign, [school], batches.BATCH_PAGE_SIZE + 5)
    batch = BatchFactory(campaign=campaign, unit=school)
    assignment = assignment_of(office_admin)
    client.force_login(office_admin, backend=BACKEND)
    url = reverse("review:batch", args=[assignment.pk, batch.pk])

    first = client.get(url).content.decode()
    ids = sorted(a.pk for a in apps)
    last_on_first = ids[batches.BATCH_PAGE_SIZE - 1]
    assert f"本批次申报（{len(apps)}人）" in first
    assert f'href="?after={last_on_first}"' in first
    second = client.get(url, {"after": last_on_first}).content.decode()
    assert second.count("<tr><td>") == 5
    assert "下一页" not in second and 'href="?"' in second
    # An id that does not parse is the first page.
    assert client.get(url, {"after": "x\x00"}).status_code == 200


def test_queue_totals_from_the_counts_match_the_rows(
    campaign, school, county_school, clerk, department_reviewer, office_reviewer
):
    """A queue filtered by keys of ApplicationCount alone (the route too) has
    its total added up from the counts: the same number as counting the
    rows, the reviewer's own file left out; other filters count the rows."""
    other = UnitFactory(city_direct=True)
    for i, (unit, status, level) in enumerate(
        [
            (school, Status.UNIT_REVIEW, 4),
            (school, Status.UNIT_REVIEW, 3),
            (school, Status.QUALIFICATION_REVIEW, 4),
            (school, Status.DRAFT, 4),
            (other, Status.QUALIFICATION_REVIEW, 5),
            (county_school, Status.QUALIFICATION_REVIEW, 4),
            (school, Status.DEPARTMENT_REVIEW, None),
        ]
    ):
        ApplicationFactory(
            applicant=UserFactory(username=f"q{i}"),
            campaign=campaign,
            unit=unit,
            level=level,
            status=status,
        )
    # The reviewer applied too: their own file is never in their queue.
    ApplicationFactory(
        applicant=office_reviewer,
        campaign=campaign,
        unit=school,
        level=4,
        status=Status.QUALIFICATION_REVIEW,
    )
    job_type = JobTypeFactory()
    Application.objects.filter(level=4).update(job_type=job_type)
    Application.objects.filter(unit=school).update(route="regular")
    cases = [
        {},
        {"status": Status.QUALIFICATION_REVIEW},
        {"status": Status.UNIT_REVIEW, "level": 4},
        {"unit": school.pk},
        {"level": 4},
        {"job_type": job_type.pk},
        {"route": "regular"},
        {"status": Status.QUALIFICATION_REVIEW, "route": "regular"},
    ]
    for user in (clerk, department_reviewer, office_reviewer):
        assignment = assignment_of(user)
        for case in cases:
            filters = {**case, "campaign": campaign.pk}
            rows = queries.filter_queue(
                queries.scoped_applications(assignment), filters
            )
            assert queries.counted_total(assignment, filters) == rows.count(), (
                user,
                case,
            )
    assert (
        queries.counted_total(
            assignment_of(office_reviewer), {"campaign": campaign.pk, "q": "张"}
        )
        is None
    )


def test_stalled_departments_counts_match_the_rows(
    campaign, school, county_school, clerk, office_reviewer
):
    """Files waiting for a department without a reviewer are added up from
    the counts: every campaign of the scope, never the viewer's own file."""
    for i, status in enumerate(
        [Status.DEPARTMENT_REVIEW, Status.DEPARTMENT_REVIEW, Status.UNIT_REVIEW]
    ):
        ApplicationFactory(
            applicant=UserFactory(username=f"w{i}"),
            campaign=campaign,
            unit=school,
            status=status,
        )
    ApplicationFactory(
        applicant=office_reviewer,
        campaign=campaign,
        unit=school,
        status=Status.DEPARTMENT_REVIEW,
    )
    for user in (clerk, office_reviewer):
        assignment = assignment_of(user)
        found = queries.stalled_departments(assignment)
        assert found, user
        for department, waiting in found:
            rows = queries.scoped_applications(assignment).filter(
                status=Status.DEPARTMENT_REVIEW,
                unit__supervising_department=department,
            )
            assert waiting == rows.count(), (user, department)
    department = school.supervising_department
    # The clerk sees the reviewer's file; the reviewer never their own.
    assert dict(queries.stalled_departments(assignment_of(clerk)))[department] == 3
    assert (
        dict(queries.stalled_departments(assignment_of(office_reviewer)))[department]
        == 2
    )


def test_circular_unit_rows_match_the_applications(
    campaign, school, county_school, office_reviewer
):
    """The circular's rows (how many applied from the counts, the returns
    from the files ever returned) match an aggregate over the files, the
    reviewer's own file left out."""
    other = UnitFactory(city_direct=True)
    for i, (unit, status, returns, overdue) in enumerate(
        [
            (school, Status.UNIT_REVIEW, 0, False),
            (school, Status.RETURNED, 2, True),
            (school, Status.QUALIFIED, 1, False),
            (school, Status.DRAFT, 3, False),
            (other, Status.RETURNED, 1, True),
            (other, Status.WITHDRAWN, 2, False),
        ]
    ):
        ApplicationFactory(
            applicant=UserFactory(username=f"r{i}"),
            campaign=campaign,
            unit=unit,
            status=status,
            returns_count=returns,
            resubmit_overdue=overdue,
            returned_from="unit_review" if status == Status.RETURNED else "",
        )
    ApplicationFactory(
        applicant=office_reviewer,
        campaign=campaign,
        unit=school,
        status=Status.RETURNED,
        returned_from="unit_review",
        returns_count=3,
    )
    assignment = assignment_of(office_reviewer)
    apps = queries.office_applications(assignment, campaign, city_wide=False)
    rows = queries.unit_statistics(
        apps, queries.office_count_groups(assignment, campaign, city_wide=False)
    )
    found = {
        r["unit_id"]: (
            r["applications"],
            r["returns"],
            r["repeated_returns"],
            r["overdue"],
        )
        for r in rows
    }
    assert found == {school.pk: (3, 3, 1, 1), other.pk: (1, 1, 0, 1)}
