"""Shared test configuration and fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# No timing thresholds in unit tests: hypothesis's per-example deadline is one, and the first
# example pays for loading the stemmer's lexicon.
settings.register_profile("bahth", deadline=None)
settings.load_profile("bahth")

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared corpora beside the project; tests using it skip cleanly when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA
