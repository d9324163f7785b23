from __future__ import annotations

from django import forms


class ExamLoginForm(forms.Form):
    ticket = forms.CharField(
        label="准考证号",
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    id_number = forms.CharField(
        label="公民身份号码",
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class RoomAccessForm(forms.Form):
    networks = forms.CharField(
        label="考场机位地址",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一个地址或地址段，如 10.12.3.0/24；留空为不限制。",
    )
    seb_config_key = forms.CharField(
        label="安全考试浏览器配置密钥（Config Key）",
        required=False,
        max_length=128,
        help_text="使用 Safe Exam Browser 时填写；留空为不检查。",
    )
