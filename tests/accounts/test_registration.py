from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gongkao.accounts.models import Role, RoleAssignment, SmsCode, User
from gongkao.core.models import AuditEvent
from tests.factories import UserFactory, make_id_number

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")
SEND_CODE = reverse("accounts:register_send_code")
PHONE = "13912345678"
ID_NUMBER = make_id_number("19700315", seq=12, sex="F")
PASSWORD = "Xin-mima-2025"


def _send_code(client, sms_outbox, phone=PHONE):
    client.post(REGISTER, {"phone": phone, "send_code": "1"})
    sent_to, message = sms_outbox[-1]
    assert sent_to == phone
    return re.search(r"验证码为(\d{6})", message).group(1)


def _register(client, **changes):
    data = {
        "name": "李秀兰",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "code": "000000",
        "new_password1": PASSWORD,
        "new_password2": PASSWORD,
        "pledge": "on",
    }
    data.update(changes)
    return client.post(REGISTER, {k: v for k, v in data.items() if v is not None})


def _wrong(code):
    return "111111" if code != "111111" else "222222"


@pytest.fixture
def holder():
    """An applicant who registered earlier with ID_NUMBER and 13700000021."""
    return UserFactory(name="李秀兰", phone="13700000021", id_number=ID_NUMBER)


def test_register_page_asks_fields_in_order(client):
    html = client.get(REGISTER).content.decode()
    labels = [
        "姓名",
        "公民身份号码",
        "手机号",
        "获取验证码",
        "短信验证码",
        "密码",
        "再次输入密码",
        "本人承诺",
        ">注册<",
    ]
    positions = [html.index(label, html.index("<form")) for label in labels]
    assert positions == sorted(positions)
    assert "出生日期</label>" not in html
    assert "性别</label>" not in html


