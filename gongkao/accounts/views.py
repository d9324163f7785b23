from __future__ import annotations

from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from gongkao.accounts import crypto, lockout, services
from gongkao.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    RegistrationForm,
    ResetConfirmForm,
    ResetRequestForm,
    SendCodeForm,
)
from gongkao.accounts.models import SmsCode, User
from gongkao.core.sms import mask_phone


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["username"]
        # A locked account or address is refused before its password is
        # checked; the refusal is not counted, so the lock's end stays fixed.
        lock = lockout.current_lock(request, name)
        if lock is None:
            user = authenticate(
                request, username=name, password=form.cleaned_data["password"]
            )
            if isinstance(user, User):
                services.log_in(request, user)
                if user.must_change_password:
                    messages.info(request, "这是您首次登录，请先修改初始密码。")
                    return redirect("accounts:password_change")
                return redirect(_safe_next(request) or "home")
            lock = services.record_failed_login(request, name)
        if lock is None:
            form.add_error(
                None,
                f"账号或密码不正确。连续输错{settings.LOGIN_FAILURE_LIMIT}次，"
                f"账号将被锁定{settings.LOGIN_LOCKOUT_MINUTES}分钟。",
            )
        else:
            form.add_error(None, lock.message)
            status = 429
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _safe_next(request)},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.log_out(request)
    messages.success(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(
            request, request.user, form.cleaned_data["new_password1"]
        )
        messages.success(request, "密码已修改。")
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Step 1: ask for the phone number and send a code (if an account has it)."""
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            # The same limits and answer either way: the page does not reveal
            # who has an account.
            services.request_password_reset(phone, request=request)
        except services.SmsRateLimited as exc:
            form.add_error("phone", str(exc))
        else:
            # Encrypted like every stored phone number: sessions are a table too.
            request.session["reset_phone"] = crypto.encrypt(phone)
            messages.info(
                request, "如果该手机号已注册，验证码已发送，请在10分钟内输入。"
            )
            return redirect("accounts:password_reset_confirm")
    return render(request, "accounts/password_reset.html", {"form": form})


def _decrypted(token: str) -> str:
    """The phone kept in the session, or "" if it cannot be read (a new key)."""
    try:
        return crypto.decrypt(token)
    except (ValueError, InvalidTag):  # another key, or tampered: start empty
        return ""


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: code and new password."""
    stored = request.session.get("reset_phone", "")
    initial = {"phone": _decrypted(stored) if stored else ""}
    form = ResetConfirmForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_password_by_sms(
                form.cleaned_data["phone"],
                form.cleaned_data["code"],
                form.cleaned_data["new_password1"],
                request=request,
            )
        except services.SmsCodeInvalid as exc:
            form.add_error("code", str(exc))
        else:
            request.session.pop("reset_phone", None)
            messages.success(request, "密码已重置，请用新密码登录。")
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form})


@dataclass(frozen=True)
class CodeStatus:
    """The line under 获取验证码: sent, or why not."""

    sent: bool
    message: str


def _send_registration_code(request: HttpRequest) -> CodeStatus:
    form = SendCodeForm(request.POST)
    if not form.is_valid():
        return CodeStatus(sent=False, message=str(form.errors["phone"][0]))
    phone = form.cleaned_data["phone"]
    try:
        services.send_sms_code(phone, SmsCode.Purpose.REGISTER, request=request)
    except services.SmsRateLimited as exc:
        return CodeStatus(sent=False, message=str(exc))
    ttl = settings.SMS_CODE_TTL_MINUTES
    return CodeStatus(
        sent=True, message=f"验证码已发送至{mask_phone(phone)}，{ttl}分钟内有效。"
    )


def _render_registration_after_send(
    request: HttpRequest, status: CodeStatus
) -> HttpResponse:
    # Without JS the whole page comes back: keep what was typed, not passwords.
    form = RegistrationForm(initial=RegistrationForm.kept_values(request.POST))
    return render(
        request, "accounts/register.html", {"form": form, "code_status": status}
    )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """实名注册 on one page; 获取验证码 posts here too when JS is off."""
    if request.user.is_authenticated:
        return redirect("home")
    if "send_code" in request.POST:
        return _render_registration_after_send(
            request, _send_registration_code(request)
        )
    form = RegistrationForm(request.POST or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.register_applicant(
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                code=data["code"],
                password=data["new_password1"],
                request=request,
            )
        except services.SmsCodeInvalid as exc:
            form.add_error("code", str(exc))
        except services.RegistrationRefused as exc:
            form.add_error(exc.field, str(exc))
            refused = exc
        else:
            services.log_in(request, user)
            messages.success(request, f"注册成功。{user.name}，欢迎您！")
            return redirect("home")
    return render(request, "accounts/register.html", {"form": form, "refused": refused})


@require_POST
def register_send_code(request: HttpRequest) -> HttpResponse:
    """htmx: send the registration code and answer with the status line only."""
    status = _send_registration_code(request)
    if getattr(request, "htmx", False):
        return render(
            request, "accounts/register.html#code_status", {"code_status": status}
        )
    return _render_registration_after_send(request, status)
