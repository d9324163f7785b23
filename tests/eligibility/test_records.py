"""Parsing the exchange format: defaults, strict errors naming the field."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

import pytest

from gongkao.eligibility import ApplicantRecord, RecordError, Result

from .builders import applicant, cert, check, honor, level1_applicant, patent


def test_record_from_json_defaults_absent_optional_fields() -> None:
    record = ApplicantRecord.from_json(
        {
            "id": "x",
            "gender": "M",
            "birth_date": "1980-01-01",
            "work_start_date": "2000-01-01",
            "education": "bachelor",
            "employment": "formal",
            "applied_level": 5,
            "applied_job_type": "电工",
            "regularized_date": None,
            "certificates": None,
        }
    )

    assert record.retired is False
    assert record.regularized_date is None
    assert record.certificates == ()
    assert record.appointed_level is None
    assert record.job_type_change is None
    assert record.annual_reviews == {}
    assert record.honors == ()
    assert record.patents == ()
    assert record.sanction_until is None
    assert record.under_investigation is False
    assert record.professional_technical is False


@pytest.mark.parametrize(
    ("gender", "group", "expected"),
    [
        ("M", None, "male_60"),
        ("F", None, "female_50"),
        ("F", "female_55", "female_55"),
    ],
)
def test_record_retirement_group_defaults_by_gender(
    gender: str, group: str | None, expected: str
) -> None:
    record = ApplicantRecord.from_json(applicant(gender=gender, retirement_group=group))

    assert record.retirement_group == expected


def test_record_annual_review_null_means_absent() -> None:
    record = ApplicantRecord.from_json(
        applicant(annual_reviews={"2020": None, "2021": "competent"})
    )

    assert record.annual_reviews == {2021: "competent"}


def _without(key: str) -> dict[str, Any]:
    record = applicant()
    del record[key]
    return record


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (_without("id"), "id"),
        (_without("gender"), "gender"),
        (_without("birth_date"), "birth_date"),
        (_without("work_start_date"), "work_start_date"),
        (_without("education"), "education"),
        (_without("employment"), "employment"),
        (_without("applied_level"), "applied_level"),
        (_without("applied_job_type"), "applied_job_type"),
        (applicant(id=7), "id"),
        (applicant(id=""), "id"),
        (applicant(gender="male"), "gender"),
        (applicant(retirement_group="male_65"), "retirement_group"),
        (applicant(birth_date="2025-02-30"), "birth_date"),
        (applicant(birth_date="19850615"), "birth_date"),
        (applicant(birth_date="1985-6-15"), "birth_date"),
        (applicant(work_start_date=20100701), "work_start_date"),
        (applicant(regularized_date="2011-13-01"), "regularized_date"),
        (applicant(education="college"), "education"),
        (applicant(employment=1), "employment"),
        (applicant(applied_level=0), "applied_level"),
        (applicant(applied_level=6), "applied_level"),
        (applicant(applied_level="4"), "applied_level"),
        (applicant(applied_level=4.0), "applied_level"),
        (applicant(applied_level=True), "applied_level"),
        (applicant(retired="no"), "retired"),
        (applicant(appointed_level=9), "appointed_level"),
        (applicant(job_type_change="promotion"), "job_type_change"),
        (applicant(certificates={"level": 5}), "certificates"),
        (applicant(certificates=["5"]), "certificates[0]"),
        (applicant(certificates=[cert(6, "2015-01-01")]), "certificates[0].level"),
        (
            applicant(certificates=[cert(5, "2015-01-01"), cert(4, "2015-02-29")]),
            "certificates[1].cert_date",
        ),
        (
            applicant(certificates=[cert(5, "2015-01-01", "")]),
            "certificates[0].job_type",
        ),
        (applicant(annual_reviews=[]), "annual_reviews"),
        (applicant(annual_reviews={"20x0": "excellent"}), "annual_reviews"),
        (applicant(annual_reviews={"2020": "good"}), "annual_reviews.2020"),
        (
            applicant(excellent_party_member_years=["2020"]),
            "excellent_party_member_years[0]",
        ),
        (applicant(honors=[honor("medal", "city", "2020-01-01")]), "honors[0].kind"),
        (
            applicant(honors=[honor("labor_model", None, "2020-01-01")]),
            "honors[0].level",
        ),
        (
            applicant(honors=[honor("labor_model", "town", "2020-01-01")]),
            "honors[0].level",
        ),
        (
            applicant(honors=[honor("competition", "city", "2020-01-01", 0)]),
            "honors[0].rank",
        ),
        (applicant(honors=[honor("labor_model", "city", "")]), "honors[0].date"),
        (applicant(patents=[patent("design", 1, "2020-01-01")]), "patents[0].kind"),
        (applicant(patents=[patent("invention", 0, "2020-01-01")]), "patents[0].rank"),
        (
            applicant(patents=[{**patent("invention", 1, "2020-01-01"), "related": 1}]),
            "patents[0].related",
        ),
        (applicant(under_investigation="false"), "under_investigation"),
        (applicant(sanction_until="soon"), "sanction_until"),
        (applicant(professional_technical=0), "professional_technical"),
        ([applicant()], "(整行)"),
    ],
)
def test_record_from_json_rejects_invalid(record: Any, field: str) -> None:
    with pytest.raises(RecordError) as raised:
        ApplicantRecord.from_json(record)

    assert raised.value.field_name == field
    where = "" if field == "(整行)" else f"字段 {field}："
    assert str(raised.value).startswith(where)
    assert "，实际为 " in str(raised.value) or "缺少必填字段" in str(raised.value)


def test_record_special_talent_needs_no_level() -> None:
    record = ApplicantRecord.from_json(
        applicant(honors=[honor("special_talent", None, "2020-01-01")])
    )

    assert record.honors[0].level is None


def test_record_round_trip_to_json() -> None:
    data = level1_applicant(
        honors=[honor("competition", "city", "2020-01-01", 2)],
        patents=[patent("invention", 3, "2021-01-01")],
        excellent_party_member_years=[2021],
        sanction_until="2020-01-01",
        job_type_change="reform",
    )
    record = ApplicantRecord.from_json(data)

    again = ApplicantRecord.from_json(json.loads(json.dumps(record.to_json())))

    assert again == record
    assert again.birth_date == date(1975, 3, 10)


def test_result_round_trip_to_json() -> None:
    result = check(level1_applicant())

    again = Result.from_json(json.loads(json.dumps(result.to_json())))

    assert again == result


def test_result_to_json_field_order_matches_spec() -> None:
    data = check(applicant()).to_json()

    assert list(data) == [
        "id",
        "eligible",
        "route",
        "failed",
        "manual_review",
        "warnings",
        "theory_exam_exempt",
        "explanation",
    ]


def test_record_from_json_sets_every_field() -> None:
    record = ApplicantRecord.from_json(applicant())

    assert set(vars(record)) == {f.name for f in dataclasses.fields(ApplicantRecord)}
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.id = "changed"  # type: ignore[misc]
