"""Every `*_by` (who acted) has its `*_at` (when), and the database refuses a
`*_by` without it. A new model with an unconstrained pair fails here."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

# `*_by` fields whose partner is named differently, and why.
PARTNERS = {
    # The office extends the window until a day; the day is the "when".
    ("applications.Application", "extended_by"): "extended_until",
}


def _pairs():
    for model in apps.get_models():
        if not model.__module__.startswith("gongkao."):
            continue
        for field in model._meta.get_fields():
            if not (
                isinstance(field, models.ForeignKey)
                and field.related_model._meta.label == settings.AUTH_USER_MODEL
                and (field.name == "by" or field.name.endswith("_by"))
            ):
                continue
            label = model._meta.label
            partner = PARTNERS.get((label, field.name)) or field.name[:-2] + "at"
            yield pytest.param(model, field, partner, id=f"{label}.{field.name}")


def _refused(model, instance) -> bool:
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            try:
                constraint.validate(model, instance)  # type: ignore[attr-defined]
            except ValidationError:
                return True
    return False


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "field", "partner"), list(_pairs()))
def test_by_never_exists_without_its_at(model, field, partner):
    names = {f.name for f in model._meta.get_fields()}
    assert partner in names, f"{field.name} has no {partner}: say when, not only who"
    at = model._meta.get_field(partner)
    if not at.null and not field.null:
        return  # both required: the pair cannot be half set
    if not at.null:
        return  # the time is always there
    orphan = model(**{field.attname: 1, partner: None})
    assert _refused(model, orphan), (
        f"{model._meta.label}: add by_needs_at({field.name!r}, {partner!r})"
    )


def test_walker_finds_the_known_pairs():
    ids = {p.id for p in _pairs()}
    assert {
        "applications.Application.deferred_allowed_by",
        "review.Batch.checked_in_by",
        "review.OriginalCustody.returned_by",
    } <= ids
