from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from fakes.slack import FakeSlack
from tests.slack.tandem_server import COORDINATOR, Tandem, start_tandem, stop_tandem

PEOPLE = {
    "U0ANA": ("Ana Lima", "Europe/Lisbon"),
    "U0BEN": ("Ben Okafor", "Europe/Berlin"),
    "U0CY": ("Cy Tanaka", "Europe/London"),
    "U0DIA": ("Dia Mensah", "Africa/Lagos"),
    "U0EDU": ("Edu Silva", "Europe/Madrid"),
    COORDINATOR: ("Cora Coordinator", "Europe/Berlin"),
}


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    for user, (name, tz) in PEOPLE.items():
        slack.add_user(user, name, tz)
    await slack.start()
    yield slack
    await slack.stop()


@pytest.fixture
async def tandem(tmp_path: Path, fake: FakeSlack) -> AsyncIterator[Tandem]:
    running = await start_tandem(tmp_path, fake)
    yield running
    await stop_tandem(running)
