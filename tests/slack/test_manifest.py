"""manifest.yaml: valid against Slack's schema, and asking for no more than we use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from adapters.slack.config import BOT_SCOPES

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "slack" / "manifest.schema.1.0.0.json"

# Each scope and event, and the feature that needs it (README.md says the same).
SCOPES = {
    "commands": "the /mentor slash command",
    "chat:write": "introductions, check-ins and replies",
    "im:write": "opening a direct message with a participant",
    "mpim:write": "opening the group DM of a match",
    "im:history": "reading what people type to Tandem in its DM (survey answers, goals)",
    "mpim:history": "finding a group DM message Tandem may have sent before a crash",
    "users:read": "the timezone and name from a person's Slack profile",
    "files:write": "a coordinator's report charts and CSV exports, in their DM",
}
EVENTS = {
    "app_home_opened": "the App Home tab",
    "message.im": "replies typed in the DM",
    "app_uninstalled": "removing a workspace's tokens",
    "tokens_revoked": "removing a workspace's tokens",
}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "manifest.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_manifest_is_valid_against_slacks_schema(manifest: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    as_json = json.loads(json.dumps(manifest))  # what Slack's API would receive
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(as_json), key=str)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_a_broken_manifest_is_caught(manifest: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(manifest))
    broken["features"]["slash_commands"][0]["command"] = "mentor"  # no slash
    del broken["display_information"]["name"]
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))


def test_scopes_and_events_are_exactly_the_ones_we_need(manifest: dict[str, Any]) -> None:
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == set(SCOPES) == set(BOT_SCOPES)
    assert "user" not in manifest["oauth_config"]["scopes"]
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == set(EVENTS)


def test_the_readme_explains_every_scope(manifest: dict[str, Any]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for scope in manifest["oauth_config"]["scopes"]["bot"]:
        assert f"`{scope}`" in readme, scope


def test_one_request_url_for_commands_interactivity_and_events(
    manifest: dict[str, Any],
) -> None:
    settings = manifest["settings"]
    urls = {
        manifest["features"]["slash_commands"][0]["url"],
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    }
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")
    assert manifest["features"]["slash_commands"][0]["command"] == "/mentor"
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
