"""Multi-workspace mode: install through OAuth, installs kept in our database,
and a workspace that uninstalls Tandem (or revokes its token) is forgotten."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.slack.config import SlackConfig
from adapters.slack.installations import SignedStates, find_installation
from fakes.slack import FakeSlack
from tests.slack.slack_requests import SECRET
from tests.slack.tandem_server import Tandem, start_tandem, stop_tandem

OTHER = "T0OTHER"


@pytest.fixture
async def multi(tmp_path: Path, fake: FakeSlack) -> AsyncIterator[Tandem]:
    config = SlackConfig(
        signing_secret=SECRET,
        client_id=fake.client[0],
        client_secret=fake.client[1],
        api_url=fake.url,
    )
    running = await start_tandem(tmp_path, fake, config)
    yield running
    await stop_tandem(running)


async def install(tandem: Tandem, fake: FakeSlack, team: str) -> int:
    page = await tandem.session.get(tandem.url + "/slack/install")
    html = await page.text()
    assert page.status == 200 and "slack.com/oauth/v2/authorize" in html
    found = re.search(r"state=([A-Za-z0-9_.\-]+)", html)
    assert found is not None
    state = found.group(1)
    fake.codes["code-1"] = team
    done = await tandem.session.get(
        tandem.url + f"/slack/oauth_redirect?code=code-1&state={state}",
        headers={"Cookie": f"slack-app-oauth-state={state}"},
    )
    return done.status


async def test_a_workspace_installs_tandem_then_uses_it(multi: Tandem, fake: FakeSlack) -> None:
    assert await install(multi, fake, OTHER) == 200
    stored = find_installation(multi.app.uow, OTHER)
    assert stored is not None and stored.token == "xoxb-t0other"
    assert "xoxb" not in repr(stored)

    await multi.command("U0ANA", "help", team=OTHER)
    [post] = fake.of("chat.postMessage")
    assert post.token == "xoxb-t0other"  # that workspace's own token
    checks = len(fake.of("auth.test"))
    await multi.command("U0BEN", "help", team=OTHER)
    await multi.command("U0ANA", "programs", team=OTHER)
    assert len(fake.of("auth.test")) == checks  # authorisation is cached, acks stay fast


async def test_a_forged_or_stale_state_installs_nothing(multi: Tandem, fake: FakeSlack) -> None:
    fake.codes["code-1"] = OTHER
    forged = "9999999999.nonce.0123456789abcdef0123456789abcdef"
    response = await multi.session.get(
        multi.url + f"/slack/oauth_redirect?code=code-1&state={forged}",
        headers={"Cookie": f"slack-app-oauth-state={forged}"},
    )
    assert response.status >= 400
    assert find_installation(multi.app.uow, OTHER) is None
    assert not fake.of("oauth.v2.access")


async def test_signed_states_are_used_once_and_expire() -> None:
    now = [1_000_000.0]
    states = SignedStates("secret", now=lambda: now[0])
    state = await states.async_issue()
    assert not await SignedStates("another secret").async_consume(state)
    assert await states.async_consume(state)
    assert not await states.async_consume(state)  # once only
    stale = await states.async_issue()
    now[0] += 601
    assert not await states.async_consume(stale)


async def test_uninstalling_forgets_the_workspace_token(multi: Tandem, fake: FakeSlack) -> None:
    assert await install(multi, fake, OTHER) == 200
    response = await multi.event({"type": "app_uninstalled"}, "Ev0UNINSTALL", team=OTHER)
    assert response.status == 200
    assert find_installation(multi.app.uow, OTHER) is None
    # Nothing can be sent there any more: a command is refused before it reaches the engine.
    await multi.command("U0ANA", "help", team=OTHER)
    assert not fake.of("chat.postMessage")


async def test_a_revoked_bot_token_is_forgotten(multi: Tandem, fake: FakeSlack) -> None:
    assert await install(multi, fake, OTHER) == 200
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0TANDEMBOT"]}}
    await multi.event(revoked, "Ev0REVOKED", team=OTHER)
    assert find_installation(multi.app.uow, OTHER) is None
