from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator

from gongkao.campaigns.models import LEVEL_CHOICES, Campaign, FaqEntry, PortalNotice
from gongkao.organizations.models import ExamOffice, Unit, UnitCategory

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class CatalogueImportForm(forms.Form):
    file = forms.FileField(label="工种目录文件（.xlsx 或 .csv）")
    retire_starter = forms.BooleanField(
        label="停用文件中没有的入门目录工种", required=False, initial=True
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("只支持 .xlsx 或 .csv 文件。")
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("文件不能超过5MB。")
        return upload


# --- campaign settings (the office that owns the campaign) ----------------------

SETTINGS_FIELDS = [
    "mailbox",
    "registration_start",
    "registration_end",
    "review_start",
    "review_end",
    "online_review_deadline",
    "deferred_materials_deadline",
    "training_start",
    "training_end",
    "exam_start",
    "exam_end",
    "panel_review_start",
    "panel_review_end",
    "resubmit_working_days",
    "list_mail_working_days",
    "count_trigger_day",
    "circular_repeated_returns",
    "circular_overdue",
    "circular_late_list",
    "exams_run_by_city",
]
# (from, to) pairs that must be in order, with the words for the error.
ORDERED = [
    ("registration_start", "registration_end"),
    ("review_start", "review_end"),
    ("training_start", "training_end"),
    ("exam_start", "exam_end"),
    ("panel_review_start", "panel_review_end"),
    ("registration_start", "review_end"),
    ("review_start", "online_review_deadline"),
    ("online_review_deadline", "review_end"),
]


class CampaignSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    """Dates, mailbox, working-day limits and circular thresholds; the fees
    come as fee_1 … fee_5."""

    class Meta:
        model = Campaign
        fields = SETTINGS_FIELDS
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in SETTINGS_FIELDS
            if name.endswith(("_start", "_end", "_deadline"))
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rates = {r.level: r.amount for r in self.instance.fee_rates.all()}
        for level, label in LEVEL_CHOICES:
            self.fields[f"fee_{level}"] = forms.DecimalField(
                label=f"{label}考核费（元）",
                min_value=Decimal("0"),
                max_value=Decimal("99999.99"),
                max_digits=7,
                decimal_places=2,
                initial=rates.get(level, Decimal("0")),
            )
        for name in ("resubmit_working_days", "list_mail_working_days"):
            self.fields[name].max_value = 30  # type: ignore[attr-defined]
            self.fields[name].validators.append(MaxValueValidator(30))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        labels = {name: self.fields[name].label for name in SETTINGS_FIELDS}
        for first, second in ORDERED:
            if data.get(first) and data.get(second) and data[first] > data[second]:
                self.add_error(second, f"“{labels[second]}”不能早于“{labels[first]}”。")
        return data

    def groups(self) -> list[tuple[str, list[Any]]]:
        """The fields in the notice's order: the schedule, limits, fees."""
        dates = [
            n for n in SETTINGS_FIELDS if n.endswith(("_start", "_end", "_deadline"))
        ]
        exams = ["exams_run_by_city"]
        limits = [n for n in SETTINGS_FIELDS if n not in dates and n not in exams]
        return [
            ("日程（通知第四部分）", [self[n] for n in dates]),
            ("邮箱、期限和通报标准", [self[n] for n in limits]),
            ("考试组织", [self[n] for n in exams]),
            ("考核费用", [self[f"fee_{level}"] for level, _ in LEVEL_CHOICES]),
        ]

    def fees(self) -> dict[int, Decimal]:
        return {level: self.cleaned_data[f"fee_{level}"] for level, _ in LEVEL_CHOICES}


class UnitForm(forms.ModelForm):  # type: ignore[type-arg]
    """A unit added by an office: in a division and category it reviews."""

    class Meta:
        model = Unit
        fields = [
            "name",
            "category",
            "division",
            "supervising_department",
            "credit_code",
            "email",
            "contact_phone",
        ]

    def __init__(
        self, *args: Any, divisions: Any, categories: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions  # type: ignore[attr-defined]
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            (value, label)
            for value, label in UnitCategory.choices
            if value in categories
        ]
        self.fields["supervising_department"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            is_active=True, division__in=divisions
        )


class UnitRenameForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=100)
    is_active = forms.BooleanField(label="有效", required=False)


# --- the public portal's content -------------------------------------------------


class NoticeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PortalNotice
        fields = ["title", "body", "order"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}


class FaqForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = FaqEntry
        fields = ["question", "answer", "order"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 4})}


CONTACT_FIELDS = ["phone", "mailbox", "address", "hours"]


class OfficeContactForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ExamOffice
        fields = CONTACT_FIELDS
