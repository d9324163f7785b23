"""Turn an applicant's profile and application into the engine's record.

The record is exactly the exchange format of shared/spec/eligibility-batch.md,
so what the web app checks and what an office checks in bulk are the same.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gongkao.applications.models import ApplicantProfile, Application, JobTypeChange
from gongkao.eligibility import (
    ApplicantRecord,
    Policy,
    RecordError,
    Result,
    evaluate,
)

# Fields the engine needs and the page that collects each, with its label.
MISSING_FIELDS = {
    "birth_date": ("basic", "出生日期（由公民身份号码得出）"),
    "gender": ("basic", "性别（由公民身份号码得出）"),
    "employment": ("basic", "用工性质"),
    "work_start_date": ("basic", "参加工作时间"),
    "education": ("basic", "最高文化程度"),
    "applied_level": ("application", "申报等级"),
    "applied_job_type": ("application", "申报工种"),
}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def build_record(profile: ApplicantProfile, application: Application) -> dict[str, Any]:
    user = profile.user
    reviews: dict[str, str] = {}
    party_years = []
    for review in profile.annual_reviews.all():
        reviews[str(review.year)] = review.result
        if review.excellent_party_member:
            party_years.append(review.year)
    change = application.job_type_change
    return {
        "id": str(application.pk),
        "gender": user.sex or None,
        "birth_date": _iso(user.birth_date),
        "retirement_group": profile.retirement_group or None,
        "retired": profile.retired,
        "employment": profile.employment or None,
        "work_start_date": _iso(profile.work_start_date),
        "regularized_date": _iso(profile.regularized_date),
        "education": profile.education or None,
        "certificates": [
            {
                "level": c.level,
                "job_type": c.job_type_name,
                "cert_date": c.cert_date.isoformat(),
            }
            for c in profile.certificates.all()
        ],
        "appointed_level": profile.appointed_level,
        "applied_level": application.level,
        "applied_job_type": application.job_type.name if application.job_type else None,
        "job_type_change": None if change == JobTypeChange.NONE else change,
        "annual_reviews": reviews,
        "excellent_party_member_years": party_years,
        "honors": [
            {
                "kind": h.kind,
                "level": h.level,
                "date": h.date.isoformat(),
                **({"rank": h.rank} if h.rank else {}),
            }
            for h in profile.honors.all()
        ],
        "patents": [
            {
                "kind": p.kind,
                "rank": p.rank,
                "date": p.date.isoformat(),
                "related": p.related,
            }
            for p in profile.patents.all()
        ],
        "under_investigation": profile.under_investigation,
        "sanction_until": _iso(profile.sanction_until),
        "professional_technical": profile.professional_technical,
    }


def missing_fields(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(section, label) of every field the engine needs that is still empty."""
    return [
        where for key, where in MISSING_FIELDS.items() if record.get(key) in (None, "")
    ]


def check_record(record: dict[str, Any], policy: Policy, as_of: date) -> Result | None:
    """The engine's result, or None while required fields are missing."""
    if missing_fields(record):
        return None
    try:
        parsed = ApplicantRecord.from_json(record)
    except RecordError:
        return None
    return evaluate(parsed, policy, as_of=as_of)


def result_lines(result: Result | None, policy: Policy | None) -> list[dict[str, str]]:
    """Each explanation line with its state (passed, failed, manual) and the
    notice's words for its clause, for the self-check and the quick check."""
    if result is None or policy is None:
        return []
    lines = []
    for text in result.explanation:
        clause = text.split(" ", 1)[0]
        state = (
            "failed"
            if clause in result.failed
            else "manual"
            if clause in result.manual_review
            else "passed"
        )
        lines.append(
            {
                "clause": clause,
                "text": text,
                "state": state,
                "notice": policy.clause_text(clause),
            }
        )
    return lines
