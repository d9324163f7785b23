"""Issue #12 part 2: SMS codes and initial passwords never reach a log in
production; with DEBUG on the log sender shows the text (development)."""

from __future__ import annotations

import logging
import re

import pytest

from gongkao.accounts import services
from gongkao.accounts.models import Role, SmsCode
from gongkao.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_sms_code_is_not_logged_in_production(caplog, sms_outbox, settings):
    settings.DEBUG = False
    with caplog.at_level(logging.INFO, logger="gongkao"):
        services.send_sms_code(
            "13911112222", SmsCode.Purpose.RESET_PASSWORD, request=None
        )
    code = re.search(r"验证码为(\d{6})", sms_outbox[-1][1]).group(1)
    assert "139****2222" in caplog.text
    assert code not in caplog.text
    assert "13911112222" not in caplog.text


def test_initial_password_is_not_logged_in_production(
    caplog,
    sms_outbox,
    settings,
    office_admin,
    school,
    django_capture_on_commit_callbacks,
):
    settings.DEBUG = False
    with (
        caplog.at_level(logging.INFO, logger="gongkao"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _, password = services.issue_staff_account(
            name="吴敏",
            phone="13512345678",
            role=Role.UNIT_CLERK,
            by=office_admin,
            unit=school,
        )
    assert password and password in sms_outbox[-1][1]
    assert "135****5678" in caplog.text
    assert password not in caplog.text
    for row in AuditEvent.objects.values("before", "after", "actor_label"):
        assert password not in str(row)


def test_debug_log_shows_the_message(caplog, sms_outbox, settings):
    settings.DEBUG = True
    with caplog.at_level(logging.INFO, logger="gongkao"):
        services.send_sms_code("13911112222", SmsCode.Purpose.REGISTER, request=None)
    code = re.search(r"验证码为(\d{6})", sms_outbox[-1][1]).group(1)
    assert code in caplog.text
