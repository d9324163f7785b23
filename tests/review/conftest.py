"""The review tests start from the applicant personas of tests/applications."""

from tests.applications.conftest import (  # noqa: F401  (fixtures)
    applicant,
    clerk,
    clerk_assignment,
    in_window,
    ready_application,
)
