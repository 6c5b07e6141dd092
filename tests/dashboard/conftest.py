"""The dashboard's tests: the app with a public URL, a running pair, links from chat."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from adapters.console.chat import WORKSPACE, ConsoleChat
from adapters.console.platform import PLATFORM
from bot.admin import bundled_programs, install_programs
from bot.clock import ManualClock
from bot.program.loading import parse_program, program_to_data
from tandem.bootstrap import App, build
from tandem.settings import Settings
from tests.dialog import say

PUBLIC = "http://tandem.test"
_LINK = re.compile(r"https?://\S+?/dashboard/login/[A-Za-z0-9_-]+")


def app_with(database_url: str, clock: ManualClock, data: Path, public_url: str | None) -> App:
    """The whole app, the dashboard at ``public_url``, the example programs and one
    more program that someone else coordinates."""
    application = build(
        Settings(database_url=database_url, data_dir=data, public_url=public_url), clock=clock
    )
    specs = bundled_programs()
    data_of = program_to_data(specs[0])
    data_of.update(slug="someone-elses", name="Someone Else's Program", coordinators=["dana"])
    install_programs(
        application.uow,
        clock,
        PLATFORM,
        WORKSPACE,
        [*specs, parse_program(data_of, "test")],
    )
    return application


@pytest.fixture
def app(database_url: str, clock: ManualClock, tmp_path: Path) -> Iterator[App]:
    application = app_with(database_url, clock, tmp_path, PUBLIC)
    yield application
    application.close()


def link_in(reply: str) -> str:
    """The sign-in link in a chat reply."""
    found = _LINK.search(reply)
    assert found, reply
    return found.group(0)


def ask_for_link(person: ConsoleChat) -> str:
    return link_in(say(person, "dashboard"))


Chat = Callable[..., ConsoleChat]
