# Records in, results out: the batch exchange format (spec/eligibility-batch.md)
# as frozen dataclasses, with strict parsing so a bad line becomes an error line.
from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

GENDERS = frozenset({"M", "F"})
RETIREMENT_GROUPS = frozenset({"male_60", "female_55", "female_50"})
DEFAULT_RETIREMENT_GROUP = {"M": "male_60", "F": "female_50"}
EDUCATIONS = frozenset(
    {
        "primary",
        "junior_middle",
        "high_school",
        "secondary_vocational",
        "technical_school",
        "junior_college",
        "bachelor",
        "master",
        "doctor",
    }
)
JOB_TYPE_CHANGES = frozenset({"voluntary", "reform"})
REVIEW_RATINGS = frozenset(
    {"excellent", "competent", "basic", "incompetent", "pending"}
)
HONOR_KINDS = frozenset(
    {
        "labor_model",
        "may_day_medal",
        "technical_expert",
        "competition",
        "commendation",
        "department_commendation",
        "special_talent",
    }
)
HONOR_LEVELS = frozenset({"national", "provincial", "city", "county"})
PATENT_KINDS = frozenset({"invention", "utility_model"})

# Large enough for any real roster; bounds keep garbage from reaching the rules.
_MAX_RANK = 1000


WHOLE_LINE = "(整行)"
_NO_YEARS: frozenset[int] = frozenset()  # field name of an error about the line itself


class RecordError(ValueError):
    """The line cannot be evaluated; the message names the field, in Chinese."""

    def __init__(self, field_name: str, detail: str) -> None:
        where = "" if field_name == WHOLE_LINE else f"字段 {field_name}："
        super().__init__(where + detail)
        self.field_name = field_name
        self.detail = detail

    def within(self, prefix: str) -> RecordError:
        """The same error for a field nested in list item `prefix`."""
        name = f"{prefix}.{self.field_name}" if self.field_name else prefix
        return RecordError(name, self.detail)


def _show(value: object) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _invalid(value: object, key: str, expected: str) -> RecordError:
    # Validators see None only for required fields: optional ones are tested first.
    if value is None:
        return RecordError(key, "缺少必填字段")
    return RecordError(key, f"{expected}，实际为 {_show(value)}")


def _text(value: object, key: str) -> str:
    if type(value) is str and value:
        return value
    raise _invalid(value, key, "须为非空字符串")


def _choice(value: object, key: str, allowed: frozenset[str]) -> str:
    if type(value) is str and value in allowed:
        return value
    raise _invalid(value, key, f"取值无效（可选：{'、'.join(sorted(allowed))}）")


def _date(value: object, key: str) -> date:
    # Only YYYY-MM-DD: date.fromisoformat alone would also take 20250228 or 2025-W09.
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _invalid(value, key, "须为存在的日期，格式 YYYY-MM-DD")


def _int(value: object, key: str, low: int, high: int) -> int:
    # type() rather than isinstance(): JSON true must not pass as 1.
    if type(value) is int and low <= value <= high:
        return value
    raise _invalid(value, key, f"须为 {low} 到 {high} 之间的整数")


def _flag(value: object, key: str) -> bool:
    """An optional bool: None (absent) is false."""
    if value is None:
        return False
    if value is True or value is False:
        return value
    raise _invalid(value, key, "须为 true 或 false")


def _items(obj: dict[str, object], key: str) -> list[object]:
    value = obj.get(key)
    if value is None:
        return []
    if type(value) is list:
        return value
    raise _invalid(value, key, "须为数组")


def _object(value: object, key: str) -> dict[str, object]:
    if type(value) is dict:
        return value
    # key "" = a list item; _parse_items() prefixes the item's position.
    raise _invalid(value, key, "须为对象")


_Item = TypeVar("_Item")
_Record = TypeVar("_Record")


