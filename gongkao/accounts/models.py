"""Users, their role assignments and one-time SMS codes.

ID and mobile numbers are personal data: stored SM4-encrypted with an SM3
HMAC blind index for lookup and uniqueness (accounts/crypto.py). Read them
through the properties; set them with set_id_number / set_phone.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.utils import timezone

from gongkao.accounts import crypto
from gongkao.accounts.idnumbers import mask_id_number, parse_id_number
from gongkao.core.sms import mask_phone
from gongkao.organizations.models import ExamOffice, Unit


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, username: str, password: str | None = None, **extra: Any
    ) -> User:
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, username: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("name", username)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class Sex(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    username = models.CharField(
        "用户名",
        max_length=60,
        unique=True,
        help_text="工作人员可用用户名登录；申报人用手机号或公民身份号码登录。",
    )
    name = models.CharField("姓名", max_length=50)
    phone_encrypted = models.TextField("手机号（密文）", blank=True, editable=False)
    phone_index = models.CharField(
        "手机号索引", max_length=64, unique=True, null=True, blank=True, editable=False
    )
    id_number_encrypted = models.TextField(
        "公民身份号码（密文）", blank=True, editable=False
    )
    id_number_index = models.CharField(
        "公民身份号码索引",
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    birth_date = models.DateField("出生日期", null=True, blank=True, editable=False)
    sex = models.CharField(
        "性别", max_length=1, choices=Sex.choices, blank=True, editable=False
    )
    is_active = models.BooleanField("有效", default=True)
    is_staff = models.BooleanField("可进入后台", default=False)
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    date_joined = models.DateTimeField("注册时间", default=timezone.now)
    # Notice 3.2: the applicant answers for the truth of what they submit;
    # the time they ticked the pledge at registration is the evidence.
    pledged_at = models.DateTimeField("真实性承诺时间", null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.username

    def set_phone(self, phone: str) -> None:
        self.phone_encrypted = crypto.encrypt(phone)
        self.phone_index = crypto.blind_index(phone)

    def set_id_number(self, id_number: str) -> None:
        """Store the ID number and the birth date and sex it encodes."""
        parsed = parse_id_number(id_number)
        self.id_number_encrypted = crypto.encrypt(parsed.value)
        self.id_number_index = crypto.blind_index(parsed.value)
        self.birth_date = parsed.birth_date
        self.sex = parsed.sex

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted) if self.phone_encrypted else ""

    @property
    def id_number(self) -> str:
        return (
            crypto.decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""
        )

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class Role(models.TextChoices):
    APPLICANT = "applicant", "申报人"
    UNIT_CLERK = "unit_clerk", "单位经办人"
    DEPARTMENT_REVIEWER = "department_reviewer", "主管部门审核人"
    OFFICE_REVIEWER = "office_reviewer", "工考办审查人员"
    OFFICE_ADMIN = "office_admin", "工考办管理员"
    PROCTOR = "proctor", "监考人员"
    QUESTION_BANK = "question_bank", "题库管理人员"
    EXPERT = "expert", "评审专家"
    SYSTEM_ADMIN = "system_admin", "系统管理员"


ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.APPLICANT: "实名注册的工勤技能人员：填写申报信息、上传材料、提交申报、查看进度。",
    Role.UNIT_CLERK: "单位人事部门经办人：逐项审核本单位申报人员，报送名单和名册表。",
    Role.DEPARTMENT_REVIEWER: "主管部门：审核所属单位的申报，并在名册表上盖章。",
    Role.OFFICE_REVIEWER: "工考管理机构审查人员：对辖区单位申报进行资格审查和现场审查确认。",
    Role.OFFICE_ADMIN: "工考管理机构管理员：维护辖区单位、为单位开通账号、设置考务参数。",
    Role.PROCTOR: "监考人员：在考场门口核验准考证和身份证，登记到场，处理迟到。",
    Role.QUESTION_BANK: "题库管理人员：维护本机构题库（导入、审核、导出试题），制定组卷规则，考前生成试卷。",
    Role.EXPERT: "评审专家：查阅本人所在评审组的一级申报人材料，评分并投票。",
    Role.SYSTEM_ADMIN: "系统管理员：维护区划、工考管理机构、年度考务和工种目录。",
}
UNIT_ROLES = frozenset({Role.UNIT_CLERK, Role.DEPARTMENT_REVIEWER})
OFFICE_ROLES = frozenset({Role.OFFICE_REVIEWER, Role.OFFICE_ADMIN})


class RoleAssignment(models.Model):
    """A user holds a role, scoped to a unit or an exam office where it needs one."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name="用户",
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="单位",
    )
    office = models.ForeignKey(
        ExamOffice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="工考管理机构",
    )
    granted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="授权人",
    )
    granted_at = models.DateTimeField("授权时间", default=timezone.now)

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        ordering = ["user_id", "id"]
        # Staff by role (who reviews for a department) among a province's
        # applicant rows.
        indexes = [models.Index(fields=["role", "unit"], name="role_assignment_role")]
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    # Literal lists in 0001's order: list(frozenset) varies
                    # with PYTHONHASHSEED and makes makemigrations flaky.
                    models.Q(
                        role__in=[Role.UNIT_CLERK, Role.DEPARTMENT_REVIEWER],
                        unit__isnull=False,
                        office__isnull=True,
                    )
                    | models.Q(
                        role__in=[Role.OFFICE_ADMIN, Role.OFFICE_REVIEWER],
                        unit__isnull=True,
                        office__isnull=False,
                    )
                    # A proctor works for the office that runs the exam.
                    | models.Q(
                        role=Role.PROCTOR, unit__isnull=True, office__isnull=False
                    )
                    # Question-bank staff keep their own office's bank.
                    | models.Q(
                        role=Role.QUESTION_BANK,
                        unit__isnull=True,
                        office__isnull=False,
                    )
                    # An expert sits on the panels of the office keeping its pool.
                    | models.Q(
                        role=Role.EXPERT, unit__isnull=True, office__isnull=False
                    )
                    | models.Q(
                        role__in=[Role.APPLICANT, Role.SYSTEM_ADMIN],
                        unit__isnull=True,
                        office__isnull=True,
                    )
                ),
            ),
            # Three partial constraints, as SQLite has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=models.Q(unit__isnull=False),
                name="role_assignment_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "office"],
                condition=models.Q(office__isnull=False),
                name="role_assignment_unique_office",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(unit__isnull=True, office__isnull=True),
                name="role_assignment_unique_unscoped",
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit or self.office
        return f"{self.get_role_display()}" + (f"（{scope}）" if scope else "")

    @property
    def description(self) -> str:
        return ROLE_DESCRIPTIONS[self.role]


