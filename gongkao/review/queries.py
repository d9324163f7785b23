"""Reads for reviewers: the applications and batches in a role's scope, queue
filters, and the statistics behind circulars and dashboards."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    F,
    Func,
    Lookup,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone

from gongkao.accounts.models import OFFICE_ROLES, Role, RoleAssignment
from gongkao.accounts.queries import departments_without_reviewer
from gongkao.applications.models import Application, ApplicationCount
from gongkao.applications.queries import scope_q
from gongkao.applications.states import Status
from gongkao.campaigns.models import LEVEL_CHOICES, Campaign, JobType
from gongkao.campaigns.queries import campaigns_of_office
from gongkao.eligibility.labels import ROUTE_LABELS
from gongkao.organizations.models import Division, ExamOffice, Unit
from gongkao.organizations.queries import units_of_office, with_unit_names
from gongkao.review.chain import ONLINE_DONE
from gongkao.review.models import Batch


def scoped_applications(assignment: RoleAssignment) -> QuerySet[Application]:
    """Every submitted application the holder of `assignment` may see; never
    their own (a clerk may apply too)."""
    return (
        Application.objects.filter(scope_q(assignment))
        .exclude(status=Status.DRAFT)
        .exclude(applicant_id=assignment.user_id)
        .select_related("applicant", "unit", "unit__division", "job_type", "campaign")
    )


def stalled_departments(assignment: RoleAssignment) -> list[tuple[Unit, int]]:
    """For a unit clerk or an office: the supervising departments in scope
    with no reviewer account, each with the files waiting for it."""
    if assignment.role == Role.UNIT_CLERK and assignment.unit_id is not None:
        units = Unit.objects.filter(pk=assignment.unit_id)
    elif assignment.role in OFFICE_ROLES and assignment.office is not None:
        units = units_of_office(assignment.office)
    else:
        return []
    departments = departments_without_reviewer(units)
    if not departments:
        return []
    # Added up from ApplicationCount (every campaign, as the scope is), less
    # the viewer's own file, instead of counting the waiting files.
    department_of = dict(
        units.filter(supervising_department__in=departments).values_list(
            "pk", "supervising_department_id"
        )
    )
    waiting: Counter[int] = Counter()
    for unit_id, n in (
        ApplicationCount.objects.filter(
            status=Status.DEPARTMENT_REVIEW, unit_id__in=list(department_of)
        )
        .values_list("unit_id")
        .annotate(n=Sum("n"))
        .order_by()
    ):
        waiting[department_of[unit_id]] += n
    for unit_id in Application.objects.filter(
        applicant_id=assignment.user_id,
        status=Status.DEPARTMENT_REVIEW,
        unit_id__in=list(department_of),
    ).values_list("unit_id", flat=True):
        waiting[department_of[unit_id]] -= 1
    return [(d, waiting[d.pk]) for d in departments]


def scoped_units(assignment: RoleAssignment) -> QuerySet[Unit]:
    """The units whose applications the role sees (the queue's unit filter),
    read from the units, not from their applications."""
    if assignment.role == Role.UNIT_CLERK and assignment.unit_id is not None:
        return Unit.objects.filter(pk=assignment.unit_id)
    if assignment.role == Role.DEPARTMENT_REVIEWER and assignment.unit_id is not None:
        return Unit.objects.filter(supervising_department_id=assignment.unit_id)
    if assignment.office is not None:
        return units_of_office(assignment.office)
    return Unit.objects.none()


def filter_job_types(selected: int | None = None) -> QuerySet[JobType]:
    """The queue's job-type filter: the catalogue in force (and the one
    selected), not a scan of the scope's applications."""
    current = Q(valid_until__isnull=True)
    if selected:
        current |= Q(pk=selected)
    return JobType.objects.filter(current).order_by("name")


def scoped_batches(assignment: RoleAssignment) -> QuerySet[Batch]:
    return Batch.objects.filter(scope_q(assignment)).select_related(
        "unit", "unit__division", "campaign", "unit__supervising_department"
    )


