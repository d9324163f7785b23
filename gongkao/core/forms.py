"""Form helpers every app shares."""

from __future__ import annotations

from typing import Any

from django import forms


def form_errors(form: forms.Form) -> str:
    """A form's errors as one Chinese line, for a message after a redirect."""
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def int_param(value: str | None) -> int | None:
    """A small positive integer from a GET or POST value, else None (never a 500)."""
    if value and value.isdecimal() and value.isascii() and len(value) <= 12:
        return int(value)
    return None


class SearchForm(forms.Form):
    """A list filter's free text (`q`) and category: Django's CharField strips
    and refuses NUL bytes, max_length bounds what reaches a LIKE query."""

    q = forms.CharField(
        required=False,
        max_length=50,
        error_messages={"max_length": "查询内容过长（最多%(limit_value)d个字）。"},
    )
    category = forms.CharField(required=False, max_length=50)

    def cleaned(self) -> tuple[str, str, str]:
        """(text, category, error): empty filters and a Chinese error if invalid."""
        if self.is_valid():
            return self.cleaned_data["q"], self.cleaned_data["category"], ""
        return "", "", "查询条件无效：" + form_errors(self)


def free_text(value: str | None, *, label: str, max_length: int) -> str:
    """Free text a view reads from request.POST, cleaned as a form field would be.

    Stripped; raises ValidationError (Chinese, naming `label`) for a NUL byte
    or more than `max_length` characters, so neither reaches the database.
    """
    field = forms.CharField(
        required=False,
        max_length=max_length,
        error_messages={
            "max_length": f"{label}过长（最多%(limit_value)d个字）。",
            "null_characters_not_allowed": f"{label}含有不允许的控制字符。",
        },
    )
    try:
        return str(field.clean(value or ""))
    except forms.ValidationError as exc:
        raise forms.ValidationError(" ".join(exc.messages)) from None


def _plain_id(value: object) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 18


class IdChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A ModelChoiceField that refuses a non-numeric or huge id before the
    query: SQLite raises OverflowError (a 500) for ids beyond 64 bits."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _plain_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """The same for a multiple choice."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if not _plain_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:20]},
                )
        return super()._check_values(value)  # type: ignore[misc]
