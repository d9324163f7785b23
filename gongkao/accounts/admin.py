from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from gongkao.accounts.idnumbers import (
    InvalidIdNumber,
    is_mobile_number,
    normalize_phone,
)
from gongkao.accounts.models import LoginThrottle, RoleAssignment, TrustedNetwork, User
from gongkao.core.admin import AuditedAdmin


class UserAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """Phone and ID number are write-only here: the admin never shows them in clear."""

    new_phone = forms.CharField(label="设置手机号", required=False)
    new_id_number = forms.CharField(label="设置公民身份号码", required=False)
    new_password = forms.CharField(
        label="设置密码", required=False, widget=forms.PasswordInput
    )

    class Meta:
        model = User
        fields = [
            "username",
            "name",
            "is_active",
            "is_staff",
            "is_superuser",
            "must_change_password",
        ]

    def clean_new_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["new_phone"])
        if phone and not is_mobile_number(phone):
            raise forms.ValidationError("请输入11位手机号码。")
        return phone

    def clean_new_id_number(self) -> str:
        value: str = self.cleaned_data["new_id_number"]
        if value:
            try:
                User().set_id_number(value)
            except InvalidIdNumber as exc:
                raise forms.ValidationError(str(exc)) from None
        return value

    def save(self, commit: bool = True) -> Any:
        user: User = super().save(commit=False)
        if self.cleaned_data.get("new_phone"):
            user.set_phone(self.cleaned_data["new_phone"])
        if self.cleaned_data.get("new_id_number"):
            user.set_id_number(self.cleaned_data["new_id_number"])
        if self.cleaned_data.get("new_password"):
            user.set_password(self.cleaned_data["new_password"])
        elif not user.pk:
            user.set_unusable_password()
        if commit:
            user.save()
        return user


class RoleAssignmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ["role", "unit", "office", "granted_at"]
    readonly_fields = ["granted_at"]
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(AuditedAdmin):
    form = UserAdminForm
    list_display = [
        "username",
        "name",
        "phone_masked",
        "id_number_masked",
        "is_active",
        "date_joined",
    ]
    search_fields = ["username", "name"]
    list_filter = ["is_active", "is_staff", "role_assignments__role"]
    readonly_fields = [
        "phone_masked",
        "id_number_masked",
        "birth_date",
        "sex",
        "last_login",
        "date_joined",
    ]
    inlines = [RoleAssignmentInline]

    @admin.display(description="手机号")
    def phone_masked(self, obj: User) -> str:
        return obj.phone_masked

    @admin.display(description="公民身份号码")
    def id_number_masked(self, obj: User) -> str:
        return obj.id_number_masked

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            "username",
            "name",
            "phone_masked",
            "new_phone",
            "id_number_masked",
            "new_id_number",
            "birth_date",
            "sex",
            "new_password",
            "is_active",
            "is_staff",
            "is_superuser",
            "must_change_password",
            "last_login",
            "date_joined",
        ]


@admin.register(TrustedNetwork)
class TrustedNetworkAdmin(AuditedAdmin):
    """Offices keep theirs on their own page (考场网络地址); here for the system
    administrator."""

    list_display = ["cidr", "note", "office", "created_at"]
    list_filter = ["office"]


@admin.register(LoginThrottle)
class LoginThrottleAdmin(AuditedAdmin):
    """Read-only counters; deleting a row lifts its lock (audited)."""

    list_display = ["kind", "failures", "window_started_at", "locked_until"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "key", "window_started_at", "failures", "locked_until"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
