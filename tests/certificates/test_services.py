"""Issuing, reissue, revocation, the holder's profile and the cycle: next
year's eligibility reads the issued certificate."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection

from gongkao.applications.models import HeldCertificate
from gongkao.certificates import numbering, queries, services
from gongkao.certificates.models import Certificate, CertificateCounter
from gongkao.core.models import AuditEvent
from gongkao.results.models import Publication
from tests import factories
from tests.results.conftest import aware

pytestmark = pytest.mark.django_db

ISSUED = aware(date(2025, 12, 1))


def issue(final: Publication, admin, **kw) -> list[Certificate]:
    return services.issue(final, by=admin, now=ISSUED, **kw)


def test_issue_numbers_everyone_without_gaps_and_writes_their_profile(past, final):
    made = issue(final, past.admin)
    assert len(made) == 2
    seqs = [int(c.number[-7:-1]) for c in made]
    assert seqs == [1, 2]
    assert all(numbering.is_well_formed(c.number) for c in made)
    assert all(c.cert_date == date(2025, 11, 21) for c in made)  # the period's end
    held = HeldCertificate.objects.get(
        profile__user=past.seats[0].application.applicant
    )
    assert (held.number, held.issued, held.level) == (made[0].number, True, 4)
    assert len({c.token for c in made}) == 2 and all(len(c.token) == 16 for c in made)
    assert AuditEvent.objects.filter(after__action="issued").exists()
    with pytest.raises(services.Refused, match="没有待颁发"):
        issue(final, past.admin)


def test_issue_waits_for_the_end_of_the_period(past, final):
    with pytest.raises(services.Refused, match="公示期满"):
        services.issue(final, by=past.admin, now=aware(date(2025, 11, 20)))


def test_one_date_for_the_whole_campaign(past, final):
    services.save_settings(
        past.campaign,
        pattern=numbering.DEFAULT_PATTERN,
        cert_date=date(2025, 12, 18),
        layout="full",
        positions={},
        by=past.admin,
    )
    assert {c.cert_date for c in issue(final, past.admin)} == {date(2025, 12, 18)}


def test_the_pattern_and_date_are_fixed_once_numbers_exist(past, final):
    issue(final, past.admin)
    with pytest.raises(services.Refused, match="发证日期不能再改"):
        services.save_settings(
            past.campaign,
            pattern=numbering.DEFAULT_PATTERN,
            cert_date=date(2026, 1, 1),
            layout="full",
            positions={},
            by=past.admin,
        )
    with pytest.raises(services.Refused, match="编号格式不能再改"):
        services.save_settings(
            past.campaign,
            pattern="X{division}{seq}",
            cert_date=None,
            layout="full",
            positions={},
            by=past.admin,
        )


def test_one_unit_at_a_time(past, final, county_school):
    other = past.paper.application
    other.unit = county_school
    other.save()
    made = issue(final, past.admin, unit_id=past.seats[0].application.unit_id)
    assert [c.application for c in made] == [past.seats[0].application]
    assert [c.application for c in issue(final, past.admin)] == [other]


def test_reissue_replaces_the_number_and_the_profile_follows(past, final):
    first, _ = issue(final, past.admin)
    new = services.reissue(first, "遗失", by=past.admin)
    first.refresh_from_db()
    assert first.status == Certificate.Status.REPLACED
    assert new.replaces == first and new.number != first.number
    assert int(new.number[-7:-1]) == 3  # the office's next number, no gap
    held = HeldCertificate.objects.get(profile__user=first.application.applicant)
    assert held.number == new.number
    with pytest.raises(services.Refused, match="有效的证书"):
        services.reissue(first, "再补", by=past.admin)


def test_revocation_takes_it_off_the_profile(past, final, sms_outbox):
    first, _ = issue(final, past.admin)
    services.revoke(first, "材料不实", by=past.admin)
    first.refresh_from_db()
    assert first.status == Certificate.Status.REVOKED and first.revoked_at
    assert not HeldCertificate.objects.filter(
        profile__user=first.application.applicant
    ).exists()
    with pytest.raises(services.Refused, match="请填写原因"):
        services.revoke(first, " \x00 ", by=past.admin)


def test_next_years_eligibility_counts_from_the_issued_certificate(past, final):
    """The cycle closes: the 2026 application snapshot carries the
    certificate without the holder typing it."""
    from gongkao.applications import services as applications

    first, _ = issue(final, past.admin)
    applicant = first.application.applicant
    profile = applications.profile_for(applicant)
    certificates = list(profile.certificates.all())
    assert [(c.level, c.cert_date, c.number) for c in certificates] == [
        (4, date(2025, 11, 21), first.number)
    ]


def test_the_holder_cannot_delete_an_issued_certificate(client, past, final):
    from django.urls import reverse

    first, _ = issue(final, past.admin)
    held = first.held
    assert held is not None
    client.force_login(
        first.application.applicant,
        backend="gongkao.accounts.backends.PhoneOrIdNumberBackend",
    )
    response = client.post(
        reverse("applications:delete_item", args=["certificate", held.pk])
    )
    assert response.status_code == 404
    assert HeldCertificate.objects.filter(pk=held.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_share_one_gap_free_sequence(past, final, city_office):
    """Two offices' clerks issuing at once (two publications of one office):
    PostgreSQL's row lock on the counter keeps numbers unique and gap-free."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises whole tables; the lock is PostgreSQL's")
    second = factories.PublishedResultFactory.create(
        publication=factories.PublicationFactory.create(
            campaign=past.campaign,
            office=final.office,
            published_at=final.published_at,
            ends_on=final.ends_on,
        ),
        application=factories.ApplicationFactory.create(
            campaign=past.campaign, unit=past.seats[0].application.unit
        ),
    )
    errors: list[BaseException] = []

    def run(publication: Publication) -> None:
        try:
            services.issue(publication, by=past.admin, now=ISSUED)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(p,)) for p in (final, second.publication)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = sorted(int(c.number[-7:-1]) for c in Certificate.objects.all())
    assert seqs == [1, 2, 3]
    assert CertificateCounter.objects.get().last == 3


