"""What a return unlocks: from what a reviewer names to what the applicant may change.

A reviewer returns items of the review checklist: a material slot
(`material:work_record`), a clause the engine reported (`clause:2.2.4.3`), a
consent (`consent:deferred`) or, in bulk, a whole section (`basic`). The
applicant may then change exactly the sections and upload slots that prove
it, and nothing else (`permissions.check_editable`).

The map is keyed by the engine's stable condition ids
(`eligibility.policy.CONDITION_IDS`), not by clause numbers, which a policy
may number differently: a returned clause is turned into the condition ids
that carry that number in the application's policy. Every condition id and
every material rule has an entry (tests/applications/test_unlocks.py).

Unlocked keys are sections (`SECTIONS`) and materials: `material:<slot>` for
one slot, `material:<rule>:*` for every slot of a per-item rule (a
certificate, an honour, …), so that an item added while fixing can get its
scan too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gongkao.applications.checklist import MATERIAL_RULES, SECTIONS, MaterialRule
from gongkao.applications.models import (
    CHOICE_FIELDS,
    PROFILE_FIELDS,
    ApplicantProfile,
    Application,
    Material,
)
from gongkao.eligibility import Policy


@dataclass(frozen=True)
class Needs:
    """The sections and material rules (`MATERIAL_RULES` keys) that prove a thing."""

    sections: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()


# Each engine condition: the sections holding its data and the materials
# proving it.
CONDITION_NEEDS: dict[str, Needs] = {
    "scope.employment": Needs(("basic",), ("work_record",)),
    "scope.retirement": Needs(("basic",), ("id_card",)),
    "review.consent": Needs(("basic",)),
    "levels.above_held": Needs(("certificates", "application"), ("certificate",)),
    "level5.regularized": Needs(("basic",), ("work_record",)),
    "level5.work_years": Needs(("basic",), ("work_record",)),
    "level4.lower_certificate": Needs(("certificates",), ("certificate",)),
    "level4.work_years": Needs(("basic",), ("work_record",)),
    "level3.lower_certificate": Needs(("certificates",), ("certificate",)),
    "level3.work_years": Needs(("basic",), ("work_record",)),
    "level2.lower_certificate": Needs(("certificates",), ("certificate",)),
    "level2.education": Needs(("basic",), ("education", "id_card")),
    # 2.2.4.3 业绩: honours and patents, and the performance evidence.
    "level2.performance": Needs(("honors",), ("performance", "honor", "patent")),
    "level1.work_years": Needs(("basic",), ("work_record",)),
    "level1.lower_certificate": Needs(("certificates",), ("certificate",)),
    "level1.appointment": Needs(("basic",), ("work_record",)),
    "level1.education": Needs(("basic",), ("education",)),
    "level1.annual_reviews": Needs(("annual_reviews",), ("annual_review",)),
    "level1.mastery": Needs(("honors",), ("performance",)),
    "level1.exemption": Needs(
        ("honors", "certificates"), ("honor", "patent", "certificate")
    ),
    "level1.special_talent": Needs(("honors",), ("honor", "performance")),
    "level1.professional_technical": Needs(("basic",), ("work_record",)),
    "job_type_change.order": Needs(
        ("application", "certificates"), ("job_type_change", "certificate")
    ),
    "job_type_change.transfer": Needs(
        ("application", "certificates"), ("job_type_change", "certificate")
    ),
    "honors.lower_certificate": Needs(("certificates",), ("certificate",)),
    "honors.promotion": Needs(("honors",), ("honor",)),
    "honors.theory_exam": Needs(("honors",), ("honor", "patent")),
    "exclusions.investigation": Needs(("basic",)),
    "exclusions.sanction": Needs(("basic",)),
    "deferred_review.deadline": Needs(("annual_reviews",), ("annual_review",)),
}

# Each material: the sections holding what it proves (a date, a certificate …).
MATERIAL_SECTIONS: dict[str, tuple[str, ...]] = {
    "id_card": (),  # the ID number is the account's, not the profile's
    "photo": (),
    "education": ("basic",),
    "work_record": ("basic",),
    "certificate": ("certificates",),
    "performance": ("honors",),
    "annual_review": ("annual_reviews",),
    "honor": ("honors",),
    "patent": ("honors",),
    "job_type_change": ("application",),
}

# The unit's consents of the review checklist.
CONSENT_NEEDS: dict[str, Needs] = {
    "consent:retirement": Needs(("application",)),
    "consent:job_type_change": Needs(("application",), ("job_type_change",)),
    "consent:deferred": Needs(("annual_reviews",), ("annual_review",)),
}

# Clauses a policy does not name (an old or edited policy): the page by prefix.
_CLAUSE_SECTIONS = [
    ("2.2.5.3", "annual_reviews"),
    ("3.3", "annual_reviews"),
    ("2.2.5.5", "honors"),
    ("2.4", "honors"),
    ("2.2.4.3", "honors"),
    ("2.2.4.2", "basic"),
    ("2.2.5.2", "basic"),
    ("2.2.1", "basic"),
    ("2.2.5.1", "certificates"),
    ("2.2.4.1", "certificates"),
    ("2.2.2", "certificates"),
    ("2.2.3", "certificates"),
    ("2.3", "application"),
    ("2.2", "application"),
    ("2.6", "basic"),
    ("1.1", "basic"),
    ("1.2", "basic"),
]

_RULES = {rule.key: rule for rule in MATERIAL_RULES}
_PER_ITEM = frozenset({"certificate", "annual_review", "honor", "patent"})


def section_of_clause(clause: str) -> str:
    """The page holding the data a clause depends on, by the clause's number."""
    for prefix, section in _CLAUSE_SECTIONS:
        if clause == prefix or clause.startswith(prefix + "."):
            return section
    return "basic"


