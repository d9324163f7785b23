"""Deterministic synthetic rosters for the benchmark and the golden-output test.

`synthetic_record` is what bench/eligibility.py times (mostly valid records,
every level and route); `varied_line` perturbs it further (other retirement
groups, party-member years, special talents, patents, bad fields and bad JSON)
so that the golden test also pins error messages and rarer explanation lines.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta

JOB_TYPES = ["汽车驾驶员", "电工", "炊事员", "水工", "绿化工", "保安员", "收费员"]
EDUCATIONS = [
    "primary",
    "junior_middle",
    "high_school",
    "secondary_vocational",
    "technical_school",
    "junior_college",
    "bachelor",
    "master",
]
RATINGS = ["excellent", "competent", "competent", "competent", "basic", "pending"]
HONOR_KINDS = [
    "labor_model",
    "may_day_medal",
    "technical_expert",
    "competition",
    "commendation",
    "department_commendation",
    "special_talent",
]
HONOR_LEVELS = ["national", "provincial", "city", "county"]


def _day(rng: random.Random, first: int, last: int) -> date:
    start = date(first, 1, 1)
    return start + timedelta(days=rng.randrange((date(last, 12, 31) - start).days))


def synthetic_record(rng: random.Random, index: int) -> dict[str, object]:
    """A plausible applicant: mostly valid, every route and level represented."""
    gender = rng.choice("MF")
    birth = _day(rng, 1962, 2003)
    work_start = min(_day(rng, birth.year + 17, birth.year + 30), date(2025, 6, 1))
    level = rng.choice([5, 5, 4, 4, 4, 3, 3, 2, 1])
    job = rng.choice(JOB_TYPES)
    certificates = []
    day = work_start + timedelta(days=365 * rng.randint(1, 4))
    for held in range(5, level, -1):
        if rng.random() < 0.9 and day < date(2025, 12, 1):
            other = rng.random() < 0.1
            certificates.append(
                {
                    "level": held,
                    "job_type": rng.choice(JOB_TYPES) if other else job,
                    "cert_date": day.isoformat(),
                }
            )
        day += timedelta(days=365 * rng.randint(3, 7))
    record: dict[str, object] = {
        "id": f"B{index:07d}",
        "gender": gender,
        "birth_date": birth.isoformat(),
        "employment": rng.choice(["formal"] * 8 + ["contract", "临时"]),
        "work_start_date": work_start.isoformat(),
        "regularized_date": (work_start + timedelta(days=365)).isoformat(),
        "education": rng.choice(EDUCATIONS),
        "certificates": certificates,
        "applied_level": level,
        "applied_job_type": job,
    }
    if level <= 2:
        record["appointed_level"] = 2 if rng.random() < 0.8 else 3
        record["annual_reviews"] = {
            str(year): rng.choice(RATINGS) for year in range(2020, 2025)
        }
    if rng.random() < 0.15:
        record["honors"] = [
            {
                "kind": rng.choice(HONOR_KINDS),
                "level": rng.choice(HONOR_LEVELS),
                "date": _day(rng, 2010, 2025).isoformat(),
                "rank": rng.randint(1, 5),
            }
        ]
    if rng.random() < 0.05:
        record["patents"] = [
            {
                "kind": "utility_model",
                "rank": rng.randint(1, 8),
                "date": _day(rng, 2010, 2025).isoformat(),
                "related": True,
            }
        ]
    if rng.random() < 0.05:
        record["job_type_change"] = rng.choice(["voluntary", "reform"])
    if rng.random() < 0.02:
        record["sanction_until"] = _day(rng, 2023, 2026).isoformat()
    if rng.random() < 0.01:
        record["under_investigation"] = True
    return record


def bench_lines(n: int, seed: int) -> Iterator[str]:
    """The benchmark's roster: one JSON line (no newline) per record."""
    rng = random.Random(seed)
    for index in range(n):
        yield json.dumps(synthetic_record(rng, index), ensure_ascii=False)


