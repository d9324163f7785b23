"""Forms of the panel pages: every value a view takes goes through one."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from gongkao.accounts.idnumbers import is_mobile_number, normalize_phone
from gongkao.campaigns.models import Campaign, JobType
from gongkao.organizations.models import Unit
from gongkao.panels.models import Ballot, Expert, PanelSettings
from gongkao.panels.services import PanelError, check_rubric


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class ExpertForm(forms.ModelForm):  # type: ignore[type-arg]
    credit_code = forms.CharField(
        label="工作单位统一社会信用代码",
        max_length=18,
        required=False,
        help_text="单位已在系统登记的，填写后据以计算回避（申报人所在单位及其主管部门）。",
    )
    job_types = forms.ModelMultipleChoiceField(
        label="可评审工种",
        queryset=JobType.objects.order_by("category", "code"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Expert
        fields = [
            "name",
            "unit_name",
            "title",
            "phone",
            "term_start",
            "term_end",
            "active",
            "job_types",
        ]
        widgets = {"term_start": DateInput, "term_end": DateInput}

    def __init__(self, *args: Any, office: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.office = office
        if self.instance.unit_id and not self.is_bound:
            self.initial["credit_code"] = self.instance.unit.credit_code

    def clean_credit_code(self) -> str:
        code = str(self.cleaned_data["credit_code"]).strip().upper()
        unit = Unit.objects.filter(credit_code=code).first() if code else None
        if code and unit is None:
            raise forms.ValidationError("该统一社会信用代码不是已登记的单位。")
        self.instance.unit = unit
        return code

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["phone"])
        if not is_mobile_number(phone):
            raise forms.ValidationError("请输入11位手机号码。")
        others = Expert.objects.filter(office=self.instance.office, phone=phone)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError("专家库中已有该手机号的专家。")
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", "聘期结束不能早于聘期开始。")
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label="专家名单（.xlsx 或 .csv）")


class SettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    rubric_text = forms.CharField(
        label="评分项目",
        help_text="每行一项：名称 分值，如“业绩 40”，合计100分。",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=500,
    )

    class Meta:
        model = PanelSettings
        fields = [
            "committee_size",
            "reserves",
            "quorum_numerator",
            "quorum_denominator",
            "majority_numerator",
            "majority_denominator",
            "pass_mark",
            "blind",
            "defence",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["rubric_text"] = "\n".join(
                f"{item['name']} {item['points']}" for item in self.instance.rubric
            )

    def clean_committee_size(self) -> int:
        size = int(self.cleaned_data["committee_size"])
        if size % 2 == 0:
            raise forms.ValidationError("评审组人数应为奇数。")
        return size

    def clean_rubric_text(self) -> list[dict[str, object]]:
        rubric: list[dict[str, object]] = []
        for line in str(self.cleaned_data["rubric_text"]).splitlines():
            if not line.strip():
                continue
            name, _, points = line.strip().rpartition(" ")
            if not name.strip() or not points.isdigit():
                raise forms.ValidationError(f"“{line.strip()}”应为“名称 分值”。")
            rubric.append({"name": name.strip(), "points": int(points)})
        try:
            check_rubric(rubric)
        except PanelError as exc:
            raise forms.ValidationError(str(exc)) from None
        return rubric

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for part in ("quorum", "majority"):
            num, den = data.get(f"{part}_numerator"), data.get(f"{part}_denominator")
            if num is not None and den is not None and (den == 0 or num > den):
                self.add_error(
                    f"{part}_numerator", "比例的分子应不大于分母，分母不为0。"
                )
        return data

    def save(self, commit: bool = True) -> PanelSettings:
        self.instance.rubric = self.cleaned_data["rubric_text"]
        return super().save(commit=commit)  # type: ignore[no-any-return]


class PanelForm(forms.Form):
    name = forms.CharField(label="评审组名称", max_length=60)
    job_types = forms.ModelMultipleChoiceField(
        label="评审工种",
        queryset=JobType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    review_from = forms.DateField(label="评审开始日期", widget=DateInput)
    review_until = forms.DateField(label="评审结束日期", widget=DateInput)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["job_types"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            JobType.objects.filter(
                applications__campaign=campaign, applications__level=1
            )
            .distinct()
            .order_by("code")
        )
        self.initial.setdefault(
            "review_from", campaign.panel_review_start or date(campaign.year, 10, 1)
        )
        self.initial.setdefault(
            "review_until", campaign.panel_review_end or date(campaign.year, 12, 31)
        )


class SessionForm(forms.Form):
    held_on = forms.DateField(label="会议日期", widget=DateInput)
    place = forms.CharField(label="地点", max_length=100, required=False)


class DefenceForm(forms.Form):
    defence_at = forms.DateTimeField(
        label="答辩时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    defence_place = forms.CharField(label="答辩地点", max_length=100, required=False)
    defence_order = forms.IntegerField(
        label="答辩顺序", required=False, min_value=1, max_value=999
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class BallotForm(forms.Form):
    """The rubric's items (each 0 to its points) and the vote."""

    vote = forms.ChoiceField(
        label="表决", choices=Ballot.Vote.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, rubric: list[dict[str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for i, item in enumerate(rubric):
            self.fields[f"item{i}"] = forms.DecimalField(
                label=f"{item['name']}（满分{item['points']}）",
                min_value=0,
                max_value=item["points"],
                decimal_places=1,
                max_digits=5,
            )

    def scores(self) -> dict[str, str]:
        return {
            item["name"]: str(self.cleaned_data[f"item{i}"])
            for i, item in enumerate(self.rubric)
        }

    @staticmethod
    def initial_of(
        rubric: list[dict[str, Any]], ballot: Ballot | None
    ) -> dict[str, Any]:
        if ballot is None:
            return {}
        initial: dict[str, Any] = {"vote": ballot.vote}
        for i, item in enumerate(rubric):
            initial[f"item{i}"] = ballot.scores.get(item["name"])
        return initial
