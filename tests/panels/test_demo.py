"""The demo's panel review: a pool, a panel, one closed session."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from gongkao.panels.models import Expert, Panel, ReviewSession

pytestmark = pytest.mark.django_db


def test_seed_demo_seeds_a_panel_with_a_closed_session(demo):
    call_command("seed_demo", applications=3)
    panel = Panel.objects.get(campaign__division__code="410800")
    assert Expert.objects.filter(office=panel.office).count() >= 7
    assert panel.candidates.count() == 2
    assert {c.exempt for c in panel.candidates.all()} == {True, False}
    session = ReviewSession.objects.get(panel=panel)
    assert session.is_closed and session.results.count() == 2
    assert any(r.stood_aside for r in session.results.all())
    assert all(r.passed for r in session.results.all())
    call_command("seed_demo", applications=0)  # idempotent
    assert Panel.objects.filter(campaign__division__code="410800").count() == 1
