"""The Bot Framework's rules: every token checked (a bad one is 401 and reaches
nothing), bodies bounded, activities taken once, Teams' refusals waited out or
recorded, what people typed shown as typed."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import aiohttp
import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from fakes.teams_keys import ISSUER, KeyServer
from store.tables import OutboxRow, QueuedEventRow
from tandem.bootstrap import build, load_settings, prepare_database
from tandem.serve import make_server
from tests.teams.bot_framework import ANA, APP_ID, CORA, Person, text_of
from tests.teams.teams_server import TeamsTandem
from tests.teams.test_journey import join


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256_with_public_key(keys: KeyServer, service_url: str) -> str:
    """The classic confusion: an HMAC token keyed with the RSA public key."""
    public = (
        keys.keys["key-1"][0]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = _b64(json.dumps({"alg": "HS256", "kid": "key-1", "typ": "JWT"}).encode())
    body = {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "exp": 4102444800}
    payload = _b64(json.dumps(body).encode())
    signature = hmac.new(public, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def _none_token(service_url: str) -> str:
    body = {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "exp": 4102444800}
    return jwt.encode(body, key=None, algorithm="none", headers={"kid": "key-1"})


BAD: dict[str, Callable[[KeyServer, str], str]] = {
    "no token": lambda k, url: "",
    "signed with another key": lambda k, url: k.token(
        APP_ID, url, key=rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ),
    "an unknown key id": lambda k, url: k.token(APP_ID, url, kid="key-nobody-published"),
    "for another bot": lambda k, url: k.token(APP_ID, url, audience="another-app"),
    "from another issuer": lambda k, url: k.token(APP_ID, url, issuer="https://evil.example"),
    "expired": lambda k, url: k.token(APP_ID, url, expires_in=-3600),
    "for another service url": lambda k, url: k.token(APP_ID, "https://evil.example/"),
    "with a key not endorsed for msteams": lambda k, url: k.token(APP_ID, url, kid="webchat-key"),
    "a webchat key for a webchat activity": lambda k, url: k.token(APP_ID, url, kid="webchat-key"),
    "a teams key for a webchat activity": lambda k, url: k.token(APP_ID, url),
    "alg none": lambda k, url: _none_token(url),
    "HS256 with the public key": _hs256_with_public_key,
}
# The activity's channel, where a case is about it (Teams' otherwise).
CHANNEL = {
    "a webchat key for a webchat activity": "webchat",
    "a teams key for a webchat activity": "webchat",
}


@pytest.mark.parametrize("case", sorted(BAD))
async def test_a_bad_token_is_401_and_reaches_nothing(teams: TeamsTandem, case: str) -> None:
    teams.keys.keys["webchat-key"] = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        ["webchat"],
    )
    token = BAD[case](teams.keys, teams.connector.url)
    activity = teams.activity(ANA, text="help")
    activity["channelId"] = CHANNEL.get(case, "msteams")
    response = await teams.send(activity, token=token)
    assert response.status == 401
    assert teams.connector.calls == []
    with teams.app.database.connect() as db:
        assert db.execute(select(QueuedEventRow.id)).all() == []
        assert db.execute(select(OutboxRow.id)).all() == []


async def test_a_good_token_is_taken(teams: TeamsTandem) -> None:
    response = await teams.say(ANA, "help")
    assert response.status == 200
    assert "I run peer mentoring here" in text_of(teams.last(ANA))


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"[]", 400),
        (json.dumps({"type": "message", "id": "x"}).encode(), 400),
        (b'{"type": "message", "text": "' + b"x" * 300_000 + b'"}', 413),
        (b"[" * 250_000, 400),  # nested past any parser's depth, under the size limit
    ],
    ids=["not json", "not an object", "no activity", "too large", "nested too deep"],
)
async def test_a_malformed_or_oversized_body_is_refused_never_500(
    teams: TeamsTandem, body: bytes, status: int
) -> None:
    token = teams.keys.token(APP_ID, teams.connector.url)
    response = await teams.session.post(
        teams.url + "/api/messages",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status == status
    assert teams.connector.calls == []


async def test_a_body_arriving_in_two_writes_is_read_whole(teams: TeamsTandem) -> None:
    """A body is taken whole however TCP splits it: the first write arrives and
    the handler starts before the rest is there."""
    token = teams.keys.token(APP_ID, teams.connector.url)
    body = json.dumps(teams.activity(ANA, text="help", textFormat="plain")).encode()
    where = urlparse(teams.url)
    reader, writer = await asyncio.open_connection(where.hostname, where.port)
    head = (
        f"POST /api/messages HTTP/1.1\r\nHost: {where.netloc}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    writer.write(head + body[:100])
    await writer.drain()
    for _ in range(50):  # the server's turns: it reads the headers and the first part
        await asyncio.sleep(0)
    writer.write(body[100:])
    await writer.drain()
    status = await asyncio.wait_for(reader.readline(), 10)
    writer.close()
    await writer.wait_closed()
    assert status.split()[1] == b"200", status
    await teams.settle()
    assert "I run peer mentoring here" in text_of(teams.last(ANA))


async def test_an_activity_sent_again_changes_nothing_twice(teams: TeamsTandem) -> None:
    activity = teams.activity(ANA, text="help", textFormat="plain")
    await teams.send(activity)
    await teams.send(activity)  # Teams delivers it again, same id
    assert len(teams.connector.posted[ANA.chat]) == 1


@pytest.mark.parametrize(
    ("status", "again_after"), [(429, 20), (412, None), (502, None), (504, None)]
)
async def test_teams_refusing_for_now_is_waited_out(
    teams: TeamsTandem, status: int, again_after: int | None
) -> None:
    await teams.say(ANA, "help")  # Tandem knows Ana's chat
    teams.connector.fail_next("POST", "activities", status, again_after)
    await teams.say(ANA, "programs")
    assert len(teams.connector.posted[ANA.chat]) == 1  # only the first reply so far
    teams.clock.advance(timedelta(seconds=30))
    await teams.settle()
    assert len(teams.connector.posted[ANA.chat]) == 2
    with teams.app.database.connect() as db:
        row = db.execute(
            select(OutboxRow).where(OutboxRow.status == "sent").order_by(OutboxRow.id.desc())
        ).first()
    assert row is not None and row.attempts == 2
    assert row.failures == (0 if status == 429 else 1)


async def test_a_forbidden_conversation_fails_for_good(teams: TeamsTandem) -> None:
    await teams.say(ANA, "help")
    teams.connector.fail_next("POST", "activities", 403)
    await teams.say(ANA, "programs")
    teams.clock.advance(timedelta(hours=2))
    await teams.settle()
    with teams.app.database.connect() as db:
        statuses = [s for (s,) in db.execute(select(OutboxRow.status).order_by(OutboxRow.id))]
        error = db.scalar(select(OutboxRow.last_error).where(OutboxRow.status == "failed"))
    assert statuses == ["sent", "failed"] and "403" in str(error)


async def test_what_people_typed_is_shown_as_typed_never_as_markdown(teams: TeamsTandem) -> None:
    # A Teams name with markdown and a link in it, and an intake answer with a tag.
    odd = Person("aad-odd", "Ben *Okafor* [x](https://evil.example) _now_")
    teams.connector.add_member(odd.teams_id, odd.name, odd.email, odd.aad)
    await join(teams, ANA, "Python,SQL", "Public speaking")
    await join(teams, odd, "Public speaking", "Python")
    await teams.say(CORA, "round engineering-growth preview")
    await teams.say(CORA, "round engineering-growth publish")
    intro = next(c for c in reversed(teams.cards(ANA)) if "Meet your match" in text_of(c))

    # The introduction mentions Ben (a TextBlock, where Teams reads markdown): his
    # name there can form no emphasis and no link, and shows no backslash.
    blocks = [e["text"] for e in _elements(intro) if e.get("type") == "TextBlock"]
    named = [b for b in blocks if "Okafor" in b]
    assert named, blocks
    for text in named:
        assert "*" not in text and "_" not in text and "](" not in text and "\\" not in text
    mentions = [e for e in intro["msteams"]["entities"] if e["mentioned"]["id"] == odd.teams_id]
    assert mentions and all(m["text"] in named[0] and "Okafor" in m["text"] for m in mentions)
    # Everything else is set where Teams reads no markdown: as typed, no escapes.
    assert "\\" not in text_of(intro)
    assert not [e for e in _elements(intro) if e.get("type") == "FactSet"]

    await teams.say(ANA, "profile")
    profile = teams.last(ANA)
    runs = [e["text"] for e in _elements(profile) if e.get("type") == "TextRun"]
    assert "I build data pipelines & love **SQL** ‹at›boss‹/at›." in runs
    assert not [e for e in _elements(profile) if e.get("type") in {"FactSet", "TextBlock"}]
    assert "entities" not in profile.get("msteams", {}) and "<at>" not in json.dumps(profile)
    assert teams.connector.card_problems == []


async def test_without_the_bots_credentials_there_is_no_teams_route(tmp_path: Path) -> None:
    settings = load_settings({"DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"})
    assert settings.platform("teams") is None
    app = build(settings, worker="test")
    prepare_database(app)
    runner = web.AppRunner(make_server(app, schedule=False, workers=False))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"http://127.0.0.1:{port}/api/messages",
                json={"type": "message"},
                headers={"Authorization": "Bearer x"},
            ) as response,
        ):
            assert response.status == 404
    finally:
        await runner.cleanup()
        app.close()


async def test_a_refused_bot_login_loses_nothing_and_shows_no_secret(
    teams: TeamsTandem, caplog: pytest.LogCaptureFixture
) -> None:
    teams.login.refuse = True  # a wrong or expired client secret
    response = await teams.say(ANA, "help")
    assert response.status == 200  # Teams' request is taken all the same
    assert teams.connector.calls == []  # nothing goes out without the bot's token
    with teams.app.database.connect() as db:
        [row] = db.execute(select(OutboxRow)).all()
    assert row.status == "pending" and "invalid_client" in str(row.last_error)
    assert "bot-secret" not in caplog.text

    teams.login.refuse = False  # the secret is put right
    teams.clock.advance(timedelta(minutes=10))
    await teams.settle()
    assert "I run peer mentoring here" in text_of(teams.last(ANA))
    assert all(c.bearer.startswith("bot-token-") for c in teams.connector.calls)


def _elements(card: object) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found
