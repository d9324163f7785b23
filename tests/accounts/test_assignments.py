"""The user's role assignments as every page reads them
(accounts.queries.assignments_of)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkao.accounts.models import Role
from gongkao.accounts.queries import assignments_of
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_applicant_is_one_narrow_query() -> None:
    applicant = factories.ApplicantFactory.create()

    with CaptureQueriesContext(connection) as queries:
        assignments = assignments_of(applicant)

    assert [a.role for a in assignments] == [Role.APPLICANT]
    assert len(queries) == 1
    assert "JOIN" not in queries.captured_queries[0]["sql"]


def test_staff_scopes_come_with_their_divisions(
    school, city_office, clerk, office_reviewer
) -> None:
    factories.RoleAssignmentFactory.create(
        user=clerk, role=Role.OFFICE_REVIEWER, office=city_office
    )

    with CaptureQueriesContext(connection) as queries:
        assignments = assignments_of(clerk)
        scopes = []
        for a in assignments:
            scope = a.unit or a.office
            assert scope is not None
            scopes.append((a.role, scope, scope.division.parent))

    # The roles in menu order, each with its unit or office, the division and
    # the one above read with them: one query for the roles, one per kind.
    assert scopes == [
        (Role.UNIT_CLERK, school, school.division.parent),
        (Role.OFFICE_REVIEWER, city_office, city_office.division.parent),
    ]
    assert len(queries) == 3
