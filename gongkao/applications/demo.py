"""Demo applications: applicants in every status, made through the real services
so that every page has something to show. Idempotent: skipped when present."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from PIL import Image

from gongkao.accounts.idnumbers import check_digit
from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.accounts.services import find_user_by_phone, grant_role
from gongkao.applications import review, services
from gongkao.applications.models import Application, Certificate, ReviewStep
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign, JobType
from gongkao.organizations.models import Unit

DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
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
UNITS = [
    "焦作市第一中学",
    "焦作市第一中学",
    "焦作市人民医院",
    "焦作市园林绿化中心",
    "温县第一高级中学",
    "温县第一高级中学",
    "解放区实验小学",
    "国家统计局焦作调查队",
    "孟州市人民医院",
    "焦作市公路事业发展中心",
]
# Where each demo application ends up; the first ones land at the demo clerks' units.
PLAN = [
    Status.UNIT_REVIEW,
    Status.RETURNED,
    Status.DRAFT,
    Status.DEPARTMENT_REVIEW,
    Status.QUALIFICATION_REVIEW,
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
    Certificate.objects.create(
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
    office_admin = find_user_by_phone("13800000001")
    assert office_admin is not None
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


def _let_demo_applicant_submit(campaign: Campaign) -> None:
    """张建国 (13800000021) can try the whole application after the 2025 window."""
    applicant = find_user_by_phone("13800000021")
    office_admin = find_user_by_phone("13800000001")
    if applicant is None or office_admin is None:
        return
    application = services.application_for(applicant, campaign)
    if application.status == Status.DRAFT and application.extended_until is None:
        services.extend_registration(
            application,
            until=timezone.localdate() + timedelta(days=365),
            reason="演示账号：允许随时提交",
            by=office_admin,
        )


@transaction.atomic
def seed_demo_applications(count: int = 30) -> int:
    """Create `count` demo applicants and move their applications along the chain."""
    campaign = Campaign.objects.get(year=2025, policy_id="2025-jiaozuo")
    _let_demo_applicant_submit(campaign)
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
    clerks = {
        a.unit_id: a.user
        for a in RoleAssignment.objects.filter(role=Role.UNIT_CLERK).select_related(
            "user"
        )
    }
    created = 0
    for i in range(1, count + 1):
        unit = Unit.objects.get(name=UNITS[(i - 1) % len(UNITS)])
        first17 = f"410802{rng.randint(1976, 1990)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{i % 100:02d}{rng.randint(0, 9)}"
        user = User(
            username=f"demo-app-{i:03d}",
            name=rng.choice(SURNAMES) + GIVEN[i % len(GIVEN)],
            password=password,
        )
        user.set_id_number(first17 + check_digit(first17))
        user.set_phone(f"1390000{i:04d}")
        user.save()
        grant_role(user, Role.APPLICANT, by=None)
        application = _fill(user, unit, rng.choice(job_types), campaign, rng, photo)
        target = PLAN[(i - 1) % len(PLAN)]
        created += 1
        if target == Status.DRAFT:
            continue
        services.submit_application(application, by=user)
        reviewer = clerks.get(unit.pk) or user
        if target == Status.RETURNED:
            services.return_application(
                application,
                by=reviewer,
                reasons=[
                    {
                        "item": "material:photo",
                        "code": "photo",
                        "text": "照片背景不是白色，请重新拍摄上传。",
                    }
                ],
            )
        elif target in (Status.DEPARTMENT_REVIEW, Status.QUALIFICATION_REVIEW):
            review.record_review(
                application,
                step=ReviewStep.UNIT,
                by=reviewer,
                checks=review.approve_all_items(application, ReviewStep.UNIT),
            )
            application.refresh_from_db()
            if (
                target == Status.QUALIFICATION_REVIEW
                and application.status == Status.DEPARTMENT_REVIEW
            ):
                review.record_review(
                    application,
                    step=ReviewStep.DEPARTMENT,
                    by=reviewer,
                    checks=review.approve_all_items(application, ReviewStep.DEPARTMENT),
                )
    return created
