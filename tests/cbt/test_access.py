"""A room restricted to its PCs and, optionally, to Safe Exam Browser."""

from __future__ import annotations

import hashlib

import pytest
from django.test import RequestFactory
from django.urls import reverse

from gongkao.accounts.models import RoleAssignment
from gongkao.cbt import access, services
from gongkao.cbt.models import RoomAccess
from tests.cbt.conftest import BACKEND

pytestmark = pytest.mark.django_db


def test_addresses_and_the_seb_key(world, office_reviewer):
    room = world.seats[0].room
    factory = RequestFactory()
    assert access.refusal(factory.get("/cbt/state/"), room.pk) == ""
    services.save_room_access(
        room, "10.12.3.0/24\n\n192.168.1.8", "", by=office_reviewer
    )
    inside = factory.get("/cbt/state/", REMOTE_ADDR="10.12.3.77")
    outside = factory.get("/cbt/state/", REMOTE_ADDR="10.12.4.1")
    assert access.refusal(inside, room.pk) == ""
    assert "不是本考场的考试机" in access.refusal(outside, room.pk)
    assert access.refusal(factory.get("/", REMOTE_ADDR="192.168.1.8"), room.pk) == ""
    services.save_room_access(room, "", "secret-key", by=office_reviewer)
    request = factory.get("/cbt/state/")
    good = hashlib.sha256(
        (request.build_absolute_uri() + "secret-key").encode()
    ).hexdigest()
    assert "Safe Exam Browser" in access.refusal(request, room.pk)
    signed = factory.get("/cbt/state/", HTTP_X_SAFEEXAMBROWSER_CONFIGKEYHASH=good)
    assert access.refusal(signed, room.pk) == ""
    with pytest.raises(ValueError, match="第2行"):
        services.save_room_access(
            room, "10.0.0.0/8\nnot-an-address", "", by=office_reviewer
        )


def test_the_office_page(client, world, office_reviewer, county_admin):
    room = world.seats[0].room
    client.force_login(office_reviewer, backend=BACKEND)
    assignment = RoleAssignment.objects.get(user=office_reviewer)
    url = (
        reverse("cbt:room_access", args=[assignment.pk, room.pk])
        + f"?campaign={world.campaign.pk}"
    )
    assert client.get(url).status_code == 200
    response = client.post(url, {"networks": "10.1.1.300", "seb_config_key": ""})
    assert "不是地址或地址段" in response.content.decode()
    assert (
        client.post(url, {"networks": "10.1.1.0/24", "seb_config_key": ""}).status_code
        == 302
    )
    assert RoomAccess.objects.get(room=room).networks == "10.1.1.0/24"
    client.force_login(county_admin, backend=BACKEND)
    other = RoleAssignment.objects.get(user=county_admin)
    assert (
        client.get(
            reverse("cbt:room_access", args=[other.pk, room.pk])
            + f"?campaign={world.campaign.pk}"
        ).status_code
        == 404
    )
