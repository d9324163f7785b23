from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from gongkao.applications.models import Education, Employment, RetirementGroup
from gongkao.campaigns.models import LEVEL_CHOICES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QuickCheckForm(forms.Form):
    """What the engine needs, typed by anyone; nothing is stored."""

    birth_date = forms.DateField(label="出生日期", widget=DATE)
    retirement_group = forms.ChoiceField(
        label="性别及原法定退休年龄", choices=RetirementGroup.choices
    )
    employment = forms.ChoiceField(label="用工性质", choices=Employment.choices)
    education = forms.ChoiceField(label="最高文化程度", choices=Education.choices)
    work_start_date = forms.DateField(label="参加工作时间", widget=DATE)
    regularized_date = forms.DateField(
        label="转正定级时间", widget=DATE, required=False, help_text="没有可不填。"
    )
    cert_level = forms.TypedChoiceField(
        label="已取得的工勤技能等级证书",
        choices=[("", "没有"), *LEVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    cert_job_type = forms.CharField(label="证书工种", max_length=50, required=False)
    cert_date = forms.DateField(label="发证日期", widget=DATE, required=False)
    applied_level = forms.TypedChoiceField(
        label="想申报的等级", choices=LEVEL_CHOICES, coerce=int
    )
    applied_job_type = forms.CharField(label="想申报的工种", max_length=50)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = date.today()
        for name in ("birth_date", "work_start_date", "regularized_date", "cert_date"):
            if data.get(name) and data[name] > today:
                self.add_error(name, "日期不能晚于今天。")
        if data.get("cert_level") and not (
            data.get("cert_job_type") and data.get("cert_date")
        ):
            self.add_error("cert_date", "请填写证书的工种和发证日期。")
        return data

    def record(self) -> dict[str, Any]:
        """The engine's record (shared/spec/eligibility-batch.md) of the answers."""
        data = self.cleaned_data
        group = data["retirement_group"]
        certificates = []
        if data.get("cert_level"):
            certificates.append(
                {
                    "level": data["cert_level"],
                    "job_type": data["cert_job_type"].strip(),
                    "cert_date": data["cert_date"].isoformat(),
                }
            )
        regularized = data.get("regularized_date")
        return {
            "id": "quick-check",
            "gender": "M" if group == RetirementGroup.MALE_60 else "F",
            "birth_date": data["birth_date"].isoformat(),
            "retirement_group": group,
            "retired": False,
            "employment": data["employment"],
            "work_start_date": data["work_start_date"].isoformat(),
            "regularized_date": regularized.isoformat() if regularized else None,
            "education": data["education"],
            "certificates": certificates,
            "appointed_level": None,
            "applied_level": data["applied_level"],
            "applied_job_type": data["applied_job_type"].strip(),
            "job_type_change": None,
            "annual_reviews": {},
            "excellent_party_member_years": [],
            "honors": [],
            "patents": [],
            "under_investigation": False,
            "sanction_until": None,
            "professional_technical": False,
        }
