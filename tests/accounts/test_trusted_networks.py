"""The office administrator's page of exam-room networks (TrustedNetwork):
scoped to the office, audited, bad ranges refused in Chinese."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkao.accounts.models import TrustedNetwork
from gongkao.core.models import AuditEvent
from tests.factories import TrustedNetworkFactory, assignment_of

pytestmark = pytest.mark.django_db


def _page(user):
    return reverse("trusted_networks", args=[assignment_of(user).pk])


def test_office_admin_registers_and_removes_a_network(client, office_admin):
    client.force_login(office_admin)
    response = client.post(
        _page(office_admin),
        {"cidr": "10.12.3.7/24", "note": "一中3号机房"},
        follow=True,
    )
    network = TrustedNetwork.objects.get()
    assert (network.office, network.cidr) == (
        assignment_of(office_admin).office,
        "10.12.3.0/24",
    )
    assert "10.12.3.0/24" in response.content.decode()
    created = AuditEvent.objects.get(action=AuditEvent.Action.CONFIG_CREATED)
    assert created.actor_id == office_admin.pk
    remove = reverse(
        "remove_trusted_network", args=[assignment_of(office_admin).pk, network.pk]
    )
    assert client.post(remove).status_code == 302
    assert not TrustedNetwork.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CONFIG_DELETED).exists()


@pytest.mark.parametrize(
    ("cidr", "message"),
    [
        ("not-an-address", "请填写IP地址或地址段"),
        ("10.0.0.0/8", "地址段过大"),
        ("2001:db8::/32", "地址段过大"),
        ("10.1\x002.0/24", ""),
        ("1" * 100_000, ""),
    ],
)
def test_bad_ranges_are_refused(client, office_admin, cidr, message):
    client.force_login(office_admin)
    response = client.post(_page(office_admin), {"cidr": cidr, "note": "机房"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TrustedNetwork.objects.exists()


def test_a_range_twice_is_refused(client, office_admin):
    client.force_login(office_admin)
    client.post(_page(office_admin), {"cidr": "10.12.3.0/24", "note": "机房"})
    response = client.post(_page(office_admin), {"cidr": "10.12.3.9/24", "note": "又"})
    assert "该地址段已登记" in response.content.decode()
    assert TrustedNetwork.objects.count() == 1


def test_another_office_sees_and_removes_nothing(client, office_admin, county_admin):
    theirs = TrustedNetworkFactory(office=assignment_of(office_admin).office)
    client.force_login(county_admin)
    page = client.get(_page(county_admin))
    assert theirs.cidr not in page.content.decode()
    remove = reverse(
        "remove_trusted_network", args=[assignment_of(county_admin).pk, theirs.pk]
    )
    assert client.post(remove).status_code == 404
    assert TrustedNetwork.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    "persona", ["office_reviewer", "clerk", "applicant", "system_admin"]
)
def test_other_roles_have_no_such_page(client, request, persona, office_admin):
    network = TrustedNetworkFactory(office=assignment_of(office_admin).office)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    own = assignment_of(user).pk
    assert client.get(reverse("trusted_networks", args=[own])).status_code == 404
    # Nor through the admin's own assignment id.
    theirs = assignment_of(office_admin).pk
    assert client.get(reverse("trusted_networks", args=[theirs])).status_code == 404
    remove = reverse("remove_trusted_network", args=[theirs, network.pk])
    assert client.post(remove).status_code == 404
    assert TrustedNetwork.objects.exists()
