"""The dashboard in a real browser: Debian's Chromium, driven by Playwright (pointed at
the system's browser: nothing is downloaded).

A coordinator says ``dashboard`` in the console, opens the link, reads the numbers
(checked against the engine's report), downloads a CSV and signs out; a
non-coordinator's link, an expired link and a reused link are refused. The program
page's screenshot is saved to ``artifacts/dashboard.png``.

Skipped, with the reason, where Chromium or Playwright is missing; with
``TANDEM_REQUIRE_BROWSER=1`` (CI: ``.ci/run`` installs Chromium) that fails instead.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from adapters.console.chat import WORKSPACE
from adapters.console.platform import PLATFORM
from adapters.dashboard.page import HEADLINE
from bot.clock import ManualClock
from bot.dashboard import new_link
from bot.dashboard_sessions import Holder
from bot.report.build import build_report
from bot.report.document import Report
from bot.report.exports import export_files
from tandem.bootstrap import App
from tandem.serve import make_server
from tests.dashboard.conftest import app_with, ask_for_link
from tests.dialog import say
from tests.engine.cadence import running

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "artifacts" / "dashboard.png"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _browser_or_skip() -> Any:
    """Playwright's async API, or a skip (a failure where CI requires the browser)."""
    problem = ""
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        problem = "the playwright package is not installed (pip install -e '.[dev]')"
    if not problem and not os.access(CHROMIUM, os.X_OK):
        problem = (
            "Chromium is not installed: apt-get install -y chromium chromium-driver "
            "(.ci/run does this)"
        )
    if problem:
        if os.environ.get("TANDEM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"TANDEM_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(f"no browser for the dashboard's browser test: {problem}")
    return async_playwright


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def site(
    database_url: str, clock: ManualClock, tmp_path: Path
) -> AsyncIterator[tuple[App, str]]:
    """The app behind a real server on 127.0.0.1, its public URL that server's."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    application = app_with(database_url, clock, tmp_path, base)
    server = TestServer(
        make_server(application, schedule=False, workers=False), host="127.0.0.1", port=port
    )
    await server.start_server()
    try:
        yield application, base
    finally:
        await server.close()
        application.close()


def _report(app: App) -> Report:
    with app.uow() as uow:
        workspace = uow.workspaces.ensure(PLATFORM, WORKSPACE, app.clock.now())
        program = uow.programs.get(workspace.id, "engineering-growth")
        assert program is not None
        return build_report(program, uow.reports.facts(program.id), app.clock.now())


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_coordinator_signs_in_from_chat_reads_downloads_and_signs_out(
    site: tuple[App, str], clock: ManualClock, tmp_path: Path
) -> None:
    async_playwright = _browser_or_skip()
    app, base = site
    pair = running(lambda name, **options: app.chat(name, **options), app, clock)
    pair.day(14, hour=10)
    pair.screen(pair.ana)
    say(pair.ana, "Yes")
    pair.day(15, hour=10)
    link = ask_for_link(pair.cora)
    assert link.startswith(f"{base}/dashboard/login/")
    expected = _report(app)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        context = await browser.new_context(accept_downloads=True)
        page = await context.new_page()
        errors: list[str] = []  # a CSP violation shows here
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

        # Click one: the link from chat; click two: the program.
        await page.goto(link)
        assert page.url == f"{base}/dashboard"
        await page.get_by_role("link", name="Engineering Growth Partners").click()
        assert page.url == f"{base}/dashboard/programs/engineering-growth"
        assert await page.get_by_role("heading", level=1).inner_text() == (
            "Engineering Growth Partners"
        )
        for metric in HEADLINE:
            card = page.locator(f'.card[data-metric="{metric}"] dd')
            assert await card.inner_text() == expected.figure(metric).shown, metric
        for figure in expected.figures:
            cell = page.locator(f'#figures tr[data-metric="{figure.metric}"] td').first
            assert await cell.inner_text() == figure.shown, figure.metric
        assert await page.locator("#matches tbody tr").count() == len(expected.matches)
        assert await page.locator("figure.chart svg").count() == len(expected.series)
        assert await page.locator("script").count() == 0
        SCREENSHOT.parent.mkdir(exist_ok=True)
        await page.screenshot(path=str(SCREENSHOT), full_page=True)
        print(f"\nscreenshot of the program page: {SCREENSHOT}")
        # Keyboard: the first Tab reaches the skip link, which leads to the content.
        await page.keyboard.press("Tab")
        assert await page.locator(":focus").inner_text() == "Skip to the content"

        async with page.expect_download() as downloading:
            await page.get_by_role("link", name="Matches (status only)").click()
        download = await downloading.value
        matches = export_files(expected)[0]
        assert download.suggested_filename == matches.name
        saved = tmp_path / download.suggested_filename
        await download.save_as(str(saved))
        assert saved.read_bytes().decode("utf-8") == matches.content

        await page.get_by_role("button", name="Sign out").click()
        assert await page.get_by_role("heading", level=1).inner_text() == "Signed out"
        response = await page.goto(f"{base}/dashboard/programs/engineering-growth")
        assert response is not None and response.status == 401
        # Nothing the page holds was blocked (the inline SVG has no inline style).
        assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors

        # Refused: the same link again, an expired one, a non-coordinator's.
        response = await page.goto(link)
        assert response is not None and response.status == 401
        assert "was used already" in await page.locator("main").inner_text()
        late = ask_for_link(pair.cora)
        clock.advance(timedelta(minutes=10))
        response = await page.goto(late)
        assert response is not None and response.status == 401
        assert "has expired" in await page.locator("main").inner_text()
        with app.uow() as uow:
            ana = uow.people.find(
                uow.workspaces.ensure(PLATFORM, WORKSPACE, clock.now()).id, pair.ana.actor.user_id
            )
            assert ana is not None
            theirs = new_link(uow, Holder(ana.workspace_id, ana.id), clock.now(), base)
            uow.commit()
        response = await page.goto(theirs)
        assert response is not None and response.status == 403
        text = await page.locator("main").inner_text()
        assert "coordinates no program" in text
        assert "Say dashboard to Tandem in chat" in text
        assert await context.cookies() == []
        await browser.close()
