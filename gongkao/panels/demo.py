"""The demo's panel review (issue #17): an expert pool of 焦作市工考办, two
level-1 candidates of 焦作市 2025 (one exempt from the theory exam, one who
passed it at the computer), a panel drawn from the pool in which one member
declared a conflict and a reserve stood in, and one closed session
(idempotent). Expert logins: 1380000009x (x = 1…9), the demo password."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongkao.accounts.models import Role, User
from gongkao.accounts.services import find_user_by_phone, grant_role
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.campaigns.models import Campaign, JobType
from gongkao.cbt.models import Attempt
from gongkao.exams import seating
from gongkao.exams.models import SeatAssignment, Sitting, Subject, TheoryExemption
from gongkao.organizations.models import ExamOffice, Unit
from gongkao.panels import queries, services
from gongkao.panels.models import Expert, Panel
from gongkao.questions.models import Paper, PaperSet

EXPERTS = [
    ("赵文博", "焦作市供电公司", "高级技师"),
    ("钱立新", "焦作市第二人民医院", "高级工程师"),
    ("孙建华", "焦作大学", "副教授"),
    ("李振东", "焦作市水务局", "高级技师"),
    ("周海涛", "焦作市职业技术学院", "高级讲师"),
    ("吴长青", "焦作市城市管理局", "高级技师"),
    ("郑晓光", "焦作市住房公积金管理中心", "高级工程师"),
    ("王德明", "焦作市公路事业发展中心", "高级技师"),
    ("冯雅琴", "焦作市人民医院", "高级工程师"),
]
CANDIDATES = [("王振华", True), ("刘国强", False)]


@transaction.atomic
def seed_panel_review() -> int:
    """Returns the number of panels created (0 when there was one already)."""
    campaign = Campaign.objects.filter(year=2025, division__code="410800").first()
    office = ExamOffice.objects.filter(division__code="410800").order_by("pk").first()
    admin = User.objects.filter(username="admin").first()
    kind = JobType.objects.filter(code="S0201").first() or JobType.objects.first()
    if (
        campaign is None
        or office is None
        or admin is None
        or kind is None
        or Panel.objects.filter(campaign=campaign).exists()
    ):
        return 0
    _candidates(campaign, kind, admin)
    pool = _pool(office, kind)
    panel = services.create_panel(
        campaign,
        office,
        name="电工评审组（演示）",
        job_types=[kind],
        review_from=campaign.panel_review_start or date(2025, 10, 1),
        review_until=campaign.panel_review_end or date(2025, 12, 31),
        by=admin,
        seed=20251001,
    )
    roster = queries.members(panel)
    candidates = list(queries.candidates(panel))
    if len(candidates) < 2 or not pool:
        return 1
    declarer = next(m for m in roster if not m.reserve and not m.chair)
    services.declare_conflict(
        declarer, candidates[0], "曾为该申报人的师傅", by=declarer.expert.user or admin
    )
    session = services.open_session(
        panel, held_on=date(2025, 11, 6), place="焦作市人社局三楼会议室", by=admin
    )
    for seat in queries.seating(panel):
        for n, member in enumerate(seat.sitting):
            services.cast_ballot(
                session,
                member,
                seat.candidate.pk,
                {"业绩": str(30 + n), "技能": str(22 + n % 3), "答辩": str(20 + n % 4)},
                "against" if n == 4 and seat.candidate == candidates[1] else "for",
                by=member.expert.user or admin,
            )
    chair = next(m for m in roster if m.chair)
    services.close_session(session, chair, by=chair.expert.user or admin)
    return 1


def _candidates(campaign: Campaign, kind: JobType, admin: User) -> None:
    """Two qualified level-1 applications of the job type, when the demo has
    none: one exempt (confirmed), one who passed the theory exam."""
    if Application.objects.filter(
        campaign=campaign, level=1, status=Status.QUALIFIED, job_type=kind
    ).exists():
        return
    units = list(
        Unit.objects.filter(
            division__code="410800", supervising_department__isnull=False
        ).order_by("pk")[:2]
    ) or list(Unit.objects.filter(division__code="410800").order_by("pk")[:2])
    subjects = [
        s for s in seating.ensure_subjects(campaign) if s.level == 1 and s.theory
    ]
    sitting = (
        Sitting.objects.filter(campaign=campaign, subjects__in=subjects).first()
        if subjects
        else None
    )
    for i, (name, exempt) in enumerate(CANDIDATES):
        applicant = User.objects.create(username=f"demo-level1-{i + 1}", name=name)
        application = Application.objects.create(
            applicant=applicant,
            campaign=campaign,
            unit=units[i % len(units)],
            level=1,
            job_type=kind,
            status=Status.QUALIFIED,
            policy_id=campaign.policy_id,
            submitted_at=timezone.make_aware(datetime(2025, 3, 20, 10, 0)),
        )
        if exempt:
            TheoryExemption.objects.create(
                application=application,
                confirmed=True,
                note="获省级技术能手称号（演示）",
                decided_by=admin,
            )
        elif sitting is not None:
            _theory_pass(application, sitting, subjects)


def _theory_pass(
    application: Application, sitting: Sitting, subjects: list[Subject]
) -> None:
    room = sitting.rooms.order_by("pk").first()
    if room is None:
        return
    taken = set(
        SeatAssignment.objects.filter(sitting=sitting, room=room).values_list(
            "number", flat=True
        )
    )
    seat = SeatAssignment.objects.create(
        application=application,
        sitting=sitting,
        room=room,
        number=next(n for n in range(1, 1000) if n not in taken),
    )
    started = timezone.make_aware(datetime.combine(sitting.date, time(10, 30)))
    for order, subject in enumerate(subjects, start=1):
        paper_set, _ = PaperSet.objects.get_or_create(
            sitting=sitting,
            subject=subject,
            job_type=None,
            defaults={
                "rows": [],
                "points": {},
                "pool": [],
                "built_at": started,
            },
        )
        paper = Paper.objects.create(
            seat=seat,
            subject=subject,
            paper_set=paper_set,
            seed=order,
            items=[],
            built_at=started,
        )
        Attempt.objects.create(
            paper=paper,
            seat=seat,
            subject=subject,
            order=order,
            state=Attempt.State.SUBMITTED,
            started_at=started,
            ended_at=started,
            ending=Attempt.Ending.SUBMITTED,
            duration_seconds=subject.duration_minutes * 60,
            score=Decimal("78"),
            n_items=0,
        )


def _pool(office: ExamOffice, kind: JobType) -> list[Expert]:
    experts = []
    for i, (name, unit_name, title) in enumerate(EXPERTS, start=1):
        phone = f"138000000{90 + i}"
        expert, _ = Expert.objects.get_or_create(
            office=office,
            phone=phone,
            defaults={
                "name": name,
                "unit_name": unit_name,
                "title": title,
                "term_start": date(2025, 1, 1),
                "term_end": date(2027, 12, 31),
            },
        )
        expert.job_types.add(kind)
        user = find_user_by_phone(phone)
        if user is None:
            user = User(username=f"demo-{phone}", name=name)
            user.set_phone(phone)
            user.set_password(DEMO_PASSWORD)
            user.save()
        grant_role(user, Role.EXPERT, by=None, office=office)
        expert.user = user
        expert.save(update_fields=["user"])
        experts.append(expert)
    return experts
