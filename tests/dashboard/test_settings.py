"""TANDEM_PUBLIC_URL read and checked; the access log keeps no sign-in token."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from adapters.dashboard.guards import AccessLog
from tandem.bootstrap import load_settings
from tandem.settings import SettingsError


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        ("", None),
        ("  ", None),
        ("https://tandem.example.com", "https://tandem.example.com"),
        ("https://tandem.example.com/", "https://tandem.example.com"),
        ("http://127.0.0.1:3000", "http://127.0.0.1:3000"),
        ("https://example.com/tandem/", "https://example.com/tandem"),
    ],
)
def test_the_public_url_is_read(raw: str, read: str | None) -> None:
    assert load_settings({"TANDEM_PUBLIC_URL": raw}).public_url == read


@pytest.mark.parametrize(
    "raw",
    [
        "tandem.example.com",
        "ftp://tandem.example.com",
        "https://",
        "https://tandem.example.com/?next=x",
        "https://tandem.example.com/#top",
        "https://user:pw@tandem.example.com",
        "https://tandem.example.com:99999",
        "https://tandem example.com",
    ],
)
def test_a_malformed_public_url_stops_the_start_with_a_clear_message(raw: str) -> None:
    with pytest.raises(SettingsError, match="TANDEM_PUBLIC_URL must be the address people use"):
        load_settings({"TANDEM_PUBLIC_URL": raw})


def test_the_access_log_never_holds_a_sign_in_token(caplog: pytest.LogCaptureFixture) -> None:
    token = "Zq3" * 14
    log = logging.getLogger("aiohttp.access")
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    for path in (f"/dashboard/login/{token}", "/dashboard/programs/engineering-growth"):
        AccessLog(log).log(make_mocked_request("GET", path), web.Response(), 0.01)
    assert token not in caplog.text
    assert "/dashboard/login/REDACTED" in caplog.text
    assert "/dashboard/programs/engineering-growth" in caplog.text
