from __future__ import annotations

from typing import Any

from django import template

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
