"""Writes for accounts: log in/out, passwords, SMS codes, role assignments."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import login, logout, update_session_auth_hash
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkao.accounts import crypto, lockout
from gongkao.accounts.idnumbers import (
    mask_id_number,
    normalize_id_number,
    normalize_phone,
)
from gongkao.accounts.models import (
    Role,
    RoleAssignment,
    SmsCode,
    TrustedNetwork,
    User,
)
from gongkao.core.models import AuditEvent
from gongkao.core.services import client_ip, record_audit
from gongkao.core.sms import get_sms_sender, mask_phone
from gongkao.organizations.models import ExamOffice, Unit

SMS_RESEND_SECONDS = 60
SMS_PER_PHONE_PER_DAY = 10
SMS_PER_IP_PER_HOUR = 20
SMS_MAX_ATTEMPTS = 5


class SmsRateLimited(Exception):
    """The message is Chinese and tells the user when to try again."""


class SmsCodeInvalid(Exception):
    pass


def log_in(request: HttpRequest, user: User) -> None:
    login(request, user, backend="gongkao.accounts.backends.PhoneOrIdNumberBackend")
    lockout.clear_account(user)
    record_audit(AuditEvent.Action.LOGIN, by=user, target=user, request=request)


def log_out(request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated:
        record_audit(AuditEvent.Action.LOGOUT, by=user, target=user, request=request)
    logout(request)


def record_failed_login(request: HttpRequest, login_name: str) -> lockout.Lock | None:
    """Count the failure (accounts.lockout) and audit it; the lock it set, if any."""
    lock = lockout.count_failure(request, login_name)
    # The typed name may be an ID or phone number: keep only a masked form.
    shown = login_name[:3] + "***" + login_name[-2:] if len(login_name) > 6 else "***"
    record_audit(AuditEvent.Action.LOGIN_FAILED, actor_label=shown, request=request)
    return lock


def change_password(request: HttpRequest, user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    update_session_auth_hash(request, user)
    record_audit(
        AuditEvent.Action.PASSWORD_CHANGED, by=user, target=user, request=request
    )


def _code_hash(code: str) -> str:
    return crypto.blind_index("sms:" + code)


def send_sms_code(
    phone: str,
    purpose: SmsCode.Purpose,
    *,
    request: HttpRequest | None,
    deliver: bool = True,
) -> None:
    """Send a 6-digit code to `phone`, within the per-number and per-IP limits.

    With `deliver=False` everything happens (the limits, the stored hash)
    except the message itself: a reset asked for an unregistered number then
    answers exactly like one for a registered number.
    """
    phone = normalize_phone(phone)
    index = crypto.blind_index(phone)
    now = timezone.now()
    ip = client_ip(request)
    recent = SmsCode.objects.filter(phone_index=index)
    if recent.filter(
        created_at__gt=now - timedelta(seconds=SMS_RESEND_SECONDS)
    ).exists():
        raise SmsRateLimited(f"验证码已发送，请{SMS_RESEND_SECONDS}秒后再试。")
    if (
        recent.filter(created_at__gt=now - timedelta(days=1)).count()
        >= SMS_PER_PHONE_PER_DAY
    ):
        raise SmsRateLimited("该手机号今天获取验证码次数过多，请明天再试。")
    if (
        ip
        and SmsCode.objects.filter(
            ip=ip, created_at__gt=now - timedelta(hours=1)
        ).count()
        >= SMS_PER_IP_PER_HOUR
    ):
        raise SmsRateLimited("当前网络获取验证码过于频繁，请一小时后再试。")
    code = f"{secrets.randbelow(1_000_000):06d}"
    ttl = settings.SMS_CODE_TTL_MINUTES
    SmsCode.objects.create(
        phone_index=index,
        purpose=purpose,
        code_hash=_code_hash(code),
        ip=ip,
        expires_at=now + timedelta(minutes=ttl),
    )
    if deliver:
        get_sms_sender().send(
            phone,
            f"【工考】您的{purpose.label}验证码为{code}，{ttl}分钟内有效。如非本人操作请忽略。",
        )


def verify_sms_code(phone: str, code: str, purpose: SmsCode.Purpose) -> None:
    """Consume the newest unused code for `phone`, or raise SmsCodeInvalid.

    A wrong guess is counted before raising. Call this outside any
    transaction that the failure would roll back, or the count is lost and
    the code can be guessed without limit.
    """
    problem = _consume_sms_code(phone, code, purpose)
    if problem:
        raise SmsCodeInvalid(problem)


@transaction.atomic
def _consume_sms_code(phone: str, code: str, purpose: SmsCode.Purpose) -> str:
    """The reason the code is refused, or "" once it is consumed.

    Returns rather than raises so that the attempt count commits.
    """
    index = crypto.blind_index(normalize_phone(phone))
    sms = (
        SmsCode.objects.select_for_update()
        .filter(phone_index=index, purpose=purpose, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if sms is None or sms.expires_at < timezone.now():
        return "验证码已失效，请重新获取。"
    if sms.attempts >= SMS_MAX_ATTEMPTS:
        return "验证码错误次数过多，请重新获取。"
    if not hmac.compare_digest(sms.code_hash, _code_hash(code.strip())):
        sms.attempts += 1
        sms.save(update_fields=["attempts"])
        return "验证码不正确。"
    sms.used_at = timezone.now()
    sms.save(update_fields=["used_at"])
    return ""


def find_user_by_phone(phone: str) -> User | None:
    return User.objects.filter(
        phone_index=crypto.blind_index(normalize_phone(phone))
    ).first()


def request_password_reset(phone: str, *, request: HttpRequest | None) -> None:
    """Step 1 of a reset: the same limits, rows and answer whether or not an
    account has `phone`; only a registered number receives the code.

    Raises SmsRateLimited (for both alike).
    """
    registered = find_user_by_phone(phone) is not None
    send_sms_code(
        phone, SmsCode.Purpose.RESET_PASSWORD, request=request, deliver=registered
    )


def reset_password_by_sms(
    phone: str, code: str, new_password: str, *, request: HttpRequest | None
) -> User:
    """Check the code, then set the new password of the account with `phone`.

    Also lifts a login lockout of the account (the code proves the phone).
    """
    user = find_user_by_phone(phone)
    verify_sms_code(phone, code, SmsCode.Purpose.RESET_PASSWORD)
    if user is None:
        # Unreachable in practice (no code was delivered), and worded as a
        # wrong code so that it tells nothing either.
        raise SmsCodeInvalid("验证码不正确。")
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    lockout.clear_account(user)
    record_audit(
        AuditEvent.Action.PASSWORD_RESET, by=user, target=user, request=request
    )
    return user


def grant_role(
    user: User,
    role: Role,
    *,
    by: User | None,
    unit: Unit | None = None,
    office: ExamOffice | None = None,
    request: HttpRequest | None = None,
) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, office=office, defaults={"granted_by": by}
    )
    if created:
        record_audit(
            AuditEvent.Action.ROLE_GRANTED,
            by=by,
            target=user,
            after={
                "role": role.value,
                "unit": getattr(unit, "pk", None),
                "office": getattr(office, "pk", None),
            },
            request=request,
        )
    return assignment


class AccountExists(Exception):
    """The message is Chinese and names no one."""


@transaction.atomic
def issue_staff_account(
    *,
    name: str,
    phone: str,
    role: Role,
    by: User,
    unit: Unit | None = None,
    office: ExamOffice | None = None,
    request: HttpRequest | None = None,
) -> tuple[User, str | None]:
    """Open (or reuse) the account of a unit clerk, department or office staff.

    Returns the user and, for a new account, its one-time password, which is
    also sent by SMS; the holder must change it at first login.
    """
    phone = normalize_phone(phone)
    user = find_user_by_phone(phone)
    if (
        user is not None
        and not RoleAssignment.objects.filter(user=user)
        .exclude(role=Role.APPLICANT)
        .exists()
    ):
        # An office may add roles to staff, never turn an applicant's (or any
        # unknown person's) account into a reviewer's by typing a number.
        raise AccountExists(
            "该手机号已注册为申报人账号，不能直接开通工作人员角色。请换用其他手机号，或联系系统管理员。"
        )
    password = None
    if user is None:
        password = "Gk" + secrets.token_urlsafe(8)
        user = User(
            username=f"staff-{secrets.token_hex(5)}",
            name=name,
            must_change_password=True,
        )
        user.set_phone(phone)
        user.set_password(password)
        user.save()
        record_audit(
            AuditEvent.Action.ACCOUNT_ISSUED,
            by=by,
            target=user,
            after={"name": name, "phone": mask_phone(phone)},
            request=request,
        )
        message = (
            f"【工考】{name}您好，您的工考系统账号已开通，登录名为本手机号，"
            f"初始密码{password}，首次登录须修改密码。"
        )
        # Only once the account really exists.
        transaction.on_commit(lambda: get_sms_sender().send(phone, message))
    grant_role(user, role, by=by, unit=unit, office=office, request=request)
    return user, password


class RegistrationRefused(Exception):
    """The number belongs to another account; the message is Chinese.

    `field` names the form field at fault and `phone_masked` the phone of the
    existing account, so the page can tell the person how to recover it.
    """

    field = ""

    def __init__(self, message: str, *, phone_masked: str = "") -> None:
        super().__init__(message)
        self.phone_masked = phone_masked


class IdNumberTaken(RegistrationRefused):
    field = "id_number"


class PhoneTaken(RegistrationRefused):
    field = "phone"


def register_applicant(
    *,
    name: str,
    id_number: str,
    phone: str,
    code: str,
    password: str,
    request: HttpRequest | None,
) -> User:
    """实名注册: open an applicant's own account; the caller logs them in.

    The caller has the applicant's truthfulness pledge (notice 3.2); its time
    is recorded as `pledged_at`. Raises SmsCodeInvalid, IdNumberTaken or
    PhoneTaken. Side effects: consumes the SMS code, creates the user (ID and
    phone encrypted, birth date and sex from the ID number), grants
    Role.APPLICANT, writes USER_REGISTERED and ROLE_GRANTED audit rows.
    """
    phone = normalize_phone(phone)
    id_number = normalize_id_number(id_number)
    # The code is checked before the uniqueness checks, so that only someone
    # holding the phone learns whether a number is registered (and the masked
    # phone of the account that holds it).
    verify_sms_code(phone, code, SmsCode.Purpose.REGISTER)
    try:
        with transaction.atomic():
            _refuse_taken_numbers(id_number, phone)
            user = User(username=f"app-{secrets.token_hex(6)}", name=name)
            user.set_id_number(id_number)
            user.set_phone(phone)
            user.set_password(password)
            user.pledged_at = timezone.now()
            user.save()
            record_audit(
                AuditEvent.Action.USER_REGISTERED,
                by=user,
                target=user,
                after={
                    "name": name,
                    "id_number": mask_id_number(id_number),
                    "phone": mask_phone(phone),
                    "pledged_at": user.pledged_at.isoformat(),
                },
                request=request,
            )
            grant_role(user, Role.APPLICANT, by=user, request=request)
    except IntegrityError:
        # A simultaneous registration won the race for one of the numbers.
        _refuse_taken_numbers(id_number, phone)
        raise
    return user


def _refuse_taken_numbers(id_number: str, phone: str) -> None:
    holder = User.objects.filter(id_number_index=crypto.blind_index(id_number)).first()
    if holder is not None:
        raise IdNumberTaken(
            "该公民身份号码已经注册过账号，不能重复注册。",
            phone_masked=holder.phone_masked,
        )
    if find_user_by_phone(phone) is not None:
        raise PhoneTaken(
            "该手机号已被其他账号使用，一个手机号只能注册一个账号。",
            phone_masked=mask_phone(phone),
        )


class NetworkExists(Exception):
    """The office registered this range already; the message is Chinese."""


@transaction.atomic
def add_trusted_network(
    office: ExamOffice,
    *,
    cidr: str,
    note: str,
    by: User,
    request: HttpRequest | None = None,
) -> TrustedNetwork:
    """Register an exam room's address range: the per-address login throttle
    no longer counts its failures (accounts.lockout)."""
    try:
        with transaction.atomic():  # the unique constraint decides a race too
            network = TrustedNetwork.objects.create(office=office, cidr=cidr, note=note)
    except IntegrityError:
        raise NetworkExists("该地址段已登记。") from None
    record_audit(
        AuditEvent.Action.CONFIG_CREATED,
        by=by,
        target=network,
        after={"office": office.pk, "cidr": cidr, "note": note},
        request=request,
    )
    return network


@transaction.atomic
def remove_trusted_network(
    network: TrustedNetwork, *, by: User, request: HttpRequest | None = None
) -> None:
    record_audit(
        AuditEvent.Action.CONFIG_DELETED,
        by=by,
        target=network,
        before={
            "office": network.office_id,
            "cidr": network.cidr,
            "note": network.note,
        },
        request=request,
    )
    network.delete()
