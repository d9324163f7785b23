"""Form helpers every app shares."""

from __future__ import annotations

from django import forms


def form_errors(form: forms.Form) -> str:
    """A form's errors as one Chinese line, for a message after a redirect."""
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def int_param(value: str | None) -> int | None:
    """A small positive integer from a GET or POST value, else None (never a 500)."""
    if value and value.isdecimal() and value.isascii() and len(value) <= 12:
        return int(value)
    return None