class SmsCode(models.Model):
    """A one-time code sent by SMS; only its hash is kept."""

    class Purpose(models.TextChoices):
        REGISTER = "register", "实名注册"
        RESET_PASSWORD = "reset_password", "重置密码"

    phone_index = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class LoginThrottle(models.Model):
    """Failed logins of one account or one address, counted in a fixed window.

    The window opens at the first failure and lasts LOGIN_WINDOW_MINUTES; the
    failure that reaches the limit locks until LOGIN_LOCKOUT_MINUTES later,
    and attempts during the lock are refused without being counted, so they
    never extend it (accounts/lockout.py). `key` is a keyed SM3 HMAC: no
    phone, ID number or address is stored in clear.
    """

    class Kind(models.TextChoices):
        ACCOUNT = "account", "账号"
        ADDRESS = "address", "网络地址"

    # A keyed hash: never copied into an audit row (core.services.is_secret_field).
    AUDIT_EXCLUDE = ("key",)

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    key = models.CharField("键（密钥散列）", max_length=64, unique=True)
    window_started_at = models.DateTimeField("计数开始时间")
    failures = models.PositiveIntegerField("失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "登录失败计数"
        verbose_name_plural = "登录失败计数"
        ordering = ["-window_started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.failures}次"


class TrustedNetwork(models.Model):
    """An address range an exam office registers for its exam rooms.

    Many candidates log in from one address there, so the per-address
    throttle does not count its failures; each account is still locked on
    its own.
    """

    office = models.ForeignKey(
        ExamOffice,
        on_delete=models.CASCADE,
        related_name="trusted_networks",
        verbose_name="工考管理机构",
    )
    cidr = models.CharField(
        "地址段", max_length=50, help_text="如 10.12.3.0/24，或单个地址 10.12.3.8"
    )
    note = models.CharField("说明", max_length=100, help_text="如：焦作一中考点3号机房")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "考场网络地址"
        verbose_name_plural = "考场网络地址"
        ordering = ["office_id", "cidr"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "cidr"], name="trusted_network_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cidr}（{self.note}）"