def material_unlock_key(rule_key: str) -> str:
    """`material:<slot>` of a one-slot rule, `material:<rule>:*` of a per-item one."""
    rule = _RULES[rule_key]
    return (
        f"material:{rule.key}:*" if rule.each in _PER_ITEM else f"material:{rule.key}"
    )


def rule_of_slot(slot_key: str) -> str:
    """The MATERIAL_RULES key of a slot: `certificate:12` → `certificate`."""
    return slot_key.split(":", 1)[0]


def _needs_keys(needs: Needs) -> list[str]:
    return [*needs.sections, *(material_unlock_key(m) for m in needs.materials)]


def condition_ids_of(clause: str, policy: Policy | None) -> list[str]:
    """The condition ids that carry `clause` in `policy` (2.2.5.1 → three)."""
    if policy is None:
        return []
    return [cid for cid, number in policy.clauses.items() if number == clause]


def unlocked_by(item: str, policy: Policy | None) -> list[str]:
    """The sections and material keys a returned `item` unlocks, in order."""
    keys: list[str] = []
    if item.startswith("material:"):
        rule = rule_of_slot(item.removeprefix("material:"))
        keys = [item, *MATERIAL_SECTIONS.get(rule, ())]
    elif item.startswith("clause:"):
        clause = item.removeprefix("clause:")
        ids = condition_ids_of(clause, policy)
        for cid in ids:
            keys += _needs_keys(CONDITION_NEEDS[cid])
        if not ids:
            keys = [section_of_clause(clause)]
    elif item in CONSENT_NEEDS:
        keys = _needs_keys(CONSENT_NEEDS[item])
    elif item in SECTIONS:
        # A whole section: it and the materials that prove what it holds.
        keys = [item] + [
            material_unlock_key(rule)
            for rule, sections in MATERIAL_SECTIONS.items()
            if item in sections
        ]
    else:
        keys = ["application"]
    return list(dict.fromkeys(keys))


def is_unlocked(allowed: Iterable[str], item: str) -> bool:
    """Whether `item` (a section or `material:<slot>`) is among `allowed`."""
    allowed = set(allowed)
    if item in allowed:
        return True
    if item.startswith("material:"):
        rule = rule_of_slot(item.removeprefix("material:"))
        return f"material:{rule}:*" in allowed
    return False


def key_label(key: str, slot_labels: dict[str, str]) -> str:
    """The Chinese name of an unlocked key."""
    if key in SECTIONS:
        return SECTIONS[key]
    slot = key.removeprefix("material:")
    if slot in slot_labels:
        return slot_labels[slot]
    rule: MaterialRule | None = _RULES.get(rule_of_slot(slot))
    # A per-item rule's public words without "（每项一份）".
    return rule.label.split("（", 1)[0] if rule else "申报材料"


# --- what the applicant holds now, to tell a change -------------------------


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _section_data(
    section: str, profile: ApplicantProfile | None, application: Application
) -> Any:
    if section == "application":
        return [
            getattr(application, f"{f}_id" if f == "job_type" else f)
            for f in CHOICE_FIELDS
        ]
    if profile is None:
        return None
    if section == "basic":
        return [
            getattr(profile, f"{f}_id" if f == "unit" else f) for f in PROFILE_FIELDS
        ]
    if section == "certificates":
        return sorted(
            profile.certificates.values_list(
                "level", "job_type_name", "cert_date", "number"
            )
        )
    if section == "annual_reviews":
        return sorted(
            profile.annual_reviews.values_list(
                "year", "result", "excellent_party_member"
            )
        )
    if section == "honors":
        honors = sorted(
            profile.honors.values_list(
                "kind", "level", "title", "issuer", "date", "rank"
            )
        )
        patents = sorted(
            profile.patents.values_list(
                "kind", "title", "number", "rank", "date", "related"
            )
        )
        return [honors, patents]
    return None


def item_states(application: Application, keys: Iterable[str]) -> dict[str, str]:
    """A digest of what each unlocked key holds now: a section's data, a
    slot's current file. Equal digests before and after: nothing changed."""
    keys = list(keys)
    profile = ApplicantProfile.objects.filter(user_id=application.applicant_id).first()
    files = dict(
        Material.objects.filter(application=application).values_list(
            "slot", "current_id"
        )
    )
    states = {}
    for key in keys:
        if key.startswith("material:"):
            slot = key.removeprefix("material:")
            if slot.endswith(":*"):
                prefix = slot.removesuffix("*")
                value: Any = sorted(
                    (s, f) for s, f in files.items() if s.startswith(prefix) and f
                )
            else:
                value = files.get(slot)
        else:
            value = _section_data(key, profile, application)
        states[key] = _digest(value)
    return states


def changed_keys(application: Application, baseline: dict[str, str]) -> list[str]:
    """The keys of `baseline` whose data differ now, in its order."""
    now = item_states(application, baseline)
    return [key for key, digest in baseline.items() if now.get(key) != digest]
