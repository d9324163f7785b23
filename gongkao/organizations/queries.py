from __future__ import annotations

from django.db.models import Q, QuerySet

from gongkao.organizations.models import ExamOffice, Jurisdiction, Unit


class NoJurisdiction(LookupError):
    """No office is configured for a unit's category and division."""


def jurisdiction_for_unit(unit: Unit) -> Jurisdiction:
    """The jurisdiction line that decides who reviews `unit` (notice 3.4).

    A line for the unit's own division wins over one for its whole category.
    """
    lines = list(
        Jurisdiction.objects.select_related("office")
        .filter(category=unit.category)
        .filter(Q(division_id=unit.division_id) | Q(division__isnull=True))
    )
    lines.sort(key=lambda line: line.division_id is None)
    if not lines:
        raise NoJurisdiction(
            f"没有为{unit.get_category_display()}（{unit.division}）配置工考管理机构"
        )
    return lines[0]


def reviewing_office(unit: Unit) -> ExamOffice:
    """The exam office that runs the qualification review of `unit`'s applicants."""
    return jurisdiction_for_unit(unit).office


def units_of_office(office: ExamOffice) -> QuerySet[Unit]:
    """Every unit whose applicants `office` reviews, by the same rule as above."""
    ids = []
    units = Unit.objects.filter(is_active=True).only("id", "category", "division_id")
    lines = list(
        Jurisdiction.objects.all().values("office_id", "category", "division_id")
    )
    specific = {
        (ln["category"], ln["division_id"]): ln["office_id"]
        for ln in lines
        if ln["division_id"]
    }
    general = {ln["category"]: ln["office_id"] for ln in lines if not ln["division_id"]}
    for unit in units:
        owner = specific.get(
            (unit.category, unit.division_id), general.get(unit.category)
        )
        if owner == office.pk:
            ids.append(unit.pk)
    return Unit.objects.filter(pk__in=ids)
