"""Input of the review chain: queue filters, and at the on-site check fees,
the batch total and originals handed over."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkao.applications.states import Status
from gongkao.campaigns.models import LEVEL_CHOICES
from gongkao.eligibility.labels import ROUTE_LABELS
from gongkao.review.models import Appeal, FeePayment


class FeeForm(forms.Form):
    amount = forms.DecimalField(
        label="金额（元）",
        max_digits=8,
        decimal_places=2,
        min_value=0,
        error_messages={"invalid": "金额应为数字，如 120 或 120.50。"},
    )
    method = forms.ChoiceField(label="缴费方式", choices=FeePayment.Method.choices)
    receipt_number = forms.CharField(label="票据号", max_length=40)


class FeeTotalForm(forms.Form):
    fee_total = forms.DecimalField(
        label="本批次收费合计（元）",
        max_digits=10,
        decimal_places=2,
        min_value=0,
        error_messages={"invalid": "金额应为数字，如 1200 或 1200.50。"},
    )


class CustodyInForm(forms.Form):
    item = forms.CharField(label="原件名称", max_length=100)
    received_from = forms.CharField(label="交件人", max_length=50)


class CustodyOutForm(forms.Form):
    custody = forms.IntegerField(min_value=1)
    returned_to = forms.CharField(label="退还给", max_length=50)


ROUTE_CHOICES = [("", "全部"), *ROUTE_LABELS.items()]
LEVEL_FILTER_CHOICES = [("", "全部"), *((str(v), label) for v, label in LEVEL_CHOICES)]


class QueueFilterForm(forms.Form):
    """A queue's filters from the query string. A value that does not parse
    is left out (the queue shows unfiltered on that field), never a 500."""

    status = forms.ChoiceField(choices=[("", "全部"), *Status.choices], required=False)
    unit = forms.IntegerField(min_value=1, max_value=10**12, required=False)
    division = forms.IntegerField(min_value=1, max_value=10**12, required=False)
    level = forms.TypedChoiceField(
        choices=LEVEL_FILTER_CHOICES, coerce=int, empty_value=None, required=False
    )
    job_type = forms.IntegerField(min_value=1, max_value=10**12, required=False)
    route = forms.ChoiceField(choices=ROUTE_CHOICES, required=False)
    overdue = forms.BooleanField(required=False)
    deferred = forms.BooleanField(required=False)
    onsite = forms.BooleanField(required=False)
    q = forms.CharField(max_length=50, required=False, strip=True)

    def filters(self) -> dict[str, Any]:
        """The fields that parsed and are set."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "", False)
        }

    def params(self) -> dict[str, str]:
        """The same filters as query-string values (links, exports, the form)."""
        return {
            name: "1" if value is True else str(value)
            for name, value in self.filters().items()
        }


class AppealForm(forms.Form):
    """The applicant's appeal: a reason and, if any, a new document."""

    reason = forms.CharField(
        label="复核理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请写明申请复核的理由。"},
    )
    file = forms.FileField(
        label="补充材料（可选，PDF或图片）",
        required=False,
        help_text="如有新的证明材料，可一并上传。",
    )


class AppealAnswerForm(forms.Form):
    appeal = forms.IntegerField(min_value=1, max_value=10**12)
    decision = forms.ChoiceField(
        label="复核结论",
        choices=[("", "请选择"), *Appeal.Decision.choices],
        error_messages={"required": "请选择复核结论。"},
    )
    answer = forms.CharField(
        label="答复意见",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明答复意见。"},
    )


class CursorForm(forms.Form):
    """Where a queue page starts or ends (review.queries.queue_page); a value
    that does not parse is the first page."""

    after = forms.CharField(max_length=80, required=False)
    before = forms.CharField(max_length=80, required=False)

    def cursors(self) -> dict[str, str]:
        self.is_valid()
        return {
            "after": self.cleaned_data.get("after") or "",
            "before": self.cleaned_data.get("before") or "",
        }
