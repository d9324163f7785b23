"""A campaign's statistics (issue #19, 四（五）归档): by level, job type,
unit and division, how many applied, were qualified, sat and passed, and
the pass rate.

One grouped query reads every count, whatever the number of applications:
the applications of the scope grouped by (level, job type, unit), each
count a conditional aggregate over uncorrelated sub-selects (which
PostgreSQL hashes once); the names come after, from the units and job
types; the four groupings and the total are rolled up from those rows in
Python.

The definitions, as the page states them:

- applied: submitted applications, neither drafts nor withdrawn (the
  review dashboard's 已提交申报);
- qualified: status QUALIFIED;
- sat: at least one submitted computer-based attempt, a released score that
  is not absent (a voided score counts: the candidate sat), or for level 1
  a closed panel session's result;
- passed: on a final publication (its period over and every objection
  answered, `results.queries.is_final`) and not withdrawn: the entries
  certificates are issued for. A pass not yet published, or still in its
  period, is not counted;
- pass rate: passed / sat.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gongkao.applications.models import Application, ApplicationCount
from gongkao.applications.states import Status
from gongkao.campaigns.models import LEVEL_CHOICES, Campaign, JobType
from gongkao.cbt.models import Attempt
from gongkao.organizations.models import ExamOffice
from gongkao.organizations.queries import units_of_office, with_unit_names
from gongkao.panels.models import SessionResult
from gongkao.results.models import Objection, PublishedResult, SubjectScore

LEVELS = dict(LEVEL_CHOICES)
UNKNOWN = "未填写"

# (key, heading): the groupings, in the page's and the workbook's order.
GROUPINGS = [
    ("level", "按等级"),
    ("job_type", "按工种"),
    ("unit", "按单位"),
    ("division", "按地区"),
]


@dataclass
class Row:
    """One category's counts."""

    label: str
    applied: int = 0
    qualified: int = 0
    sat: int = 0
    passed: int = 0

    def add(self, other: dict[str, Any]) -> None:
        self.applied += other["applied"]
        self.qualified += other["qualified"]
        self.sat += other["sat"]
        self.passed += other["passed"]

    @property
    def rate(self) -> float | None:
        """Passed per hundred who sat, one decimal; None when nobody sat."""
        if not self.sat:
            return None
        return round(100 * self.passed / self.sat, 1)

    def cells(self) -> list[object]:
        return [
            self.label,
            self.applied,
            self.qualified,
            self.sat,
            self.passed,
            self.rate,
        ]


@dataclass
class Stats:
    total: Row
    groups: dict[str, list[Row]] = field(default_factory=dict)


def applications_in(
    campaign: Campaign, office: ExamOffice | None
) -> QuerySet[Application]:
    """The campaign's submitted applications in the scope: the whole campaign
    (`office` None) or the units of the office's jurisdiction, by the same
    rule as `results.queries.candidates`."""
    found = Application.objects.filter(campaign=campaign).exclude(
        status__in=[Status.DRAFT, Status.WITHDRAWN]
    )
    if office is not None:
        found = found.filter(unit__in=units_of_office(office, include_inactive=True))
    return found


def sat_ids(campaign: Campaign) -> QuerySet[Any]:
    """The ids of the campaign's applications whose candidate sat an exam: a
    submitted computer-based attempt, a score or a voiding recorded, or (level
    one) a closed panel session."""
    attempted = Attempt.objects.filter(
        state=Attempt.State.SUBMITTED, seat__application__campaign=campaign
    ).values("seat__application_id")
    # No ordering in the parts of a UNION (a model's default one included).
    scored = (
        SubjectScore.objects.filter(application__campaign=campaign)
        .filter(Q(score__isnull=False) | ~Q(voided=""))
        .values("application_id")
    )
    panelled = SessionResult.objects.filter(
        session__closed_at__isnull=False,
        candidate__application__campaign=campaign,
        candidate__application__level=1,
    ).values("candidate__application_id")
    return attempted.order_by().union(scored.order_by(), panelled.order_by())


