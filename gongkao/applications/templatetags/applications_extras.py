from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms import BoundField

from gongkao.core.dates import chinese_date

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    """`reasons|get_item:"basic"`: a dict lookup with a variable key."""
    return (mapping or {}).get(key)


@register.filter
def material_key(slot_key: str) -> str:
    return f"material:{slot_key}"


@register.filter
def anchor(slot_key: str) -> str:
    return slot_key.replace(":", "-")


@register.filter
def shown(field: BoundField) -> str:
    """What a locked form field reads as: the label of a choice, the name of a
    unit, 是/否 for a box, a date as 2025年3月4日; never a stored code."""
    value = field.value()
    form_field = field.field
    if isinstance(form_field, forms.BooleanField):
        return "是" if form_field.to_python(value) else "否"
    if value in (None, ""):
        return "—"
    if isinstance(form_field, forms.ModelChoiceField):
        try:
            found = form_field.to_python(value)
        except forms.ValidationError:
            return "—"
        return str(found) if found is not None else "—"
    if isinstance(form_field, forms.DateField):
        try:
            day = form_field.to_python(value)
        except forms.ValidationError:
            return str(value)
        return chinese_date(day) if day else "—"
    if isinstance(form_field, forms.ChoiceField):
        choices: Any = form_field.choices
        for key, label in choices:
            options = label if isinstance(label, list | tuple) else [(key, label)]
            for option, option_label in options:
                if str(option) == str(value):
                    return str(option_label)
    return str(value)
