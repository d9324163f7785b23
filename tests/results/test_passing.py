"""Who passed, at the boundaries of every level's rule (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkao.results.passing import Mark, State, verdict

MARK = Decimal("60")


def mark(score: str | None, *, released=True, voided="", name="岗位技能") -> Mark:
    return Mark(
        name,
        MARK,
        released,
        Decimal(score) if score is not None else None,
        voided,
    )


@pytest.mark.parametrize("level", [5, 4, 3, 2])
def test_levels_five_to_two_pass_at_the_mark_and_fail_just_below(level):
    at = verdict(level, [mark("60.0", name="职业道德"), mark("60.0")])
    below = verdict(level, [mark("60.0", name="职业道德"), mark("59.9")])
    assert at.state is State.PASSED
    assert below.state is State.FAILED
    assert below.reasons == ("岗位技能59.9分，低于合格分数线60分",)


@pytest.mark.parametrize("level", [5, 4, 3, 2])
def test_every_subject_must_pass(level):
    assert verdict(level, [mark("100"), mark("0", name="职业道德")]).state is (
        State.FAILED
    )


def test_a_void_or_absent_subject_fails_whatever_the_other():
    void = verdict(4, [mark("95", voided="考试中旁窥"), mark("90", name="职业道德")])
    absent = verdict(4, [mark(None), mark("90", name="职业道德")])
    assert void.state is State.FAILED and "成绩无效（考试中旁窥）" in void.reasons[0]
    assert absent.state is State.FAILED and absent.reasons == ("岗位技能缺考",)


def test_an_unreleased_subject_leaves_it_pending_unless_another_failed():
    pending = verdict(4, [mark("90"), mark(None, released=False, name="职业道德")])
    failed = verdict(4, [mark("10"), mark(None, released=False, name="职业道德")])
    assert pending.state is State.PENDING
    assert pending.reasons == ("职业道德成绩尚未发布",)
    assert failed.state is State.FAILED


def test_a_level_without_subjects_is_pending_never_passed():
    assert verdict(3, []).state is State.PENDING


def test_level_one_needs_theory_and_panel():
    theory = [mark("60", name="职业道德"), mark("60", name="专业基础知识")]
    assert verdict(1, theory, panel=True).state is State.PASSED
    assert verdict(1, theory, panel=False).reasons == ("综合评审未通过",)
    assert verdict(1, theory, panel=None).state is State.PENDING
    low = [mark("60", name="职业道德"), mark("59.9", name="专业基础知识")]
    assert verdict(1, low, panel=True).state is State.FAILED
    # A failed theory exam decides before the panel sits.
    assert verdict(1, low, panel=None).state is State.FAILED


def test_level_one_exempt_needs_only_the_panel():
    assert verdict(1, [], exempt=True, panel=True).state is State.PASSED
    assert verdict(1, [mark(None)], exempt=True, panel=True).state is State.PASSED
    assert verdict(1, [], exempt=True, panel=None).state is State.PENDING
    assert verdict(1, [], exempt=True, panel=False).state is State.FAILED


def test_level_one_without_theory_subjects_and_no_exemption_is_pending():
    assert verdict(1, [], panel=True).state is State.PENDING


def test_a_withdrawn_result_fails_with_its_reason():
    found = verdict(4, [mark("90"), mark("90")], withdrawn="异议成立：业绩不实")
    assert found.state is State.FAILED
    assert found.reasons == ("公示期间撤销：异议成立：业绩不实",)
