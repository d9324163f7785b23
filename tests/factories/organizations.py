"""Divisions, exam offices, their jurisdiction lines and units."""

from __future__ import annotations

import factory

from gongkao.organizations.models import (
    Division,
    ExamOffice,
    Jurisdiction,
    Unit,
    UnitCategory,
)
from gongkao.organizations.validators import with_check_character


class DivisionFactory(factory.django.DjangoModelFactory[Division]):
    """A county division of 焦作市 with a made-up code; get-or-create by code, so
    that `DivisionFactory(jiaozuo=True)` is always the one 焦作市."""

    class Meta:
        model = Division
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"49{n:04d}")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    kind = Division.Kind.COUNTY
    parent = factory.Maybe(
        factory.LazyAttribute(
            lambda o: o.kind in (Division.Kind.COUNTY, Division.Kind.URBAN_DISTRICT)
        ),
        yes_declaration=factory.SubFactory(
            "tests.factories.organizations.DivisionFactory", jiaozuo=True
        ),
        no_declaration=None,
    )

    class Params:
        # The city of the notice (GB/T 2260 410800).
        jiaozuo = factory.Trait(
            code="410800",
            name="焦作市",
            kind=Division.Kind.CITY,
            short_name="焦",
            letters="JZ",
        )
        # A second city of the province (GB/T 2260 410700), for side-by-side tests.
        xinxiang = factory.Trait(
            code="410700",
            name="新乡市",
            kind=Division.Kind.CITY,
            short_name="新",
            letters="XX",
        )


class ExamOfficeFactory(factory.django.DjangoModelFactory[ExamOffice]):
    """An office with no jurisdiction: add a JurisdictionFactory line (or use
    `tests.factories.review_unit`) for it to review anyone."""

    class Meta:
        model = ExamOffice

    name = factory.Sequence(lambda n: f"测试工考办{n}")
    division = factory.SubFactory(DivisionFactory)


class JurisdictionFactory(factory.django.DjangoModelFactory[Jurisdiction]):
    """Units of `category` in the office's own division (and below it) are
    reviewed by `office`, without the list mail or signed rosters (a county
    office's procedure)."""

    class Meta:
        model = Jurisdiction

    office = factory.SubFactory(ExamOfficeFactory)
    category = UnitCategory.COUNTY
    division = factory.SelfAttribute("office.division")

    class Params:
        # The city office's procedure for city-direct and central/provincial
        # units (notice 3.5.1 and 3.5.3).
        city_procedure = factory.Trait(
            requires_list_mail=True, requires_signed_rosters=True
        )


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    """A county unit in a division of its own, without a supervising department."""

    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    category = UnitCategory.COUNTY
    division = factory.SubFactory(DivisionFactory)
    credit_code = factory.Sequence(lambda n: with_check_character(f"12410800MC{n:07d}"))

    class Params:
        city_direct = factory.Trait(
            category=UnitCategory.CITY_DIRECT,
            division=factory.SubFactory(DivisionFactory, jiaozuo=True),
        )
        central_provincial = factory.Trait(
            category=UnitCategory.CENTRAL_PROVINCIAL,
            division=factory.SubFactory(DivisionFactory, jiaozuo=True),
        )
        # A 主管部门 of the same category and division reviews it.
        with_department = factory.Trait(
            supervising_department=factory.SubFactory(
                "tests.factories.organizations.UnitFactory",
                name=factory.Sequence(lambda n: f"测试主管部门{n}"),
                category=factory.SelfAttribute("..category"),
                division=factory.SelfAttribute("..division"),
            )
        )


def review_unit(
    office: ExamOffice, unit: Unit, *, city_procedure: bool = False
) -> Jurisdiction:
    """The Jurisdiction line that makes `office` review `unit` (its category in
    its division), with the city's list mail and rosters if `city_procedure`."""
    return JurisdictionFactory.create(
        office=office,
        category=unit.category,
        division=unit.division,
        city_procedure=city_procedure,
    )
