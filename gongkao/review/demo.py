"""Demo applications: applicants in every status, made through the real services
so that every page has something to show. Idempotent: skipped when present."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from PIL import Image

from gongkao.accounts.idnumbers import check_digit
from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.accounts.services import find_user_by_phone, grant_role
from gongkao.applications import services
from gongkao.applications.models import Application, HeldCertificate
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign, JobType
from gongkao.campaigns.queries import campaign_for_unit
from gongkao.organizations.models import Unit
from gongkao.organizations.queries import reviewing_office
from gongkao.review import batches
from gongkao.review import services as review
from gongkao.review.chain import step_status
from gongkao.review.models import Batch, BatchScan, ReturnReasonCode, ReviewStep
from gongkao.review.permissions import requires_rosters


def _demo_pdf() -> bytes:
    """A real one-page A4 PDF (a framed blank sheet standing for a scan), so
    that every reader of materials (the panel's watermark too) can open it."""
    content = b"0.6 w 60 60 475.28 721.89 re S 90 700 m 505 700 l S"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] "
        b"/Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


DEMO_PDF = _demo_pdf()
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "建华",
    "秀英",
    "国强",
    "丽娟",
    "志刚",
    "红梅",
    "文博",
    "海燕",
    "建军",
    "桂兰",
    "永胜",
    "春花",
    "德明",
    "玉兰",
    "立新",
    "淑珍",
    "卫东",
    "翠萍",
    "保国",
    "慧敏",
]


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 420), (225, 225, 230)).save(buffer, "JPEG")
    return buffer.getvalue()


def _fill(
    user: User,
    unit: Unit,
    job_type: JobType,
    campaign: Campaign,
    rng: random.Random,
    photo: bytes,
) -> Application:
    profile = services.profile_for(user)
    start = date(rng.randint(1996, 2012), rng.choice([3, 7, 9]), 1)
    profile.unit = unit
    profile.employment = "formal"
    profile.work_start_date = start
    profile.regularized_date = start + timedelta(days=365)
    profile.education = rng.choice(
        ["high_school", "secondary_vocational", "junior_college"]
    )
    profile.declared_at = timezone.now()
    profile.save()
    HeldCertificate.objects.create(
        profile=profile,
        level=5,
        job_type_name=job_type.name,
        cert_date=date(2016, 5, 20),
        number=f"JZ2016{user.pk:05d}",
    )
    application = services.application_for(user, campaign)
    application.level = 4
    application.job_type = job_type
    application.ack_policy_at = application.pledged_at = timezone.now()
    application.save()
    # The 2025 window is over when the demo runs: the office's per-applicant
    # extension (a real feature) lets the demo applicants submit.
    office_admin = _city_admin(campaign)
    services.extend_registration(
        application,
        until=timezone.localdate() + timedelta(days=365),
        reason="演示数据：允许随时提交",
        by=office_admin,
    )
    application.refresh_from_db()
    for slot in services.slots_for(application):
        services.upload_material(
            application,
            slot.key,
            photo if slot.photo else DEMO_PDF,
            f"{slot.key}.pdf",
            by=user,
        )
    return application


def ensure_return_reasons() -> None:
    """The starting list of coded return reasons (also seeded by migration 0002),
    restored if a database was flushed."""
    codes = [
        ("photo", "照片不合格"),
        ("unclear", "证书或材料不清晰"),
        ("mismatch", "与人事档案不一致"),
        ("missing", "缺少材料"),
        ("wrong_info", "信息填写有误"),
        ("not_eligible", "不符合申报条件"),
        ("other", "其他"),
    ]
    for order, (code, label) in enumerate(codes):
        ReturnReasonCode.objects.get_or_create(
            code=code, defaults={"label": label, "order": order}
        )


def _city_admin(campaign: Campaign) -> User:
    """The administrator of the office of the campaign's city."""
    assignment = (
        RoleAssignment.objects.filter(
            role=Role.OFFICE_ADMIN, office__division=campaign.division
        )
        .select_related("user")
        .first()
    )
    return assignment.user if assignment else User.objects.get(username="admin")


# The demo applicants: 张建国 picks his unit himself; 李秀英 (新乡市) has hers
# set, so that her campaign is 新乡市's.
DEMO_APPLICANTS = {"13800000021": "", "13800000051": "新乡市第一中学"}


