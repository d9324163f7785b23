"""Read a policy from its TOML file, checking every field against the schema.

`load_policy_text(text)` returns the engine's Policy or raises PolicyFileError
listing every problem as "field: message" in Chinese, e.g.
`thresholds.level4_work_years: 须为整数`. The schema is the tables below: what
a field must be, and nothing else is accepted.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable
from datetime import date
from types import MappingProxyType
from typing import Any

from gongkao.eligibility.labels import (
    EDUCATION_NAMES,
    HONOR_KIND_NAMES,
    HONOR_LEVEL_NAMES,
)
from gongkao.eligibility.policy import (
    CONDITION_IDS,
    Clause,
    HonorRule,
    Policy,
    RetirementRule,
)

DATE_FIELDS = (
    "notice_date",
    "reference_date",
    "regularization_cutoff",
    "retirement_warning_until",
    "deferred_review_deadline",
)
THRESHOLD_FIELDS = (
    "level5_work_years_below",
    "level4_work_years",
    "level3_work_years",
    "level1_work_years",
    "years_at_level",
    "older_male_age",
    "older_female_age",
    "review_first_year",
    "review_last_year",
    "excellent_years",
    "max_competition_rank",
    "max_patent_rank",
    "inventions_needed",
    "utility_models_needed",
)
RETIREMENT_GROUPS = ("male_60", "female_55", "female_50")
RETIREMENT_FIELDS = ("base_age", "reform_start", "months_per_step", "max_extra_months")
REVIEW_RESULTS = ("excellent", "competent", "basic", "incompetent", "pending")
EXEMPTION_ITEMS = ("①", "②", "③", "④")
TOP_LEVEL = (
    "policy_id",
    "title",
    "dates",
    "thresholds",
    "education",
    "annual_reviews",
    "honors",
    "retirement",
    "conditions",
)
POLICY_ID = re.compile(r"[0-9a-z][0-9a-z-]{1,39}")
CLAUSE_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)*")
MAX_TEXT = 4000


class PolicyFileError(ValueError):
    """The file is not a valid policy; `errors` is one line per problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_policy_text(text: str) -> Policy:
    """Parse and validate a policy file's text; raise PolicyFileError."""
    if "\x00" in text:
        raise PolicyFileError(["(文件): 含有不允许的空字符"])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyFileError([f"(文件): TOML 格式错误：{error}"]) from None
    return _Reader(data).policy(content_hash(text))


