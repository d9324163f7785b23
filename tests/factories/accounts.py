"""Users, their roles and SMS codes. ID and mobile numbers are encrypted: pass
them as `phone=` and `id_number=` and the factory calls set_phone and
set_id_number."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import factory
from django.conf import settings
from django.utils import timezone

from gongkao.accounts import crypto
from gongkao.accounts.idnumbers import check_digit
from gongkao.accounts.models import (
    LoginThrottle,
    Role,
    RoleAssignment,
    SmsCode,
    TrustedNetwork,
    User,
)
from gongkao.accounts.services import _code_hash
from gongkao.organizations.models import ExamOffice, Unit
from tests.factories.organizations import (
    ExamOfficeFactory,
    UnitFactory,
    review_unit,
)

PASSWORD = "Secret-pass-123"
_seq = itertools.count(1)


def make_id_number(
    birth: str = "19750101",
    region: str = "410802",
    seq: int | None = None,
    sex: str = "M",
) -> str:
    """A valid 18-digit ID number; the 17th digit's parity gives the sex."""
    n = seq if seq is not None else next(_seq) % 100
    first17 = f"{region}{birth}{n:02d}{1 if sex == 'M' else 2}"
    return first17 + check_digit(first17)


def _nth_id_number(n: int) -> str:
    # One birth date per n: never the same number twice, whatever make_id_number
    # handed out (another region, 410811 山阳区).
    birth = date(1976, 1, 1) + timedelta(days=n)
    return make_id_number(f"{birth:%Y%m%d}", region="410811", seq=n % 100)


class UserFactory(factory.django.DjangoModelFactory[User]):
    """An account with a username and the password PASSWORD: no role, no phone,
    no ID number unless given (`phone="139…"`, `id_number=make_id_number()`)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.django.Password(PASSWORD)
    phone: Any = None
    id_number: Any = None

    @classmethod
    def _build(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        phone, id_number = kwargs.pop("phone"), kwargs.pop("id_number")
        user = model_class(**kwargs)
        if phone:
            user.set_phone(phone)
        if id_number:
            user.set_id_number(id_number)
        return user

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        user = cls._build(model_class, *args, **kwargs)
        user.save()
        return user


class RoleAssignmentFactory(factory.django.DjangoModelFactory[RoleAssignment]):
    """The applicant role of a new user; a trait gives a scoped staff role
    (a new unit or office unless one is passed)."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.APPLICANT
    unit = None
    office = None

    class Params:
        unit_clerk = factory.Trait(
            role=Role.UNIT_CLERK, unit=factory.SubFactory(UnitFactory)
        )
        department_reviewer = factory.Trait(
            role=Role.DEPARTMENT_REVIEWER, unit=factory.SubFactory(UnitFactory)
        )
        office_reviewer = factory.Trait(
            role=Role.OFFICE_REVIEWER, office=factory.SubFactory(ExamOfficeFactory)
        )
        office_admin = factory.Trait(
            role=Role.OFFICE_ADMIN, office=factory.SubFactory(ExamOfficeFactory)
        )
        system_admin = factory.Trait(role=Role.SYSTEM_ADMIN)


class ApplicantFactory(UserFactory):
    """An applicant as 实名注册 leaves them: a mobile and an ID number of their
    own (born 1976 or later, male), the truthfulness pledge and the applicant
    role. No profile or application yet (see fill_level4_application)."""

    username = factory.Sequence(lambda n: f"applicant{n}")
    name = factory.Sequence(lambda n: f"申报人{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    id_number = factory.Sequence(_nth_id_number)
    pledged_at = factory.LazyFunction(timezone.now)
    applicant_role = factory.RelatedFactory(
        RoleAssignmentFactory, factory_related_name="user", role=Role.APPLICANT
    )


class SmsCodeFactory(factory.django.DjangoModelFactory[SmsCode]):
    """An unused registration code `code` sent to `phone` just now."""

    class Meta:
        model = SmsCode

    class Params:
        phone = "13900000000"
        code = "123456"

    phone_index = factory.LazyAttribute(lambda o: crypto.blind_index(o.phone))
    purpose = SmsCode.Purpose.REGISTER
    code_hash = factory.LazyAttribute(lambda o: _code_hash(o.code))
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(
        lambda o: o.created_at + timedelta(minutes=settings.SMS_CODE_TTL_MINUTES)
    )


class LoginThrottleFactory(factory.django.DjangoModelFactory[LoginThrottle]):
    """One failed login of an account just now (accounts.lockout); raw."""

    class Meta:
        model = LoginThrottle

    kind = LoginThrottle.Kind.ACCOUNT
    key = factory.Sequence(lambda n: crypto.blind_index(f"account:{n}"))
    window_started_at = factory.LazyFunction(timezone.now)
    failures = 1


class TrustedNetworkFactory(factory.django.DjangoModelFactory[TrustedNetwork]):
    """An exam room's address range of an office."""

    class Meta:
        model = TrustedNetwork

    office = factory.SubFactory(ExamOfficeFactory)
    cidr = factory.Sequence(lambda n: f"10.{n // 256 % 256}.{n % 256}.0/24")
    note = "考点机房"


# --- staff: a user with their one role ----------------------------------------


def staff(
    role: Role,
    *,
    unit: Unit | None = None,
    office: ExamOffice | None = None,
    **user: Any,
) -> User:
    """A staff account (UserFactory with `user` fields) holding `role` at
    `unit` or `office`."""
    account = UserFactory.create(**user)
    RoleAssignmentFactory.create(user=account, role=role, unit=unit, office=office)
    return account


def unit_clerk(unit: Unit | None = None, **user: Any) -> User:
    """单位经办人 of `unit` (a new county unit if none)."""
    return staff(Role.UNIT_CLERK, unit=unit or UnitFactory.create(), **user)


def department_reviewer(department: Unit | None = None, **user: Any) -> User:
    """主管部门审核人 of `department`, the supervising unit itself (if none, a
    new unit with a department: the reviewer's is that department)."""
    if department is None:
        department = UnitFactory.create(with_department=True).supervising_department
    return staff(Role.DEPARTMENT_REVIEWER, unit=department, **user)


def office_reviewer(
    office: ExamOffice | None = None, *, reviews: Unit | None = None, **user: Any
) -> User:
    """工考办审查人员 of `office` (a new one if none). `reviews=unit` also adds
    the Jurisdiction line that makes the office review that unit."""
    office = office or ExamOfficeFactory.create()
    if reviews is not None:
        review_unit(office, reviews)
    return staff(Role.OFFICE_REVIEWER, office=office, **user)


def office_admin(office: ExamOffice | None = None, **user: Any) -> User:
    """工考办管理员 of `office` (a new one if none); staff, as the demo's are."""
    user.setdefault("is_staff", True)
    return staff(Role.OFFICE_ADMIN, office=office or ExamOfficeFactory.create(), **user)


def system_admin(**user: Any) -> User:
    """系统管理员: a superuser with the system role."""
    user.setdefault("is_staff", True)
    user.setdefault("is_superuser", True)
    return staff(Role.SYSTEM_ADMIN, **user)


def assignment_of(user: User, role: Role | None = None) -> RoleAssignment:
    """The user's one role assignment (of `role`, when they hold several)."""
    assignments = RoleAssignment.objects.filter(user=user)
    if role is not None:
        assignments = assignments.filter(role=role)
    return assignments.get()