def _build(cls: type[_Record], fields: dict[str, object]) -> _Record:
    """Instantiate a frozen dataclass from validated fields, bypassing __init__.

    The generated frozen __init__ calls object.__setattr__ once per field,
    which for a 21-field record was a fifth of the parsing time of a line.
    `fields` must name every field: from_json builds it, the tests compare it.
    It becomes the instance's __dict__ as it is, so it must be a fresh dict.
    """
    instance = cls.__new__(cls)
    object.__setattr__(instance, "__dict__", fields)  # no copy
    return instance


def _parse_items(
    raw: object, key: str, parse: Callable[[object], _Item]
) -> tuple[_Item, ...]:
    if raw is None or raw == []:
        return ()
    if type(raw) is not list:
        raise _invalid(raw, key, "须为数组")
    try:
        return tuple(map(parse, raw))
    except RecordError:
        pass
    # Find the item to name only on failure: no per-item work on the hot path.
    for index, value in enumerate(raw):
        try:
            parse(value)
        except RecordError as error:
            raise error.within(f"{key}[{index}]") from None
    raise AssertionError("unreachable: parse failed above")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class HeldCertificate:
    level: int
    job_type: str
    cert_date: date

    @classmethod
    def from_json(cls, value: object) -> HeldCertificate:
        obj = _object(value, "")
        return cls(
            _int(obj.get("level"), "level", 1, 5),
            _text(obj.get("job_type"), "job_type"),
            _date(obj.get("cert_date"), "cert_date"),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "level": self.level,
            "job_type": self.job_type,
            "cert_date": self.cert_date.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Honor:
    kind: str
    level: str | None  # None only for special_talent: 行业认可 has no level
    date: date
    rank: int | None = None  # competition prizes only: 1, 2, 3, 4+ (lower prizes)

    @classmethod
    def from_json(cls, value: object) -> Honor:
        obj = _object(value, "")
        kind = _choice(obj.get("kind"), "kind", HONOR_KINDS)
        raw_level = obj.get("level")
        level = (
            None
            if raw_level is None and kind == "special_talent"
            else _choice(raw_level, "level", HONOR_LEVELS)
        )
        raw_rank = obj.get("rank")
        rank = None if raw_rank is None else _int(raw_rank, "rank", 1, _MAX_RANK)
        return cls(kind, level, _date(obj.get("date"), "date"), rank)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "kind": self.kind,
            "level": self.level,
            "date": self.date.isoformat(),
        }
        if self.rank is not None:
            data["rank"] = self.rank
        return data


@dataclass(frozen=True, slots=True)
class Patent:
    kind: str
    rank: int  # position among the inventors
    date: date
    related: bool  # related to the applied job type

    @classmethod
    def from_json(cls, value: object) -> Patent:
        obj = _object(value, "")
        return cls(
            _choice(obj.get("kind"), "kind", PATENT_KINDS),
            _int(obj.get("rank"), "rank", 1, _MAX_RANK),
            _date(obj.get("date"), "date"),
            _flag(obj.get("related"), "related"),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "rank": self.rank,
            "date": self.date.isoformat(),
            "related": self.related,
        }


