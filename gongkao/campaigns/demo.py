"""The demo: the 2025 Jiaozuo campaign with its divisions, offices, units and one
account per role. Idempotent: existing rows are kept as they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from gongkao.accounts.idnumbers import check_digit
from gongkao.accounts.models import Role, User
from gongkao.accounts.services import find_user_by_phone, grant_role
from gongkao.campaigns.catalogue import load_starter_catalogue
from gongkao.campaigns.models import Campaign, FeeRate
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
]


def _credit_code(seq: int, category: str) -> str:
    kind = "11" if category == UnitCategory.CENTRAL_PROVINCIAL else "12"
    return with_check_character(f"{kind}410800MB{seq:07d}")


@transaction.atomic
def seed_demo() -> list[DemoAccount]:
    divisions: dict[str, Division] = {}
    for code, name, kind, note in DIVISIONS:
        parent = divisions.get("410800")
        divisions[code], _ = Division.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "note": note, "parent": parent},
        )
    city = divisions["410800"]
    offices: dict[str, ExamOffice] = {}
    offices["焦作市工考办"], _ = ExamOffice.objects.get_or_create(
        name="焦作市工考办",
        defaults={
            "division": city,
            "mailbox": CITY_MAILBOX,
            "phone": "0391-8826970",
            # A demo address: the notice gives none.
            "address": "焦作市人力资源和社会保障局（示例地址）",
        },
    )
    for category, strict in [
        (UnitCategory.URBAN_DISTRICT, False),
        (UnitCategory.CITY_DIRECT, True),
        (UnitCategory.CENTRAL_PROVINCIAL, True),
    ]:
        Jurisdiction.objects.get_or_create(
            category=category,
            division=None,
            defaults={
                "office": offices["焦作市工考办"],
                "requires_list_mail": strict,
                "requires_signed_rosters": strict,
            },
        )
    for code in COUNTY_CODES:
        division = divisions[code]
        office, _ = ExamOffice.objects.get_or_create(
            name=f"{division.name}工考办", defaults={"division": division}
        )
        offices[office.name] = office
        Jurisdiction.objects.get_or_create(
            category=UnitCategory.COUNTY, division=division, defaults={"office": office}
        )

    units: dict[str, Unit] = {}
    for seq, (name, category, code, parent_name) in enumerate(UNITS, start=1):
        units[name], _ = Unit.objects.get_or_create(
            name=name,
            division=divisions[code],
            defaults={
                "category": category,
                "credit_code": _credit_code(seq, category),
                "supervising_department": units.get(parent_name),
                "email": f"rsk{seq:03d}@example.gov.cn",
            },
        )

    campaign, created = Campaign.objects.get_or_create(
        year=2025,
        division=city,
        defaults={
            "name": "2025年焦作市机关事业单位工勤技能岗位等级考核",
            "notice_number": "焦人社函〔2025〕13号",
            "notice_date": date(2025, 2, 28),
            "policy_id": "2025-jiaozuo",
            "mailbox": CITY_MAILBOX,
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
        },
    )
    for level, amount in DEMO_FEES.items():
        FeeRate.objects.get_or_create(
            campaign=campaign, level=level, defaults={"amount": amount}
        )
    load_starter_catalogue()

    for account in DEMO_ACCOUNTS:
        _ensure_account(account, units, offices)
    if created:
        record_audit(AuditEvent.Action.DEMO_SEEDED, target=campaign)
    return DEMO_ACCOUNTS


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
