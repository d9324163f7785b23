"""Input validation only: the services do the saving of anything that matters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from gongkao.applications.models import (
    CHOICE_FIELDS,
    PROFILE_FIELDS,
    AnnualReviewResult,
    ApplicantProfile,
    Application,
    Employment,
    HeldCertificate,
    Honor,
    HonorKind,
    JobTypeChange,
    Patent,
    ReturnedItem,
)
from gongkao.applications.queries import units_matching
from gongkao.campaigns.models import LEVEL_CHOICES, JobType
from gongkao.core.forms import int_param
from gongkao.organizations.models import Unit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class UnitSearch(forms.Widget):
    """The employer picked by a search, not a list of every unit: a search box
    (htmx asks `applications:unit_search` as one types; without JavaScript its
    button sends the form back with the matches), the current choice and the
    matching active units as radio buttons of the field's name."""

    template_name = "applications/widgets/unit_search.html"
    query = ""

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        current = None
        pk = int_param(str(value)) if value not in (None, "") else None
        if pk is not None:
            current = Unit.objects.filter(pk=pk).first()
        matches, more = units_matching(self.query)
        context["widget"] |= {
            "query": self.query,
            "current": current,
            "matches": matches,
            "more": more,
            "search_url": reverse("applications:unit_search"),
        }
        return context

    def id_for_label(self, id_: str) -> str:
        # The label focuses the search box.
        return f"{id_}_q" if id_ else id_


def _not_future(value: date | None) -> date | None:
    if value and value > timezone.localdate():
        raise forms.ValidationError("日期不能晚于今天。")
    return value


class BasicProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    """The profile; `unit_query` shows the units matching a search sent back
    without JavaScript."""

    declare = forms.BooleanField(
        label="本人声明：以上信息真实；本人不存在被立案审查尚未结案、尚在党纪处分影响期或政务处分期间，"
        "以及法律法规、规章规定的其他不得申报的情形（如存在请如实勾选或填写上面两项）。",
        required=True,
        error_messages={"required": "请阅读并勾选声明。"},
    )

    class Meta:
        model = ApplicantProfile
        fields = list(PROFILE_FIELDS)
        widgets = {
            "work_start_date": DateInput(),
            "regularized_date": DateInput(),
            "sanction_until": DateInput(),
        }

    def __init__(self, *args: Any, unit_query: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = Unit.objects.filter(is_active=True).order_by("name")
        unit_field.error_messages["invalid_choice"] = "请从搜索结果中选择工作单位。"
        unit_field.widget = UnitSearch()
        unit_field.widget.query = unit_query or (
            self.data.get("unit_q", "") if self.is_bound else ""
        )
        for name in [
            "unit",
            "employment",
            "work_start_date",
            "education",
            "retirement_group",
        ]:
            self.fields[name].required = True
        employment = self.fields["employment"]
        assert isinstance(employment, forms.ChoiceField)
        employment.choices = [("", "请选择"), *Employment.choices]
        if self.instance.declared_at:
            self.initial["declare"] = True

    def clean_work_start_date(self) -> date | None:
        return _not_future(self.cleaned_data.get("work_start_date"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, regular = data.get("work_start_date"), data.get("regularized_date")
        if start and regular and regular < start:
            self.add_error("regularized_date", "转正定级时间不能早于参加工作时间。")
        return data


class CertificateForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HeldCertificate
        fields = ["level", "job_type_name", "cert_date", "number"]
        widgets = {
            "cert_date": DateInput(),
            "job_type_name": forms.TextInput(attrs={"list": "job-type-names"}),
        }

    def clean_cert_date(self) -> date | None:
        return _not_future(self.cleaned_data.get("cert_date"))


class HonorForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Honor
        fields = ["kind", "level", "title", "issuer", "date", "rank"]
        widgets = {"date": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == HonorKind.COMPETITION and not data.get("rank"):
            self.add_error("rank", "技能竞赛请填写名次。")
        if data.get("date"):
            _not_future(data["date"])
        return data


class PatentForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Patent
        fields = ["kind", "title", "number", "rank", "date", "related"]
        widgets = {"date": DateInput()}

    def clean_rank(self) -> int:
        rank: int = self.cleaned_data["rank"]
        if rank < 1:
            raise forms.ValidationError("排名从1开始。")
        return rank


class AnnualReviewsForm(forms.Form):
    """One row per review year of the policy: result and 优秀共产党员."""

    RESULT_CHOICES = [("", "请选择"), *AnnualReviewResult.choices]

    def __init__(self, *args: Any, years: tuple[int, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"result_{year}"] = forms.ChoiceField(
                label=f"{year}年度考核结果", choices=self.RESULT_CHOICES, required=False
            )
            self.fields[f"party_{year}"] = forms.BooleanField(
                label=f"{year}年度被评定为优秀共产党员", required=False
            )

    def rows(self) -> list[tuple[int, Any, Any]]:
        return [(y, self[f"result_{y}"], self[f"party_{y}"]) for y in self.years]


def current_job_types() -> QuerySet[JobType]:
    """Job types that can be applied for: not retired from the catalogue."""
    return JobType.objects.filter(valid_until__isnull=True).order_by("category", "code")


def _job_type_label(job_type: JobType) -> str:
    return f"{job_type.name}（{job_type.category}）"


class ApplicationForm(forms.ModelForm):  # type: ignore[type-arg]
    ack_policy = forms.BooleanField(
        label="本人已了解单位岗位空缺情况和岗位聘用有关政策：考核合格不等于聘用，聘用按单位岗位设置和聘用条件办理。",
        required=False,
    )
    ack_level1 = forms.BooleanField(
        label="本人已阅读一级考评提示：工勤技能岗位一级是最高等级，岗位结构和聘任条件受到严格控制，"
        "对理论知识、专业技能等综合能力要求较高，不是二级的普遍晋升，本人慎重考虑后申报。",
        required=False,
    )
    ack_retirement = forms.BooleanField(
        label="本人在2025年度将达到退休年龄（或办理退休手续），已充分了解单位岗位空缺情况和岗位聘用政策，"
        "自主决定申报，并已报单位同意。",
        required=False,
    )

    class Meta:
        model = Application
        fields = list(CHOICE_FIELDS)
        widgets = {
            "job_type_change": forms.RadioSelect,
            "job_type_change_reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "job_type": "实际从事的工种不在目录中的，经单位同意，可选择性质相近或相似的工种。",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].required = True
        level = self.fields["level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = [("", "请选择"), *LEVEL_CHOICES]
        job_type = self.fields["job_type"]
        assert isinstance(job_type, forms.ModelChoiceField)
        job_type.required = True
        job_type.queryset = current_job_types()
        job_type.empty_label = "请选择工种"
        job_type.label_from_instance = _job_type_label  # type: ignore[method-assign,assignment]
        for name, stamp in [
            ("ack_policy", "ack_policy_at"),
            ("ack_level1", "ack_level1_at"),
            ("ack_retirement", "ack_retirement_at"),
        ]:
            self.initial[name] = bool(getattr(self.instance, stamp))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        level, job_type = data.get("level"), data.get("job_type")
        if level and job_type and level not in job_type.levels:
            self.add_error(
                "job_type", f"该工种不设{level}级考核，请选择其他工种或等级。"
            )
        change = data.get("job_type_change")
        if (
            change
            and change != JobTypeChange.NONE
            and not (data.get("job_type_change_reason") or "").strip()
        ):
            self.add_error(
                "job_type_change_reason",
                "请说明转换岗位工种的情况（时间、原工种、单位同意或机构改革文件）。",
            )
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label="选择文件",
        error_messages={
            "required": "请选择要上传的文件。",
            "empty": "文件是空的，请重新选择。",
        },
    )


class SubmitForm(forms.Form):
    pledge = forms.BooleanField(
        label="本人承诺：所填报的个人信息和上传的申报材料真实、准确、完整，如有不实，愿承担相应责任。",
        required=False,
    )
    defer = forms.BooleanField(
        label="本人年度考核结果尚未经组织人事部门备案，承诺备案后在规定时间前上传（容缺后补，须经单位同意）。",
        required=False,
    )

    def __init__(
        self, *args: Any, returned: Sequence[ReturnedItem] = (), **kwargs: Any
    ) -> None:
        """One short text per returned item: why it was not changed."""
        super().__init__(*args, **kwargs)
        self.returned = list(returned)
        for item in self.returned:
            self.fields[f"explain_{item.pk}"] = forms.CharField(
                label="未修改的说明",
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": "已修改的可不填"}),
                error_messages={"max_length": "说明请控制在200字以内。"},
            )

    def explanations(self) -> dict[int, str]:
        """ReturnedItem id → the applicant's explanation (cleaned data)."""
        return {
            item.pk: self.cleaned_data.get(f"explain_{item.pk}", "")
            for item in self.returned
        }

    def explain_rows(self) -> list[tuple[ReturnedItem, Any]]:
        return [(item, self[f"explain_{item.pk}"]) for item in self.returned]


class ExtensionForm(forms.Form):
    until = forms.DateField(label="允许提交至", widget=DateInput())
    reason = forms.CharField(label="延期原因", max_length=200)

    def clean_until(self) -> date:
        until: date = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise forms.ValidationError("延期日期须晚于今天。")
        return until
