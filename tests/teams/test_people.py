"""People in Teams: reached where they are, their addresses kept fresh, and
forgotten with everything else when they ask."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from adapters.teams.config import TeamsConfig, TeamsConfigError
from adapters.teams.receiver import PAUSE_AFTER_OUTAGE
from bot import outbound as m
from bot.platform import Delivered, Rejected
from fakes.teams import Call, FakeConnector
from store.tables import AddressRow, AnswerRow, Base, InboundEventRow, OutboxRow
from tests.teams.bot_framework import ANA, APP_ID, BEN, BOT, CORA, TENANT, Person, text_of
from tests.teams.teams_server import CHANNEL, TeamsTandem
from tests.teams.test_journey import GUARD, INTAKE, join


async def test_someone_seen_only_in_a_channel_is_answered_in_a_new_one_to_one_chat(
    teams: TeamsTandem,
) -> None:
    await teams.install(BEN, channel=CHANNEL)  # Ben adds Tandem to the team, in a channel
    [opened] = [c for c in teams.connector.calls if c.path == "/v3/conversations"]
    assert opened.body["members"] == [{"id": BEN.teams_id}]
    assert opened.body["channelData"] == {"tenant": {"id": TENANT}}
    assert opened.bearer.startswith("bot-token-")  # the bot's own token, from the authority
    assert "I run peer mentoring here" in text_of(teams.last(BEN))


@pytest.fixture
async def elsewhere() -> AsyncIterator[FakeConnector]:
    """The Bot Connector of another region: Teams may move a tenant's service."""
    fake = FakeConnector()
    fake.add_member(ANA.teams_id, ANA.name, ANA.email, ANA.aad)
    await fake.start()
    yield fake
    await fake.stop()


async def test_an_address_is_refreshed_by_every_request(
    teams: TeamsTandem, elsewhere: FakeConnector
) -> None:
    await teams.say(ANA, "help")
    assert elsewhere.url != teams.connector.url
    moved = teams.activity(ANA, text="programs", textFormat="plain")
    moved["serviceUrl"] = elsewhere.url  # Teams serves Ana from another region now
    moved["from"]["name"] = "Ana Lima-Santos"
    await teams.send(moved, token=teams.keys.token(APP_ID, elsewhere.url))
    with teams.app.database.connect() as db:
        data = db.scalar(select(AddressRow.data).where(AddressRow.key == ANA.aad))
    assert data["service_url"] == elsewhere.url
    assert data["name"] == "Ana Lima-Santos" and data["email"] == ANA.email
    assert data["conversation"] == ANA.chat and data["teams_id"] == ANA.teams_id
    # The answer went to where Teams said Ana is now, and only there.
    assert len(elsewhere.posted[ANA.chat]) == 1
    assert len(teams.connector.posted[ANA.chat]) == 1  # the first answer, before the move


async def test_forget_me_erases_where_teams_reaches_the_person(teams: TeamsTandem) -> None:
    await join(teams, ANA, "Python", "SQL")
    await teams.say(ANA, "forget me")
    answer = await teams.press(ANA, teams.last(ANA), "Erase everything")
    # The farewell reaches Ana's chat, though where she is reached was erased with her
    # (Teams opens no chat from an Entra object id alone).
    assert "erased" in answer["value"]
    assert "everything Tandem held about you has been erased" in text_of(teams.last(ANA))
    assert not [c for c in teams.connector.calls if c.path == "/v3/conversations"]
    traces = (ANA.aad, ANA.email, ANA.teams_id, "Ana Lima", "data pipelines")
    with teams.app.database.connect() as db:
        rows = [
            (table.name, json.dumps(dict(row), default=str))
            for table in Base.metadata.sorted_tables
            for row in db.execute(select(table)).mappings()
        ]
    found = [(t, trace) for t, text in rows for trace in traces if trace in text]
    assert found == []


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"MICROSOFT_APP_ID": "00000000-0000-0000-0000-000000000001"}, "Set both"),
        ({"MICROSOFT_APP_ID": "bot", "MICROSOFT_APP_PASSWORD": "x"}, "GUID"),
        (
            {
                "MICROSOFT_APP_ID": "00000000-0000-0000-0000-000000000001",
                "MICROSOFT_APP_PASSWORD": "x",
                "TEAMS_LOGIN_URL": "http://login.example.com",
            },
            "https",
        ),
    ],
)
def test_a_bad_teams_setting_stops_the_start_with_a_clear_message(
    env: dict[str, str], says: str
) -> None:
    with pytest.raises(TeamsConfigError, match=says):
        TeamsConfig.from_env(env)


