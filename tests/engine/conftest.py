"""Engine tests run on the in-memory store (fakes/memory): it keeps the SQL store's
contract (tests/store proves it), at a fraction of the time. The end-to-end
slice that must hold on the real databases asks for them with ``on_databases``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MEMORY, store_for
from tests.databases import SqliteTemplate


@pytest.fixture(params=[MEMORY])
def app_store(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: SqliteTemplate
) -> str:
    """The in-memory store, unless a test parametrises this with the databases."""
    return store_for(request.param, tmp_path, sqlite_template)
