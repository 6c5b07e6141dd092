"""Slack settings are checked at start, with messages that say how to fix them."""

from __future__ import annotations

import pytest

from adapters.slack.config import SLACK_API, SlackConfig
from tandem.bootstrap import load_settings
from tandem.settings import SettingsError

SECRET = {"SLACK_SIGNING_SECRET": "s3cret"}


def test_no_slack_settings_means_slack_is_off() -> None:
    assert load_settings({}).platform("slack") is None


def test_single_workspace_mode() -> None:
    config = load_settings({**SECRET, "SLACK_BOT_TOKEN": "xoxb-1"}).platform("slack")
    assert config is not None and config.bot_token == "xoxb-1" and not config.oauth
    assert config.api_url == SLACK_API
    assert "xoxb" not in repr(config) and "s3cret" not in repr(config)


def test_the_api_url_can_point_elsewhere() -> None:
    env = {**SECRET, "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": "http://127.0.0.1:9/api"}
    config = SlackConfig.from_env(env)
    assert config is not None and config.api_url == "http://127.0.0.1:9/api/"


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is not set"),
        ({**SECRET}, "Set SLACK_BOT_TOKEN"),
        ({**SECRET, "SLACK_BOT_TOKEN": "xoxp-user"}, "must be a bot token"),
        ({**SECRET, "SLACK_CLIENT_ID": "1.2"}, "both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"),
        ({**SECRET, "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": "slack.com"}, "http(s) URL"),
    ],
)
def test_a_bad_setting_stops_the_start_with_a_clear_message(env: dict[str, str], says: str) -> None:
    with pytest.raises(SettingsError, match=says.replace("(", r"\(").replace(")", r"\)")):
        load_settings(env)


def test_socket_mode_needs_an_app_token() -> None:
    env = {**SECRET, "SLACK_BOT_TOKEN": "xoxb-1"}
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        load_settings(env, socket_mode=True)
    config = load_settings({**env, "SLACK_APP_TOKEN": "xapp-1"}, socket_mode=True).platform("slack")
    assert config is not None and config.app_token == "xapp-1"
