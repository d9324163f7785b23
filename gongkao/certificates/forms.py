"""The forms of certificates."""

from __future__ import annotations

from django import forms

from gongkao.certificates.models import CertificateSettings

# The variable fields of the pre-printed layout (document.PREPRINTED_FIELDS).
FIELD_NAMES = (
    "photo",
    "qr",
    "name",
    "sex",
    "id_number",
    "unit",
    "job_type",
    "level",
    "number",
    "date",
    "office",
)


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
    positions = forms.CharField(
        label="套打位置（毫米）",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="套打时每行一项：字段名 横向 纵向（距纸张左上角，毫米），如 name 120 64。"
        "字段名：" + "、".join(FIELD_NAMES) + "。留空的字段用默认位置。",
    )

    def clean_positions(self) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        for n, line in enumerate(self.cleaned_data["positions"].splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 3 or parts[0] not in FIELD_NAMES:
                raise forms.ValidationError(f"第{n}行应为“字段名 横向 纵向”。")
            try:
                x, y = float(parts[1]), float(parts[2])
            except ValueError:
                raise forms.ValidationError(f"第{n}行的位置不是数字。") from None
            if not (0 <= x <= 297 and 0 <= y <= 210):
                raise forms.ValidationError(f"第{n}行的位置超出A4横向纸张。")
            found[parts[0]] = [x, y]
        return found


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
