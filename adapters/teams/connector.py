"""Calls to the Bot Connector, the Teams side of every conversation.

Only what Tandem needs: post an activity, replace one, open a one-to-one
conversation, read a member (their email, for deep links). Every call carries
the bot's token. Nothing is retried here: a library's retry could post a message
twice, so the outbox decides, from what :class:`ConnectorError` says.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from adapters.teams.login import TokenError

TIMEOUT = 15.0  # seconds for one call
MAX_ANSWER = 1_000_000  # bytes read of an answer at most


class ConnectorError(Exception):
    """A call that did not work. ``status`` is the HTTP status (0: no answer);
    ``retry_after`` Teams' Retry-After in seconds; ``maybe_sent`` whether Teams may
    have acted on it all the same (the connection broke after the request went)."""

    def __init__(
        self,
        status: int,
        code: str,
        retry_after: float | None = None,
        *,
        maybe_sent: bool = False,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.maybe_sent = maybe_sent


class Connector:
    """The Bot Connector's REST API, called with the bot's token."""

    def __init__(self, token: Callable[[], str], *, timeout: float = TIMEOUT) -> None:
        self._token = token
        self._timeout = timeout

    def post(self, service_url: str, conversation: str, activity: Mapping[str, Any]) -> str:
        """Post an activity to a conversation; Teams' id for it."""
        answer = self._call("POST", _url(service_url, conversation, "activities"), activity)
        return str(answer.get("id", ""))

    def put(
        self, service_url: str, conversation: str, activity_id: str, activity: Mapping[str, Any]
    ) -> None:
        """Replace an activity sent before."""
        self._call("PUT", _url(service_url, conversation, "activities", activity_id), activity)

    def open(self, service_url: str, body: Mapping[str, Any]) -> str:
        """Open (or find) a conversation; its id."""
        answer = self._call("POST", f"{service_url.rstrip('/')}/v3/conversations", body)
        return str(answer.get("id", ""))

    def member(self, service_url: str, conversation: str, user: str) -> Mapping[str, Any]:
        """A member of a conversation as Teams describes them (name, email...)."""
        return self._call("GET", _url(service_url, conversation, "members", user), None)

    def _call(self, method: str, url: str, body: Mapping[str, Any] | None) -> dict[str, Any]:
        try:
            token = self._token()
        except TokenError as error:
            raise ConnectorError(0, f"token: {error}") from None
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            url,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                raw = response.read(MAX_ANSWER)
        except urllib.error.HTTPError as error:
            raise _error(error) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            timed_out = isinstance(reason, socket.timeout | TimeoutError)
            raise ConnectorError(0, type(reason).__name__, maybe_sent=timed_out) from None
        try:
            found = json.loads(raw) if raw else {}
        except ValueError:
            found = {}
        return found if isinstance(found, dict) else {}


def _url(service_url: str, conversation: str, *parts: str) -> str:
    tail = "/".join(quote(part, safe="") for part in (conversation, *parts))
    return f"{service_url.rstrip('/')}/v3/conversations/{tail}"


def _error(error: urllib.error.HTTPError) -> ConnectorError:
    retry = error.headers.get("Retry-After") if error.headers else None
    try:
        answer = json.loads(error.read(10_000) or b"{}")
        code = str((answer.get("error") or {}).get("code", "")) if isinstance(answer, dict) else ""
    except (ValueError, AttributeError):
        code = ""
    seconds = float(retry) if retry and retry.strip().isdigit() else None
    return ConnectorError(error.code, code[:60] or f"http {error.code}", seconds)
