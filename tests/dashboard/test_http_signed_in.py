"""The dashboard once signed in, over HTTP without a browser (SQLite and PostgreSQL):
the cookie, the program page and its filter, CSV downloads, no personal data in
URLs, signing out (CSRF) and forget me, and the headers every response carries."""

from __future__ import annotations

import re
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from adapters.dashboard.app import COOKIE, SECURITY_HEADERS
from bot.clock import ManualClock
from bot.report.build import build_report
from bot.report.exports import export_files
from tandem.bootstrap import App
from tandem.serve import make_server
from tests.dashboard.conftest import (
    PROGRAM,
    ROUTES,
    app_with,
    ask_for_link,
    path_of,
    sign_in,
    workspace_id,
)
from tests.dialog import say
from tests.engine.cadence import Program


def _csrf(body: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', body)
    assert found, body
    return found.group(1)


# --- signed in ---------------------------------------------------------------------------


async def test_the_cookie_is_http_only_lax_and_lasts_eight_hours(
    pair: Program, client: TestClient
) -> None:
    response = await client.get(path_of(ask_for_link(pair.cora)), allow_redirects=False)
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
            response = await http.get(path_of(link), allow_redirects=False)
            assert response.status == 303
            assert "Secure" in response.headers["Set-Cookie"]
    finally:
        secure.close()


async def test_the_program_page_shows_the_engines_report(
    pair: Program, app: App, client: TestClient
) -> None:
    headers = {"Cookie": f"{COOKIE}={await sign_in(client, ask_for_link(pair.cora))}"}
    response = await client.get(PROGRAM, headers=headers)
    assert response.status == 200
    body = await response.text()
    with app.uow() as uow:
        program = uow.programs.get(workspace_id(uow, app), "engineering-growth")
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
    headers = {"Cookie": f"{COOKIE}={await sign_in(client, ask_for_link(pair.cora))}"}
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
    headers = {"Cookie": f"{COOKIE}={await sign_in(client, ask_for_link(pair.cora))}"}
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
    headers = {"Cookie": f"{COOKIE}={await sign_in(client, ask_for_link(pair.cora))}"}
    response = await client.get(f"{PROGRAM}/matches.csv", headers=headers)
    assert response.status == 200
    assert response.content_type == "text/csv"
    with app.uow() as uow:
        program = uow.programs.get(workspace_id(uow, app), "engineering-growth")
        assert program is not None
        report = build_report(program, uow.reports.facts(program.id), app.clock.now())
    expected = export_files(report)[0]
    assert response.headers["Content-Disposition"] == f'attachment; filename="{expected.name}"'
    assert await response.text() == expected.content
    assert (await client.get(f"{PROGRAM}/secrets.csv", headers=headers)).status == 404


async def test_sign_out_needs_the_pages_csrf_token(pair: Program, client: TestClient) -> None:
    session = await sign_in(client, ask_for_link(pair.cora))
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
    headers = {"Cookie": f"{COOKIE}={await sign_in(client, ask_for_link(pair.cora))}"}
    say(pair.cora, "forget me")
    say(pair.cora, "yes")
    assert (await client.get("/dashboard", headers=headers)).status == 401


async def test_security_headers_on_every_dashboard_response(
    pair: Program, client: TestClient
) -> None:
    session = await sign_in(client, ask_for_link(pair.cora))
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
