"""The applicant's profile and its records, applications and their materials.

The factories build raw rows. An application in a later status comes from
the services: fill_level4_application, upload_all, then
services.submit_application and the review helpers of tests.factories.review.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from gongkao.accounts.models import User
from gongkao.applications import services
from gongkao.applications.models import (
    AnnualReview,
    ApplicantProfile,
    Application,
    ApplicationCount,
    ExamBan,
    HeldCertificate,
    Honor,
    Material,
    MaterialFile,
    Patent,
    RegistrationExtension,
    ReturnedItem,
    StatusChange,
)
from gongkao.applications.queries import open_returned_items
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign, JobType
from gongkao.organizations.models import Unit
from tests.factories.accounts import ApplicantFactory, UserFactory
from tests.factories.campaigns import CampaignFactory, JobTypeFactory
from tests.factories.organizations import UnitFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg(width: int = 300, height: int = 420) -> bytes:
    """A plain JPEG; 300×420 passes the photo rules."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


class ApplicantProfileFactory(factory.django.DjangoModelFactory[ApplicantProfile]):
    """An empty profile of a new applicant; `filled=True` gives the profile of
    fill_level4_application (formal since 2008, high school, male 60) at a new unit."""

    class Meta:
        model = ApplicantProfile

    user = factory.SubFactory(ApplicantFactory)

    class Params:
        filled = factory.Trait(
            unit=factory.SubFactory(UnitFactory),
            employment="formal",
            work_start_date=date(2008, 7, 1),
            regularized_date=date(2009, 7, 1),
            education="high_school",
            retirement_group="male_60",
            declared_at=factory.LazyFunction(timezone.now),
        )


class HeldCertificateFactory(factory.django.DjangoModelFactory[HeldCertificate]):
    """A level-5 电工 certificate of 2015."""

    class Meta:
        model = HeldCertificate

    profile = factory.SubFactory(ApplicantProfileFactory)
    level = 5
    job_type_name = "电工"
    cert_date = date(2015, 6, 1)
    number = factory.Sequence(lambda n: f"GQ2015-{n:03d}")


class AnnualReviewFactory(factory.django.DjangoModelFactory[AnnualReview]):
    class Meta:
        model = AnnualReview

    profile = factory.SubFactory(ApplicantProfileFactory)
    year = 2024
    result = "competent"


class HonorFactory(factory.django.DjangoModelFactory[Honor]):
    """A city-level skills-competition prize (rank 1)."""

    class Meta:
        model = Honor

    profile = factory.SubFactory(ApplicantProfileFactory)
    kind = "competition"
    level = "city"
    title = factory.Sequence(lambda n: f"焦作市职业技能竞赛一等奖{n}")
    issuer = "焦作市人力资源和社会保障局"
    date = date(2022, 10, 1)
    rank = 1


class PatentFactory(factory.django.DjangoModelFactory[Patent]):
    """A utility model related to the job type, first inventor."""

    class Meta:
        model = Patent

    profile = factory.SubFactory(ApplicantProfileFactory)
    kind = "utility_model"
    title = factory.Sequence(lambda n: f"一种配电箱防护装置{n}")
    number = factory.Sequence(lambda n: f"ZL2021{n:07d}")
    rank = 1
    date = date(2021, 5, 1)


class ApplicationFactory(factory.django.DjangoModelFactory[Application]):
    """A raw Application row: a draft without profile, materials or history.

    For query and list tests (N rows in a queue, a status filter): `status=`
    puts the row in a status without services.transition. A test of
    behaviour builds its application with fill_level4_application and moves it
    through the services.
    """

    class Meta:
        model = Application

    applicant = factory.SubFactory(ApplicantFactory)
    campaign = factory.SubFactory(CampaignFactory)
    policy_id = factory.SelfAttribute("campaign.policy_id")


class ApplicationCountFactory(factory.django.DjangoModelFactory[ApplicationCount]):
    """A count row of no application (n = 0): the triggers make the real
    ones, and a row of 0 changes no number."""

    class Meta:
        model = ApplicationCount

    campaign_id = factory.Sequence(lambda n: 900000 + n)
    unit_id = 0
    status = "draft"
    level = 0
    job_type_id = 0
    n = 0


class StatusChangeFactory(factory.django.DjangoModelFactory[StatusChange]):
    """A raw history row (draft → unit review by the applicant); for query tests."""

    class Meta:
        model = StatusChange

    application = factory.SubFactory(ApplicationFactory)
    from_status = Status.DRAFT
    to_status = Status.UNIT_REVIEW
    by = factory.SelfAttribute("application.applicant")
    by_label = factory.LazyAttribute(lambda o: str(o.by) if o.by else "系统")


class MaterialFactory(factory.django.DjangoModelFactory[Material]):
    """An empty slot (the ID card) of a new application."""

    class Meta:
        model = Material

    application = factory.SubFactory(ApplicationFactory)
    slot = "id_card"
    current = None


def _make_current(obj: MaterialFile, create: bool, extracted: Any, **_: Any) -> None:
    if create and extracted is not False:
        Material.objects.filter(pk=obj.material_id).update(current=obj)
        obj.material.current = obj


class MaterialFileFactory(factory.django.DjangoModelFactory[MaterialFile]):
    """Version 1 of a PDF in a slot, made the slot's current file. The real
    upload (content checks, versions) is services.upload_material."""

    class Meta:
        model = MaterialFile
        skip_postgeneration_save = True

    class Params:
        data = PDF

    material = factory.SubFactory(MaterialFactory)
    version = 1
    file = factory.LazyAttribute(lambda o: ContentFile(o.data, name="file.pdf"))
    extension = ".pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: len(o.data))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.data).hexdigest())
    original_name = factory.LazyAttribute(lambda o: f"{o.material.slot}.pdf")
    uploaded_by = factory.SelfAttribute("material.application.applicant")

    make_current = factory.PostGeneration(_make_current)


