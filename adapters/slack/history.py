"""Finding what Tandem already sent: every message carries its outbox key in its
metadata, so a conversation's recent history says whether a message (and which of
its files) reached Slack before a crash."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from adapters.slack import files

METADATA_TYPE = "tandem_message"  # messages carry their outbox key as metadata
# Recent messages searched before sending a message again: a message sent before
# a crash is among the latest of its DM. (Each company installs Tandem as its own
# app, so Slack's 15-per-call limit for distributed apps does not apply.)
HISTORY_LOOKBACK = 100


@dataclass(frozen=True)
class Found:
    """What a conversation's recent history holds of one outbox message: its ts, if
    posted, and the names of the files shared there."""

    ts: str | None
    names: frozenset[str]


NOTHING = Found(None, frozenset())


def posted(client: WebClient, channel: str, key: str) -> Found:
    """The recent message in ``channel`` that carries ``key``, if any, and the files
    shared there."""
    history = client.conversations_history(
        channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
    )
    messages: list[Mapping[str, Any]] = list(history.get("messages") or ())
    return Found(_keyed(messages, key), frozenset(files.shared_names(messages)))


def _keyed(messages: Sequence[Mapping[str, Any]], key: str) -> str | None:
    for message in messages:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == METADATA_TYPE and payload.get("key") == key:
            return str(message["ts"])
    return None
