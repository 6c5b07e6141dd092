"""The dashboard over HTTP, without a browser (SQLite and PostgreSQL): who gets in,
who doesn't, and what every response carries."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select, text

from adapters.console.chat import WORKSPACE
from adapters.console.platform import PLATFORM
from adapters.dashboard.app import COOKIE, SECURITY_HEADERS
from bot.clock import ManualClock
from bot.dashboard import Dashboard, SignedIn, new_link
from bot.dashboard_sessions import Holder
from bot.ports import UnitOfWork
from bot.report.build import build_report
from bot.report.exports import export_files
from store.tables import DashboardLinkRow, DashboardSessionRow
from tandem.bootstrap import App
from tandem.serve import make_server
from tests.dashboard.conftest import PUBLIC, Chat, app_with, ask_for_link
from tests.dialog import say
from tests.engine.cadence import Program, running

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


def _workspace(uow: UnitOfWork, app: App) -> int:
    return uow.workspaces.ensure(PLATFORM, WORKSPACE, app.clock.now()).id


def _path(link: str) -> str:
    return urlsplit(link).path


async def _sign_in(client: TestClient, link: str) -> str:
    response = await client.get(_path(link), allow_redirects=False)
    assert response.status == 303, await response.text()
    return response.cookies[COOKIE].value


def _how_to(body: str) -> None:
    assert "Say <kbd>dashboard</kbd> to Tandem in chat" in body, body


def _csrf(body: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', body)
    assert found, body
    return found.group(1)


# --- the link, from chat -------------------------------------------------------------


def test_a_coordinator_gets_a_one_time_link_and_only_its_hash_is_kept(
    pair: Program, app: App
) -> None:
    reply = say(pair.cora, "dashboard")
    link = ask_for_link(pair.cora)
    assert link.startswith(f"{PUBLIC}/dashboard/login/")
    assert "works once, for the next 10 minutes, and only for you" in " ".join(reply.split())
    token = link.rsplit("/", 1)[1]
    with app.database.connect() as db:
        hashes = db.execute(select(DashboardLinkRow.token_hash)).scalars().all()
        outbox = db.execute(text("SELECT payload FROM outbox")).all()
    assert hashlib.sha256(token.encode()).hexdigest() in hashes
    assert all(token not in h for h in hashes)
    # The reply carrying the link is not kept once the console had it.
    assert all(token not in str(row) for row in outbox)


def test_only_coordinators_get_a_link(pair: Program) -> None:
    assert "Only a program's coordinators can do that." in say(pair.ana, "dashboard")


def test_without_a_public_url_the_dashboard_is_not_set_up(
    database_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    plain = app_with(database_url, clock, tmp_path, None)
    try:
        reply = say(plain.chat("Coordinator"), "dashboard")
    finally:
        plain.close()
    assert "The web dashboard isn't set up here" in reply
    assert "/dashboard/login/" not in reply


def test_help_lists_dashboard_for_coordinators_only(chat: Chat) -> None:
    assert "dashboard" in say(chat("Coordinator"), "help")
    assert "dashboard" not in say(chat("Eve"), "help")


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
    session = await _sign_in(client, ask_for_link(pair.cora))
    headers = {"Cookie": f"{COOKIE}={session}"}
    assert (await client.get(PROGRAM, headers=headers)).status == 200
    clock.advance(timedelta(hours=8))
    for method, path in ROUTES:
        response = await client.request(method, path, headers=headers, allow_redirects=False)
        assert response.status == 401, (method, path)
        assert "Your session has ended" in await response.text()


async def test_a_reused_link_is_refused(pair: Program, client: TestClient) -> None:
    link = ask_for_link(pair.cora)
    await _sign_in(client, link)
    again = await client.get(_path(link), allow_redirects=False)
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
    assert (await client.get(_path(in_time), allow_redirects=False)).status == 303
    clock.advance(timedelta(seconds=1))
    response = await client.get(_path(late), allow_redirects=False)
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
        ana = uow.people.find(_workspace(uow, app), pair.ana.actor.user_id)
        assert ana is not None
        link = new_link(uow, Holder(ana.workspace_id, ana.id), app.clock.now(), PUBLIC)
        uow.commit()
    response = await client.get(_path(link), allow_redirects=False)
    assert response.status == 403
    assert COOKIE not in response.cookies
    _how_to(await response.text())
    assert (await client.get(_path(link), allow_redirects=False)).status == 401


async def test_another_programs_page_is_forbidden(pair: Program, client: TestClient) -> None:
    headers = {"Cookie": f"{COOKIE}={await _sign_in(client, ask_for_link(pair.cora))}"}
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
    refused = await client.get(_path(ask_for_link(pair.cora)), allow_redirects=False)
    assert refused.status == 429
    assert "Too many" in await refused.text()
    clock.advance(timedelta(minutes=1))
    assert (await client.get(f"/dashboard/login/{FORGED}")).status == 401


# --- signed in ---------------------------------------------------------------------------


async def test_the_cookie_is_http_only_lax_and_lasts_eight_hours(
    pair: Program, client: TestClient
) -> None:
    response = await client.get(_path(ask_for_link(pair.cora)), allow_redirects=False)
    assert response.headers["Location"] == "/dashboard"  # two programs: the list
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Path=/dashboard" in header
    assert "Max-Age=28800" in header
    assert "Secure" not in header  # the public URL is http


async def test_the_cookie_is_secure_behind_https(
    database_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    secure = app_with(database_url, clock, tmp_path, "https://tandem.example.com")
    try:
        link = ask_for_link(secure.chat("Coordinator"))
        assert link.startswith("https://tandem.example.com/dashboard/login/")
        server = make_server(secure, schedule=False, workers=False)
        async with TestClient(TestServer(server, host="127.0.0.1")) as http:
            response = await http.get(_path(link), allow_redirects=False)
            assert response.status == 303
            assert "Secure" in response.headers["Set-Cookie"]
    finally:
        secure.close()


async def test_the_program_page_shows_the_engines_report(
    pair: Program, app: App, client: TestClient
) -> None:
    headers = {"Cookie": f"{COOKIE}={await _sign_in(client, ask_for_link(pair.cora))}"}
    response = await client.get(PROGRAM, headers=headers)
    assert response.status == 200
    body = await response.text()
    with app.uow() as uow:
        program = uow.programs.get(_workspace(uow, app), "engineering-growth")
        assert program is not None
        report = build_report(program, uow.reports.facts(program.id), app.clock.now())
    for figure in report.figures:
        shown = figure.shown.replace("&", "&amp;")
        row = rf'<tr data-metric="{figure.metric}"><th scope="row">[^<]+</th><td class="number">'
        assert re.search(row + re.escape(shown) + "</td>", body), figure
    assert "Ana, Bo" in body
    assert "hidden (too few answers)" in body  # one rating: below the minimum group
    assert "secret" not in body
    assert "<script" not in body
    assert " style=" not in body and "<style" not in body  # the CSP allows no inline style
    assert body.count("<svg ") == len(report.series)
    for what in ("Matches", "Stalls", "People waiting", "Failed deliveries", "Downloads"):
        assert f">{what}</h2>" in body, what


async def test_no_personal_data_in_any_url(pair: Program, client: TestClient) -> None:
    headers = {"Cookie": f"{COOKIE}={await _sign_in(client, ask_for_link(pair.cora))}"}
    body = await (await client.get(PROGRAM, headers=headers)).text()
    urls = re.findall(r'(?:href|action|src)="([^"]*)"', body)
    assert urls
    allowed = re.compile(
        r"^(#[A-Za-z0-9_-]+|/dashboard(/static/dashboard\.css|/logout|/programs/engineering-growth"
        r"(/(matches|participation|cycles)\.csv\?from=\d{4}-\d\d-\d\d&(amp;)?to=\d{4}-\d\d-\d\d"
        r"((&(amp;)?round=\d+)?))?)?)$"
    )
    for url in urls:
        assert allowed.match(url), url


async def test_the_filter_narrows_the_report_and_says_what_it_cannot_read(
    pair: Program, client: TestClient
) -> None:
    headers = {"Cookie": f"{COOKIE}={await _sign_in(client, ask_for_link(pair.cora))}"}
    body = await (await client.get(f"{PROGRAM}?round=1", headers=headers)).text()
    assert '<option value="1" selected>' in body
    assert "round 1" in body
    before = await (
        await client.get(f"{PROGRAM}?from=2026-01-01&to=2026-01-31", headers=headers)
    ).text()
    assert re.search(r'data-metric="joined">\s*<dt>[^<]+</dt>\s*<dd>0</dd>', before)
    for query, problem in (
        ("from=2026-02-30", "Dates are written like 2027-01-31."),
        ("from=2026-12-01&to=2026-11-01", "The first day comes after the last one."),
        ("round=99", "The program has no such round."),
        ("round=<b>", "The program has no such round."),
    ):
        response = await client.get(f"{PROGRAM}?{query}", headers=headers)
        assert response.status == 400, query
        assert problem in await response.text()


async def test_a_csv_download_is_the_engines_export(
    pair: Program, app: App, client: TestClient
) -> None:
    headers = {"Cookie": f"{COOKIE}={await _sign_in(client, ask_for_link(pair.cora))}"}
    response = await client.get(f"{PROGRAM}/matches.csv", headers=headers)
    assert response.status == 200
    assert response.content_type == "text/csv"
    with app.uow() as uow:
        program = uow.programs.get(_workspace(uow, app), "engineering-growth")
        assert program is not None
        report = build_report(program, uow.reports.facts(program.id), app.clock.now())
    expected = export_files(report)[0]
    assert response.headers["Content-Disposition"] == f'attachment; filename="{expected.name}"'
    assert await response.text() == expected.content
    assert (await client.get(f"{PROGRAM}/secrets.csv", headers=headers)).status == 404


async def test_sign_out_needs_the_pages_csrf_token(pair: Program, client: TestClient) -> None:
    session = await _sign_in(client, ask_for_link(pair.cora))
    headers = {"Cookie": f"{COOKIE}={session}"}
    page = await (await client.get(PROGRAM, headers=headers)).text()
    for form in ({}, {"csrf": ""}, {"csrf": "0" * 64}):
        refused = await client.post("/dashboard/logout", data=form, headers=headers)
        assert refused.status == 403, form
        assert (await client.get(PROGRAM, headers=headers)).status == 200  # still signed in
    out = await client.post("/dashboard/logout", data={"csrf": _csrf(page)}, headers=headers)
    assert out.status == 200
    assert "Signed out" in await out.text()
    assert out.cookies[COOKIE].value == ""
    assert (await client.get(PROGRAM, headers=headers)).status == 401  # ended on the server


async def test_forget_me_ends_the_session(pair: Program, client: TestClient) -> None:
    headers = {"Cookie": f"{COOKIE}={await _sign_in(client, ask_for_link(pair.cora))}"}
    say(pair.cora, "forget me")
    say(pair.cora, "yes")
    assert (await client.get("/dashboard", headers=headers)).status == 401


async def test_security_headers_on_every_dashboard_response(
    pair: Program, client: TestClient
) -> None:
    session = await _sign_in(client, ask_for_link(pair.cora))
    signed_in = {"Cookie": f"{COOKIE}={session}"}
    paths = [("GET", p, h) for _, p in ROUTES if not p.endswith("logout") for h in ({}, signed_in)]
    paths += [
        ("GET", "/dashboard/login/nope", {}),
        ("GET", "/dashboard/no-such-page", {}),
        ("POST", "/dashboard/logout", signed_in),
    ]
    for method, path, headers in paths:
        response = await client.request(method, path, headers=headers, allow_redirects=False)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (path, name)
        assert response.headers.get("Cache-Control") == "no-store", path
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    css = await client.get("/dashboard/static/dashboard.css")
    assert css.status == 200
    assert css.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in css.headers.get("Cache-Control", "")
    health = await client.get("/healthz")
    assert "Content-Security-Policy" not in health.headers  # only the dashboard's