def scoped_application(assignment: RoleAssignment, pk: int) -> Application | None:
    """One application in the role's scope, or None (the view answers 404)."""
    return scoped_applications(assignment).filter(pk=pk).first()


def scoped_batch(assignment: RoleAssignment, pk: int) -> Batch | None:
    return scoped_batches(assignment).filter(pk=pk).first()


def office_applications(
    assignment: RoleAssignment, campaign: Campaign | None, *, city_wide: bool
) -> QuerySet[Application]:
    """What an office's dashboard counts: its scope, or the whole city for the
    city office when it asks (`city_wide` is already checked by the form); for a
    province office, the campaigns of that year of every city below it."""
    if campaign is not None and is_province_office(assignment):
        assert assignment.office is not None
        return Application.objects.filter(
            campaign__in=campaigns_of_office(assignment.office).filter(
                year=campaign.year
            )
        )
    apps = Application.objects.all() if city_wide else scoped_applications(assignment)
    return apps.filter(campaign=campaign)


_COUNT_KEY = ("status", "level", "job_type_id", "unit_id")


def _own_file(
    assignment: RoleAssignment, campaign_id: int, units: QuerySet[Unit]
) -> QuerySet[Application]:
    """The reviewer's own application among `units`: never in their scope
    (scoped_applications), so the counts are read less it."""
    return Application.objects.filter(
        applicant_id=assignment.user_id, campaign_id=campaign_id, unit__in=units
    )


def office_count_groups(
    assignment: RoleAssignment, campaign: Campaign | None, *, city_wide: bool
) -> list[dict[str, Any]]:
    """The submitted applications of `office_applications`' scope, grouped
    by status, level, job type and division as `dashboard_panels` reads
    them, added up from `ApplicationCount` (kept by triggers) instead of
    scanning the scope. Overdue returns are not among them (they depend on
    today): the caller counts those."""
    counts = ApplicationCount.objects.exclude(
        status__in=[Status.DRAFT, Status.WITHDRAWN]
    ).exclude(n=0)
    own = None
    if campaign is not None and is_province_office(assignment):
        assert assignment.office is not None
        counts = counts.filter(
            campaign_id__in=campaigns_of_office(assignment.office)
            .filter(year=campaign.year)
            .values("pk")
        )
    else:
        campaign_id = campaign.pk if campaign else 0
        counts = counts.filter(campaign_id=campaign_id)
        if not city_wide:
            assert assignment.office is not None
            units = units_of_office(assignment.office)
            counts = counts.filter(unit_id__in=units.values("pk"))
            own = (
                _own_file(assignment, campaign_id, units)
                .exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
                .values(*_COUNT_KEY)
                .first()
            )
    rows = list(counts.values(*_COUNT_KEY).annotate(total=Sum("n")).order_by())
    division_of = dict(
        Unit.objects.filter(pk__in={r["unit_id"] for r in rows}).values_list(
            "pk", "division_id"
        )
    )
    groups = []
    for row in rows:
        key = (row["status"], row["level"], row["job_type_id"], row["unit_id"])
        if own is not None and key == (
            own["status"],
            own["level"] or 0,
            own["job_type_id"] or 0,
            own["unit_id"] or 0,
        ):
            row["total"] -= 1
        if row["total"] > 0:
            groups.append(
                {
                    "status": row["status"],
                    "level": row["level"] or None,
                    "job_type_id": row["job_type_id"] or None,
                    "unit_id": row["unit_id"] or None,
                    "unit__division_id": division_of.get(row["unit_id"]),
                    "n": row["total"],
                }
            )
    return groups


def is_province_office(assignment: RoleAssignment) -> bool:
    office = assignment.office
    return office is not None and office.division.kind == Division.Kind.PROVINCE


