"""Who doesn't get into the dashboard, over HTTP without a browser (SQLite and
PostgreSQL): no session, a forged cookie or an expired session on every route;
reused, expired, unknown or someone else's links; another program's page; two
opening one link at once; too many tries from one address."""

from __future__ import annotations

import threading
from datetime import timedelta

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from adapters.dashboard.app import COOKIE
from bot.clock import ManualClock
from bot.dashboard import Dashboard, SignedIn, new_link
from bot.dashboard_sessions import Holder
from store.tables import DashboardSessionRow
from tandem.bootstrap import App
from tests.dashboard.conftest import (
    FORGED,
    PROGRAM,
    PUBLIC,
    ROUTES,
    ask_for_link,
    path_of,
    sign_in,
    workspace_id,
)
from tests.engine.cadence import Program


def _how_to(body: str) -> None:
    assert "Say <kbd>dashboard</kbd> to Tandem in chat" in body, body


# --- refused ---------------------------------------------------------------------------


async def test_every_route_without_a_session_is_refused_with_how_to_get_a_link(
    pair: Program, client: TestClient
) -> None:
    for method, path in ROUTES:
        response = await client.request(method, path, allow_redirects=False)
        assert response.status == 401, (method, path)
        _how_to(await response.text())


async def test_a_forged_cookie_is_refused_on_every_route(pair: Program, client: TestClient) -> None:
    for cookie in (FORGED, "not even base64!", ""):
        for method, path in ROUTES:
            response = await client.request(
                method, path, headers={"Cookie": f"{COOKIE}={cookie}"}, allow_redirects=False
            )
            assert response.status == 401, (cookie, method, path)
            _how_to(await response.text())


async def test_an_expired_session_is_refused_on_every_route(
    pair: Program, client: TestClient, clock: ManualClock
) -> None:
    session = await sign_in(client, ask_for_link(pair.cora))
    headers = {"Cookie": f"{COOKIE}={session}"}
    assert (await client.get(PROGRAM, headers=headers)).status == 200
    clock.advance(timedelta(hours=8))
    for method, path in ROUTES:
        response = await client.request(method, path, headers=headers, allow_redirects=False)
        assert response.status == 401, (method, path)
        assert "Your session has ended" in await response.text()


async def test_a_reused_link_is_refused(pair: Program, client: TestClient) -> None:
    link = ask_for_link(pair.cora)
    await sign_in(client, link)
    again = await client.get(path_of(link), allow_redirects=False)
    assert again.status == 401
    assert COOKIE not in again.cookies
    body = await again.text()
    assert "was used already" in body
    _how_to(body)


async def test_an_expired_link_is_refused(
    pair: Program, client: TestClient, clock: ManualClock
) -> None:
    late, in_time = ask_for_link(pair.cora), ask_for_link(pair.cora)
    clock.advance(timedelta(minutes=9, seconds=59))
    assert (await client.get(path_of(in_time), allow_redirects=False)).status == 303
    clock.advance(timedelta(seconds=1))
    response = await client.get(path_of(late), allow_redirects=False)
    assert response.status == 401
    assert "has expired" in await response.text()


async def test_an_unknown_or_malformed_link_is_refused(pair: Program, client: TestClient) -> None:
    for token in (FORGED, "short", "x" * 300, "%00%0a<script>"):
        response = await client.get(f"/dashboard/login/{token}", allow_redirects=False)
        assert response.status in {401, 404}, token
        assert "<script>" not in await response.text()


async def test_a_non_coordinators_link_opens_nothing_and_is_spent(
    pair: Program, app: App, client: TestClient
) -> None:
    with app.uow() as uow:
        ana = uow.people.find(workspace_id(uow, app), pair.ana.actor.user_id)
        assert ana is not None
        link = new_link(uow, Holder(ana.workspace_id, ana.id), app.clock.now(), PUBLIC)
        uow.commit()
    response = await client.get(path_of(link), allow_redirects=False)
    assert response.status == 403
    assert COOKIE not in response.cookies
    _how_to(await response.text())
    assert (await client.get(path_of(link), allow_redirects=False)).status == 401


async def test_another_programs_page_is_forbidden(pair: Program, client: TestClient) -> None:
    headers = {"Cookie": f"{COOKIE}={await sign_in(client, ask_for_link(pair.cora))}"}
    for path in (
        "/dashboard/programs/someone-elses",
        "/dashboard/programs/someone-elses/matches.csv",
        "/dashboard/programs/no-such-program",
    ):
        response = await client.get(path, headers=headers)
        assert response.status == 403, path
        assert "Only a program's coordinators can see its page" in await response.text()
    listing = await (await client.get("/dashboard", headers=headers)).text()
    assert "Engineering Growth Partners" in listing
    assert "Someone Else" not in listing


def test_two_opening_one_link_at_once_one_gets_in(pair: Program, app: App) -> None:
    token = ask_for_link(pair.cora).rsplit("/", 1)[1]
    service = Dashboard(app.uow, app.clock)
    start = threading.Barrier(4)
    outcomes: list[object] = []

    def open_link() -> None:
        start.wait()
        outcomes.append(service.sign_in(token))

    threads = [threading.Thread(target=open_link) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(isinstance(o, SignedIn) for o in outcomes) == 1, outcomes
    with app.database.connect() as db:
        assert len(db.execute(select(DashboardSessionRow.id)).all()) == 1


async def test_opening_links_is_rate_limited_per_address(
    pair: Program, client: TestClient, clock: ManualClock
) -> None:
    for _ in range(10):
        assert (await client.get(f"/dashboard/login/{FORGED}")).status == 401
    refused = await client.get(path_of(ask_for_link(pair.cora)), allow_redirects=False)
    assert refused.status == 429
    assert "Too many" in await refused.text()
    clock.advance(timedelta(minutes=1))
    assert (await client.get(f"/dashboard/login/{FORGED}")).status == 401