# --- colleagues named by email ---------------------------------------------------------


async def _intake(teams: TeamsTandem, person: Person = ANA) -> dict[str, Any]:
    await teams.say(person, "join engineering-growth")
    return await teams.press(person, teams.last(person), "I agree")


def _answers(dialog: dict[str, Any], **changed: str) -> dict[str, str]:
    form = dialog["task"]["value"]["card"]["content"]
    style = next(i for i in form["body"] if i.get("id") == "style")
    chosen = {"offers": "SQL", "wants": "Python", "style": style["choices"][0]["value"]}
    return {**INTAKE, **chosen, **changed}


def _field(dialog: dict[str, Any], name: str) -> dict[str, Any]:
    form = dialog["task"]["value"]["card"]["content"]
    found: dict[str, Any] = next(i for i in form["body"] if i.get("id") == name)
    return found


async def test_a_colleague_is_named_by_email_and_shown_by_it_again(teams: TeamsTandem) -> None:
    await teams.say(BEN, "help")  # Ben has used Tandem: Teams told it his email
    dialog = await _intake(teams)
    again = await teams.submit(ANA, dialog, _answers(dialog, avoid=BEN.email.upper(), goals=""))
    assert again["task"]["type"] == "continue"  # refused for the goals left out
    assert _field(again, "avoid").get("value") == BEN.email  # as Ana named him, not his id
    assert BEN.aad not in json.dumps(again)
    done = await teams.submit(ANA, dialog, _answers(dialog, avoid=BEN.email))
    assert done["task"]["type"] == "message"
    with teams.app.database.connect() as db:
        stored = json.dumps(db.scalars(select(AnswerRow.value)).all())
    assert BEN.aad in stored  # kept as his handle


async def test_a_colleague_tandem_does_not_know_is_refused_in_words_for_teams(
    teams: TeamsTandem,
) -> None:
    dialog = await _intake(teams)
    again = await teams.submit(ANA, dialog, _answers(dialog, avoid="newcolleague@example.com"))
    assert again["task"]["type"] == "continue"
    said = text_of(again["task"]["value"]["card"]["content"])
    assert "I don't know anyone at newcolleague@example.com in Tandem yet" in said
    assert "said hello to Tandem" in said
    assert "@sam" not in said and "handle" not in said  # no console words
    assert _field(again, "avoid").get("value") == "newcolleague@example.com"  # as typed
    not_email = await teams.submit(ANA, dialog, _answers(dialog, manager="Ben"))
    said = text_of(not_email["task"]["value"]["card"]["content"])
    assert "isn't an email address" in said
    with teams.app.database.connect() as db:
        assert db.execute(select(AnswerRow.id)).all() == []  # nothing taken


def test_the_password_never_shows_in_logs() -> None:
    config = TeamsConfig("00000000-0000-0000-0000-000000000001", "s3cret-value")
    assert "s3cret" not in repr(config)


# --- where Tandem is installed ---------------------------------------------------------


def _hellos(teams: TeamsTandem, person: Person) -> int:
    return sum("I run peer mentoring here" in text_of(card) for card in teams.cards(person))


async def test_an_install_says_hello_once_and_a_reinstall_again(teams: TeamsTandem) -> None:
    # Teams sends two activities for one install; an upgrade of the app is no install.
    await teams.install(ANA)
    await teams.send(teams.activity(ANA, "installationUpdate", action="add"))
    await teams.send(teams.activity(ANA, "installationUpdate", action="add-upgrade"))
    assert _hellos(teams, ANA) == 1

    removed = teams.activity(ANA, "installationUpdate", action="remove")
    assert (await teams.send(removed)).status == 200
    # Added again (Teams sends only installationUpdate for a personal reinstall).
    await teams.send(teams.activity(ANA, "installationUpdate", action="add"))
    assert _hellos(teams, ANA) == 2
    with teams.app.database.connect() as db:
        events = db.scalars(select(InboundEventRow.event_id)).all()
    assert not [e for e in events if ANA.aad in e]  # no event id says who it was


