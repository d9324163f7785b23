"""Certificates in the browser (issue #19, "Done when"): the office issues
certificates to those who passed; the certificate PDF is rendered to PNG and
its QR code decodes to /verify/…; an anonymous visitor sees it valid there;
a revoked one shows as revoked; the holder's next-year application shows it
as held without typing it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import time_machine
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, expect

from gongkao.certificates.models import Certificate
from tests import factories
from tests.certificates.conftest import final  # noqa: F401  (fixture)
from tests.e2e.test_results_browser import PC, PHONE, _account, _login
from tests.pdfs import first_page_png
from tests.results.conftest import Past, past  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_certificates_end_to_end(
    live_server,
    browser: Browser,
    past: Past,  # noqa: F811
    final,  # noqa: F811
    screenshot_dir: Path,
):
    url = live_server.url
    admin_login = _account(past.admin, "13700000001")
    holder = past.seats[0].application.applicant
    holder_login = _account(holder, "13700000003")

    with time_machine.travel(
        datetime.fromisoformat("2025-12-01 10:00+08:00"), tick=True
    ):
        office = _login(browser, url, admin_login, PC)
        office.get_by_role("link", name="等级证书").click()
        expect(office.locator("main")).to_contain_text("待颁发")
        office.get_by_role("button", name="为全部待颁发人员颁发证书").click()
        expect(office.locator(".messages")).to_contain_text("已颁发2本证书")
        office.screenshot(
            path=screenshot_dir / "certificates-office.png", full_page=True
        )
        mine = Certificate.objects.get(application__applicant=holder)
        row = office.get_by_role("row").filter(has_text=mine.number)
        pdf = office.request.get(
            f"{url}{row.get_by_role('link', name='打印').get_attribute('href')}"
        )
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        other = Certificate.objects.exclude(pk=mine.pk).get()
        revoke = office.get_by_role("row").filter(has_text=other.number)
        revoke.get_by_text("补发或撤销").click()
        revoke.get_by_label("撤销原因").fill("经核查业绩材料不实")
        revoke.get_by_role("button", name="撤销证书").click()
        expect(office.locator(".messages")).to_contain_text("已撤销")

    path = screenshot_dir / "certificate.pdf"
    path.write_bytes(pdf.body())
    png = first_page_png(path, dpi=150)
    codes = [c.text for c in zxingcpp.read_barcodes(Image.open(png))]
    assert len(codes) == 1 and f"/verify/{mine.token}/" in codes[0]

    # Anyone: the QR code's page, then the form for the revoked one.
    public = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    public.goto(url + codes[0].split("8000", 1)[1])
    expect(public.locator("#verify-result")).to_contain_text("证书有效")
    expect(public.locator("#verify-result")).not_to_contain_text(holder.name)
    expect(public.locator("#verify-result")).not_to_contain_text(holder.id_number)
    public.screenshot(path=screenshot_dir / "certificates-verify.png", full_page=True)
    public.get_by_label("证书编号").fill(other.number)
    public.get_by_label("持证人姓名").fill(other.name)
    public.get_by_role("button", name="核验").click()
    expect(public.locator("#verify-result")).to_contain_text("证书已撤销")

    # Next year: the holder's 2026 application already holds it.
    factories.CampaignFactory.create(
        year=2026, division=past.campaign.division, policy_id=past.campaign.policy_id
    )
    with time_machine.travel(
        datetime.fromisoformat("2026-03-20 10:00+08:00"), tick=True
    ):
        page = _login(browser, url, holder_login, PHONE)
        page.goto(f"{url}/apply/certificates/")
        expect(page.locator("main")).to_contain_text(mine.number)
        expect(page.locator("main")).to_contain_text("考核系统颁发")
        page.screenshot(
            path=screenshot_dir / "certificates-next-year.png", full_page=True
        )