def passed_ids(campaign: Campaign, today: date) -> QuerySet[Any]:
    """On a final publication, not withdrawn (`results.queries.final_entries`)."""
    unanswered = Objection.objects.filter(answered_at__isnull=True).values(
        "entry__publication_id"
    )
    return (
        PublishedResult.objects.filter(
            publication__campaign=campaign,
            publication__ends_on__lt=today,
            withdrawn_at__isnull=True,
        )
        .exclude(publication_id__in=unanswered)
        .values("application_id")
    )


def counts(
    campaign: Campaign, office: ExamOffice | None, today: date | None = None
) -> list[dict[str, Any]]:
    """A row per (level, job type, unit) with its counts: how many applied and
    qualified added up from ApplicationCount (kept by triggers in the same
    transaction as every change), how many sat and passed counted over the
    files that did alone (the index of their ids, not a scan of the
    campaign); then the names it is shown by from the units and job types."""
    today = today or timezone.localdate()
    found = ApplicationCount.objects.filter(campaign_id=campaign.pk).exclude(
        status__in=[Status.DRAFT, Status.WITHDRAWN]
    )
    if office is not None:
        found = found.filter(
            unit_id__in=units_of_office(office, include_inactive=True).values("pk")
        )
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in (
        found.values("level", "job_type_id", "unit_id")
        .annotate(
            applied=Sum("n"),
            qualified=Sum("n", filter=Q(status=Status.QUALIFIED)),
        )
        .order_by()
    ):
        # The counts keep 0 where an application has no level, job type or unit.
        key = (row["level"] or None, row["job_type_id"] or None, row["unit_id"] or None)
        rows[key] = {
            "level": key[0],
            "job_type_id": key[1],
            "unit_id": key[2],
            "applied": row["applied"] or 0,
            "qualified": row["qualified"] or 0,
            "sat": 0,
            "passed": 0,
        }
    scope = applications_in(campaign, office)
    for name, ids in (
        ("sat", sat_ids(campaign)),
        ("passed", passed_ids(campaign, today)),
    ):
        for row in (
            scope.filter(pk__in=ids)
            .values("level", "job_type_id", "unit_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            key = (row["level"], row["job_type_id"], row["unit_id"])
            if key in rows:
                rows[key][name] = row["n"]
    listed = list(rows.values())
    jobs = dict(
        JobType.objects.filter(pk__in={r["job_type_id"] for r in listed}).values_list(
            "pk", "name"
        )
    )
    for row in listed:
        row["job_type__name"] = jobs.get(row["job_type_id"])
    return with_unit_names(listed)


def _keys(row: dict[str, Any]) -> dict[str, tuple[int, str]]:
    """Each grouping's (key, label) of a grouped row."""
    level = row["level"]
    return {
        "level": (level or 0, str(LEVELS.get(level, UNKNOWN))),
        "job_type": (row["job_type_id"] or 0, row["job_type__name"] or UNKNOWN),
        "unit": (row["unit_id"] or 0, row["unit__name"] or UNKNOWN),
        "division": (
            row["unit__division_id"] or 0,
            row["unit__division__name"] or UNKNOWN,
        ),
    }


def roll_up(rows: Iterable[dict[str, Any]]) -> Stats:
    """The total and each grouping's rows: levels in their order (一级 first),
    the others by how many applied, then by name."""
    total = Row("合计")
    buckets: dict[str, dict[int, Row]] = {key: {} for key, _ in GROUPINGS}
    for row in rows:
        total.add(row)
        for grouping, (key, label) in _keys(row).items():
            buckets[grouping].setdefault(key, Row(label)).add(row)
    stats = Stats(total)
    for grouping, found in buckets.items():
        if grouping == "level":
            ordered = [found[k] for k in sorted(found, key=lambda k: k or 99)]
        else:
            ordered = sorted(found.values(), key=lambda r: (-r.applied, r.label))
        stats.groups[grouping] = ordered
    return stats


def campaign_stats(
    campaign: Campaign, office: ExamOffice | None, today: date | None = None
) -> Stats:
    return roll_up(counts(campaign, office, today))
