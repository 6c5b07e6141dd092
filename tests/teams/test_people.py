"""People in Teams: reached where they are, their addresses kept fresh, and
forgotten with everything else when they ask."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from adapters.teams.config import TeamsConfig, TeamsConfigError
from store.models import AddressRow, Base
from tests.teams.harness import ANA, BEN, CHANNEL, TENANT, TeamsTandem, text_of
from tests.teams.test_journey import join


async def test_someone_seen_only_in_a_channel_is_answered_in_a_new_one_to_one_chat(
    teams: TeamsTandem,
) -> None:
    await teams.install(BEN, channel=CHANNEL)  # Ben adds Tandem to the team, in a channel
    [opened] = [c for c in teams.connector.calls if c.path == "/v3/conversations"]
    assert opened.body["members"] == [{"id": BEN.teams_id}]
    assert opened.body["channelData"] == {"tenant": {"id": TENANT}}
    assert opened.bearer.startswith("bot-token-")  # the bot's own token, from the authority
    assert "I run peer mentoring here" in text_of(teams.last(BEN))


async def test_an_address_is_refreshed_by_every_request(teams: TeamsTandem) -> None:
    await teams.say(ANA, "help")
    moved = teams.activity(ANA, text="programs", textFormat="plain")
    moved["serviceUrl"] = teams.connector.url  # the same service, a newer name
    moved["from"]["name"] = "Ana Lima-Santos"
    await teams.send(moved)
    with teams.app.database.connect() as db:
        data = db.scalar(select(AddressRow.data).where(AddressRow.key == ANA.aad))
    assert data["name"] == "Ana Lima-Santos" and data["email"] == ANA.email
    assert data["conversation"] == ANA.chat and data["teams_id"] == ANA.teams_id


async def test_forget_me_erases_where_teams_reaches_the_person(teams: TeamsTandem) -> None:
    await join(teams, ANA, "Python", "SQL")
    await teams.say(ANA, "forget me")
    await teams.press(ANA, teams.last(ANA), "Erase everything")
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


def test_the_password_never_shows_in_logs() -> None:
    config = TeamsConfig("00000000-0000-0000-0000-000000000001", "s3cret-value")
    assert "s3cret" not in repr(config)
