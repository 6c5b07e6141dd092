"""Slack's answers as send results: what waits out a rate limit, what is tried again
and what no retry can fix, in words a coordinator reads."""

from __future__ import annotations

from dataclasses import replace

from slack_sdk.errors import SlackApiError

from bot.platform import Rejected, RetryLater, Scope, SendResult

# Errors that trying again cannot fix, in words a coordinator reads.
PERMANENT = {
    "account_inactive": "the account is deactivated",
    "cannot_dm_bot": "it is a bot",
    "channel_not_found": "the conversation no longer exists",
    "invalid_auth": "Tandem's token is not valid here",
    "invalid_blocks": "Slack would not show it",
    "is_archived": "the channel is archived",
    "msg_too_long": "it is too long for Slack",
    "no_permission": "Tandem may not post there",
    "not_authed": "Tandem has no token here",
    "not_in_channel": "Tandem is not in the channel",
    "restricted_action": "the workspace does not allow it",
    "token_revoked": "Tandem was removed from the workspace",
    "user_disabled": "the account is deactivated",
    "user_not_found": "the person is no longer in the workspace",
    "users_not_found": "someone is no longer in the workspace",
}
# Errors of file uploads that trying again cannot fix (the message itself went out).
FILES_PERMANENT = {
    "file_uploads_disabled": "the workspace does not allow file uploads",
    "file_uploads_except_images_disabled": "the workspace allows only images to be uploaded",
    "invalid_channel": "the conversation no longer exists",
    "missing_scope": "Tandem may not upload files (reinstall it to grant files:write)",
}
# Slack's own words for "try again": server trouble, not ours.
TRANSIENT = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})


def file_result_of(error: SlackApiError) -> SendResult:
    """An upload's error, once the message is posted: a rate limit holds only this
    conversation (file methods have limits of their own); every retry is ambiguous."""
    code = str(error.response.get("error", "")) if error.response is not None else ""
    if code in FILES_PERMANENT:
        return Rejected(f"posted, but not its files: {FILES_PERMANENT[code]} ({code})")
    result = result_of(error, ambiguous=True, scope=Scope.CONVERSATION)
    if isinstance(result, Rejected):
        return Rejected(f"posted, but not its files: {result.reason}")
    assert isinstance(result, RetryLater)
    return replace(result, ambiguous=True)


def result_of(
    error: SlackApiError, *, ambiguous: bool, scope: Scope = Scope.WORKSPACE
) -> SendResult:
    """A Web API error as a send result: a 429 waits out ``Retry-After`` (the whole
    workspace, or only ``scope``), errors Slack can only repeat are rejected, the
    rest are tried again (``ambiguous`` when Slack may have done the work)."""
    response = error.response
    status = response.status_code if response is not None else 0
    code = str(response.get("error", "unknown")) if response is not None else "unknown"
    if status == 429:
        retry = response.headers.get("Retry-After") or response.headers.get("retry-after")
        seconds = float(retry) if retry and str(retry).strip().isdigit() else 30.0
        return RetryLater("ratelimited", seconds, scope, failure=False)
    if status >= 500:  # the body may be a proxy's HTML page: the status says enough
        # A 5xx may come after Slack posted; an "ok": false answer never does.
        return RetryLater(f"http {status}", ambiguous=ambiguous)
    if code in PERMANENT:
        return Rejected(f"{PERMANENT[code]} ({code})")
    return RetryLater(code[:80], ambiguous=ambiguous and code in TRANSIENT)