class _Reader:
    """Walks the parsed file once, collecting every error before giving up."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def table(self, parent: dict[str, Any], key: str, path: str) -> dict[str, Any]:
        value = parent.get(key)
        if value is None:
            self.error(path, "缺少此项")
            return {}
        if not isinstance(value, dict):
            self.error(path, "须为表（[...]）")
            return {}
        return value

    def unknown(
        self, table: dict[str, Any], allowed: tuple[str, ...], path: str
    ) -> None:
        for key in table:
            if key not in allowed:
                self.error(f"{path}{key}", "未知字段")

    def get(
        self,
        table: dict[str, Any],
        key: str,
        path: str,
        check: Callable[[Any], str | None],
    ) -> Any:
        if key not in table:
            self.error(path, "缺少此项")
            return None
        message = check(table[key])
        if message is not None:
            self.error(path, message)
            return None
        return table[key]

    def choices(
        self, value: Any, path: str, allowed: dict[str, str] | tuple[str, ...]
    ) -> frozenset[str]:
        if not isinstance(value, list) or not value:
            self.error(path, "须为非空列表")
            return frozenset()
        for item in value:
            if item not in allowed:
                self.error(path, f"取值无效 {item!r}（可选：{'、'.join(allowed)}）")
        return frozenset(item for item in value if isinstance(item, str))

    def policy(self, digest: str) -> Policy:
        data = self.data
        self.unknown(data, TOP_LEVEL, "")
        policy_id = self.get(data, "policy_id", "policy_id", _policy_id)
        title = self.get(data, "title", "title", _text)

        dates_table = self.table(data, "dates", "dates")
        self.unknown(dates_table, DATE_FIELDS, "dates.")
        dates = {
            name: self.get(dates_table, name, f"dates.{name}", _date)
            for name in DATE_FIELDS
        }
        thresholds_table = self.table(data, "thresholds", "thresholds")
        self.unknown(thresholds_table, THRESHOLD_FIELDS, "thresholds.")
        thresholds = {
            name: self.get(thresholds_table, name, f"thresholds.{name}", _count)
            for name in THRESHOLD_FIELDS
        }
        first, last = thresholds["review_first_year"], thresholds["review_last_year"]
        if first is not None and last is not None and first > last:
            self.error("thresholds.review_last_year", "不得早于 review_first_year")

        education = self.table(data, "education", "education")
        self.unknown(education, ("required", "rule_text"), "education.")
        required = self.choices(
            education.get("required"), "education.required", tuple(EDUCATION_NAMES)
        )
        rule_text = self.get(education, "rule_text", "education.rule_text", _text)

        reviews = self.table(data, "annual_reviews", "annual_reviews")
        self.unknown(reviews, ("passing",), "annual_reviews.")
        passing = self.choices(
            reviews.get("passing"), "annual_reviews.passing", REVIEW_RESULTS
        )

        honors = self.table(data, "honors", "honors")
        self.unknown(honors, ("promotion", "exemption"), "honors.")
        promotion = self.honor_table(honors, "promotion", items=False)
        exemption = self.honor_table(honors, "exemption", items=True)

        retirement_table = self.table(data, "retirement", "retirement")
        self.unknown(retirement_table, RETIREMENT_GROUPS, "retirement.")
        retirement = {
            group: self.retirement_rule(retirement_table, group)
            for group in RETIREMENT_GROUPS
        }

        conditions_table = self.table(data, "conditions", "conditions")
        self.unknown(conditions_table, CONDITION_IDS, "conditions.")
        conditions = {key: self.clause(conditions_table, key) for key in CONDITION_IDS}

        if self.errors:
            raise PolicyFileError(self.errors)
        return Policy(
            policy_id=policy_id,
            title=title.strip(),
            **dates,
            **thresholds,
            retirement_rules=MappingProxyType(retirement),  # type: ignore[arg-type]
            required_education=required,
            education_rule_text=rule_text,
            passing_reviews=passing,
            promotion_honors=MappingProxyType(promotion),
            exemption_honors=MappingProxyType(exemption),
            conditions=MappingProxyType(conditions),  # type: ignore[arg-type]
            content_hash=digest,
        )

    def honor_table(
        self, honors: dict[str, Any], name: str, *, items: bool
    ) -> dict[str, HonorRule]:
        path = f"honors.{name}"
        table = self.table(honors, name, path)
        rules: dict[str, HonorRule] = {}
        for kind, row in table.items():
            where = f"{path}.{kind}"
            if kind not in HONOR_KIND_NAMES or kind == "special_talent":
                self.error(where, "未知的荣誉类别")
                continue
            if not isinstance(row, dict):
                self.error(where, "须为表（{ levels = [...] }）")
                continue
            allowed = ("levels", "ranked", "item") if items else ("levels", "ranked")
            self.unknown(row, allowed, f"{where}.")
            levels = self.choices(
                row.get("levels"), f"{where}.levels", tuple(HONOR_LEVEL_NAMES)
            )
            ranked = row.get("ranked", False)
            if not isinstance(ranked, bool):
                self.error(f"{where}.ranked", "须为 true 或 false")
                ranked = False
            item = ""
            if items:
                item = self.get(row, "item", f"{where}.item", _exemption_item) or ""
            rules[kind] = HonorRule(levels, ranked, item)
        return rules

    def retirement_rule(
        self, table: dict[str, Any], group: str
    ) -> RetirementRule | None:
        path = f"retirement.{group}"
        row = self.table(table, group, path)
        if not row:
            return None
        self.unknown(row, RETIREMENT_FIELDS, f"{path}.")
        values = {
            "base_age": self.get(row, "base_age", f"{path}.base_age", _positive),
            "reform_start": self.get(
                row, "reform_start", f"{path}.reform_start", _date
            ),
            "months_per_step": self.get(
                row, "months_per_step", f"{path}.months_per_step", _positive
            ),
            "max_extra_months": self.get(
                row, "max_extra_months", f"{path}.max_extra_months", _count
            ),
        }
        if None in values.values():
            return None
        return RetirementRule(**values)

    def clause(self, table: dict[str, Any], key: str) -> Clause | None:
        path = f"conditions.{key}"
        row = self.table(table, key, path)
        if not row:
            return None
        self.unknown(row, ("clause", "text"), f"{path}.")
        number = self.get(row, "clause", f"{path}.clause", _clause_number)
        text = self.get(row, "text", f"{path}.text", _text)
        if number is None or text is None:
            return None
        return Clause(number, text.strip())


def _policy_id(value: Any) -> str | None:
    if not isinstance(value, str) or not POLICY_ID.fullmatch(value):
        return "须为 2 至 40 位小写字母、数字或连字符，如 jiaozuo-draft"
    return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "须为非空文字"
    if len(value) > MAX_TEXT:
        return f"不得超过 {MAX_TEXT} 字"
    return None


def _date(value: Any) -> str | None:
    if type(value) is not date:
        return "须为日期（YYYY-MM-DD，不加引号）"
    return None


def _count(value: Any) -> str | None:
    if type(value) is not int:
        return "须为整数"
    if value < 0 or value > 9999:
        return "须在 0 至 9999 之间"
    return None


def _positive(value: Any) -> str | None:
    message = _count(value)
    if message is None and value == 0:
        return "须大于 0"
    return message


def _clause_number(value: Any) -> str | None:
    if not isinstance(value, str) or not CLAUSE_NUMBER.fullmatch(value):
        return "须为条款编号，如 2.2.4.3"
    return None


def _exemption_item(value: Any) -> str | None:
    if value not in EXEMPTION_ITEMS:
        return f"须为 {'、'.join(EXEMPTION_ITEMS)} 之一"
    return None