def test_verification_reads(past, final):
    first, second = issue(final, past.admin)
    assert queries.by_number_and_name(first.number.lower(), first.name) == first
    assert queries.by_number_and_name(first.number, second.name) is None
    assert queries.by_number_and_name("2025", first.name) is None
    assert queries.by_token(first.token) == first
    assert queries.by_token(str(first.pk)) is None
    assert queries.masked("张建国") == "张*国"
    assert queries.masked("李四") == "李*"
    assert queries.masked("欧阳娜娜") == "欧**娜"


def _numbers(rows: list[list[str]]) -> bytes:
    lines = ["准考证号,姓名,证书编号"] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def test_numbers_from_the_province_are_imported_all_or_nothing(past, final):
    services.save_settings(
        past.campaign,
        pattern=numbering.DEFAULT_PATTERN,
        cert_date=None,
        layout="full",
        positions={},
        numbers_from_province=True,
        by=past.admin,
    )
    with pytest.raises(services.Refused, match="由省里分配"):
        issue(final, past.admin)
    first = past.tickets[0]
    name = first.application.applicant.name
    paper = past.paper
    paper_name = paper.application.applicant.name
    with pytest.raises(services.ImportRefused) as refused:
        services.import_numbers(
            final,
            _numbers(
                [
                    [first.number, name, "HN2025-0001"],
                    [paper.number, "别人", "HN2025-0002"],
                    [past.tickets[1].number, "x", "HN2025-0003"],
                    [paper.number, paper_name, "HN2025-0001"],
                ]
            ),
            "n.csv",
            by=past.admin,
            now=ISSUED,
        )
    assert refused.value.errors == [
        "第3行：姓名与准考证号不符。",
        f"第4行：准考证号{past.tickets[1].number}不是本公示中待颁发证书的人员。",
        "第5行：证书编号HN2025-0001在文件中重复。",
    ]
    assert not Certificate.objects.exists()
    made = services.import_numbers(
        final,
        _numbers(
            [
                [first.number, name, "hn2025-0001"],
                [paper.number, paper_name, "HN2025-0002"],
            ]
        ),
        "n.csv",
        by=past.admin,
        now=ISSUED,
    )
    assert [c.number for c in made] == ["HN2025-0001", "HN2025-0002"]
    assert CertificateCounter.objects.get().last == 0  # locked, never counted
    assert HeldCertificate.objects.filter(number="HN2025-0001", issued=True).exists()
