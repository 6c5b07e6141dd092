"""The dashboard's tests: the app with a public URL, a running pair, links from chat,
an HTTP client, and signing in with a link."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.console.chat import WORKSPACE, ConsoleChat
from adapters.console.platform import PLATFORM
from adapters.dashboard.app import COOKIE
from bot.admin import bundled_programs, install_programs
from bot.clock import ManualClock
from bot.ports import UnitOfWork
from bot.program.loading import parse_program, program_to_data
from tandem.bootstrap import App, build
from tandem.serve import make_server
from tandem.settings import Settings
from tests.dialog import say
from tests.engine.cadence import Program, running

PUBLIC = "http://tandem.test"
_LINK = re.compile(r"https?://\S+?/dashboard/login/[A-Za-z0-9_-]+")
PROGRAM = "/dashboard/programs/engineering-growth"
ROUTES = (
    ("GET", "/dashboard"),
    ("GET", "/dashboard/"),
    ("GET", PROGRAM),
    ("GET", f"{PROGRAM}?round=1"),
    ("GET", f"{PROGRAM}/matches.csv"),
    ("GET", f"{PROGRAM}/cycles.csv"),
    ("POST", "/dashboard/logout"),
)
FORGED = "A" * 43  # the shape of a session id, not one


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


@pytest.fixture
def pair(chat: Chat, app: App, clock: ManualClock) -> Program:
    program = running(chat, app, clock)
    program.day(14, hour=10)
    program.screen(program.ana)
    say(program.ana, "Yes")
    # A session rating (one person's, so hidden from the report) and a private note.
    for answer in ("5", "My secret plan to leave the company", "skip", "skip"):
        say(program.ana, answer)
    program.day(15, hour=10)
    return program


@pytest.fixture
async def client(app: App) -> AsyncIterator[TestClient]:
    server = make_server(app, schedule=False, workers=False)
    async with TestClient(TestServer(server, host="127.0.0.1")) as http:
        yield http


def workspace_id(uow: UnitOfWork, app: App) -> int:
    return uow.workspaces.ensure(PLATFORM, WORKSPACE, app.clock.now()).id


def path_of(link: str) -> str:
    return urlsplit(link).path


async def sign_in(client: TestClient, link: str) -> str:
    response = await client.get(path_of(link), allow_redirects=False)
    assert response.status == 303, await response.text()
    return response.cookies[COOKIE].value
