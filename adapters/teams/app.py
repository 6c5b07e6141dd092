"""``POST /api/messages``: what the Bot Framework sends Tandem, checked and taken.

In order, before anything else sees a request: a bearer token must be there
(else 401), the body must be small (413) and an activity (400), and the token
must be the Bot Framework's for this bot and this activity (401, whatever was
wrong: never a 500). Then:

- messages and installs are stored in the inbound queue and acknowledged (the
  engine takes them from there, as for Slack);
- an invoke is answered by the engine at once, because Teams wants the answer
  in the response: a dialog to open (``task/fetch``), a dialog submitted
  (``task/submit``, with its errors or the next page), or a card's button
  (``adaptiveCard/action``, with the card as it should look now).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from botbuilder.schema import AdaptiveCardInvokeResponse, Attachment
from botbuilder.schema.teams import (
    TaskModuleContinueResponse,
    TaskModuleMessageResponse,
    TaskModuleResponse,
    TaskModuleTaskInfo,
)

from adapters.teams import inbound
from adapters.teams.auth import ChannelAuth, Unauthorized
from adapters.teams.platform import TeamsPlatform
from adapters.teams.receiver import TeamsReceiver
from adapters.teams.render import CARD, answered, form_card, labels
from adapters.wiring import Server
from bot import messages as m
from bot.engine import Outcome
from bot.events import ChoicePicked, FormSubmitted
from bot.intake import Received
from bot.model import Workspace
from bot.ports import Unavailable

log = logging.getLogger(__name__)
PATH = "/api/messages"
MAX_BODY = 256 * 1024  # Teams' activities are far smaller
DIALOG = {"height": "large", "width": "medium"}


class Teams:
    """The route, and what it needs."""

    def __init__(
        self, auth: ChannelAuth, server: Server, platform: TeamsPlatform, receiver: TeamsReceiver
    ) -> None:
        self._auth = auth
        self._server = server
        self._platform = platform
        self._receiver = receiver
        self._versions: dict[str, int] = {}  # shared cards: the newest tally shown

    def mount(self, app: web.Application) -> None:
        app.router.add_post(PATH, self.messages)

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
        if kind in {"conversationUpdate", "installationUpdate"} and inbound.removed(activity):
            return web.Response(status=200)  # nothing is sent there any more by itself
        taken = inbound.message(activity) if kind == "message" else None
        if kind in {"conversationUpdate", "installationUpdate"}:
            taken = inbound.installed(activity)
        if taken is None:
            return web.Response(status=200)
        try:
            await self._server.accept(Received(taken.event, {"addresses": taken.addresses}))
        except Exception as error:  # noqa: BLE001 - whatever the database said, Teams retries
            log.error("an activity could not be queued: %s", type(error).__name__)
            return _refused(503, "try again later")
        return web.Response(status=200)

    # --- invokes: the engine answers at once --------------------------------------------

    async def _invoke(self, activity: Mapping[str, Any]) -> web.Response:
        try:
            answer = await self._server.blocking(self._answer, activity)
        except Unavailable:
            return _refused(503, "try again later")
        self._server.wake()
        return web.json_response(answer)

    def _answer(self, activity: Mapping[str, Any]) -> dict[str, Any]:
        now = self._server.core.clock.now()
        workspace = self._workspace(activity)
        taken = inbound.invoke(activity, lambda text: self._person(workspace, text))
        if taken is None:
            return {}
        self._receiver.remember(taken.event, taken.addresses, now)
        outcome = self._server.core.engine.handle(taken.event)
        name = activity.get("name")
        if name in {"task/fetch", "task/submit"}:
            return _dialog(outcome, submitted=isinstance(taken.event, FormSubmitted))
        assert isinstance(taken.event, ChoicePicked)
        return self._card(workspace, activity, taken.event, outcome)

    def _card(
        self,
        workspace: Workspace,
        activity: Mapping[str, Any],
        event: ChoicePicked,
        outcome: Outcome,
    ) -> dict[str, Any]:
        """The pressed card as it should look now: a shared card (a poll) as the
        engine says, for everyone; any other, its buttons given way to the answer."""
        # A channel's conversation id names the thread after ";": the card is in the channel.
        conversation = str((activity.get("conversation") or {}).get("id", "")).split(";")[0]
        pressed = f"{conversation}|{activity.get('replyToId', '')}"
        if outcome.replace is not None:
            card = self._platform.card(workspace, outcome.replace)
            if outcome.replace_version >= self._versions.get(pressed, 0):
                self._versions[pressed] = outcome.replace_version
                self._platform.update(workspace, pressed, outcome.replace)
        else:
            with self._server.core.uow() as uow:
                original = uow.outbox.by_platform_id(workspace.id, pressed)
            label = labels(original, event.action, event.values) or "done"
            card = answered(original or m.Message((), "Thanks"), label, lambda user: None)
        response: dict[str, Any] = AdaptiveCardInvokeResponse(
            status_code=200, type=CARD, value=card
        ).serialize()
        return response

    def _workspace(self, activity: Mapping[str, Any]) -> Workspace:
        actor = inbound.actor(activity)
        with self._server.core.uow() as uow:
            workspace = uow.workspaces.ensure(
                actor.platform, actor.workspace, self._server.core.clock.now()
            )
            uow.commit()
        return workspace

    def _person(self, workspace: Workspace, text: str) -> str:
        """A colleague named in a dialog by email: their handle where Tandem knows
        them, else what was typed (the engine says if it is no handle)."""
        with self._server.core.uow() as uow:
            found = uow.addresses.find(workspace.id, "email", text)
        return found or text


def _dialog(outcome: Outcome, *, submitted: bool) -> dict[str, Any]:
    """A dialog's answer: the form (again, with what was wrong), or a word to close it."""
    task: TaskModuleContinueResponse | TaskModuleMessageResponse
    if outcome.form is not None:
        card = Attachment(content_type=CARD, content=form_card(outcome.form, outcome.form_errors))
        info = TaskModuleTaskInfo(title=outcome.form.title[:60], card=card, **DIALOG)
        task = TaskModuleContinueResponse(value=info)
    elif outcome.form_errors:
        task = TaskModuleMessageResponse(value=next(iter(outcome.form_errors.values())))
    else:
        said = outcome.messages[0].message.summary if outcome.messages else ""
        task = TaskModuleMessageResponse(value=(said or ("Saved." if submitted else "Done."))[:200])
    response: dict[str, Any] = TaskModuleResponse(task=task).serialize()
    return response


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