def test_login_page_links_to_registration(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{REGISTER}"' in html
    assert "没有账号？实名注册" in html


def test_register_creates_logged_in_applicant(client, sms_outbox):
    code = _send_code(client, sms_outbox)
    before = timezone.now()

    response = _register(client, code=code, id_number=ID_NUMBER.lower())

    assert response.status_code == 302
    assert response.url == reverse("home")
    user = User.objects.get()
    assert user.username.startswith("app-")
    assert user.name == "李秀兰"
    assert user.id_number == ID_NUMBER
    assert user.phone == PHONE
    assert ID_NUMBER not in user.id_number_encrypted
    assert PHONE not in user.phone_encrypted
    assert user.birth_date == date(1970, 3, 15)
    assert user.sex == User.Sex.FEMALE
    assert user.check_password(PASSWORD)
    assert before <= user.pledged_at <= timezone.now()
    assert list(RoleAssignment.objects.values_list("user", "role")) == [
        (user.pk, Role.APPLICANT)
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.USER_REGISTERED)
    assert event.target_id == str(user.pk)
    assert event.actor_id == user.pk
    assert event.after["phone"] == "139****5678"
    assert ID_NUMBER not in str(event.after)
    assert response.wsgi_request.user == user
    home = client.get(reverse("home"), follow=True)
    assert "申报人" in home.content.decode()
    assert "注册成功" in home.content.decode()


def test_registered_applicant_can_log_in_with_id_number(client, sms_outbox):
    _register(client, code=_send_code(client, sms_outbox))
    client.post(reverse("accounts:logout"))

    response = client.post(
        reverse("accounts:login"), {"username": ID_NUMBER, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


def test_register_duplicate_id_number_shows_recovery(client, sms_outbox, holder):
    code = _send_code(client, sms_outbox)

    response = _register(client, code=code)

    assert response.status_code == 200
    html = response.content.decode()
    assert "该公民身份号码已经注册过账号" in html
    assert "137****0021" in html
    assert f'href="{reverse("accounts:password_reset")}"' in html
    assert User.objects.count() == 1


def test_register_duplicate_phone_is_refused(client, sms_outbox):
    UserFactory(phone=PHONE)
    code = _send_code(client, sms_outbox)

    response = _register(client, code=code)

    assert response.status_code == 200
    html = response.content.decode()
    assert "该手机号已被其他账号使用" in html
    assert f'href="{reverse("accounts:login")}"' in html
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        (ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1"), "校验位不正确"),
        ("410802700315121", "不支持15位旧身份证号码"),
        ("41080219700231121X", "出生日期不存在"),
    ],
    ids=["check-digit", "15-digit", "no-such-date"],
)
def test_register_bad_id_number_keeps_values(client, sms_outbox, id_number, message):
    code = _send_code(client, sms_outbox)

    response = _register(client, code=code, id_number=id_number)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'class="field has-error"' in html
    assert f'value="{id_number}"' in html
    assert 'value="李秀兰"' in html
    assert f'value="{PHONE}"' in html
    assert f'value="{code}"' in html
    assert PASSWORD not in html
    assert User.objects.count() == 0
    # The code is not spent on a form that was refused anyway.
    assert SmsCode.objects.get().used_at is None


def test_register_wrong_sms_code(client, sms_outbox):
    code = _send_code(client, sms_outbox)

    response = _register(client, code=_wrong(code))

    html = response.content.decode()
    assert "验证码不正确" in html
    assert 'value="李秀兰"' in html
    assert User.objects.count() == 0


def test_register_expired_sms_code(client, sms_outbox):
    code = _send_code(client, sms_outbox)

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = _register(client, code=code)

    assert "验证码已失效，请重新获取" in response.content.decode()
    assert User.objects.count() == 0


def test_register_code_is_locked_after_five_wrong_guesses(client, sms_outbox):
    code = _send_code(client, sms_outbox)
    for _ in range(5):
        _register(client, code=_wrong(code))

    response = _register(client, code=code)

    assert "验证码错误次数过多" in response.content.decode()
    assert User.objects.count() == 0


def test_register_without_pledge_is_refused(client, sms_outbox):
    code = _send_code(client, sms_outbox)

    response = _register(client, code=code, pledge=None)

    assert "请阅读并勾选真实性承诺" in response.content.decode()
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("password2", "message"),
    [("Other-mima-2025", "两次输入的密码不一致"), ("", "请再输入一次密码")],
)
def test_register_password_mismatch(client, sms_outbox, password2, message):
    code = _send_code(client, sms_outbox)

    response = _register(client, code=code, new_password2=password2)

    html = response.content.decode()
    assert message in html
    assert PASSWORD not in html
    assert User.objects.count() == 0


def test_register_weak_password_gets_chinese_reason(client, sms_outbox):
    code = _send_code(client, sms_outbox)

    response = _register(
        client, code=code, new_password1="12345678", new_password2="12345678"
    )

    html = response.content.decode()
    assert "这个密码太常见了" in html
    assert "密码只包含数字" in html
    assert User.objects.count() == 0


def test_send_code_without_js_rerenders_page_with_values(client, sms_outbox):
    response = client.post(
        REGISTER,
        {
            "name": "李秀兰",
            "id_number": ID_NUMBER,
            "phone": "139 1234 5678",
            "new_password1": PASSWORD,
            "pledge": "on",
            "send_code": "1",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "验证码已发送至139****5678，10分钟内有效" in html
    assert 'value="李秀兰"' in html
    assert f'value="{ID_NUMBER}"' in html
    assert 'id="id_pledge" checked' in html
    assert PASSWORD not in html
    # Fields not filled yet are not flagged as errors.
    assert "has-error" not in html
    assert len(sms_outbox) == 1


def test_send_code_second_request_within_a_minute_is_rate_limited(client, sms_outbox):
    _send_code(client, sms_outbox)

    response = client.post(REGISTER, {"phone": PHONE, "send_code": "1"})

    html = response.content.decode()
    assert "验证码已发送，请60秒后再试" in html
    assert 'class="code-status error"' in html
    assert len(sms_outbox) == 1


def test_send_code_htmx_returns_fragment(client, sms_outbox):
    response = client.post(SEND_CODE, {"phone": PHONE}, HTTP_HX_REQUEST="true")

    html = response.content.decode().strip()
    assert response.status_code == 200
    assert html == (
        '<p class="code-status ok">验证码已发送至139****5678，10分钟内有效。</p>'
    )
    assert len(sms_outbox) == 1


@pytest.mark.parametrize(
    ("phone", "message"),
    [("", "请填写手机号。"), ("1391234", "请输入11位手机号码。")],
)
def test_send_code_htmx_bad_phone(client, sms_outbox, phone, message):
    response = client.post(SEND_CODE, {"phone": phone}, HTTP_HX_REQUEST="true")

    assert response.content.decode().strip() == (
        f'<p class="code-status error">{message}</p>'
    )
    assert sms_outbox == []


def test_send_code_endpoint_without_htmx_returns_whole_page(client, sms_outbox):
    response = client.post(SEND_CODE, {"phone": PHONE, "name": "李秀兰"})

    html = response.content.decode()
    assert "<html" in html
    assert "验证码已发送至139****5678" in html
    assert 'value="李秀兰"' in html


def test_send_code_endpoint_refuses_get(client):
    assert client.get(SEND_CODE).status_code == 405


def test_register_page_sends_logged_in_user_home(client):
    user = UserFactory()
    client.force_login(user, backend="gongkao.accounts.backends.PhoneOrIdNumberBackend")

    response = client.get(REGISTER)

    assert response.status_code == 302
    assert response.url == reverse("home")