async def test_nothing_is_sent_to_someone_who_removed_tandem(teams: TeamsTandem) -> None:
    await join(teams, ANA, "Python,SQL", "Public speaking")
    await join(teams, BEN, "Public speaking", "Python")
    await teams.send(teams.activity(ANA, "installationUpdate", action="remove"))
    posted = len(teams.connector.posted[ANA.chat])
    await teams.say(CORA, "round engineering-growth preview")
    await teams.say(CORA, "round engineering-growth publish")
    teams.clock.advance(timedelta(hours=2))
    await teams.settle()
    # Ana's introduction is refused at once, not posted to be refused by Teams.
    assert len(teams.connector.posted[ANA.chat]) == posted
    assert any("Meet your match" in text_of(card) for card in teams.cards(BEN))
    with teams.app.database.connect() as db:
        failed = db.scalars(select(OutboxRow.last_error).where(OutboxRow.status == "failed")).all()
    assert any("removed Tandem" in str(error) for error in failed)

    # Once she adds Tandem again, she is written to again.
    await teams.send(teams.activity(ANA, "installationUpdate", action="add"))
    assert len(teams.connector.posted[ANA.chat]) == posted + 1  # hello


async def test_nothing_is_posted_in_a_team_tandem_was_removed_from(teams: TeamsTandem) -> None:
    await teams.install(CORA, channel=CHANNEL)
    gone = teams.activity(CORA, "conversationUpdate", membersRemoved=[{"id": BOT}], channel=CHANNEL)
    assert (await teams.send(gone)).status == 200
    await teams.say(CORA, "poll engineering-growth How useful are your sessions? | Very | Not yet")
    assert CHANNEL not in teams.connector.posted
    assert not [c for c in teams.connector.calls if c.method == "POST" and CHANNEL in c.path]


# --- the person's email, asked of Teams after the answer -------------------------------


def _lookups(teams: TeamsTandem) -> list[Call]:
    return [c for c in teams.connector.calls if "/members/" in c.path]


def _email_of(teams: TeamsTandem, person: Person) -> str | None:
    with teams.app.database.connect() as db:
        data = db.scalar(select(AddressRow.data).where(AddressRow.key == person.aad))
    return (data or {}).get("email")


async def test_teams_is_not_asked_again_at_once_after_it_failed_to_answer(
    teams: TeamsTandem,
) -> None:
    teams.connector.fail_next("GET", "members", 503)
    await teams.say(ANA, "help")
    assert "I run peer mentoring here" in text_of(teams.last(ANA))  # answered all the same
    assert len(_lookups(teams)) == 1 and _email_of(teams, ANA) is None
    await teams.say(ANA, "programs")
    await teams.say(BEN, "help")
    assert len(_lookups(teams)) == 1  # Teams was away: nobody is asked about for a while
    teams.clock.advance(PAUSE_AFTER_OUTAGE + timedelta(seconds=1))
    await teams.say(ANA, "help")
    assert len(_lookups(teams)) == 2 and _email_of(teams, ANA) == ANA.email


async def test_a_card_is_answered_while_teams_is_slow_to_say_who_someone_is(
    teams: TeamsTandem,
) -> None:
    teams.connector.hold("GET", "members")
    pressed = {"action": {"type": "Action.Execute", "verb": "home", "data": {"action": "home"}}}
    answer = await asyncio.wait_for(
        teams.invoke(ANA, "adaptiveCard/action", pressed, settle=False), GUARD
    )
    assert answer["statusCode"] == 200
    teams.connector.release("GET", "members")
    await teams.settle()
    assert _email_of(teams, ANA) == ANA.email


@pytest.mark.parametrize("installed_for_them", [True, False])
async def test_someone_never_seen_in_teams_is_reached_by_entra_id_only_where_teams_allows(
    teams: TeamsTandem, installed_for_them: bool
) -> None:
    """Teams opens a chat from an Entra object id only where the app is installed
    for that person (an admin's install); otherwise it refuses, and so is it
    recorded, for good."""
    await teams.say(ANA, "help")  # Tandem knows where the tenant's service is
    teams.connector.entra_ids = installed_for_them
    platform = teams.app.platforms["teams"]
    with teams.app.uow() as uow:
        workspace = uow.workspaces.ensure("teams", TENANT, teams.clock.now())
        uow.commit()
    hello = m.Outbound("k1", m.ToPerson(BEN.aad), m.Message((m.para("Hello"),), "Hello"))
    result = await asyncio.to_thread(platform.send, workspace, hello)
    if installed_for_them:
        assert isinstance(result, Delivered) and BEN.chat in teams.connector.posted
    else:
        assert isinstance(result, Rejected) and BEN.chat not in teams.connector.posted
