"""Talking to Tandem the way the Bot Framework does: activities from the people Teams
knows, with signed bearer tokens, invokes and card buttons pressed; and reading the
cards Tandem sent back through the fake Bot Connector."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.clock import ManualClock
from fakes.teams import FakeConnector, check_card
from fakes.teams_keys import KeyServer

APP_ID = "00000000-1111-2222-3333-444444444444"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT = f"28:{APP_ID}"


@dataclass(frozen=True)
class Person:
    aad: str  # how Tandem knows them
    name: str

    @property
    def teams_id(self) -> str:
        return f"29:{self.aad}"

    @property
    def email(self) -> str:
        return f"{self.aad.removeprefix('aad-')}@example.com"

    @property
    def chat(self) -> str:
        """Their one-to-one conversation with Tandem."""
        return f"a:{self.teams_id}"


ANA = Person("aad-ana", "Ana Lima")
BEN = Person("aad-ben", "Ben Okafor")
CORA = Person("aad-cora", "Cora Coordinator")


class BotFramework:
    """Teams' side of the talk with the server at ``url``: activities as the Bot
    Framework sends them, each settled (``settle``) unless told not to, and what
    Tandem sent. Mixed into the running server's handle (tests/teams/teams_server.py),
    which provides what is declared here."""

    clock: ManualClock
    keys: KeyServer
    connector: FakeConnector
    url: str
    session: aiohttp.ClientSession
    _ids: Iterator[int]

    async def settle(self) -> int:
        raise NotImplementedError

    def activity(self, person: Person, kind: str = "message", **fields: Any) -> dict[str, Any]:
        number = next(self._ids)
        channel = fields.pop("channel", None)
        conversation = (
            {
                "id": f"{channel};messageid={number}",
                "conversationType": "channel",
                "tenantId": TENANT,
            }
            if channel
            else {"id": person.chat, "conversationType": "personal", "tenantId": TENANT}
        )
        return {
            "type": kind,
            "id": f"f:{number:06d}",
            "timestamp": self.clock.now().isoformat(),
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "from": {"id": person.teams_id, "name": person.name, "aadObjectId": person.aad},
            "conversation": conversation,
            "recipient": {"id": BOT, "name": "Tandem"},
            "channelData": {
                "tenant": {"id": TENANT},
                **({"channel": {"id": channel}} if channel else {}),
            },
            **fields,
        }

    async def send(
        self, activity: dict[str, Any], *, token: str | None = None, settle: bool = True
    ) -> aiohttp.ClientResponse:
        bearer = token if token is not None else self.keys.token(APP_ID, self.connector.url)
        response = await self.session.post(
            self.url + "/api/messages",
            json=activity,
            headers={"Authorization": f"Bearer {bearer}"} if bearer else {},
        )
        await response.read()
        if settle:
            await self.settle()
        return response

    async def say(self, person: Person, text: str, **fields: Any) -> aiohttp.ClientResponse:
        return await self.send(self.activity(person, text=text, textFormat="plain", **fields))

    async def install(self, person: Person, **fields: Any) -> aiohttp.ClientResponse:
        activity = self.activity(person, "conversationUpdate", membersAdded=[{"id": BOT}], **fields)
        return await self.send(activity)

    async def invoke(
        self,
        person: Person,
        name: str,
        value: dict[str, Any],
        *,
        settle: bool = True,
        activity: dict[str, Any] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """An invoke (``activity``: this very one again, as Teams may send it twice)."""
        sent = activity or self.activity(person, "invoke", name=name, value=value, **fields)
        response = await self.send(sent, settle=settle)
        assert response.status == 200, await response.text()
        found: dict[str, Any] = await response.json()
        # The cards answered at once are checked against the schema too.
        task = (found.get("task") or {}).get("value")
        card = task.get("card", {}).get("content") if isinstance(task, dict) else found.get("value")
        if isinstance(card, dict):
            self.connector.card_problems += check_card(card)
        return found

    async def press(
        self,
        person: Person,
        card: dict[str, Any],
        title: str,
        *,
        activity_id: str = "",
        settle: bool = True,
        **fields: Any,
    ) -> dict[str, Any]:
        """Press a button on a card Tandem sent: a dialog for a submit that asks for
        one, else the card's Action.Execute."""
        return await self.invoke(
            person, **pressing(card, title), replyToId=activity_id, settle=settle, **fields
        )

    async def submit(
        self, person: Person, dialog: dict[str, Any], answers: dict[str, str]
    ) -> dict[str, Any]:
        """Submit a dialog Tandem opened, with these answers."""
        card = dialog["task"]["value"]["card"]["content"]
        submit = card["actions"][0]
        return await self.invoke(person, "task/submit", {"data": {**submit["data"], **answers}})

    # --- what Tandem sent ----------------------------------------------------------------

    def cards(self, person: Person) -> list[dict[str, Any]]:
        return self.connector.cards_in(person.chat)

    def last(self, person: Person) -> dict[str, Any]:
        cards = self.cards(person)
        assert cards, f"nothing sent to {person.name}"
        return cards[-1]

    def activity_id(self, person: Person, card: dict[str, Any]) -> str:
        for activity in self.connector.posted.get(person.chat, []):
            if any(a.get("content") is card for a in activity.get("attachments") or ()):
                return str(activity["id"])
        raise AssertionError("that card was not posted")


def pressing(card: dict[str, Any], title: str) -> dict[str, Any]:
    """The invoke's name and value for pressing a card's button."""
    action = button(card, title)
    if action["type"] == "Action.Submit":
        return {"name": "task/fetch", "value": {"data": action["data"]}}
    execute = {"type": "Action.Execute", "verb": action["verb"], "data": action["data"]}
    return {"name": "adaptiveCard/action", "value": {"action": execute}}


def text_of(card: dict[str, Any]) -> str:
    """Everything a card says, as one string."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "label", "value"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return " ".join(found)


def button(card: dict[str, Any], title: str) -> dict[str, Any]:
    """The action titled ``title`` on a card."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action.") and node.get("title") == title:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    assert found, f"no button {title!r} on {text_of(card)[:300]}"
    return found[0]
