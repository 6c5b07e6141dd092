from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from fakes.teams import FakeConnector
from fakes.teams_keys import KeyServer
from fakes.teams_login import LoginAuthority
from tests.teams.bot_framework import ANA, BEN, CORA
from tests.teams.teams_server import TeamsTandem, start_teams, stop_teams


@pytest.fixture(autouse=True)
def no_other_host(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Any name looked up other than this machine's fails the test: with its own key
    server and login authority, Tandem must call no Microsoft host at all."""
    looked_up: list[str] = []
    real = socket.getaddrinfo

    def local_only(host: object, *args: object, **kwargs: object) -> object:
        if str(host) not in {"127.0.0.1", "localhost", "::1"}:
            looked_up.append(str(host))
            raise OSError(f"no network in tests: {host}")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", local_only)
    yield looked_up
    assert looked_up == [], f"Tandem tried to reach {looked_up}"


@pytest.fixture
def keys() -> Iterator[KeyServer]:
    server = KeyServer().start()
    yield server
    server.stop()


@pytest.fixture
def login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LoginAuthority]:
    authority = LoginAuthority(tmp_path).start()
    # The login authority's certificate comes from the tests' own CA.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(authority.ca_bundle))
    yield authority
    authority.stop()


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    for person in (ANA, BEN, CORA):
        fake.add_member(person.teams_id, person.name, person.email, person.aad)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def teams(
    tmp_path: Path, keys: KeyServer, login: LoginAuthority, connector: FakeConnector
) -> AsyncIterator[TeamsTandem]:
    running = await start_teams(tmp_path, keys, login, connector)
    yield running
    await stop_teams(running)
