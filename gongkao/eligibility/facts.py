# What the rules know about one record under one policy, computed once per record,
# and the Check each condition returns.
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from gongkao.eligibility.counting import full_years
from gongkao.eligibility.labels import LEVEL_NAMES
from gongkao.eligibility.policy import Policy
from gongkao.eligibility.records import ApplicantRecord


class Check(NamedTuple):
    """The outcome of one condition. A NamedTuple because a batch builds millions."""

    clause: str  # notice clause, e.g. "2.2.4.2"
    passed: bool | None  # None: a person must judge it (goes to manual_review)
    explanation: str  # one Chinese line starting with the clause id
    warning: str | None = None  # a Chinese line starting with the clause id


class Facts:
    """Derived values shared by the conditions of one evaluation."""

    __slots__ = (
        "record",
        "policy",
        "as_of",
        "held",
        "first_any",
        "current_level",
        "applied_name",
    )

    def __init__(self, record: ApplicantRecord, policy: Policy, as_of: date) -> None:
        self.record = record
        self.policy = policy
        self.as_of = as_of
        # held: level -> first certificate date counted for the applied job type;
        # first_any: level -> first certificate date in any job type (2.3).
        held: dict[int, date] = {}
        first_any: dict[int, date] = {}
        counts_everywhere = record.job_type_change == "reform"
        applied = record.applied_job_type
        for cert in record.certificates:
            level, day = cert.level, cert.cert_date
            if level not in first_any or day < first_any[level]:
                first_any[level] = day
            if (counts_everywhere or cert.job_type == applied) and (
                level not in held or day < held[level]
            ):
                held[level] = day
        self.held = held
        self.first_any = first_any
        self.current_level = min(first_any) if first_any else None
        self.applied_name = LEVEL_NAMES[record.applied_level]

    @property
    def work_years(self) -> int:
        """Full work years to the end of the reference date (2.5)."""
        return full_years(self.record.work_start_date, self.policy.count_end)

    @property
    def age(self) -> int:
        """Age in full years on the reference date (reached on the birthday)."""
        return full_years(self.record.birth_date, self.policy.reference_date)

    def level_since(self, level: int) -> date | None:
        """When the applicant reached `level` for the applied job type, or None.

        The level must be held for the applied job type; after a job-type change
        the years count from the first certificate of that level in any job type
        (2.3).
        """
        if level not in self.held:
            return None
        if self.record.job_type_change is None:
            return self.held[level]
        return self.first_any[level]


Condition = Callable[[Facts], "Check | None"]  # None: does not apply to this record
