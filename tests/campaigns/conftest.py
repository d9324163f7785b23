from __future__ import annotations

import pytest

from gongkao.campaigns.catalogue import load_starter_catalogue


@pytest.fixture
def starter_catalogue(db):
    """The job types shipped with the system, as a fresh installation has them."""
    load_starter_catalogue()
