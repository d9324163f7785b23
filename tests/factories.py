"""factory_boy factories: plain defaults, no surprises."""

from __future__ import annotations

import itertools

import factory

from gongkao.accounts.idnumbers import check_digit
from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.organizations.models import (
    Division,
    ExamOffice,
    Jurisdiction,
    Unit,
    UnitCategory,
)
from gongkao.organizations.validators import with_check_character

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


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"49{n:04d}")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    kind = Division.Kind.COUNTY


class ExamOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamOffice

    name = factory.Sequence(lambda n: f"测试工考办{n}")
    division = factory.SubFactory(DivisionFactory)


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction

    office = factory.SubFactory(ExamOfficeFactory)
    category = UnitCategory.COUNTY
    division = factory.SelfAttribute("office.division")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    category = UnitCategory.COUNTY
    division = factory.SubFactory(DivisionFactory)
    credit_code = factory.Sequence(lambda n: with_check_character(f"12410800MC{n:07d}"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.django.Password("Secret-pass-123")

    @factory.post_generation
    def phone(self, create, extracted, **kwargs):
        if extracted:
            self.set_phone(extracted)
            if create:
                self.save()


def assign(
    user: User,
    role: Role,
    *,
    unit: Unit | None = None,
    office: ExamOffice | None = None,
) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, unit=unit, office=office)