# --- an application as the applicant fills it, through the services ---------------


def fill_level4_application(
    user: User,
    *,
    unit: Unit | None = None,
    campaign: Campaign | None = None,
    job_type: JobType | None = None,
) -> Application:
    """A complete level-4 电工 draft by certificate (regular route) at `unit`
    (a new unit if none) in `campaign` (the 2025 notice's if none): the
    profile, a level-5 certificate of 2015, the choices and acknowledgements.
    No materials (upload_all) and not submitted."""
    campaign = campaign or CampaignFactory.create()
    profile = services.profile_for(user)
    profile.unit = unit or profile.unit or UnitFactory.create()
    profile.employment = "formal"
    profile.work_start_date = date(2008, 7, 1)
    profile.regularized_date = date(2009, 7, 1)
    profile.education = "high_school"
    profile.retirement_group = "male_60"
    profile.declared_at = profile.created_at
    profile.save()
    HeldCertificate.objects.create(
        profile=profile,
        level=5,
        job_type_name="电工",
        cert_date=date(2015, 6, 1),
        number="GQ2015-001",
    )
    application = services.application_for(user, campaign)
    application.level = 4
    application.job_type = job_type or JobTypeFactory.create(electrician=True)
    application.ack_policy_at = profile.created_at
    application.pledged_at = profile.created_at
    application.unit = profile.unit
    application.save()
    return application


def upload_all(application: Application, user: User | None = None) -> None:
    """Upload every material the checklist asks for (a JPEG photo, PDFs)."""
    by = user or application.applicant
    for slot in services.slots_for(application):
        data = jpeg() if slot.photo else PDF
        services.upload_material(application, slot.key, data, f"{slot.key}.pdf", by=by)


def fill_level2_application(user: User, **where: Any) -> Application:
    """A level-2 电工 draft by certificate: fill_level4_application with a
    level-3 certificate of 2015 and the level set to 2. Its 2.2.4.3 (业绩) is
    judged by the reviewers; the checklist asks for the performance evidence."""
    application = fill_level4_application(user, **where)
    HeldCertificate.objects.create(
        profile=services.profile_for(user),
        level=3,
        job_type_name="电工",
        cert_date=date(2015, 9, 1),
        number="GQ2015-003",
    )
    application.level = 2
    application.save()
    return application


def fill_deferred_level1(user: User, **where: Any) -> Application:
    """A level-1 draft whose 2024 annual review is not yet filed, with the
    applicant's 容缺后补 commitment; everything else uploaded."""
    application = fill_level4_application(user, **where)
    profile = services.profile_for(user)
    profile.work_start_date = date(1995, 7, 1)
    profile.appointed_level = 2
    profile.save()
    HeldCertificate.objects.create(
        profile=profile,
        level=2,
        job_type_name="电工",
        cert_date=date(2018, 6, 1),
        number="GQ2018-002",
    )
    for year in range(2020, 2025):
        AnnualReview.objects.create(
            profile=profile,
            year=year,
            result="pending" if year == 2024 else "excellent",
        )
    application.level = 1
    application.ack_level1_at = application.ack_policy_at
    application.deferred_committed_at = application.ack_policy_at
    application.save()
    for slot in services.slots_for(application):
        if not slot.deferrable:
            services.upload_material(
                application,
                slot.key,
                jpeg() if slot.photo else PDF,
                "f.pdf",
                by=user,
            )
    return application


def submitted_application(applicant: User | None = None, **where: Any) -> Application:
    """fill_level4_application, upload_all and services.submit_application:
    an application at unit review. Call it inside the registration window."""
    applicant = applicant or ApplicantFactory.create()
    application = fill_level4_application(applicant, **where)
    upload_all(application, applicant)
    services.submit_application(application, by=applicant)
    application.refresh_from_db()
    return application


def resubmit_unchanged(application: Application, reason: str = "经核对无误") -> bool:
    """Resubmit a returned application without changing anything, explaining
    each returned item with `reason` (a resubmission must change or explain)."""
    explanations = {item.pk: reason for item in open_returned_items(application)}
    return services.submit_application(
        application, by=application.applicant, explanations=explanations
    )


class RegistrationExtensionFactory(
    factory.django.DjangoModelFactory[RegistrationExtension]
):
    """A raw grant: the real one is services.extend_registration."""

    class Meta:
        model = RegistrationExtension

    application = factory.SubFactory(ApplicationFactory)
    until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    reason = "单位申请延期"
    granted_by = factory.SubFactory(UserFactory)


class ReturnedItemFactory(factory.django.DjangoModelFactory[ReturnedItem]):
    """A raw returned item (the photo, round 1, unanswered): the real one is
    written by services.return_application."""

    class Meta:
        model = ReturnedItem

    application = factory.SubFactory(ApplicationFactory)
    round = 1
    item = "material:photo"
    label = "近期免冠证件照"
    text = "照片背景不是白色"
    unlocks = factory.LazyFunction(lambda: ["material:photo"])
    baseline = factory.LazyFunction(lambda: {"material:photo": "0" * 20})


class ExamBanFactory(factory.django.DjangoModelFactory[ExamBan]):
    """A three-year ban recorded today (cbt.services.record_irregularity)."""

    class Meta:
        model = ExamBan

    user = factory.SubFactory(ApplicantFactory)
    until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3 * 365))
    reason = "由他人冒名代替参加考试"
    recorded_at = factory.LazyFunction(timezone.now)
