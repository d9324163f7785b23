from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from gongkao.accounts.idnumbers import is_mobile_number, normalize_phone
from gongkao.accounts.models import Role
from gongkao.organizations.models import Unit


class LoginForm(forms.Form):
    username = forms.CharField(
        label="手机号或公民身份号码",
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _check_phone(value: str) -> str:
    phone = normalize_phone(value)
    if not is_mobile_number(phone):
        raise forms.ValidationError("请输入11位手机号码。")
    return phone


class NewPasswordMixin(forms.Form):
    new_password1 = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少8位，不能全是数字，不要使用常见密码。",
    )
    new_password2 = forms.CharField(
        label="再次输入新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("new_password1"), data.get("new_password2")
        if p1 and p2 and p1 != p2:
            self.add_error("new_password2", "两次输入的密码不一致。")
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("new_password1", exc)
        return data


class ResetRequestForm(forms.Form):
    phone = forms.CharField(label="手机号", max_length=20)

    def clean_phone(self) -> str:
        return _check_phone(self.cleaned_data["phone"])


class ResetConfirmForm(NewPasswordMixin):
    phone = forms.CharField(label="手机号", max_length=20)
    code = forms.CharField(label="短信验证码", max_length=6, min_length=6)

    field_order = ["phone", "code", "new_password1", "new_password2"]

    def clean_phone(self) -> str:
        return _check_phone(self.cleaned_data["phone"])


class IssueAccountForm(forms.Form):
    ROLE_CHOICES = [
        (Role.UNIT_CLERK.value, Role.UNIT_CLERK.label),
        (Role.DEPARTMENT_REVIEWER.value, Role.DEPARTMENT_REVIEWER.label),
    ]

    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_phone(self) -> str:
        return _check_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit = data.get("unit")
        if (
            data.get("role") == Role.DEPARTMENT_REVIEWER
            and unit is not None
            and not unit.subordinate_units.exists()
        ):
            self.add_error("unit", "该单位没有所属单位，不是主管部门。")
        return data
