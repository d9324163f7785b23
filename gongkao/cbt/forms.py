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
