"""Engine tests run on the in-memory store (fakes/memory): it keeps the SQL store's
contract (tests/store proves it), at a fraction of the time. The end-to-end
slice that must hold on the real databases asks for them with ``on_databases``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from adapters.console.chat import ConsoleChat
from bot.clock import ManualClock
from tandem.bootstrap import App
from tests.conftest import MEMORY, store_for
from tests.databases import SqliteTemplate
from tests.engine.cadence import Program, running


@pytest.fixture(params=[MEMORY])
def app_store(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: SqliteTemplate
) -> str:
    """The in-memory store, unless a test parametrises this with the databases."""
    return store_for(request.param, tmp_path, sqlite_template)


@pytest.fixture
def cora(chat: Callable[..., ConsoleChat]) -> ConsoleChat:
    """The coordinator of the example programs (handle "coordinator")."""
    return chat("Coordinator")


@pytest.fixture
def pair(chat: Callable[..., ConsoleChat], app: App, clock: ManualClock) -> Program:
    """Ana and Bo, matched and running (tests/engine/cadence.py)."""
    return running(chat, app, clock)