@dataclass(frozen=True)  # no slots: from_json fills __dict__ directly
class ApplicantRecord:
    """One applicant as the batch spec describes it; defaults are the spec's."""

    id: str
    gender: str
    birth_date: date
    work_start_date: date
    education: str
    employment: str
    applied_level: int
    applied_job_type: str
    retirement_group: str = ""  # "" = the gender's default, resolved in __post_init__
    retired: bool = False
    regularized_date: date | None = None
    certificates: tuple[HeldCertificate, ...] = ()
    appointed_level: int | None = None
    job_type_change: str | None = None
    # A dict keeps year lookups cheap; hash=False keeps the dataclass hashable-safe.
    annual_reviews: dict[int, str] = field(default_factory=dict, hash=False)
    excellent_party_member_years: frozenset[int] = frozenset()
    honors: tuple[Honor, ...] = ()
    patents: tuple[Patent, ...] = ()
    under_investigation: bool = False
    sanction_until: date | None = None
    professional_technical: bool = False

    def __post_init__(self) -> None:
        if not self.retirement_group:
            group = DEFAULT_RETIREMENT_GROUP.get(self.gender, "male_60")
            object.__setattr__(self, "retirement_group", group)

    @classmethod
    def from_json(cls, data: object) -> ApplicantRecord:
        """Parse one decoded JSON line; raise RecordError naming the bad field."""
        if type(data) is not dict:
            raise _invalid(data, WHOLE_LINE, "每行须为一个 JSON 对象")
        obj: dict[str, object] = data
        get = obj.get
        gender = _choice(get("gender"), "gender", GENDERS)
        raw_group = get("retirement_group")
        group = (
            DEFAULT_RETIREMENT_GROUP[gender]
            if raw_group is None
            else _choice(raw_group, "retirement_group", RETIREMENT_GROUPS)
        )
        # Optional fields are mostly absent: test for None before calling a
        # validator (the fields are still validated in the same order, so the
        # first bad field is the one reported).
        fields = {
            "id": _text(get("id"), "id"),
            "gender": gender,
            "birth_date": _date(get("birth_date"), "birth_date"),
            "work_start_date": _date(get("work_start_date"), "work_start_date"),
            "education": _choice(get("education"), "education", EDUCATIONS),
            "employment": _text(get("employment"), "employment"),
            "applied_level": _int(get("applied_level"), "applied_level", 1, 5),
            "applied_job_type": _text(get("applied_job_type"), "applied_job_type"),
            "retirement_group": group,
            "retired": False
            if (raw := get("retired")) is None
            else _flag(raw, "retired"),
            "regularized_date": (
                None
                if (raw := get("regularized_date")) is None
                else _date(raw, "regularized_date")
            ),
            "certificates": (
                ()
                if (raw := get("certificates")) is None
                else _parse_items(raw, "certificates", HeldCertificate.from_json)
            ),
            "appointed_level": (
                None
                if (raw := get("appointed_level")) is None
                else _int(raw, "appointed_level", 1, 5)
            ),
            "job_type_change": (
                None
                if (raw := get("job_type_change")) is None
                else _choice(raw, "job_type_change", JOB_TYPE_CHANGES)
            ),
            "annual_reviews": (
                {} if (raw := get("annual_reviews")) is None else _annual_reviews(raw)
            ),
            "excellent_party_member_years": (
                _NO_YEARS
                if (raw := get("excellent_party_member_years")) is None
                else frozenset(_parse_items(raw, "excellent_party_member_years", _year))
            ),
            "honors": (
                ()
                if (raw := get("honors")) is None
                else _parse_items(raw, "honors", Honor.from_json)
            ),
            "patents": (
                ()
                if (raw := get("patents")) is None
                else _parse_items(raw, "patents", Patent.from_json)
            ),
            "under_investigation": (
                False
                if (raw := get("under_investigation")) is None
                else _flag(raw, "under_investigation")
            ),
            "sanction_until": (
                None
                if (raw := get("sanction_until")) is None
                else _date(raw, "sanction_until")
            ),
            "professional_technical": (
                False
                if (raw := get("professional_technical")) is None
                else _flag(raw, "professional_technical")
            ),
        }
        return _build(cls, fields)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "gender": self.gender,
            "birth_date": self.birth_date.isoformat(),
            "retirement_group": self.retirement_group,
            "retired": self.retired,
            "employment": self.employment,
            "work_start_date": self.work_start_date.isoformat(),
            "regularized_date": _iso(self.regularized_date),
            "education": self.education,
            "certificates": [c.to_json() for c in self.certificates],
            "appointed_level": self.appointed_level,
            "applied_level": self.applied_level,
            "applied_job_type": self.applied_job_type,
            "job_type_change": self.job_type_change,
            "annual_reviews": {
                str(year): rating
                for year, rating in sorted(self.annual_reviews.items())
            },
            "excellent_party_member_years": sorted(self.excellent_party_member_years),
            "honors": [h.to_json() for h in self.honors],
            "patents": [p.to_json() for p in self.patents],
            "under_investigation": self.under_investigation,
            "sanction_until": _iso(self.sanction_until),
            "professional_technical": self.professional_technical,
        }


def _year(value: object) -> int:
    if type(value) is int and 1 <= value <= 9999:
        return value
    raise _invalid(value, "", "须为年份整数")


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _annual_reviews(value: object) -> dict[int, str]:
    obj = _object(value, "annual_reviews")
    reviews: dict[int, str] = {}
    for key, rating in obj.items():
        if not (len(key) == 4 and key.isascii() and key.isdigit()):
            raise _invalid(key, "annual_reviews", "年份须为四位数字")
        if rating is not None:  # null = absent, as for every optional field
            reviews[int(key)] = _choice(rating, f"annual_reviews.{key}", REVIEW_RATINGS)
    return reviews


@dataclass(frozen=True, slots=True)
class Result:
    """The evaluation of one record: what the CLI writes and the web app shows."""

    id: str
    eligible: bool
    route: str | None
    failed: tuple[str, ...] = ()
    manual_review: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    theory_exam_exempt: bool = False
    explanation: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "eligible": self.eligible,
            "route": self.route,
            "failed": list(self.failed),
            "manual_review": list(self.manual_review),
            "warnings": list(self.warnings),
            "theory_exam_exempt": self.theory_exam_exempt,
            "explanation": list(self.explanation),
        }

    def to_json_line(self) -> str:
        """json.dumps(self.to_json(), ensure_ascii=False), built directly."""
        return result_line(
            self.id,
            (
                self.eligible,
                self.route,
                self.failed,
                self.manual_review,
                self.warnings,
                self.theory_exam_exempt,
                self.explanation,
            ),
        )

    @classmethod
    def from_json(cls, data: object) -> Result:
        obj = _object(data, WHOLE_LINE)
        route = obj.get("route")
        return cls(
            id=_text(obj.get("id"), "id"),
            eligible=_flag(obj.get("eligible"), "eligible"),
            route=None if route is None else _text(route, "route"),
            failed=_strings(obj, "failed"),
            manual_review=_strings(obj, "manual_review"),
            warnings=_strings(obj, "warnings"),
            theory_exam_exempt=_flag(
                obj.get("theory_exam_exempt"), "theory_exam_exempt"
            ),
            explanation=_strings(obj, "explanation"),
        )


def _strings(obj: dict[str, object], key: str) -> tuple[str, ...]:
    return tuple(
        _text(item, f"{key}[{index}]") for index, item in enumerate(_items(obj, key))
    )


# A Result's fields after the id, as evaluate() computes them: eligible, route,
# failed, manual_review, warnings, theory_exam_exempt, explanation.
Outcome = tuple[
    bool,
    str | None,
    tuple[str, ...],
    tuple[str, ...],
    tuple[str, ...],
    bool,
    tuple[str, ...],
]

# What json.dumps(..., ensure_ascii=False) writes for a str (C, in CPython).
_quote = json.encoder.encode_basestring


def result_line(record_id: str, outcome: Outcome) -> str:
    """The JSON text of Result(record_id, *outcome).to_json(), as json.dumps
    (ensure_ascii=False, default separators) writes it, byte for byte.

    The batch CLI writes one per line: this skips the dict and the encoder's
    generic walk over it. test_result_line_matches_json_dumps holds the two
    together.
    """
    eligible, route, failed, manual, warnings, exempt, explanation = outcome
    return (
        f'{{"id": {_quote(record_id)}, '
        f'"eligible": {"true" if eligible else "false"}, '
        f'"route": {"null" if route is None else _quote(route)}, '
        f'"failed": [{", ".join(map(_quote, failed))}], '
        f'"manual_review": [{", ".join(map(_quote, manual))}], '
        f'"warnings": [{", ".join(map(_quote, warnings))}], '
        f'"theory_exam_exempt": {"true" if exempt else "false"}, '
        f'"explanation": [{", ".join(map(_quote, explanation))}]}}'
    )
