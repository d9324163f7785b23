"""The map from what a reviewer returns to what the applicant may change:
every engine condition id and every material maps to sections and slots."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkao.applications.checklist import MATERIAL_RULES, SECTIONS
from gongkao.applications.unlocks import (
    CONDITION_NEEDS,
    CONSENT_NEEDS,
    MATERIAL_SECTIONS,
    is_unlocked,
    material_unlock_key,
    unlocked_by,
)
from gongkao.eligibility import get_policy, list_policies
from gongkao.eligibility.policy import CONDITION_IDS

RULE_KEYS = {rule.key for rule in MATERIAL_RULES}
RULES_DIR = Path(__file__).parents[2] / "gongkao" / "eligibility" / "rules"


def _engine_condition_ids() -> set[str]:
    """Every condition id the rules look up (`policy.clauses["…"]`)."""
    found: set[str] = set()
    for source in RULES_DIR.glob("*.py"):
        found |= set(re.findall(r'clauses\["([^"]+)"\]', source.read_text()))
    return found


def test_the_engine_names_only_declared_condition_ids():
    used = _engine_condition_ids()
    assert used, "no condition ids found in the rules"
    assert used <= set(CONDITION_IDS)


@pytest.mark.parametrize("condition_id", CONDITION_IDS)
def test_every_condition_id_unlocks_a_section_or_slot(condition_id):
    """A new condition without an entry in CONDITION_NEEDS fails here."""
    needs = CONDITION_NEEDS.get(condition_id)
    assert needs is not None, f"{condition_id} has no entry in CONDITION_NEEDS"
    assert needs.sections or needs.materials
    assert set(needs.sections) <= set(SECTIONS)
    assert set(needs.materials) <= RULE_KEYS


def test_the_map_names_no_unknown_condition():
    assert set(CONDITION_NEEDS) == set(CONDITION_IDS) | _engine_condition_ids()


@pytest.mark.parametrize("rule", [r.key for r in MATERIAL_RULES])
def test_every_material_unlocks_its_slot_and_the_sections_it_proves(rule):
    assert rule in MATERIAL_SECTIONS, f"{rule} has no entry in MATERIAL_SECTIONS"
    assert set(MATERIAL_SECTIONS[rule]) <= set(SECTIONS)
    slot = f"{rule}:12" if material_unlock_key(rule).endswith(":*") else rule
    keys = unlocked_by(f"material:{slot}", None)
    assert keys[0] == f"material:{slot}"
    assert set(keys[1:]) == set(MATERIAL_SECTIONS[rule])


@pytest.mark.parametrize("policy", list_policies(), ids=lambda p: p.policy_id)
def test_every_clause_of_every_policy_unlocks_its_conditions(policy):
    for condition_id, clause in policy.clauses.items():
        keys = unlocked_by(f"clause:{clause}", policy)
        needs = CONDITION_NEEDS[condition_id]
        assert set(needs.sections) <= set(keys), (condition_id, clause)
        assert {material_unlock_key(m) for m in needs.materials} <= set(keys)


def test_returning_performance_unlocks_honours_and_the_performance_evidence():
    keys = unlocked_by("clause:2.2.4.3", get_policy("2025-jiaozuo"))
    assert keys == [
        "honors",
        "material:performance",
        "material:honor:*",
        "material:patent:*",
    ]


def test_returning_a_date_proof_unlocks_the_section_with_the_date():
    assert unlocked_by("material:work_record", None) == [
        "material:work_record",
        "basic",
    ]
    assert unlocked_by("material:certificate:7", None) == [
        "material:certificate:7",
        "certificates",
    ]


def test_a_section_unlocks_the_materials_proving_it():
    assert unlocked_by("certificates", None) == [
        "certificates",
        "material:certificate:*",
    ]


@pytest.mark.parametrize("consent", sorted(CONSENT_NEEDS))
def test_every_consent_unlocks_something(consent):
    assert unlocked_by(consent, None)


def test_a_clause_no_policy_names_falls_back_to_its_page():
    assert unlocked_by("clause:2.2.5.3", None) == ["annual_reviews"]


def test_wildcards_cover_every_slot_of_their_rule():
    allowed = ["honors", "material:honor:*"]
    assert is_unlocked(allowed, "material:honor:31")
    assert is_unlocked(allowed, "honors")
    assert not is_unlocked(allowed, "material:patent:2")
    assert not is_unlocked(allowed, "basic")
