"""Applicant records for the eligibility tests: a valid base plus overrides."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from gongkao.eligibility import ApplicantRecord, Policy, Result, evaluate, get_policy

POLICY = get_policy("2025-jiaozuo")
JOB = "电工"
OTHER_JOB = "汽车驾驶员"


def cert(level: int, cert_date: str, job_type: str = JOB) -> dict[str, Any]:
    return {"level": level, "job_type": job_type, "cert_date": cert_date}


def honor(
    kind: str, level: str | None, on: str, rank: int | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": kind, "level": level, "date": on}
    if rank is not None:
        data["rank"] = rank
    return data


def patent(kind: str, rank: int, on: str, related: bool = True) -> dict[str, Any]:
    return {"kind": kind, "rank": rank, "date": on, "related": related}


GOOD_REVIEWS = {
    "2020": "excellent",
    "2021": "competent",
    "2022": "excellent",
    "2023": "competent",
    "2024": "competent",
}


def applicant(**overrides: Any) -> dict[str, Any]:
    """A man of 40 applying for level 4 with a level-5 certificate held 10 years.

    Eligible by the regular route; each test changes only what it is about.
    """
    record: dict[str, Any] = {
        "id": "P1",
        "gender": "M",
        "birth_date": "1985-06-15",
        "employment": "formal",
        "work_start_date": "2010-07-01",
        "regularized_date": "2011-07-01",
        "education": "high_school",
        "certificates": [cert(5, "2015-06-01")],
        "applied_level": 4,
        "applied_job_type": JOB,
    }
    record.update(overrides)
    return record


def level1_applicant(**overrides: Any) -> dict[str, Any]:
    """A level-2 holder for 8 years, appointed to level 2, 30 years of work."""
    record = applicant(
        applied_level=1,
        birth_date="1975-03-10",
        work_start_date="1995-07-01",
        certificates=[cert(3, "2010-05-01"), cert(2, "2017-05-01")],
        appointed_level=2,
        annual_reviews=dict(GOOD_REVIEWS),
    )
    record.update(overrides)
    return record


def level2_applicant(**overrides: Any) -> dict[str, Any]:
    """A level-3 holder for 7 years applying for level 2."""
    record = applicant(
        applied_level=2,
        birth_date="1980-03-10",
        work_start_date="2000-07-01",
        certificates=[cert(4, "2012-05-01"), cert(3, "2018-05-01")],
    )
    record.update(overrides)
    return record


def check(
    record: dict[str, Any], policy: Policy = POLICY, as_of: date | None = None
) -> Result:
    return evaluate(ApplicantRecord.from_json(record), policy, as_of=as_of)


def explanation_for(result: Result, clause: str) -> list[str]:
    return [line for line in result.explanation if line.startswith(f"{clause} ")]


# Hypothesis: valid records covering every field, for property tests.
_iso_dates = st.dates(date(1960, 1, 1), date(2026, 12, 31)).map(date.isoformat)
_jobs = st.sampled_from([JOB, OTHER_JOB])
_certificates = st.fixed_dictionaries(
    {
        "level": st.integers(1, 5),
        "job_type": _jobs,
        "cert_date": _iso_dates,
    }
)
_honors = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(
            [
                "labor_model",
                "may_day_medal",
                "technical_expert",
                "competition",
                "commendation",
                "department_commendation",
                "special_talent",
            ]
        ),
        "level": st.sampled_from(["national", "provincial", "city", "county"]),
        "date": _iso_dates,
    },
    optional={"rank": st.integers(1, 6)},
)
_patents = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["invention", "utility_model"]),
        "rank": st.integers(1, 8),
        "date": _iso_dates,
        "related": st.booleans(),
    }
)
_ratings = st.sampled_from(
    ["excellent", "competent", "basic", "incompetent", "pending"]
)

records = st.fixed_dictionaries(
    {
        "id": st.text(min_size=1, max_size=8),
        "gender": st.sampled_from(["M", "F"]),
        "birth_date": st.dates(date(1960, 1, 1), date(2005, 12, 31)).map(
            date.isoformat
        ),
        "work_start_date": st.dates(date(1978, 1, 1), date(2025, 12, 31)).map(
            date.isoformat
        ),
        "education": st.sampled_from(
            [
                "primary",
                "junior_middle",
                "high_school",
                "secondary_vocational",
                "technical_school",
                "junior_college",
                "bachelor",
                "master",
                "doctor",
            ]
        ),
        "employment": st.sampled_from(["formal", "contract", "临时"]),
        "applied_level": st.integers(1, 5),
        "applied_job_type": _jobs,
    },
    optional={
        "retirement_group": st.sampled_from(["male_60", "female_55", "female_50"]),
        "retired": st.booleans(),
        "regularized_date": st.none() | _iso_dates,
        "certificates": st.lists(_certificates, max_size=5),
        "appointed_level": st.none() | st.integers(1, 5),
        "job_type_change": st.sampled_from([None, "voluntary", "reform"]),
        "annual_reviews": st.dictionaries(
            st.integers(2018, 2025).map(str), _ratings, max_size=7
        ),
        "excellent_party_member_years": st.lists(st.integers(2018, 2025), max_size=3),
        "honors": st.lists(_honors, max_size=4),
        "patents": st.lists(_patents, max_size=4),
        "under_investigation": st.booleans(),
        "sanction_until": st.none() | _iso_dates,
        "professional_technical": st.booleans(),
    },
)
