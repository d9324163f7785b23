from __future__ import annotations

import ipaddress
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm

from gongkao.accounts.idnumbers import (
    InvalidIdNumber,
    is_mobile_number,
    normalize_phone,
    parse_id_number,
)
from gongkao.accounts.models import Role, User
from gongkao.organizations.models import Unit

PASSWORD_HELP = (
    "至少8位，不能全是数字；不能含空格、手机号或身份号码，"
    "不能是重复片段、键盘顺序或常见单词加数字（如 gongkao2025）。"
)


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
        help_text=PASSWORD_HELP,
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
                password_validation.validate_password(p1, self._password_owner(data))
            except forms.ValidationError as exc:
                self.add_error("new_password1", exc)
        return data

    @staticmethod
    def _password_owner(data: dict[str, Any]) -> User:
        """An unsaved user holding the numbers typed, for the validators that
        refuse a password containing them."""
        owner = User()
        if data.get("phone"):
            owner.set_phone(data["phone"])
        if data.get("id_number"):
            owner.set_id_number(data["id_number"])
        return owner


class ChangePasswordForm(PasswordChangeForm):
    """Django's form, plus: the new password must differ from the current one
    (an issued account's first login must really replace the SMS password)."""

    def clean_new_password1(self) -> str:
        password: str = self.cleaned_data["new_password1"]
        if password and self.user.check_password(password):
            raise forms.ValidationError("新密码不能与当前密码相同。")
        return password


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


class TelInput(forms.TextInput):
    input_type = "tel"


def _phone_field() -> forms.CharField:
    return forms.CharField(
        label="手机号",
        max_length=20,
        help_text="用于接收验证码，以后也用它登录。",
        error_messages={"required": "请填写手机号。"},
        widget=TelInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}),
    )


class SendCodeForm(forms.Form):
    """The 获取验证码 step of registration: only the phone number."""

    phone = _phone_field()

    def clean_phone(self) -> str:
        return _check_phone(self.cleaned_data["phone"])


class RegistrationForm(NewPasswordMixin):
    """实名注册. Birth date and sex are not asked: the ID number gives them."""

    name = forms.CharField(
        label="姓名",
        max_length=50,
        help_text="与身份证上的姓名一致。",
        error_messages={"required": "请填写姓名。"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label="公民身份号码",
        max_length=24,
        help_text="18位，最后一位可能是X。出生日期和性别由号码自动得出。",
        error_messages={"required": "请填写公民身份号码。"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )
    phone = _phone_field()
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        min_length=6,
        help_text="先点“获取验证码”，再填写短信里的6位数字。",
        error_messages={
            "required": "请填写短信验证码。",
            "min_length": "验证码是6位数字。",
            "max_length": "验证码是6位数字。",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )
    new_password1 = forms.CharField(
        label="密码",
        help_text=PASSWORD_HELP,
        error_messages={"required": "请设置密码。"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="再次输入密码",
        error_messages={"required": "请再输入一次密码。"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    pledge = forms.BooleanField(
        label="本人承诺：以上信息真实、准确，并对个人提交申报材料的真实性负责。",
        error_messages={"required": "请阅读并勾选真实性承诺。"},
    )

    field_order = [
        "name",
        "id_number",
        "phone",
        "code",
        "new_password1",
        "new_password2",
        "pledge",
    ]

    def clean_id_number(self) -> str:
        try:
            return parse_id_number(self.cleaned_data["id_number"]).value
        except InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_phone(self) -> str:
        return _check_phone(self.cleaned_data["phone"])

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if not code.isdigit():
            raise forms.ValidationError("验证码是6位数字。")
        return code

    @classmethod
    def kept_values(cls, data: Any) -> dict[str, Any]:
        """What was typed, minus the passwords: the initial data of a re-shown page."""
        return {
            name: data.get(name, "")
            for name in cls.base_fields
            if name not in ("new_password1", "new_password2")
        }


# Narrower ranges only: a /8 would exempt a whole province from the throttle.
MIN_TRUSTED_PREFIX = {4: 16, 6: 48}


class TrustedNetworkForm(forms.Form):
    """An exam room's address range (accounts.TrustedNetwork)."""

    cidr = forms.CharField(
        label="地址段",
        max_length=50,
        help_text="考场上网出口的地址，如 10.12.3.0/24，或单个地址 10.12.3.8。",
    )
    note = forms.CharField(
        label="说明", max_length=100, help_text="如：焦作一中考点3号机房"
    )

    def clean_cidr(self) -> str:
        try:
            network = ipaddress.ip_network(self.cleaned_data["cidr"], strict=False)
        except ValueError:
            raise forms.ValidationError(
                "请填写IP地址或地址段，如 10.12.3.0/24。"
            ) from None
        if network.prefixlen < MIN_TRUSTED_PREFIX[network.version]:
            raise forms.ValidationError(
                f"地址段过大：IPv{network.version} 至少为"
                f" /{MIN_TRUSTED_PREFIX[network.version]}，请只登记考场所用的地址。"
            )
        return str(network)
