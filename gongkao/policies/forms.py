from __future__ import annotations

from django import forms

MAX_POLICY_CHARS = 100_000


class PolicyForm(forms.Form):
    """The policy file as text; the schema check is the service's (field by field)."""

    content = forms.CharField(
        label="政策文件（TOML）",
        max_length=MAX_POLICY_CHARS,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 30, "spellcheck": "false", "class": "code"}
        ),
        error_messages={
            "required": "请填写政策文件内容。",
            "max_length": "政策文件过长（最多%(limit_value)d个字符）。",
            "null_characters_not_allowed": "政策文件含有不允许的控制字符。",
        },
    )
