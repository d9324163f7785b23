"""The certificate pages: the office's (scoped; a foreign certificate is a
404 for every other role), the PDF (photo, QR code to /verify/, fonts), and
the public verification (no ID number, the same answer for a wrong name and
a wrong number, the rate limit, no list)."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from gongkao.certificates import services
from gongkao.certificates.models import Certificate, CertificateSettings
from tests import factories
from tests.results.conftest import aware

pytestmark = pytest.mark.django_db

BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


@pytest.fixture
def issued(past, final) -> list[Certificate]:
    return services.issue(final, by=past.admin, now=aware(date(2025, 12, 1)))


def url(user, name, *args):
    a = factories.assignment_of(user)
    return reverse(f"certificates:{name}", args=[a.pk, *args])


def test_office_pages_and_the_certificate_pdf(
    client, past, issued, tmp_path, screenshot_dir
):
    client.force_login(past.admin, backend=BACKEND)
    q = f"?campaign={past.campaign.pk}"
    page = client.get(url(past.admin, "overview") + q).content.decode()
    assert issued[0].number in page and issued[1].number in page
    assert client.get(url(past.admin, "settings") + q).status_code == 200
    found = client.get(url(past.admin, "overview") + q + f"&q={issued[0].name}")
    assert issued[0].number in found.content.decode()
    response = client.get(url(past.admin, "pdf", issued[0].pk) + q)
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(response.content)
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True
    ).stdout
    assert "NotoSerifCJK" in fonts
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(tmp_path / "p.png")
    image.save(screenshot_dir / "certificate-page.png")
    codes = [c.text for c in zxingcpp.read_barcodes(image)]
    assert codes == [f"http://127.0.0.1:8000/verify/{issued[0].token}/"]


def test_a_unit_prints_its_certificates_in_one_pdf_job(
    client, past, issued, django_capture_on_commit_callbacks
):
    client.force_login(past.admin, backend=BACKEND)
    q = f"?campaign={past.campaign.pk}"
    unit = past.seats[0].application.unit_id
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(past.admin, "unit_pdf", unit) + q)
    assert response.status_code == 302
    from gongkao.core.models import BackgroundJob

    job = BackgroundJob.objects.get()
    assert job.state == BackgroundJob.State.DONE, job.error
    assert job.result_name.endswith(".pdf") and job.done == 2


def test_reissue_and_revoke_from_the_page(client, past, issued):
    client.force_login(past.admin, backend=BACKEND)
    q = f"?campaign={past.campaign.pk}"
    client.post(url(past.admin, "act", issued[0].pk, "reissue") + q, {"reason": "遗失"})
    client.post(url(past.admin, "act", issued[1].pk, "revoke") + q, {"reason": "\x00"})
    issued[1].refresh_from_db()
    assert issued[1].status == Certificate.Status.VALID  # NUL refused
    client.post(
        url(past.admin, "act", issued[1].pk, "revoke") + q, {"reason": "材料不实"}
    )
    statuses = dict(Certificate.objects.values_list("pk", "status"))
    assert statuses[issued[0].pk] == "replaced" and statuses[issued[1].pk] == "revoked"
    assert Certificate.objects.filter(status="valid").count() == 1
    assert client.get(url(past.admin, "pdf", issued[1].pk) + q).status_code == 404


def test_foreign_certificates_are_404_for_every_other_role(
    client, past, issued, county_admin, clerk
):
    q = f"?campaign={past.campaign.pk}"
    first = issued[0]
    for user in (county_admin, clerk, first.application.applicant):
        client.force_login(user, backend=BACKEND)
        a = factories.assignment_of(user)
        for name, args in [("overview", []), ("pdf", [first.pk])]:
            target = reverse(f"certificates:{name}", args=[a.pk, *args]) + q
            assert client.get(target).status_code == 404, (user, name)
        revoke = reverse("certificates:act", args=[a.pk, first.pk, "revoke"]) + q
        assert client.post(revoke, {"reason": "x"}).status_code == 404
    first.refresh_from_db()
    assert first.status == Certificate.Status.VALID


def _result(response) -> str:
    text: str = response.content.decode()
    start = text.index('id="verify-result"')
    return text[start : text.index("</section>", start)]


def test_public_verification(client, past, issued):
    first, second = issued
    services.revoke(second, "材料不实", by=past.admin)
    verify = reverse("certificates:verify")
    ok = _result(client.post(verify, {"number": first.number, "name": first.name}))
    assert "证书有效" in ok and first.job_type_name in ok
    applicant = first.application.applicant
    assert applicant.id_number not in ok and first.name not in ok
    assert first.name[0] + "*" in ok
    wrong_name = _result(client.post(verify, {"number": first.number, "name": "某某"}))
    wrong_number = _result(
        client.post(verify, {"number": "20254108004000099X", "name": first.name})
    )
    assert wrong_name == wrong_number and "未查到" in wrong_name
    by_qr = client.get(reverse("certificates:verify_token", args=[second.token]))
    # The status only: the office's reason may name personal matters.
    assert "证书已撤销" in by_qr.content.decode()
    assert "材料不实" not in by_qr.content.decode()
    assert (
        client.get(reverse("certificates:verify_token", args=["\x00" * 16])).status_code
        == 404
    )
    assert (
        client.get(reverse("certificates:verify_token", args=["nope"])).status_code
        == 404
    )
    for _ in range(20):
        client.post(verify, {"number": first.number, "name": first.name})
    limited = client.post(verify, {"number": first.number, "name": first.name})
    assert "查询过于频繁" in limited.content.decode()
    assert "证书有效" not in limited.content.decode()


def test_the_preprinted_layout_is_positioned_by_settings(
    client, past, issued, tmp_path
):
    client.force_login(past.admin, backend=BACKEND)
    q = f"?campaign={past.campaign.pk}"
    target = url(past.admin, "settings") + q
    bad = client.post(
        target,
        {
            "pattern": "{year}{division}{level}{seq:06d}",
            "layout": "preprinted",
            "positions": "name 500 1",
        },
    )
    assert "超出A4" in bad.content.decode()
    saved = client.post(
        target,
        {
            "pattern": "{year}{division}{level}{seq:06d}",
            "layout": "preprinted",
            "positions": "name 150 70\nnumber 150 150",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[-3000:]
    settings = CertificateSettings.objects.get(campaign=past.campaign)
    assert settings.layout == "preprinted"
    assert settings.positions == {"name": [150.0, 70.0], "number": [150.0, 150.0]}
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(client.get(url(past.admin, "pdf", issued[0].pk) + q).content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert issued[0].name in text and "工勤技能岗位等级证书" not in text


def test_only_the_city_office_sets_the_numbering(client, past, county_admin):
    past.campaign.exams_run_by_city = False
    past.campaign.save()
    client.force_login(county_admin, backend=BACKEND)
    q = f"?campaign={past.campaign.pk}"
    assert client.get(url(county_admin, "overview") + q).status_code == 200
    assert client.get(url(county_admin, "settings") + q).status_code == 404
