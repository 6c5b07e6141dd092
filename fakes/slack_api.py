"""What the fake Slack knows and does: its workspaces' users, conversations and files,
and the Web API methods that read and change them, checked as Slack checks them (a
DM needs a user that exists, blocks and views must parse with slack_sdk's models,
which apply Block Kit's limits). :class:`fakes.slack.FakeSlack` puts them on HTTP.
"""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

TEAM = "T0TANDEM"
BOT_TOKEN = "xoxb-test-token"
BOT_USER = "U0TANDEMBOT"
APP_TOKEN = "xapp-test-token"


@dataclass
class Call:
    method: str
    token: str
    body: dict[str, Any]


@dataclass
class SlackApi:
    """The Web API's state and methods: ``_<method with _ for .>(body)`` answers a call
    (``body["_team"]`` is the caller's workspace) with its fields, or with an error."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> profile
    url: str = ""
    tokens: dict[str, str] = field(default_factory=lambda: {BOT_TOKEN: TEAM})  # token -> team
    # OAuth: the app's credentials, and the workspace each code installs into.
    client: tuple[str, str] = ("1111.2222", "client-secret")
    codes: dict[str, str] = field(default_factory=dict)  # code -> team id
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # newest first
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    # Files: every one asked for (id -> name, title, length), the bytes POSTed to its
    # upload URL, and the ids completed (shared, or kept private without a channel).
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploaded: dict[str, bytes] = field(default_factory=dict)
    completed: list[str] = field(default_factory=list)

    def _auth_test(self, body: dict[str, Any]) -> dict[str, Any]:
        team = body["_team"]
        return {"team_id": team, "user_id": BOT_USER, "bot_id": "B0TANDEM", "team": team}

    def _oauth(self, authorization: str, body: dict[str, Any]) -> dict[str, Any]:
        client_id, secret = str(body.get("client_id", "")), str(body.get("client_secret", ""))
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
            client_id, _, secret = decoded.partition(":")
        if (client_id, secret) != self.client:
            return {"ok": False, "error": "invalid_client_id"}
        team = self.codes.pop(str(body.get("code", "")), None)
        if team is None:
            return {"ok": False, "error": "invalid_code"}
        token = f"xoxb-{team.lower()}"
        self.tokens[token] = team
        return {
            "ok": True,
            "app_id": "A0TANDEM",
            "access_token": token,
            "token_type": "bot",
            "scope": (
                "commands,chat:write,im:write,mpim:write,im:history,mpim:history,"
                "users:read,files:write"
            ),
            "bot_user_id": BOT_USER,
            "team": {"id": team, "name": team},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": "U0INSTALLER"},
        }

    def _users_info(self, body: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(body.get("user")))
        return {"user": user} if user else {"ok": False, "error": "user_not_found"}

    def _conversations_open(self, body: dict[str, Any]) -> dict[str, Any]:
        users = [u for u in str(body.get("users", "")).split(",") if u]
        if not users or any(u not in self.users for u in users):
            return {"ok": False, "error": "user_not_found"}
        prefix = "D" if len(users) == 1 else "G"
        return {"channel": {"id": prefix + "".join(sorted(u[-4:] for u in users))}}

    def _chat_postMessage(self, body: dict[str, Any]) -> dict[str, Any]:
        if not body.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not body.get("text") and not body.get("blocks"):
            return {"ok": False, "error": "no_text"}
        problem = _blocks_problem(body.get("blocks"))
        if problem:
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        metadata = body.get("metadata")
        if metadata is not None and (
            not isinstance(metadata.get("event_type"), str)
            or not isinstance(metadata.get("event_payload"), dict)
        ):
            return {"ok": False, "error": "invalid_metadata_format"}
        ts = f"1700000000.{next(self._ts):06d}"
        self.history.setdefault(body["channel"], []).insert(
            0, {"type": "message", "ts": ts, "text": body.get("text"), "metadata": metadata}
        )
        return {"channel": body["channel"], "ts": ts}

    def _files_getUploadURLExternal(self, body: dict[str, Any]) -> dict[str, Any]:
        filename, length = str(body.get("filename") or ""), str(body.get("length") or "")
        if not filename or not length.isdigit() or int(length) < 1:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ts):09d}"
        self.files[file_id] = {
            "id": file_id,
            "name": filename,
            "title": filename,
            "size": int(length),
            "alt_txt": body.get("alt_txt") or "",
        }
        upload_url = self.url.removesuffix("api/") + f"upload/v1/{file_id}"
        return {"upload_url": upload_url, "file_id": file_id}

    def _files_completeUploadExternal(self, body: dict[str, Any]) -> dict[str, Any]:
        files = body.get("files")
        if isinstance(files, str):
            files = json.loads(files)
        if not isinstance(files, list) or not files or not all(isinstance(f, dict) for f in files):
            return {"ok": False, "error": "invalid_arguments"}
        ids = [str(f.get("id")) for f in files]
        if any(i not in self.uploaded or i in self.completed for i in ids):
            return {"ok": False, "error": "file_not_found"}  # never uploaded, or done already
        for f in files:
            if f.get("title"):
                self.files[str(f["id"])]["title"] = str(f["title"])
        done = [self.files[i] for i in ids]
        for file in done:
            if len(self.uploaded[file["id"]]) != file["size"]:
                return {"ok": False, "error": "file_size_mismatch"}
        self.completed.extend(ids)
        channel = str(body.get("channel_id") or "")
        if channel:  # shared: a message in the conversation (or in a thread of it)
            ts = f"1700000000.{next(self._ts):06d}"
            message = {
                "type": "message",
                "ts": ts,
                "user": BOT_USER,
                "text": body.get("initial_comment") or "",
                "upload": True,
                "files": [dict(file) for file in done],
            }
            if body.get("thread_ts"):
                message["thread_ts"] = body["thread_ts"]
            self.history.setdefault(channel, []).insert(0, message)
        return {"files": [{**file, "shares": {}} for file in done]}

    def _conversations_history(self, body: dict[str, Any]) -> dict[str, Any]:
        messages = self.history.get(str(body.get("channel")), [])[: int(body.get("limit", 100))]
        if str(body.get("include_all_metadata")).lower() not in {"true", "1"}:
            messages = [{k: v for k, v in x.items() if k != "metadata"} for x in messages]
        return {"messages": messages, "has_more": False}

    def _chat_update(self, body: dict[str, Any]) -> dict[str, Any]:
        if not body.get("channel") or not body.get("ts"):
            return {"ok": False, "error": "message_not_found"}
        problem = _blocks_problem(body.get("blocks"))
        if problem:
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        return {"channel": body["channel"], "ts": body["ts"]}

    def _views_open(self, body: dict[str, Any]) -> dict[str, Any]:
        if not body.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        problem = _view_problem(body.get("view"))
        if problem:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": [problem]}
        return {"view": {"id": f"V{next(self._ts):08d}", **body["view"]}}

    def _views_publish(self, body: dict[str, Any]) -> dict[str, Any]:
        if str(body.get("user_id")) not in self.users:
            return {"ok": False, "error": "user_not_found"}
        problem = _view_problem(body.get("view"))
        if problem:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": [problem]}
        return {"view": {"id": f"V{next(self._ts):08d}", **body["view"]}}


def _blocks_problem(blocks: Any) -> str | None:
    if blocks is None:
        return None
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if not isinstance(blocks, list) or len(blocks) > 50:
        return "blocks must be a list of at most 50"
    try:
        for block in Block.parse_all(blocks):
            block.to_dict()  # runs slack_sdk's validators (lengths, counts)
    except Exception as error:  # noqa: BLE001 - any failure is Slack's invalid_blocks
        return f"{type(error).__name__}: {error}"
    return None


def _view_problem(view: Any) -> str | None:
    if isinstance(view, str):
        view = json.loads(view)
    if not isinstance(view, dict):
        return "view is required"
    try:
        View(**view).to_dict()
    except Exception as error:  # noqa: BLE001 - any failure is Slack's invalid_arguments
        return f"{type(error).__name__}: {error}"
    return None
