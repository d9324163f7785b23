"""The free-text tests start from 张建国's submitted application of
tests/applications; the reviewers are the personas of tests/conftest.py."""

from tests.applications.conftest import (  # noqa: F401  (fixtures)
    ready_application,
    submitted,
)
