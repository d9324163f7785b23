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
