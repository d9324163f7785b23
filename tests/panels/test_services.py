"""The panel's services: candidates, the draw, conflicts, ballots, closing
and reopening, each audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkao.core.models import AuditEvent, Notification
from gongkao.panels import draw, queries, services
from gongkao.panels.models import Ballot, Expert, PanelMember
from tests.panels.conftest import level1, make_panel, pass_theory

pytestmark = pytest.mark.django_db

SCORES = {"业绩": "30", "技能": "25", "答辩": "20"}


def test_candidates_exempt_or_passed_theory(world, school, kind):
    failed = level1(world.campaign, school, kind)
    pass_theory(failed, score="59.5")
    voided = level1(world.campaign, school, kind)
    pass_theory(voided)
    voided.seats.get().attempts.update(voided="替考")
    level1(world.campaign, school, kind)  # no exam at all
    panel = make_panel(world)
    entries = {c.application_id: c for c in queries.candidates(panel)}
    assert set(entries) == {world.exempt.pk, world.examined.pk}
    assert entries[world.exempt.pk].exempt and not entries[world.examined.pk].exempt
    assert [c.code for c in queries.candidates(panel)] == ["001", "002"]


def test_draw_records_its_seed_and_can_be_repeated(world):
    panel = make_panel(world, seed=12345)
    assert panel.seed == 12345 and panel.size == 5
    members = list(panel.members.order_by("reserve", "order"))
    assert len([m for m in members if not m.reserve]) == 5
    assert len([m for m in members if m.reserve]) == 2
    assert [m.chair for m in members].count(True) == 1
    pool = [
        draw.PoolExpert(
            e.pk,
            frozenset(e.job_types.values_list("pk", flat=True)),
            e.term_start,
            e.term_end,
            e.unit_id,
        )
        for e in Expert.objects.all()
    ]
    again = draw.draw(
        pool,
        job_types=[world.kind.pk],
        review_from=panel.review_from,
        review_until=panel.review_until,
        size=5,
        reserves=2,
        seed=panel.seed,
    )
    assert again.members == tuple(m.expert_id for m in members if not m.reserve)
    assert AuditEvent.objects.filter(after__action="panel_drawn").exists()


def test_experts_of_the_candidates_units_or_departments_are_not_drawn(world, school):
    world.experts[0].unit = school
    world.experts[0].save()
    world.experts[1].unit = school.supervising_department
    world.experts[1].save()
    for seed in range(5):
        panel = make_panel(world, seed=seed)
        drawn = set(panel.members.values_list("expert_id", flat=True))
        assert not drawn & {world.experts[0].pk, world.experts[1].pk}
        panel.candidates.all().delete()


def test_short_pool_is_refused_with_a_message(world):
    Expert.objects.filter(pk__in=[e.pk for e in world.experts[:3]]).update(
        term_end=date(2025, 11, 1)
    )
    with pytest.raises(services.PanelError, match="只有6人"):
        make_panel(world)


def _seat_holders(panel, application):
    for seat in queries.seating(panel):
        if seat.candidate.application_id == application.pk:
            return seat
    raise AssertionError


def test_declared_conflict_hides_the_candidate_and_a_reserve_stands_in(world, panel):
    member = panel.members.filter(reserve=False, chair=False).first()
    candidate = panel.candidates.get(application=world.exempt)
    services.declare_conflict(member, candidate, "师徒关系", by=member.expert.user)
    seat = _seat_holders(panel, world.exempt)
    assert member not in seat.sitting and len(seat.sitting) == 5
    assert seat.stood_in == [panel.members.filter(reserve=True).order_by("order")[0]]
    assert queries.seat_for(member, candidate.pk) is None
    assert [s.candidate for s in queries.my_candidates(member)] == [
        panel.candidates.get(application=world.examined)
    ]
    session = services.open_session(
        panel, held_on=date(2025, 11, 5), place="", by=world.admin
    )
    with pytest.raises(services.PanelError):
        services.cast_ballot(
            session, member, candidate.pk, SCORES, "for", by=member.expert.user
        )


def test_office_told_when_reserves_run_out(world, panel):
    candidate = panel.candidates.get(application=world.exempt)
    members = list(panel.members.filter(chair=False).order_by("reserve", "order"))
    for member in members[:3]:
        services.declare_conflict(member, candidate, "亲属", by=member.expert.user)
    seat = _seat_holders(panel, world.exempt)
    assert seat.short == 1 and len(seat.sitting) == 4
    note = Notification.objects.get(user=world.admin)
    assert "候补专家不足" in note.title and candidate.code in note.body


def _vote_all(session, panel, votes, total_scores=SCORES):
    for seat in queries.seating(panel):
        for member, vote in zip(seat.sitting, votes, strict=False):
            services.cast_ballot(
                session,
                member,
                seat.candidate.pk,
                total_scores,
                vote,
                by=member.expert.user,
            )


def test_close_computes_results_and_freezes(world, panel):
    session = services.open_session(
        panel, held_on=date(2025, 11, 5), place="会议室", by=world.admin
    )
    _vote_all(session, panel, ["for", "for", "for", "for", "against"])
    chair = panel.members.get(chair=True)
    other = panel.members.filter(chair=False, reserve=False).first()
    with pytest.raises(services.PanelError, match="组长"):
        services.close_session(session, other, by=other.expert.user)
    results = services.close_session(session, chair, by=chair.expert.user)
    assert [(r.in_favour, r.against, r.passed) for r in results] == [(4, 1, True)] * 2
    assert results[0].mean_score == Decimal("75.00")
    with pytest.raises(services.PanelError, match="已结束"):
        services.cast_ballot(
            session,
            chair,
            results[0].candidate.pk,
            SCORES,
            "against",
            by=chair.expert.user,
        )
    assert Ballot.objects.filter(session=session).count() == 10


def test_reopen_needs_a_reason_and_is_audited(world, panel):
    session = services.open_session(
        panel, held_on=date(2025, 11, 5), place="", by=world.admin
    )
    _vote_all(session, panel, ["for", "against", "against", "abstain", "for"])
    chair = panel.members.get(chair=True)
    services.close_session(session, chair, by=chair.expert.user)
    with pytest.raises(services.PanelError, match="原因"):
        services.reopen_session(session, "", by=world.admin)
    services.reopen_session(session, "计分有误，经评审组同意复议", by=world.admin)
    session.refresh_from_db()
    assert not session.is_closed and session.reopened == 1
    assert not session.results.exists()
    event = AuditEvent.objects.get(after__action="session_reopened")
    assert event.after["reason"] == "计分有误，经评审组同意复议"
    assert event.before  # the dropped results


def test_scores_checked_against_the_rubric(world, panel):
    session = services.open_session(
        panel, held_on=date(2025, 11, 5), place="", by=world.admin
    )
    member = panel.members.get(chair=True)
    candidate = panel.candidates.first()
    for bad in (
        {"业绩": "41", "技能": "1", "答辩": "1"},
        {"业绩": "x"},
        {"业绩": "-1", "技能": "1", "答辩": "1"},
    ):
        with pytest.raises(services.PanelError):
            services.cast_ballot(
                session, member, candidate.pk, bad, "for", by=member.expert.user
            )
    with pytest.raises(services.PanelError):
        services.cast_ballot(
            session, member, candidate.pk, SCORES, "maybe", by=member.expert.user
        )
    assert not Ballot.objects.exists()


def test_rubric_must_add_up_to_100():
    with pytest.raises(services.PanelError, match="合计"):
        services.check_rubric([{"name": "业绩", "points": 50}])
    services.check_rubric([{"name": "业绩", "points": 100}])


def test_one_open_session_per_panel(world, panel):
    services.open_session(panel, held_on=date(2025, 11, 5), place="", by=world.admin)
    with pytest.raises(services.PanelError):
        services.open_session(
            panel, held_on=date(2025, 11, 6), place="", by=world.admin
        )


def test_chair_can_be_changed_but_not_to_a_reserve(world, panel):
    reserve = panel.members.filter(reserve=True).first()
    with pytest.raises(services.PanelError):
        services.set_chair(reserve, by=world.admin)
    other = panel.members.filter(reserve=False, chair=False).first()
    services.set_chair(other, by=world.admin)
    assert PanelMember.objects.get(panel=panel, chair=True) == other