def _let_demo_applicants_submit() -> None:
    """The demo applicants can try the whole application after the 2025 window."""
    for phone, unit_name in DEMO_APPLICANTS.items():
        applicant = find_user_by_phone(phone)
        if applicant is None:
            continue
        profile = services.profile_for(applicant)
        if unit_name and profile.unit_id is None:
            profile.unit = Unit.objects.get(name=unit_name)
            profile.save(update_fields=["unit", "updated_at"])
        campaign = services.campaign_for_applicant(applicant)
        if campaign is None:
            continue
        application = services.application_for(applicant, campaign)
        if application.status == Status.DRAFT and application.extended_until is None:
            services.extend_registration(
                application,
                until=timezone.localdate() + timedelta(days=365),
                reason="演示账号：允许随时提交",
                by=_city_admin(campaign),
            )


# Each demo unit's batch ends in one state; its applications go as far as that
# state needs. "mixed" units have applications at every step of online review.
UNIT_PLAN: list[tuple[str, str]] = [
    ("焦作市第一中学", "mixed"),
    ("温县第一高级中学", "mixed"),
    ("焦作市人民医院", "mixed"),
    ("解放区实验小学", "mixed"),
    ("孟州市人民医院", "mixed"),
    ("焦作市园林绿化中心", "mixed"),
    ("焦作市实验小学", Batch.State.ONLINE_REVIEW_COMPLETE),
    ("焦作市中医院", Batch.State.ROSTERS_PRINTED),
    ("焦作市公路事业发展中心", Batch.State.SCANS_UPLOADED),
    ("焦作市环境卫生服务中心", Batch.State.DEPARTMENT_STAMPED),
    ("焦作市图书馆", Batch.State.CLOSED),
    ("国家统计局焦作调查队", Batch.State.CLOSED),
    ("焦作市气象局", Batch.State.ONSITE_CHECKED),
    ("中站区环境卫生所", "mixed"),
    ("马村区农业技术推广站", Batch.State.CLOSED),
    ("山阳区人民医院", "mixed"),
    ("修武县第一高级中学", Batch.State.CLOSED),
    ("博爱县人民医院", "mixed"),
    ("武陟县第一高级中学", Batch.State.ONLINE_REVIEW_COMPLETE),
    ("沁阳市人民医院", "mixed"),
    ("新乡市第一中学", "mixed"),
    ("新乡市中心医院", Batch.State.CLOSED),
    ("红旗区实验学校", "mixed"),
]
MIXED = [
    Status.UNIT_REVIEW,
    Status.RETURNED,
    Status.DRAFT,
    Status.DEPARTMENT_REVIEW,
    Status.QUALIFICATION_REVIEW,
    Status.ONSITE_CHECK,
    Status.NOT_QUALIFIED,
    Status.UNIT_REVIEW,
    Status.QUALIFICATION_REVIEW,
    Status.WITHDRAWN,
]


def _staff_for(unit: Unit) -> dict[str, User]:
    """Who acts for this unit in the demo: its clerk, department and office, or stand-ins."""

    office = reviewing_office(unit)

    def first(**kw: object) -> User | None:
        a = RoleAssignment.objects.filter(**kw).select_related("user").first()
        return a.user if a else None

    admin = User.objects.get(username="admin")
    return {
        "unit": first(role=Role.UNIT_CLERK, unit=unit) or admin,
        "department": first(
            role=Role.DEPARTMENT_REVIEWER, unit=unit.supervising_department
        )
        or admin,
        "office": first(role=Role.OFFICE_REVIEWER, office=office) or admin,
    }


def _advance(application: Application, target: Status, staff: dict[str, User]) -> None:
    """Move a submitted application to `target` through the real decisions."""
    if target == Status.RETURNED:
        services.return_application(
            application,
            by=staff["unit"],
            reasons=[
                {
                    "item": "material:photo",
                    "code": "photo",
                    "text": "照片背景不是白色，请重新拍摄上传。",
                }
            ],
        )
        return
    if target == Status.WITHDRAWN:
        services.withdraw_application(application, by=application.applicant)
        return
    if target == Status.UNIT_REVIEW:
        return
    steps = [
        (ReviewStep.UNIT, "unit"),
        (ReviewStep.DEPARTMENT, "department"),
        (ReviewStep.OFFICE, "office"),
    ]
    for step, who in steps:
        application.refresh_from_db()
        if application.status == target:
            return
        if application.status != step_status(step):
            continue
        if target == Status.NOT_QUALIFIED and step == ReviewStep.OFFICE:
            review.conclude_not_qualified(
                application,
                step=step,
                by=staff[who],
                reason="工作年限与人事档案记载不一致",
            )
            return
        review.record_review(
            application,
            step=step,
            by=staff[who],
            checks=review.approve_all_items(application, step),
            onsite_required=application.pk % 3 == 0,
        )