# Field values that make a line an error line, one per validator.
_BAD_FIELDS: list[tuple[str, object]] = [
    ("gender", "X"),
    ("birth_date", "2025-02-30"),
    ("birth_date", "20250228"),
    ("work_start_date", None),
    ("education", "kindergarten"),
    ("employment", ""),
    ("applied_level", 6),
    ("applied_level", True),
    ("applied_level", 4.0),
    ("applied_job_type", 7),
    ("id", ["x"]),
    ("retirement_group", "male_65"),
    ("retired", "yes"),
    ("regularized_date", "2025-13-01"),
    ("certificates", {"level": 5}),
    ("certificates", [{"level": 0, "job_type": "电工", "cert_date": "2020-01-01"}]),
    ("certificates", ["x" * 60]),
    ("appointed_level", "2"),
    ("job_type_change", "forced"),
    ("annual_reviews", {"20x1": "excellent"}),
    ("annual_reviews", {"2021": "great"}),
    ("annual_reviews", []),
    ("excellent_party_member_years", [2021, 0]),
    ("honors", [{"kind": "medal", "level": "city", "date": "2020-01-01"}]),
    (
        "honors",
        [{"kind": "competition", "level": "city", "date": "2020-01-01", "rank": 0}],
    ),
    ("patents", [{"kind": "design", "rank": 1, "date": "2020-01-01"}]),
    ("patents", [{"kind": "invention", "rank": 1, "date": "2020-01-01", "related": 1}]),
    ("under_investigation", 0),
    ("sanction_until", 20250101),
    ("professional_technical", "true"),
]
_BAD_LINES = ["", "   ", "{not json", "[1, 2, 3]", "null", '"text"', "{}", "1" * 5000]


def varied_line(rng: random.Random, index: int) -> str:
    """A bench record with rarer fields, or (about 1 in 12) a bad line."""
    record = synthetic_record(rng, index)
    roll = rng.random()
    if roll < 0.02:
        return rng.choice(_BAD_LINES)
    if roll < 0.08:
        key, value = rng.choice(_BAD_FIELDS)
        record[key] = value
        return json.dumps(record, ensure_ascii=False)
    if rng.random() < 0.3:
        record["retirement_group"] = rng.choice(["male_60", "female_55", "female_50"])
    if rng.random() < 0.05:
        record["retired"] = True
    if rng.random() < 0.2:
        record["excellent_party_member_years"] = rng.sample(range(2018, 2026), 2)
    if rng.random() < 0.1:
        record["professional_technical"] = True
    if rng.random() < 0.15:
        record["appointed_level"] = rng.choice([1, 2, 3, None])
    if rng.random() < 0.15:
        record["regularized_date"] = rng.choice(
            [None, "2025-09-30", "2025-10-01", _day(rng, 2000, 2026).isoformat()]
        )
    if rng.random() < 0.2:
        record["honors"] = [
            {
                "kind": rng.choice(HONOR_KINDS),
                "level": rng.choice([*HONOR_LEVELS, None]),
                "date": _day(rng, 2005, 2025).isoformat(),
            }
            for _ in range(rng.randint(1, 3))
        ]
        for honor in record["honors"]:  # type: ignore[attr-defined]
            if honor["level"] is None:
                honor["kind"] = "special_talent"
            if rng.random() < 0.5:
                honor["rank"] = rng.randint(1, 4)
    if rng.random() < 0.1:
        record["patents"] = [
            {
                "kind": rng.choice(["invention", "utility_model"]),
                "rank": rng.randint(1, 7),
                "date": _day(rng, 2005, 2025).isoformat(),
                "related": rng.random() < 0.8,
            }
            for _ in range(rng.randint(1, 3))
        ]
    if rng.random() < 0.1:
        record["job_type_change"] = rng.choice(["voluntary", "reform", None])
    certificates = record["certificates"]
    assert isinstance(certificates, list)
    if certificates and rng.random() < 0.1:  # same level in a new job type
        record["job_type_change"] = "voluntary"
        record["applied_level"] = min(cert["level"] for cert in certificates)
        record["appointed_level"] = rng.choice([1, 2, 3])
        record["annual_reviews"] = {
            str(year): "excellent" for year in range(2020, 2025)
        }
    if rng.random() < 0.05:
        record["sanction_until"] = rng.choice(
            ["2025-02-27", "2025-02-28", "2025-06-30"]
        )
    if record["applied_level"] in (1, 2) and rng.random() < 0.3:
        reviews = record.setdefault("annual_reviews", {})
        assert isinstance(reviews, dict)
        reviews[str(rng.randint(2018, 2025))] = rng.choice(
            [*RATINGS, "incompetent", None]
        )
    if rng.random() < 0.05:
        record["id"] = rng.choice(["甲乙", "\ud800", 'a"b\\c\n', "😀"])
    escape = rng.random() < 0.1 or record["id"] == "\ud800"  # a lone surrogate
    return json.dumps(record, ensure_ascii=escape)


def varied_lines(n: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    for index in range(n):
        yield varied_line(rng, index)
