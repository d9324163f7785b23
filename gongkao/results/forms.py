"""The forms of results: Django's CharField strips text and refuses NUL
bytes, and max_length keeps over-long text from the database."""

from __future__ import annotations

from decimal import Decimal

from django import forms


def _text(label: str, limit: int, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        error_messages={
            "required": f"请填写{label}。",
            "max_length": f"{label}最多%(limit_value)d字。",
            "null_characters_not_allowed": f"{label}含有不允许的控制字符。",
        },
    )


class SettingsForm(forms.Form):
    recheck_days = forms.IntegerField(
        label="成绩复查申请期（工作日）", min_value=1, max_value=30
    )
    recheck_answer_days = forms.IntegerField(
        label="复查答复期限（工作日）", min_value=1, max_value=30
    )
    publication_days = forms.IntegerField(
        label="公示期（工作日）", min_value=1, max_value=30
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="成绩文件（.xlsx 或 .csv）",
        error_messages={"required": "请选择成绩文件。"},
    )


class RecheckForm(forms.Form):
    reason = _text("申请理由", 300)


class AnswerRecheckForm(forms.Form):
    note = _text("复查说明", 500)
    corrected = forms.DecimalField(
        label="核对后的成绩",
        required=False,
        min_value=Decimal(0),
        max_digits=5,
        decimal_places=1,
        help_text="仅导入的成绩（纸笔考试等）可填写；留空为维持原成绩。",
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label="异议内容",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "请填写异议内容。",
            "max_length": "异议内容最多%(limit_value)d字。",
            "null_characters_not_allowed": "异议内容含有不允许的控制字符。",
        },
        help_text="请写明事实和依据。",
    )
    contact_name = _text("联系人姓名", 50)
    contact_phone = _text("联系电话", 20)


class AnswerObjectionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="调查结论",
        choices=[("no", "异议不成立，维持结果"), ("yes", "异议成立，撤销该结果")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择调查结论。"},
    )
    answer = forms.CharField(
        label="调查处理意见",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "请填写调查处理意见。",
            "max_length": "调查处理意见最多%(limit_value)d字。",
            "null_characters_not_allowed": "调查处理意见含有不允许的控制字符。",
        },
    )


class WithdrawForm(forms.Form):
    reason = _text("撤销原因", 300)


class LookupForm(forms.Form):
    id_number = _text("公民身份号码", 18)
    ticket = _text("准考证号", 24)
