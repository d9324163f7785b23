from __future__ import annotations

from typing import Any

from django import forms

from gongkao.applications.models import Application
from gongkao.campaigns.models import Campaign, JobType
from gongkao.core.forms import IdChoiceField, IdMultipleChoiceField
from gongkao.exams.models import (
    Room,
    Sitting,
    Subject,
    TestCentre,
    TrainingClass,
    TrainingSession,
)
from gongkao.organizations.models import ExamOffice


class TestCentreForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TestCentre
        fields = ["name", "address", "contact", "map_note"]

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        office: ExamOffice | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean_name(self) -> str:
        # The campaign is not a field of the form, so Django does not check
        # the (campaign, name) constraint: a duplicate would reach the database.
        name = str(self.cleaned_data["name"])
        if TestCentre.objects.filter(campaign=self.campaign, name=name).exists():
            raise forms.ValidationError("本年度已有同名考点。")
        return name


class RoomForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Room
        fields = ["centre", "number", "seats", "spare_seats", "row_length"]
        field_classes = {"centre": IdChoiceField}

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        office: ExamOffice | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        centres = TestCentre.objects.filter(campaign=campaign)
        if office is not None:  # an office planning its jurisdiction: its own
            centres = centres.filter(office=office)
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seats, spare = data.get("seats"), data.get("spare_seats")
        if seats is not None and spare is not None and spare >= seats:
            self.add_error("spare_seats", "备用座位必须少于座位数。")
        return data


class SittingForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Sitting
        fields = [
            "name",
            "date",
            "start_time",
            "subjects",
            "job_types",
            "rooms",
            "entry_opens_minutes",
            "late_entry_minutes",
            "earliest_submit_minutes",
        ]
        field_classes = {
            "subjects": IdMultipleChoiceField,
            "job_types": IdMultipleChoiceField,
            "rooms": IdMultipleChoiceField,
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "subjects": forms.CheckboxSelectMultiple,
            "rooms": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        office: ExamOffice | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["subjects"].queryset = Subject.objects.filter(campaign=campaign)  # type: ignore[attr-defined]
        rooms = Room.objects.filter(centre__campaign=campaign)
        if office is not None:
            rooms = rooms.filter(centre__office=office)
        self.fields["rooms"].queryset = rooms.select_related("centre")  # type: ignore[attr-defined]
        self.fields["job_types"].queryset = JobType.objects.filter(  # type: ignore[attr-defined]
            applications__campaign=campaign
        ).distinct()
        self.fields["job_types"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day = data.get("date")
        if day and not (self.campaign.exam_start <= day <= self.campaign.exam_end):
            self.add_error(
                "date",
                f"考试日期应在{self.campaign.exam_start:%Y年%m月%d日}至"
                f"{self.campaign.exam_end:%Y年%m月%d日}之间。",
            )
        return data


class TicketWindowForm(forms.Form):
    opens = forms.DateTimeField(
        label="准考证打印开始",
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    closes = forms.DateTimeField(
        label="准考证打印截止",
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens") and data.get("closes") and data["opens"] >= data["closes"]:
            self.add_error("closes", "截止时间必须晚于开始时间。")
        return data


class ProctorForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.RegexField(
        label="手机号",
        regex=r"^1[3-9]\d{9}$",
        error_messages={"invalid": "请输入11位手机号。"},
    )


class MoveSeatForm(forms.Form):
    """Move one candidate to another seat of the same sitting."""

    seat = forms.IntegerField(min_value=1, max_value=10**12, widget=forms.HiddenInput)
    room = IdChoiceField(label="考场", queryset=Room.objects.none())
    number = forms.IntegerField(label="座位号", min_value=1, max_value=500)

    def __init__(self, *args: Any, sitting: Sitting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = sitting.rooms.select_related("centre")  # type: ignore[attr-defined]


# --- training ----------------------------------------------------------------


class TrainingClassForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TrainingClass
        fields = [
            "name",
            "level",
            "job_types",
            "start_date",
            "end_date",
            "place",
            "teacher",
            "capacity",
            "min_sessions",
        ]
        field_classes = {"job_types": IdMultipleChoiceField}
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["job_types"].queryset = JobType.objects.filter(  # type: ignore[attr-defined]
            valid_until__isnull=True
        ).order_by("name")
        self.fields["job_types"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and start > end:
            self.add_error("end_date", "结束日期不能早于开始日期。")
        window = (self.campaign.training_start, self.campaign.training_end)
        for name in ("start_date", "end_date"):
            day = data.get(name)
            if day and not window[0] <= day <= window[1]:
                self.add_error(
                    name,
                    f"培训时间应在{window[0].month}月{window[0].day}日至"
                    f"{window[1].month}月{window[1].day}日之间。",
                )
        return data


class TrainingSessionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TrainingSession
        fields = ["date", "start_time", "topic"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(
        self, *args: Any, training_class: TrainingClass, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.training_class = training_class

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        k = self.training_class
        if not k.start_date <= day <= k.end_date:
            raise forms.ValidationError("课次日期应在培训班的起止日期之间。")
        return day


class EnrolForm(forms.Form):
    """The unit clerk puts one of the unit's candidates in a class."""

    application = IdChoiceField(label="考生", queryset=Application.objects.none())
    training_class = IdChoiceField(
        label="培训班", queryset=TrainingClass.objects.none()
    )

    def __init__(
        self, *args: Any, applications: Any, classes: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications  # type: ignore[attr-defined]
        self.fields["training_class"].queryset = classes  # type: ignore[attr-defined]