def _finish_batch(
    unit: Unit, campaign: Campaign, target: str, staff: dict[str, User]
) -> None:
    batch = batches.sync_batch(unit, campaign)
    order = [
        Batch.State.ONLINE_REVIEW_COMPLETE,
        Batch.State.ROSTERS_PRINTED,
        Batch.State.SCANS_UPLOADED,
        Batch.State.DEPARTMENT_STAMPED,
        Batch.State.ONSITE_CHECKED,
        Batch.State.CLOSED,
    ]
    wanted = order.index(Batch.State(target))
    paper = requires_rosters(batch)
    if paper and wanted >= 1:
        batches.mark_rosters_printed(batch, by=staff["unit"])
    if paper and wanted >= 2:
        for kind in (BatchScan.Kind.PASSED, BatchScan.Kind.ONSITE):
            batches.upload_scan(batch, kind, DEMO_PDF, "scan.pdf", by=staff["unit"])
    if paper and wanted >= 3 and unit.supervising_department_id:
        batches.stamp_batch(batch, by=staff["department"])
    if wanted >= 4:
        total = Decimal("0")
        for application in batches.batch_applications(batch):
            if application.status != Status.ONSITE_CHECK:
                continue
            review.record_fee(
                application,
                amount=Decimal("0"),
                method="cash",
                receipt_number=f"DEMO{application.pk:05d}",
                by=staff["office"],
            )
            seen = [
                i.key
                for i in review.review_items(application, ReviewStep.ONSITE)
                if i.kind == "material" and i.file is not None
            ]
            review.conclude_onsite(
                application, by=staff["office"], originals_seen=seen, qualified=True
            )
        batch.refresh_from_db()
        if wanted >= 5:
            batches.complete_onsite_check(batch, by=staff["office"], fee_total=total)


@transaction.atomic
def seed_demo_applications(count: int = 300) -> int:
    """Create about `count` demo applicants, spread over the demo units, each
    application moved along the chain and each unit's batch to its planned state."""
    ensure_return_reasons()
    _let_demo_applicants_submit()
    if User.objects.filter(username="demo-app-001").exists():
        return 0
    rng = random.Random(2025)
    password = make_password("Gongkao@2025")  # one hash for all: argon2 is slow
    photo = _photo()
    job_types = list(
        JobType.objects.filter(
            valid_until__isnull=True,
            name__in=[
                "电工",
                "汽车驾驶员",
                "中式烹调师",
                "绿化工",
                "保育员",
                "护理员",
                "档案管理员",
            ],
        )
    )
    per_unit = max(1, count // len(UNIT_PLAN))
    created = 0
    for unit_name, plan in UNIT_PLAN:
        unit = Unit.objects.get(name=unit_name)
        campaign = campaign_for_unit(unit)
        assert campaign is not None
        staff = _staff_for(unit)
        for k in range(per_unit):
            created += 1
            i = created
            birth = f"{rng.randint(1976, 1990)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            first17 = f"410802{birth}{i % 100:02d}{rng.randint(0, 9)}"
            user = User(
                username=f"demo-app-{i:03d}",
                name=rng.choice(SURNAMES) + GIVEN[i % len(GIVEN)],
                password=password,
            )
            user.set_id_number(first17 + check_digit(first17))
            user.set_phone(f"139{i:08d}")
            user.save()
            grant_role(user, Role.APPLICANT, by=None)
            application = _fill(user, unit, rng.choice(job_types), campaign, rng, photo)
            target = MIXED[k % len(MIXED)] if plan == "mixed" else Status.ONSITE_CHECK
            if target == Status.DRAFT:
                continue
            services.submit_application(application, by=user)
            _advance(application, target, staff)
        if plan != "mixed":
            _finish_batch(unit, campaign, plan, staff)
    return created
