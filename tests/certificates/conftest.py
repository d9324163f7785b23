"""A final publication (the results' `past` world): seats[0] passed, and the
paper-exam candidate passed by import; the period ended 2025-11-21."""

from __future__ import annotations

from datetime import date

import pytest

from gongkao.results import services as results
from gongkao.results.models import Publication
from tests.results.conftest import Past, aware, past  # noqa: F401  (fixture)


@pytest.fixture
def final(past: Past, city_office) -> Publication:  # noqa: F811
    results.release_sitting(past.sitting, by=past.admin, now=aware(date(2025, 6, 20)))
    name = past.paper.application.applicant.name
    from tests.results.test_services import workbook

    results.import_scores(
        past.campaign,
        None,
        workbook(
            [
                [past.paper.number, name, "职业道德", 70],
                [past.paper.number, name, "岗位技能", 80],
            ]
        ),
        "paper.xlsx",
        by=past.admin,
    )
    return results.publish(
        past.campaign, None, city_office, by=past.admin, now=aware(date(2025, 11, 14))
    )
