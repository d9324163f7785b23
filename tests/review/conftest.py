"""The review tests start from 张建国's application of tests/applications,
submitted to 焦作市第一中学; the reviewers are the personas of tests/conftest.py."""

from tests.applications.conftest import (  # noqa: F401  (fixtures)
    ready_application,
    submitted,
)
