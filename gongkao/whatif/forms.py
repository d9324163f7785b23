from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from gongkao.campaigns.models import Campaign


class WhatIfForm(forms.Form):
    """Which policy, over which campaign: both limited to what the office may use."""

    policy_id = forms.ChoiceField(
        label="试算政策",
        error_messages={
            "required": "请选择试算政策。",
            "invalid_choice": "请从列表中选择试算政策。",
        },
    )
    campaign = forms.ModelChoiceField(
        label="年度考务",
        queryset=Campaign.objects.none(),
        error_messages={
            "required": "请选择年度考务。",
            "invalid_choice": "请从列表中选择年度考务。",
        },
    )

    def __init__(
        self,
        *args: Any,
        policies: list[tuple[str, str]],
        campaigns: QuerySet[Campaign],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        policy_field = self.fields["policy_id"]
        assert isinstance(policy_field, forms.ChoiceField)
        policy_field.choices = [("", "—— 请选择 ——"), *policies]
        campaign_field = self.fields["campaign"]
        assert isinstance(campaign_field, forms.ModelChoiceField)
        campaign_field.queryset = campaigns