def divisions_of_campaign(campaign: Campaign) -> QuerySet[Division]:
    """The districts and counties of the campaign's city (the queue filter)."""
    return Division.objects.filter(
        Q(parent_id=campaign.division_id) | Q(parent__parent_id=campaign.division_id),
        kind__in=[Division.Kind.URBAN_DISTRICT, Division.Kind.COUNTY],
    )


def may_look_city_wide(assignment: RoleAssignment) -> bool:
    """The city office may see city-wide aggregates."""
    office = assignment.office
    return office is not None and office.division.kind in (
        Division.Kind.CITY,
        Division.Kind.PROVINCE,
    )


def drafts_of_office(office: ExamOffice, *, name: str = "") -> QuerySet[Application]:
    """Drafts in the office's jurisdiction (to extend one's window), by name."""
    drafts = (
        Application.objects.filter(
            status=Status.DRAFT, unit__in=units_of_office(office)
        )
        .select_related("applicant", "unit")
        .prefetch_related("extensions__granted_by")
        .order_by("unit__name", "id")
    )
    return drafts.filter(applicant__name__contains=name) if name else drafts


def filter_queue(
    qs: QuerySet[Application], filters: dict[str, Any], today: date | None = None
) -> QuerySet[Application]:
    """Apply a queue's filters, already parsed by forms.QueueFilterForm, and
    the chosen campaign (`campaign`: its id, 0 for none) when given."""
    if "campaign" in filters:
        qs = qs.filter(campaign_id=filters["campaign"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"])
    if filters.get("division"):
        qs = qs.filter(unit__division_id=filters["division"])
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    if filters.get("job_type"):
        qs = qs.filter(job_type_id=filters["job_type"])
    if filters.get("route"):
        qs = qs.filter(route=filters["route"])
    if filters.get("overdue"):
        qs = qs.filter(
            Q(resubmit_overdue=True)
            | Q(status=Status.RETURNED, resubmit_by__lt=today or timezone.localdate())
        )
    if filters.get("deferred"):
        qs = qs.filter(deferred_committed_at__isnull=False)
    if filters.get("onsite"):
        qs = qs.filter(onsite_required=True)
    if filters.get("q"):
        qs = qs.filter(applicant__name__contains=filters["q"])
    return qs


# Filters that are keys of ApplicationCount (the queue filter → its column
# there and on Application): a queue filtered by these alone has its total
# added up from the counts.
_COUNTED_COLUMNS = {
    "unit": "unit_id",
    "level": "level",
    "job_type": "job_type_id",
    "route": "route",
}
_COUNTED_FILTERS = frozenset({"campaign", "status", *_COUNTED_COLUMNS})


def counted_total(assignment: RoleAssignment, filters: dict[str, Any]) -> int | None:
    """The total of `filter_queue(scoped_applications(assignment), filters)`
    from `ApplicationCount` (kept by triggers), or None when a filter is not
    one of its keys (a name, a flag): the caller counts the rows then."""
    if "campaign" not in filters or any(
        value for key, value in filters.items() if key not in _COUNTED_FILTERS
    ):
        return None
    units = scoped_units(assignment)
    counts = ApplicationCount.objects.filter(
        campaign_id=filters["campaign"], unit_id__in=units.values("pk")
    )
    own = _own_file(assignment, filters["campaign"], units)
    if filters.get("status"):
        counts = counts.filter(status=filters["status"])
        own = own.filter(status=filters["status"])
    else:
        counts = counts.exclude(status=Status.DRAFT)
        own = own.exclude(status=Status.DRAFT)
    for key, column in _COUNTED_COLUMNS.items():
        if filters.get(key):
            counts = counts.filter(**{column: filters[key]})
            own = own.filter(**{column: filters[key]})
    total = counts.aggregate(total=Sum("n"))["total"] or 0
    return int(total) - own.count()


# --- keyset pagination of queues --------------------------------------------------

QUEUE_ORDER = ("status", "status_since", "id")
# What a queue's row shows (review/review_queue.html): a whole row of an
# application, with its account, unit, division, job type and campaign, costs
# several times as much to read.
QUEUE_COLUMNS = (
    "status",
    "status_since",
    "level",
    "eligibility",
    "onsite_required",
    "returns_count",
    "resubmit_overdue",
    "deferred_committed_at",
    "applicant__name",
    "unit__name",
    "job_type__name",
)
QUEUE_PAGE_SIZE = 50
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = re.compile(r"^([a-z_]{1,30})~(-?[0-9]{1,19})~([0-9]{1,19})$")


@dataclass(frozen=True)
class QueuePage:
    """One page of a queue: its rows, the total, and the cursors of the pages
    before and after ("" when there is none)."""

    rows: list[Application]
    count: int
    before: str
    after: str

    def __iter__(self) -> Any:
        return iter(self.rows)


def queue_cursor(application: Application) -> str:
    """Where a row stands in the queue order, as a URL-safe string."""
    micros = (application.status_since - _EPOCH) // timedelta(microseconds=1)
    return f"{application.status}~{micros}~{application.pk}"


def _parse_cursor(cursor: str) -> tuple[str, datetime, int] | None:
    match = _CURSOR.match(cursor or "")
    if match is None:
        return None
    try:
        since = _EPOCH + timedelta(microseconds=int(match[2]))
    except OverflowError:
        return None
    return match[1], since, int(match[3])


def _beyond(cursor: tuple[str, datetime, int], op: str) -> Lookup[Any]:
    """Rows after (op ">") or before ("<") the cursor in queue order: one row
    comparison, which the (status, status_since, id) indexes serve. Columns
    through F(), so it holds in the sub-select of a page's keys as well."""
    status, since, pk = cursor
    row = "(%(expressions)s)"
    columns = Func(*(F(c) for c in QUEUE_ORDER), template=row, output_field=CharField())
    values = Func(
        Value(status),
        Value(since, output_field=DateTimeField()),
        Value(pk),
        template=row,
        output_field=CharField(),
    )
    return GreaterThan(columns, values) if op == ">" else LessThan(columns, values)


def queue_page(
    qs: QuerySet[Application],
    *,
    after: str = "",
    before: str = "",
    count: int | None = None,
) -> QueuePage:
    """A page of `qs` in queue order by keyset (never an OFFSET: a deep page
    costs what the first does). A cursor that does not parse is the first page.
    `count`: the total when the caller has it (`counted_total`)."""
    size = QUEUE_PAGE_SIZE
    count = qs.count() if count is None else count
    back = _parse_cursor(before)
    if back is not None:
        rows = _rows(
            qs.filter(_beyond(back, "<")), [f"-{c}" for c in QUEUE_ORDER], size + 1
        )
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return QueuePage(
            rows,
            count,
            queue_cursor(rows[0]) if rows and more_before else "",
            queue_cursor(rows[-1]) if rows else "",
        )
    forward = _parse_cursor(after)
    if forward is not None:
        qs = qs.filter(_beyond(forward, ">"))
    rows = _rows(qs, list(QUEUE_ORDER), size + 1)
    more_after = len(rows) > size
    rows = rows[:size]
    return QueuePage(
        rows,
        count,
        queue_cursor(rows[0]) if rows and forward is not None else "",
        queue_cursor(rows[-1]) if more_after else "",
    )


def first_keys(
    qs: QuerySet[Application], order: Sequence[str], limit: int
) -> QuerySet[Application, Any]:
    """The ids of the first `limit` rows of `qs` in `order`, as a sub-select
    read from an index without a join. The caller reads the columns it
    shows, and joins, for those ids alone: joined before the limit, the
    account and the unit of every matching file would be read to keep fifty."""
    return qs.select_related(None).order_by(*order).values("pk")[:limit]


def _rows(qs: QuerySet[Application], order: list[str], limit: int) -> list[Application]:
    """A queue page's rows, with what a row shows (`QUEUE_COLUMNS`)."""
    return list(
        Application.objects.filter(pk__in=first_keys(qs, order, limit))
        .select_related("applicant", "unit", "job_type")
        .only(*QUEUE_COLUMNS)
        .order_by(*order)
    )


def describe_filters(params: dict[str, str]) -> str:
    """The filters in words, for an export's subtitle: labels and names, never
    the codes or ids of the query string (状态=单位审核中, 单位=焦作市第一中学)."""
    labels = {
        "status": "状态",
        "unit": "单位",
        "division": "区划",
        "level": "等级",
        "job_type": "工种",
        "route": "途径",
        "q": "姓名",
    }
    flags = {"overdue": "逾期", "deferred": "容缺后补", "onsite": "需现场审查"}
    names: dict[str, Any] = {
        "status": dict(Status.choices),
        "level": {str(v): label for v, label in LEVEL_CHOICES},
        "route": ROUTE_LABELS,
    }
    models: dict[str, Any] = {"unit": Unit, "division": Division, "job_type": JobType}
    parts = []
    for key, value in params.items():
        if not value:
            continue
        if key in flags:
            parts.append(flags[key])
        elif key in names:
            parts.append(f"{labels[key]}={names[key].get(value, value)}")
        elif key in models:
            found = models[key].objects.filter(pk=int(value)).first()
            parts.append(f"{labels[key]}={found.name if found else '（已删除）'}")
        elif key in labels:
            parts.append(f"{labels[key]}={value}")
    return "筛选：" + ("；".join(parts) if parts else "无")


# --- statistics: circulars and dashboards ---------------------------------------

IN_ONLINE_REVIEW = (
    Status.UNIT_REVIEW,
    Status.DEPARTMENT_REVIEW,
    Status.QUALIFICATION_REVIEW,
    Status.RETURNED,
)


def status_totals(applications: QuerySet[Application], today: date) -> dict[str, int]:
    """The dashboard's headline numbers, in one aggregate query."""
    return applications.aggregate(
        submitted=Count("id"),
        pending=Count("id", filter=Q(status__in=IN_ONLINE_REVIEW)),
        done=Count("id", filter=Q(status__in=ONLINE_DONE)),
        qualified=Count("id", filter=Q(status=Status.QUALIFIED)),
        not_qualified=Count("id", filter=Q(status=Status.NOT_QUALIFIED)),
        returned=Count("id", filter=Q(status=Status.RETURNED)),
        overdue=Count("id", filter=Q(status=Status.RETURNED, resubmit_by__lt=today)),
    )


def unit_statistics(
    applications: QuerySet[Application], groups: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Per unit: applications, returns, repeated returns, overdue resubmissions.
    How many applied is added up from `groups` (`office_count_groups` of the
    same scope); the returns are counted over the files ever returned or
    overdue alone (the partial index `application_returned`), grouped by the
    unit's id; the names read after, in unit name order."""
    applied: Counter[int | None] = Counter()
    for group in groups:
        applied[group["unit_id"]] += group["n"]
    returned = {
        row["unit_id"]: row
        for row in applications.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
        .filter(Q(returns_count__gt=0) | Q(resubmit_overdue=True))
        .values("unit_id")
        .annotate(
            returns=Sum("returns_count"),
            repeated_returns=Count("id", filter=Q(returns_count__gte=2)),
            overdue=Count("id", filter=Q(resubmit_overdue=True)),
        )
        .order_by()
    }
    rows = []
    for unit_id, n in applied.items():
        if n > 0:
            row = returned.get(unit_id, {})
            rows.append(
                {
                    "unit_id": unit_id,
                    "applications": n,
                    "returns": row.get("returns") or 0,
                    "repeated_returns": row.get("repeated_returns", 0),
                    "overdue": row.get("overdue", 0),
                }
            )
    found = with_unit_names(rows)
    found.sort(key=lambda r: (r["unit__name"] is None, r["unit__name"] or ""))
    return found


def counts_by(applications: QuerySet[Application], field: str) -> list[tuple[Any, int]]:
    return [
        (row[field], row["n"])
        for row in applications.values(field).annotate(n=Count("id")).order_by(field)
    ]


def division_progress(applications: QuerySet[Application]) -> list[dict[str, Any]]:
    """Per county, county-level city or district: how much online review is done."""
    rows = (
        applications.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
        .values("unit__division_id", "unit__division__name", "unit__division__code")
        .annotate(
            total=Count("id"),
            pending=Count("id", filter=Q(status__in=IN_ONLINE_REVIEW)),
            done=Count("id", filter=Q(status__in=ONLINE_DONE)),
            returned=Count("id", filter=Q(status=Status.RETURNED)),
        )
        .order_by("unit__division__code")
    )
    return [
        dict(r, percent=round(100 * r["done"] / r["total"]) if r["total"] else 0)
        for r in rows
    ]


def dashboard_panels(
    applications: QuerySet[Application], today: date, groups: list[dict[str, Any]]
) -> dict[str, Any]:
    """Every number of the office dashboard from `groups`, the scope's counts
    by status, level, job type and division (`office_count_groups`), instead
    of one scan per panel: the totals, counts by status, level and job type,
    and the progress per division, shaped as status_totals, counts_by and
    division_progress shape them. Only the overdue returns are counted from
    `applications`, the same scope."""
    # The one number that depends on today: few rows, by the index on
    # (status, resubmit_by).
    overdue = applications.filter(status=Status.RETURNED, resubmit_by__lt=today).count()
    by_status: dict[str, int] = {}
    by_level: dict[int | None, int] = {}
    by_job: dict[int | None, int] = {}
    by_division: dict[int, dict[str, int]] = {}
    for g in groups:
        n = g["n"]
        by_status[g["status"]] = by_status.get(g["status"], 0) + n
        by_level[g["level"]] = by_level.get(g["level"], 0) + n
        by_job[g["job_type_id"]] = by_job.get(g["job_type_id"], 0) + n
        d = by_division.setdefault(
            g["unit__division_id"],
            {"total": 0, "pending": 0, "done": 0, "returned": 0},
        )
        d["total"] += n
        d["pending"] += n if g["status"] in IN_ONLINE_REVIEW else 0
        d["done"] += n if g["status"] in ONLINE_DONE else 0
        d["returned"] += n if g["status"] == Status.RETURNED else 0

    def count(statuses: Any) -> int:
        return sum(n for s, n in by_status.items() if s in statuses)

    totals = {
        "submitted": sum(by_status.values()),
        "pending": count(IN_ONLINE_REVIEW),
        "done": count(ONLINE_DONE),
        "qualified": by_status.get(Status.QUALIFIED, 0),
        "not_qualified": by_status.get(Status.NOT_QUALIFIED, 0),
        "returned": by_status.get(Status.RETURNED, 0),
        "overdue": overdue,
    }
    names = dict(
        JobType.objects.filter(pk__in=[k for k in by_job if k]).values_list(
            "pk", "name"
        )
    )
    divisions = {
        d.pk: d for d in Division.objects.filter(pk__in=[k for k in by_division if k])
    }
    progress = [
        dict(
            counts,
            unit__division_id=pk,
            unit__division__name=divisions[pk].name if pk in divisions else None,
            unit__division__code=divisions[pk].code if pk in divisions else None,
            percent=round(100 * counts["done"] / counts["total"])
            if counts["total"]
            else 0,
        )
        for pk, counts in by_division.items()
    ]
    progress.sort(key=lambda r: r["unit__division__code"] or "")
    return {
        "totals": totals,
        "by_status": sorted(by_status.items()),
        "by_level": sorted(by_level.items(), key=lambda r: (r[0] is None, r[0] or 0)),
        "by_job_type": sorted(
            ((names.get(k or 0), n) for k, n in by_job.items()),
            key=lambda r: (r[0] is None, r[0] or ""),
        ),
        "progress": progress,
    }
