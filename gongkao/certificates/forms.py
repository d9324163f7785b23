"""The forms of certificates."""

from __future__ import annotations

from django import forms

from gongkao.certificates.models import CertificateSettings


def _text(label: str, limit: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        error_messages={
            "required": f"请填写{label}。",
            "max_length": f"{label}最多%(limit_value)d字。",
            "null_characters_not_allowed": f"{label}含有不允许的控制字符。",
        },
    )


class SettingsForm(forms.Form):
    pattern = _text("编号格式", 60)
    pattern.help_text = CertificateSettings._meta.get_field("pattern").help_text
    cert_date = forms.DateField(
        label="统一发证日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=CertificateSettings._meta.get_field("cert_date").help_text,
        error_messages={"invalid": "请填写正确的日期。"},
    )
    numbers_from_province = forms.BooleanField(
        label="证书编号由省里分配",
        required=False,
        help_text=CertificateSettings._meta.get_field(
            "numbers_from_province"
        ).help_text,
    )
    layout = forms.ChoiceField(
        label="打印版式", choices=CertificateSettings.Layout.choices
    )


class ReasonForm(forms.Form):
    reason = _text("原因", 300)


class VerifyForm(forms.Form):
    number = _text("证书编号", 64)
    name = _text("持证人姓名", 50)


class NumbersForm(forms.Form):
    file = forms.FileField(
        label="省里下发的证书编号名单（.xlsx 或 .csv：准考证号、姓名、证书编号）",
        error_messages={"required": "请选择文件。"},
    )
