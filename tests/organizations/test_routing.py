from __future__ import annotations

import pytest

from gongkao.organizations.models import (
    Division,
    ExamOffice,
    Jurisdiction,
    Unit,
    UnitCategory,
)
from gongkao.organizations.queries import (
    NoJurisdiction,
    jurisdiction_for_unit,
    reviewing_office,
    units_of_office,
)
from gongkao.organizations.validators import credit_code_is_valid, with_check_character
from tests.factories import (
    DivisionFactory,
    ExamOfficeFactory,
    JurisdictionFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

C = UnitCategory
K = Division.Kind


@pytest.fixture
def jiaozuo_offices(city_office, county_office) -> None:
    """The notice's routing (3.4) for a few divisions: 焦作市工考办 reviews
    urban-district units (without the list mail and rosters), city-direct and
    central/provincial units (with them); each county office its county's
    units; 示范区 is an urban district. One unit or more per office."""
    city = city_office.division
    JurisdictionFactory(office=city_office, category=C.URBAN_DISTRICT)
    JurisdictionFactory(
        office=city_office,
        category=C.CENTRAL_PROVINCIAL,
        city_procedure=True,
    )
    UnitFactory(name="温县第一高级中学", division=county_office.division)
    for code, name, unit in [
        ("410883", "孟州市", "孟州市人民医院"),
        ("410821", "修武县", "修武县教育局"),
    ]:
        county = DivisionFactory(code=code, name=name, kind=K.COUNTY, parent=city)
        office = ExamOfficeFactory(name=f"{name}工考办", division=county)
        JurisdictionFactory(office=office, category=C.COUNTY)
        UnitFactory(name=unit, division=county)
    for code, name, unit in [
        ("410802", "解放区", "解放区实验小学"),
        ("410811", "山阳区", "山阳区人民医院"),
        ("410871", "焦作市城乡一体化示范区", "示范区社会事业服务中心"),
    ]:
        district = DivisionFactory(
            code=code, name=name, kind=K.URBAN_DISTRICT, parent=city
        )
        UnitFactory(name=unit, category=C.URBAN_DISTRICT, division=district)
    UnitFactory(name="焦作市第一中学", city_direct=True)
    UnitFactory(name="国家统计局焦作调查队", central_provincial=True)
    UnitFactory(name="焦作市气象局", central_provincial=True)


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


@pytest.mark.parametrize(
    ("unit", "office"),
    [
        ("温县第一高级中学", "温县工考办"),  # county unit: its own county office
        ("孟州市人民医院", "孟州市工考办"),  # county-level city
        ("修武县教育局", "修武县工考办"),
        ("解放区实验小学", "焦作市工考办"),  # urban district → city office
        ("山阳区人民医院", "焦作市工考办"),
        ("示范区社会事业服务中心", "焦作市工考办"),  # 示范区 treated as a district
        ("焦作市第一中学", "焦作市工考办"),  # city-direct
        ("国家统计局焦作调查队", "焦作市工考办"),  # central/provincial
    ],
)
def test_reviewing_office_by_unit_category(jiaozuo_offices, unit, office):
    assert reviewing_office(_unit(unit)).name == office


def test_city_procedure_requires_list_and_rosters_for_city_direct_and_central_units(
    jiaozuo_offices,
):
    for name in ["焦作市第一中学", "焦作市气象局"]:
        line = jurisdiction_for_unit(_unit(name))
        assert line.requires_list_mail and line.requires_signed_rosters
    for name in ["解放区实验小学", "温县第一高级中学"]:
        line = jurisdiction_for_unit(_unit(name))
        assert not line.requires_list_mail and not line.requires_signed_rosters


def test_county_office_can_switch_procedure_on(jiaozuo_offices):
    Jurisdiction.objects.filter(office__name="温县工考办").update(
        requires_signed_rosters=True
    )
    assert jurisdiction_for_unit(_unit("温县第一高级中学")).requires_signed_rosters


def test_zone_can_be_given_its_own_office_by_data(jiaozuo_offices):
    zone = Division.objects.get(code="410871")
    office = ExamOffice.objects.create(name="示范区工考办", division=zone)
    Jurisdiction.objects.create(
        office=office, category=UnitCategory.URBAN_DISTRICT, division=zone
    )
    assert reviewing_office(_unit("示范区社会事业服务中心")) == office
    # Other districts still go to the city office.
    assert reviewing_office(_unit("解放区实验小学")).name == "焦作市工考办"


def test_unit_without_jurisdiction_raises_with_chinese_reason(db):
    unit = UnitFactory(category=UnitCategory.COUNTY)
    with pytest.raises(NoJurisdiction, match="没有为"):
        reviewing_office(unit)


def test_units_of_office_match_reviewing_office(jiaozuo_offices):
    for office in ExamOffice.objects.all():
        units = list(units_of_office(office))
        assert units, office
        assert all(reviewing_office(u) == office for u in units)
    assert (
        sum(units_of_office(o).count() for o in ExamOffice.objects.all())
        == Unit.objects.count()
    )


def test_credit_code_check_character():
    code = with_check_character("91350100M000100Y4")
    assert credit_code_is_valid(code)
    assert not credit_code_is_valid(code[:17] + ("0" if code[17] != "0" else "1"))
    assert not credit_code_is_valid("123")


def test_units_of_office_follow_the_deepest_line(jiaozuo_offices):
    # A line for one district wins over the city's line for its category.
    zone = Division.objects.get(code="410871")
    office = ExamOffice.objects.create(name="示范区工考办", division=zone)
    Jurisdiction.objects.create(
        office=office, category=UnitCategory.URBAN_DISTRICT, division=zone
    )
    for each in ExamOffice.objects.all():
        expected = {u.pk for u in Unit.objects.all() if reviewing_office(u) == each}
        assert set(units_of_office(each).values_list("pk", flat=True)) == expected
    assert _unit("示范区社会事业服务中心") in units_of_office(office)
