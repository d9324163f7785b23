from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from gongkao.core.request_memo import remembered
from gongkao.organizations.models import Division, ExamOffice, Jurisdiction, Unit


class NoJurisdiction(LookupError):
    """No office is configured for a unit's category and division."""


def division_parents() -> dict[int, int | None]:
    """Division id → parent id, for every division (a province has a few
    hundred): walking up the tree in memory costs no query per step."""
    return dict(Division.objects.values_list("id", "parent_id"))


def lineage(
    division_id: int, parents: dict[int, int | None] | None = None
) -> list[int]:
    """`division_id` and its ancestors, nearest first (county, city, province)."""
    parents = division_parents() if parents is None else parents
    chain: list[int] = []
    current: int | None = division_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


# GB/T 2260 has three levels (province, city, county): two hops reach every
# ancestor or descendant, in one query with joins rather than a walk.
def at_or_above(division_id: int, field: str = "division") -> Q:
    """Rows whose `field` is the division or one of its ancestors."""
    return (
        Q(**{f"{field}_id": division_id})
        | Q(**{f"{field}__children__id": division_id})
        | Q(**{f"{field}__children__children__id": division_id})
    )


def at_or_below(division_id: int, field: str = "division") -> Q:
    """Rows whose `field` is the division or one below it."""
    return (
        Q(**{f"{field}_id": division_id})
        | Q(**{f"{field}__parent_id": division_id})
        | Q(**{f"{field}__parent__parent_id": division_id})
    )


def city_of(division: Division) -> Division:
    """The city a division belongs to (itself for a city or a province; a
    division outside any city is its own place)."""
    found = division
    while found.kind not in (Division.Kind.CITY, Division.Kind.PROVINCE):
        if found.parent_id is None or found.parent is None:
            return division
        found = found.parent
    return found


def jurisdiction_for_unit(unit: Unit) -> Jurisdiction:
    """The jurisdiction line that decides who reviews `unit` (notice 3.4): the
    line for its category in the deepest division above or at the unit's.
    Read once per request (a batch's page asks for it four times over)."""
    return remembered(
        ("jurisdiction", unit.pk, unit.category, unit.division_id),
        lambda: _jurisdiction_for_unit(unit),
    )


def _jurisdiction_for_unit(unit: Unit) -> Jurisdiction:
    chain = lineage(unit.division_id)
    lines = list(
        Jurisdiction.objects.select_related("office", "division").filter(
            category=unit.category, division_id__in=chain
        )
    )
    lines.sort(key=lambda line: chain.index(line.division_id))
    if not lines:
        raise NoJurisdiction(
            f"没有为{unit.get_category_display()}（{unit.division}）配置工考管理机构"
        )
    return lines[0]


def reviewing_office(unit: Unit) -> ExamOffice:
    """The exam office that runs the qualification review of `unit`'s applicants."""
    return jurisdiction_for_unit(unit).office


def divisions_of_office(office: ExamOffice) -> QuerySet[Division]:
    """The divisions the office's jurisdiction lines name, and those below."""
    q = Q(pk__in=[])
    for division_id in office.jurisdictions.values_list("division_id", flat=True):
        q |= (
            Q(pk=division_id)
            | Q(parent_id=division_id)
            | Q(parent__parent_id=division_id)
        )
    return Division.objects.filter(q).order_by("code")


def with_unit_names(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows grouped by `unit_id` alone (a small hashed key) get the names they
    are shown by, `unit__name`, `unit__division_id` and
    `unit__division__name` (None for an unknown unit), from one query."""
    units = {
        pk: (name, division_id, division_name)
        for pk, name, division_id, division_name in Unit.objects.filter(
            pk__in={r["unit_id"] for r in rows}
        ).values_list("pk", "name", "division_id", "division__name")
    }
    for row in rows:
        name, division_id, division_name = units.get(row["unit_id"], (None,) * 3)
        row["unit__name"] = name
        row["unit__division_id"] = division_id
        row["unit__division__name"] = division_name
    return rows


def units_of_office(
    office: ExamOffice, *, include_inactive: bool = False
) -> QuerySet[Unit]:
    """Every unit whose applicants `office` reviews, by the same rule as
    `jurisdiction_for_unit`. The ids are read once per request and given as
    a list: the planner sizes an office's scope right from a list, not from a
    subquery it guesses to hold one unit."""
    ids = remembered(
        ("units_of_office", office.pk, include_inactive),
        lambda: _unit_ids_of_office(office.pk, include_inactive),
    )
    return Unit.objects.filter(pk__in=ids)


def _unit_ids_of_office(office_id: int, include_inactive: bool) -> list[int]:
    """One query: the line for the unit's category in the deepest of its
    division, the parent or the grandparent names the office."""

    def line_at(division: str) -> Subquery:
        return Subquery(
            Jurisdiction.objects.filter(
                category=OuterRef("category"), division_id=OuterRef(division)
            ).values("office_id")[:1]
        )

    units = Unit.objects.all()
    if not include_inactive:
        units = units.filter(is_active=True)
    return list(
        units.alias(
            reviewing_office=Coalesce(
                line_at("division_id"),
                line_at("division__parent_id"),
                line_at("division__parent__parent_id"),
            )
        )
        .filter(reviewing_office=office_id)
        .values_list("pk", flat=True)
    )
