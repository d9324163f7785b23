"""The demo: two cities of Henan side by side — 焦作市 (the notice's) and 新乡市 —
each with its 2025 campaign, divisions, offices, units and accounts, and the
province office that sees both. Idempotent: existing rows are kept as they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from gongkao.accounts.idnumbers import check_digit
from gongkao.accounts.models import Role, User
from gongkao.accounts.services import find_user_by_phone, grant_role
from gongkao.campaigns.catalogue import load_starter_catalogue
from gongkao.campaigns.models import Campaign, FaqEntry, FeeRate, PortalNotice
from gongkao.core.models import AuditEvent
from gongkao.core.services import record_audit
from gongkao.organizations.models import (
    Division,
    ExamOffice,
    Jurisdiction,
    Unit,
    UnitCategory,
)
from gongkao.organizations.validators import with_check_character

DEMO_PASSWORD = "Gongkao@2025"
CITY_MAILBOX = "rsjgzk8826970@126.com"

DIVISIONS = [
    ("410800", "焦作市", Division.Kind.CITY, ""),
    ("410802", "解放区", Division.Kind.URBAN_DISTRICT, ""),
    ("410803", "中站区", Division.Kind.URBAN_DISTRICT, ""),
    ("410804", "马村区", Division.Kind.URBAN_DISTRICT, ""),
    ("410811", "山阳区", Division.Kind.URBAN_DISTRICT, ""),
    (
        "410871",
        "焦作市城乡一体化示范区",
        Division.Kind.URBAN_DISTRICT,
        "统计用区划代码；默认按城区对待，由市工考办审查，可在审查管辖中改配。",
    ),
    ("410821", "修武县", Division.Kind.COUNTY, ""),
    ("410822", "博爱县", Division.Kind.COUNTY, ""),
    ("410823", "武陟县", Division.Kind.COUNTY, ""),
    ("410825", "温县", Division.Kind.COUNTY, ""),
    ("410882", "沁阳市", Division.Kind.COUNTY, ""),
    ("410883", "孟州市", Division.Kind.COUNTY, ""),
]
COUNTY_CODES = ["410821", "410822", "410823", "410825", "410882", "410883"]
DISTRICT_CODES = ["410802", "410803", "410804", "410811", "410871"]

# (name, category, division code, supervising department name or "")
UNITS: list[tuple[str, UnitCategory, str, str]] = [
    ("焦作市教育局", UnitCategory.CITY_DIRECT, "410800", ""),
    ("焦作市第一中学", UnitCategory.CITY_DIRECT, "410800", "焦作市教育局"),
    ("焦作市实验小学", UnitCategory.CITY_DIRECT, "410800", "焦作市教育局"),
    ("焦作市卫生健康委员会", UnitCategory.CITY_DIRECT, "410800", ""),
    ("焦作市人民医院", UnitCategory.CITY_DIRECT, "410800", "焦作市卫生健康委员会"),
    ("焦作市中医院", UnitCategory.CITY_DIRECT, "410800", "焦作市卫生健康委员会"),
    ("焦作市交通运输局", UnitCategory.CITY_DIRECT, "410800", ""),
    ("焦作市公路事业发展中心", UnitCategory.CITY_DIRECT, "410800", "焦作市交通运输局"),
    ("焦作市城市管理局", UnitCategory.CITY_DIRECT, "410800", ""),
    ("焦作市园林绿化中心", UnitCategory.CITY_DIRECT, "410800", "焦作市城市管理局"),
    ("焦作市环境卫生服务中心", UnitCategory.CITY_DIRECT, "410800", "焦作市城市管理局"),
    ("焦作市文化广电和旅游局", UnitCategory.CITY_DIRECT, "410800", ""),
    ("焦作市图书馆", UnitCategory.CITY_DIRECT, "410800", "焦作市文化广电和旅游局"),
    ("焦作市机关事务服务中心", UnitCategory.CITY_DIRECT, "410800", ""),
    ("国家统计局焦作调查队", UnitCategory.CENTRAL_PROVINCIAL, "410800", ""),
    ("焦作市气象局", UnitCategory.CENTRAL_PROVINCIAL, "410800", ""),
    ("河南省焦作水文水资源勘测局", UnitCategory.CENTRAL_PROVINCIAL, "410800", ""),
    ("解放区教育局", UnitCategory.URBAN_DISTRICT, "410802", ""),
    ("解放区实验小学", UnitCategory.URBAN_DISTRICT, "410802", "解放区教育局"),
    ("中站区城市管理局", UnitCategory.URBAN_DISTRICT, "410803", ""),
    ("中站区环境卫生所", UnitCategory.URBAN_DISTRICT, "410803", "中站区城市管理局"),
    ("马村区农业农村局", UnitCategory.URBAN_DISTRICT, "410804", ""),
    ("马村区农业技术推广站", UnitCategory.URBAN_DISTRICT, "410804", "马村区农业农村局"),
    ("山阳区卫生健康委员会", UnitCategory.URBAN_DISTRICT, "410811", ""),
    ("山阳区人民医院", UnitCategory.URBAN_DISTRICT, "410811", "山阳区卫生健康委员会"),
    ("示范区社会事业服务中心", UnitCategory.URBAN_DISTRICT, "410871", ""),
]
for _code, _name in [
    ("410821", "修武县"),
    ("410822", "博爱县"),
    ("410823", "武陟县"),
    ("410825", "温县"),
    ("410882", "沁阳市"),
    ("410883", "孟州市"),
]:
    UNITS += [
        (f"{_name}教育局", UnitCategory.COUNTY, _code, ""),
        (f"{_name}第一高级中学", UnitCategory.COUNTY, _code, f"{_name}教育局"),
        (f"{_name}人民医院", UnitCategory.COUNTY, _code, ""),
    ]


# 新乡市: a second city, so that pages can be seen (and tested) to keep cities
# apart. Its notice is the demo's invention, modelled on 焦作市's.
XINXIANG_DIVISIONS = [
    ("410700", "新乡市", Division.Kind.CITY, ""),
    ("410702", "红旗区", Division.Kind.URBAN_DISTRICT, ""),
    ("410703", "卫滨区", Division.Kind.URBAN_DISTRICT, ""),
    ("410721", "新乡县", Division.Kind.COUNTY, ""),
    ("410724", "获嘉县", Division.Kind.COUNTY, ""),
    ("410781", "卫辉市", Division.Kind.COUNTY, ""),
]
XINXIANG_COUNTY_CODES = ["410721", "410724", "410781"]
XINXIANG_UNITS: list[tuple[str, UnitCategory, str, str]] = [
    ("新乡市教育局", UnitCategory.CITY_DIRECT, "410700", ""),
    ("新乡市第一中学", UnitCategory.CITY_DIRECT, "410700", "新乡市教育局"),
    ("新乡市卫生健康委员会", UnitCategory.CITY_DIRECT, "410700", ""),
    ("新乡市中心医院", UnitCategory.CITY_DIRECT, "410700", "新乡市卫生健康委员会"),
    ("国家统计局新乡调查队", UnitCategory.CENTRAL_PROVINCIAL, "410700", ""),
    ("红旗区教育局", UnitCategory.URBAN_DISTRICT, "410702", ""),
    ("红旗区实验学校", UnitCategory.URBAN_DISTRICT, "410702", "红旗区教育局"),
    ("新乡县教育局", UnitCategory.COUNTY, "410721", ""),
    ("新乡县第一中学", UnitCategory.COUNTY, "410721", "新乡县教育局"),
    ("卫辉市人民医院", UnitCategory.COUNTY, "410781", ""),
]


@dataclass(frozen=True)
class DemoCity:
    code: str
    short_name: str
    letters: str
    divisions: list[tuple[str, str, Division.Kind, str]]
    county_codes: list[str]
    units: list[tuple[str, UnitCategory, str, str]]
    office_phone: str
    office_address: str
    mailbox: str
    campaign: dict[str, object]
    credit_prefix: str


def _campaign_2025(city: str, notice: str, policy_id: str) -> dict[str, object]:
    return {
        "name": f"2025年{city}机关事业单位工勤技能岗位等级考核",
        "notice_number": notice,
        "notice_date": date(2025, 2, 28),
        "policy_id": policy_id,
        "registration_start": date(2025, 3, 13),
        "registration_end": date(2025, 3, 31),
        "review_start": date(2025, 3, 13),
        "review_end": date(2025, 4, 11),
        "online_review_deadline": date(2025, 4, 2),
        "deferred_materials_deadline": date(2025, 6, 30),
        "training_start": date(2025, 4, 1),
        "training_end": date(2025, 7, 31),
        "exam_start": date(2025, 6, 1),
        "exam_end": date(2025, 10, 31),
        "panel_review_start": date(2025, 10, 1),
        "panel_review_end": date(2025, 12, 31),
    }


PROVINCE = ("410000", "河南省")
PROVINCE_OFFICE = "河南省工考办"


# Demo figures only, so that the on-site check shows real totals: the notice
# names no amounts, and an office sets the ones approved for its campaign.
DEMO_FEES: dict[int, Decimal] = {
    5: Decimal("100"),
    4: Decimal("120"),
    3: Decimal("150"),
    2: Decimal("200"),
    1: Decimal("300"),
}


@dataclass(frozen=True)
class DemoAccount:
    login: str
    name: str
    role: Role
    scope: str  # unit or office name, or ""
    id_number: str = ""


def _id_number(first17: str) -> str:
    return first17 + check_digit(first17)


CITIES = [
    DemoCity(
        code="410800",
        short_name="焦",
        letters="JZ",
        divisions=DIVISIONS,
        county_codes=COUNTY_CODES,
        units=UNITS,
        office_phone="0391-8826970",
        office_address="焦作市人力资源和社会保障局（示例地址）",
        mailbox=CITY_MAILBOX,
        campaign=_campaign_2025("焦作市", "焦人社函〔2025〕13号", "2025-jiaozuo"),
        credit_prefix="410800",
    ),
    DemoCity(
        code="410700",
        short_name="新",
        letters="XX",
        divisions=XINXIANG_DIVISIONS,
        county_codes=XINXIANG_COUNTY_CODES,
        units=XINXIANG_UNITS,
        office_phone="0373-0000000",
        office_address="新乡市人力资源和社会保障局（演示地址）",
        mailbox="xxgkb-demo@example.gov.cn",
        # The demo gives 新乡市 the same conditions as 焦作市's notice.
        campaign=_campaign_2025("新乡市", "新人社函〔2025〕（演示）", "2025-jiaozuo"),
        credit_prefix="410700",
    ),
]

DEMO_ACCOUNTS = [
    DemoAccount("admin", "系统管理员", Role.SYSTEM_ADMIN, ""),
    DemoAccount(
        "13800000001", "王敏（市工考办管理员）", Role.OFFICE_ADMIN, "焦作市工考办"
    ),
    DemoAccount(
        "13800000002", "李强（市工考办审查）", Role.OFFICE_REVIEWER, "焦作市工考办"
    ),
    DemoAccount(
        "13800000003", "赵静（温县工考办管理员）", Role.OFFICE_ADMIN, "温县工考办"
    ),
    DemoAccount(
        "13800000004", "孙伟（温县工考办审查）", Role.OFFICE_REVIEWER, "温县工考办"
    ),
    DemoAccount(
        "13800000011", "刘芳（市一中人事科）", Role.UNIT_CLERK, "焦作市第一中学"
    ),
    DemoAccount(
        "13800000012",
        "陈刚（市教育局人事科）",
        Role.DEPARTMENT_REVIEWER,
        "焦作市教育局",
    ),
    DemoAccount(
        "13800000013", "周丽（温县一高人事科）", Role.UNIT_CLERK, "温县第一高级中学"
    ),
    DemoAccount(
        "13800000021", "张建国", Role.APPLICANT, "", _id_number("41080219720315123")
    ),
    DemoAccount(
        "13800000031", "郑洁（新乡市工考办管理员）", Role.OFFICE_ADMIN, "新乡市工考办"
    ),
    DemoAccount(
        "13800000032", "冯涛（新乡市工考办审查）", Role.OFFICE_REVIEWER, "新乡市工考办"
    ),
    DemoAccount(
        "13800000041", "韩梅（新乡市一中人事科）", Role.UNIT_CLERK, "新乡市第一中学"
    ),
    DemoAccount(
        "13800000042",
        "曹阳（新乡市教育局人事科）",
        Role.DEPARTMENT_REVIEWER,
        "新乡市教育局",
    ),
    DemoAccount(
        "13800000051", "李秀英", Role.APPLICANT, "", _id_number("41070219750822242")
    ),
    DemoAccount(
        "13800000061",
        "许亮（省工考办，只读汇总）",
        Role.OFFICE_REVIEWER,
        PROVINCE_OFFICE,
    ),
    DemoAccount("13800000071", "马丽（监考）", Role.PROCTOR, "焦作市工考办"),
    DemoAccount("13800000072", "杨帆（监考）", Role.PROCTOR, "焦作市工考办"),
    DemoAccount("13800000081", "孙静（省题库）", Role.QUESTION_BANK, PROVINCE_OFFICE),
    # The first expert of 焦作市's pool (panels/demo.py adds the others).
    DemoAccount("13800000091", "赵文博（评审专家）", Role.EXPERT, "焦作市工考办"),
]


def _credit_code(seq: int, category: str, prefix: str = "410800") -> str:
    kind = "11" if category == UnitCategory.CENTRAL_PROVINCIAL else "12"
    return with_check_character(f"{kind}{prefix}MB{seq:07d}")


@transaction.atomic
def seed_demo() -> list[DemoAccount]:
    province, _ = Division.objects.get_or_create(
        code=PROVINCE[0], defaults={"name": PROVINCE[1], "kind": Division.Kind.PROVINCE}
    )
    offices: dict[str, ExamOffice] = {}
    offices[PROVINCE_OFFICE], _ = ExamOffice.objects.get_or_create(
        name=PROVINCE_OFFICE, defaults={"division": province}
    )
    units: dict[str, Unit] = {}
    new_campaigns = []
    for city in CITIES:
        campaign, created = _seed_city(city, province, offices, units)
        if created:
            new_campaigns.append(campaign)
    load_starter_catalogue()

    for account in DEMO_ACCOUNTS:
        _ensure_account(account, units, offices)
    for campaign in new_campaigns:
        record_audit(AuditEvent.Action.DEMO_SEEDED, target=campaign)
    return DEMO_ACCOUNTS


def _seed_city(
    city: DemoCity,
    province: Division,
    offices: dict[str, ExamOffice],
    units: dict[str, Unit],
) -> tuple[Campaign, bool]:
    """One city: its divisions, offices and jurisdiction, units and campaign."""
    divisions: dict[str, Division] = {}
    for code, name, kind, note in city.divisions:
        parent = divisions.get(city.code, province)
        divisions[code], _ = Division.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "note": note, "parent": parent},
        )
    town = divisions[city.code]
    if not town.short_name:
        town.short_name, town.letters, town.parent = (
            city.short_name,
            city.letters,
            province,
        )
        town.save(update_fields=["short_name", "letters", "parent"])
    city_office_name = f"{town.name}工考办"
    office, _ = ExamOffice.objects.get_or_create(
        name=city_office_name,
        defaults={
            "division": town,
            "mailbox": city.mailbox,
            "phone": city.office_phone,
            "address": city.office_address,
        },
    )
    offices[city_office_name] = office
    for category, strict in [
        (UnitCategory.URBAN_DISTRICT, False),
        (UnitCategory.CITY_DIRECT, True),
        (UnitCategory.CENTRAL_PROVINCIAL, True),
    ]:
        Jurisdiction.objects.get_or_create(
            category=category,
            division=town,
            defaults={
                "office": office,
                "requires_list_mail": strict,
                "requires_signed_rosters": strict,
            },
        )
    for code in city.county_codes:
        division = divisions[code]
        county_office, _ = ExamOffice.objects.get_or_create(
            name=f"{division.name}工考办", defaults={"division": division}
        )
        offices[county_office.name] = county_office
        Jurisdiction.objects.get_or_create(
            category=UnitCategory.COUNTY,
            division=division,
            defaults={"office": county_office},
        )

    for seq, (name, category, code, parent_name) in enumerate(city.units, start=1):
        units[name], _ = Unit.objects.get_or_create(
            name=name,
            division=divisions[code],
            defaults={
                "category": category,
                "credit_code": _credit_code(seq, category, city.credit_prefix),
                "supervising_department": units.get(parent_name),
                "email": f"rsk{seq:03d}@example.gov.cn",
            },
        )

    campaign, created = Campaign.objects.get_or_create(
        year=2025,
        division=town,
        defaults={**city.campaign, "mailbox": city.mailbox},
    )
    for level, amount in DEMO_FEES.items():
        FeeRate.objects.get_or_create(
            campaign=campaign, level=level, defaults={"amount": amount}
        )
    if not campaign.notices.exists():
        _seed_portal(campaign, city, office)
    return campaign, created


NOTICES = Path(__file__).resolve().parent / "fixtures"
FAQ = [
    (
        "工作年限算到什么时候？",
        "工作年限、任职年限和年龄均计算到通知规定的截止日期（2025年为2025年12月31日），"
        "以人事档案记载为准。",
    ),
    (
        "申报被退回了怎么办？",
        "登录后在“我的申报”中只修改标红的事项，在退回后2个工作日内重新提交；"
        "逾期未重新提交的，由单位在名单中说明。",
    ),
    (
        "年度考核结果还没有备案，可以申报一级吗？",
        "可以承诺容缺后补：先提交申报，在规定日期前上传备案后的年度考核结果。",
    ),
    (
        "现场审查确认要带什么？",
        "本人居民身份证、学历证书、等级证书、荣誉和专利证书等所有上传材料的原件；"
        "单位经办人同时交签字盖章的名册表。",
    ),
]


def _seed_portal(campaign: Campaign, city: DemoCity, office: ExamOffice) -> None:
    """The notice's text, a few questions and the office hours for the portal."""
    text = NOTICES / f"notice-{city.code}-2025.txt"
    body = (
        text.read_text(encoding="utf-8").strip()
        if text.exists()
        else f"（演示）{campaign.name}的通知正文由工考办在“年度考务设置”中发布。"
    )
    PortalNotice.objects.create(
        campaign=campaign, title=f"关于做好{campaign.name}考务工作的通知", body=body
    )
    for order, (question, answer) in enumerate(FAQ):
        FaqEntry.objects.create(
            campaign=campaign, question=question, answer=answer, order=order
        )
    if not office.hours:
        office.hours = "工作日 8:30—12:00，14:30—17:30"
        office.save(update_fields=["hours"])


def _ensure_account(
    account: DemoAccount, units: dict[str, Unit], offices: dict[str, ExamOffice]
) -> None:
    if account.login.isdigit():
        user = find_user_by_phone(account.login)
    else:
        user = User.objects.filter(username=account.login).first()
    if user is None:
        is_admin = account.role == Role.SYSTEM_ADMIN
        user = User(
            username=account.login if is_admin else f"demo-{account.login}",
            name=account.name,
            is_staff=is_admin or account.role == Role.OFFICE_ADMIN,
            is_superuser=is_admin,
        )
        if account.login.isdigit():
            user.set_phone(account.login)
        if account.id_number:
            user.set_id_number(account.id_number)
        user.set_password(DEMO_PASSWORD)
        user.save()
    grant_role(
        user,
        account.role,
        by=None,
        unit=units.get(account.scope),
        office=offices.get(account.scope),
    )
