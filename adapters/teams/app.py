"""``POST /api/messages``: what the Bot Framework sends Tandem, checked and taken.

In order, before anything else sees a request: a bearer token must be there
(else 401), the body must be small (413) and an activity (400), and the token
must be the Bot Framework's for this bot and this activity (401, whatever was
wrong: never a 500). Then:

- messages and installs are stored in the inbound queue and acknowledged (the
  engine takes them from there, as for Slack); a removal marks where Tandem was
  removed, so nothing is sent there any more;
- an invoke is answered by the engine at once, because Teams wants the answer
  in the response: a dialog to open (``task/fetch``), a dialog submitted
  (``task/submit``, with its errors or the next page), or a card's button
  (``adaptiveCard/action``, with the card as it should look now).

Nothing on the way to an answer calls Teams: a shared card's new tally and the
person's email are asked for after the response, off the pool answers wait on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web

from adapters.teams import inbound
from adapters.teams.auth import ChannelAuth, Unauthorized
from adapters.teams.forms import labels, unresolved
from adapters.teams.invokes import (
    InvokeAnswer,
    card_answer,
    dialog_answer,
    unchanged,
    unknown_people,
)
from adapters.teams.platform import TeamsPlatform
from adapters.teams.receiver import TeamsReceiver
from adapters.teams.render import answered
from adapters.teams.shared import SHARED, SharedCards
from adapters.wiring import Server
from bot.engine import Outcome
from bot.events import Actor, ChoicePicked, FormSubmitted
from bot.handoff import Received
from bot.model import Workspace
from bot.ports import Unavailable, UnitOfWork

log = logging.getLogger(__name__)
PATH = "/api/messages"
MAX_BODY = 256 * 1024  # Teams' activities are far smaller


class Teams:
    """The route, and what it needs."""

    def __init__(
        self, auth: ChannelAuth, server: Server, platform: TeamsPlatform, receiver: TeamsReceiver
    ) -> None:
        self._auth = auth
        self._server = server
        self._platform = platform
        self._receiver = receiver
        self.shared = SharedCards(platform, server.after, server.later)

    def mount(self, app: web.Application) -> None:
        app.router.add_post(PATH, self.messages)
        app[TEAMS] = self

    async def messages(self, request: web.Request) -> web.Response:
        authorization = request.headers.get("Authorization")
        if not authorization:
            return _refused(401, "no token")
        if (request.content_length or 0) > MAX_BODY:
            return _refused(413, "too large")
        body = await _body(request)
        if len(body) > MAX_BODY:
            return _refused(413, "too large")
        try:
            activity = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):  # nested too deep: not an activity
            return _refused(400, "not JSON")
        problem = inbound.problem(activity) if isinstance(activity, Mapping) else "not an object"
        if problem is not None:
            return _refused(400, problem)
        try:
            await self._auth.check(authorization, activity)
        except Unauthorized as reason:
            log.info("a request to %s was refused: %s", PATH, reason)
            return _refused(401, "unauthorized")
        if activity["type"] == "invoke":
            return await self._invoke(activity)
        return await self._take(activity)

    async def _take(self, activity: Mapping[str, Any]) -> web.Response:
        kind = activity["type"]
        try:
            if kind in {"conversationUpdate", "installationUpdate"} and inbound.removed(activity):
                await self._server.blocking(self._removed, activity)
                return web.Response(status=200)
            taken = inbound.message(activity) if kind == "message" else None
            if inbound.is_install(activity):
                install = await self._server.blocking(self._install, activity)
                taken = inbound.installed(activity, install)
            if taken is None:
                return web.Response(status=200)
            await self._server.accept(Received(taken.event, {"addresses": taken.addresses}))
        except Exception as error:  # noqa: BLE001 - whatever the database said, Teams retries
            log.error("an activity could not be queued: %s", type(error).__name__)
            return _refused(503, "try again later")
        return web.Response(status=200)

    def _install(self, activity: Mapping[str, Any]) -> str:
        """Which install this is: the same for both activities of one install, a
        new one once Tandem was removed there (or the person erased)."""
        key, now = inbound.reach_key(activity), self._server.core.clock.now()
        with self._server.core.uow() as uow:
            workspace = self._workspace_of(uow, activity)
            found = uow.addresses.get(workspace.id, key) or {}
            install = found.get("install", "")
            if not install or found.get("state") == inbound.REMOVED:
                install = str(activity["id"])[:150]
                state = {"install": install, "state": inbound.INSTALLED}
                uow.addresses.put(workspace.id, key, state, now)
                uow.commit()
        return install

    def _removed(self, activity: Mapping[str, Any]) -> None:
        """Tandem removed from someone's apps, a chat or a team: nothing is sent
        there until it is added again (Teams would refuse it)."""
        key, now = inbound.reach_key(activity), self._server.core.clock.now()
        with self._server.core.uow() as uow:
            workspace = self._workspace_of(uow, activity)
            if uow.addresses.get(workspace.id, key) is not None:
                uow.addresses.put(workspace.id, key, {"state": inbound.REMOVED}, now)
                uow.commit()

    # --- invokes: the engine answers at once --------------------------------------------

    async def _invoke(self, activity: Mapping[str, Any]) -> web.Response:
        try:
            answer = await self._server.blocking(self._answer, activity)
        except Unavailable:
            return _refused(503, "try again later")
        except Exception as error:  # noqa: BLE001 - the database away: Teams may try again
            log.error("an invoke could not be answered: %s", type(error).__name__)
            return _refused(503, "try again later")
        self._server.wake()
        # After the response: Teams' calls never hold an answer (or the pool behind it) up.
        if answer.shared is not None:
            self.shared.show(*answer.shared)
        if answer.actor is not None:
            self._server.later(self._learn_email(answer.actor, answer.addresses))
        return web.json_response(answer.body)

    async def _learn_email(self, actor: Actor, addresses: Mapping[str, Mapping[str, str]]) -> None:
        await self._server.after(self._receiver.learn_email, actor, addresses)

    def _answer(self, activity: Mapping[str, Any]) -> InvokeAnswer:
        now = self._server.core.clock.now()
        workspace = self._workspace(activity)
        taken = inbound.invoke(activity, lambda text: self._person(workspace, text))
        if taken is None:
            return InvokeAnswer({})
        self._receiver.remember(taken.event, taken.addresses, now)
        outcome = self._server.core.engine.handle(taken.event)
        answer = InvokeAnswer({}, actor=taken.event.actor, addresses=taken.addresses)
        name = activity.get("name")
        if name in {"task/fetch", "task/submit"}:
            if isinstance(taken.event, FormSubmitted):
                outcome = unknown_people(outcome, unresolved(taken.event.values))
            shown = self._shown(workspace)
            answer.body = dialog_answer(
                outcome, shown, submitted=isinstance(taken.event, FormSubmitted)
            )
            return answer
        assert isinstance(taken.event, ChoicePicked)
        return self._card(workspace, activity, taken.event, outcome, answer)

    def _card(
        self,
        workspace: Workspace,
        activity: Mapping[str, Any],
        event: ChoicePicked,
        outcome: Outcome,
        answer: InvokeAnswer,
    ) -> InvokeAnswer:
        """The pressed card as it should look now: a shared card (a poll) as the
        engine says, for everyone; any other, its buttons given way to the answer.
        A shared card the engine leaves as it is stays so (a refused answer, the
        same press again)."""
        # A channel's conversation id names the thread after ";": the card is in the channel.
        conversation = str((activity.get("conversation") or {}).get("id", "")).split(";")[0]
        pressed = f"{conversation}|{activity.get('replyToId', '')}"
        if outcome.replace is not None:
            card = self._platform.card(workspace, outcome.replace)
            answer.shared = (workspace, pressed, outcome.replace, outcome.replace_version)
            answer.body = card_answer(card)
            return answer
        with self._server.core.uow() as uow:
            original = uow.outbox.by_platform_id(workspace.id, pressed)
        if original is None or original.kind in SHARED:
            said = outcome.messages[0].message.summary if outcome.messages else ""
            answer.body = unchanged(said or "Done.")
            return answer
        # The same press again (Teams sent it twice) is answered as the first was.
        label = labels(original, event.action, event.values) or "done"
        answer.body = card_answer(answered(original, label, self._platform.people(workspace)))
        return answer

    def _workspace(self, activity: Mapping[str, Any]) -> Workspace:
        with self._server.core.uow() as uow:
            workspace = self._workspace_of(uow, activity)
            uow.commit()
        return workspace

    def _workspace_of(self, uow: UnitOfWork, activity: Mapping[str, Any]) -> Workspace:
        actor = inbound.actor(activity)
        return uow.workspaces.ensure(actor.platform, actor.workspace, self._server.core.clock.now())

    def _person(self, workspace: Workspace, text: str) -> str | None:
        """A colleague named in a dialog: by the email Teams gave Tandem for them, or
        by their handle (shown for someone whose email Tandem does not know); None
        for anyone else. Only people who have used Tandem in Teams can be named."""
        with self._server.core.uow() as uow:
            if "@" in text:
                return uow.addresses.find(workspace.id, "email", text) or uow.addresses.find(
                    workspace.id, "mail", text
                )
            found = uow.addresses.get(workspace.id, text)
        return text if found is not None and found.get("teams_id") else None

    def _shown(self, workspace: Workspace) -> Callable[[str], str]:
        """How a colleague is shown in a dialog's people field: by their email."""

        def shown(user_id: str) -> str:
            found = self._platform.someone(workspace, user_id)
            return found.email if found is not None and found.email else user_id

        return shown


TEAMS = web.AppKey("teams", Teams)  # the route's own object, on the server (for tests)


async def _body(request: web.Request) -> bytes:
    """The whole body, however many reads it arrives in, up to one byte past
    :data:`MAX_BODY` (enough to know it is too large)."""
    body = bytearray()
    while len(body) <= MAX_BODY:
        chunk = await request.content.read(MAX_BODY + 1 - len(body))
        if not chunk:
            break
        body += chunk
    return bytes(body)


def _refused(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)
