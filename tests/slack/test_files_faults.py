"""A report's message, charts and CSV reach Slack exactly once when Slack misbehaves
between the upload steps (errors, rate limits, answers lost or too slow), or a
sender dies between the post and the files."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.slack import files
from adapters.slack.installations import Tokens
from adapters.slack.platform import SlackPlatform
from bot import outbound as m
from bot.delivery import Courier
from bot.model import Workspace
from bot.platform import Platform, SendResult
from fakes.slack import BOT_TOKEN, FakeSlack, Faults
from store.tables import OutboxRow
from tests.slack.reports import RETRY_AFTER, assert_once, deliver, outbox, queue, report
from tests.slack.tandem_server import Tandem


def _fail(
    method: str, status: int, error: str, headers: dict[str, str] | None = None
) -> Callable[[FakeSlack], None]:
    def arrange(fake: FakeSlack) -> None:
        fake.fail_next(method, status, error, headers)

    return arrange


def _then_fail(method: str) -> Callable[[FakeSlack], None]:
    def arrange(fake: FakeSlack) -> None:
        fake.then_fail(method)

    return arrange


FAULTS = {
    "upload url 500": _fail("files.getUploadURLExternal", 500, "internal_error"),
    "upload url 429": _fail(
        "files.getUploadURLExternal", 429, "ratelimited", {"Retry-After": str(RETRY_AFTER)}
    ),
    "bytes 503": _fail("upload", 503, "service_unavailable"),
    "bytes taken then 500": _then_fail("upload"),
    "complete 500": _fail("files.completeUploadExternal", 500, "internal_error"),
    "complete 429": _fail(
        "files.completeUploadExternal", 429, "ratelimited", {"Retry-After": str(RETRY_AFTER)}
    ),
    "complete done then 500": _then_fail("files.completeUploadExternal"),
    "complete says fatal_error": _fail("files.completeUploadExternal", 200, "fatal_error"),
    "post done then 500": _then_fail("chat.postMessage"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_after_a_fault_between_the_steps_everything_is_there_exactly_once(
    tandem: Tandem, fake: FakeSlack, fault: str
) -> None:
    outbound = report()
    FAULTS[fault](fake)
    queue(tandem, outbound)
    await tandem.send_due()
    status, error = outbox(tandem)[outbound.key]
    assert status == "pending" and error  # not recorded as sent before its files are up
    await deliver(tandem)
    assert outbox(tandem)[outbound.key][0] == "sent"
    assert_once(fake, outbound)
    assert len(fake.of("chat.postMessage")) == 1
    if fault != "post done then 500":
        assert fake.of("conversations.history")  # looked before posting again


async def test_a_429_on_an_upload_waits_as_long_as_slack_says_and_holds_only_that_dm(
    tandem: Tandem, fake: FakeSlack
) -> None:
    fake.fail_next(
        "files.completeUploadExternal", 429, "ratelimited", {"Retry-After": str(RETRY_AFTER)}
    )
    outbound = report()
    queue(tandem, outbound)
    await tandem.send_due()
    with tandem.app.database.connect() as db:
        uncertain, failures, retry_at = db.execute(
            select(OutboxRow.uncertain, OutboxRow.failures, OutboxRow.retry_at).where(
                OutboxRow.key == outbound.key
            )
        ).one()
    assert uncertain and failures == 0  # a rate limit, not a failure; looked up next time
    now = tandem.clock.now().replace(tzinfo=None)
    assert (retry_at.replace(tzinfo=None) - now).total_seconds() == pytest.approx(
        RETRY_AFTER, abs=1
    )
    await tandem.command("U0ANA", "help")  # another DM is not held up
    assert any(c.body["channel"] == "D0ANA" for c in fake.of("chat.postMessage"))
    tandem.clock.advance(timedelta(seconds=RETRY_AFTER + 1))
    await tandem.send_due()
    assert outbox(tandem)[outbound.key][0] == "sent"
    assert_once(fake, outbound)


class Crash(BaseException):
    """The process dies (not an error the outbox handles)."""


class DiesBetweenPostAndFiles:
    """Posts the message, starts on its files, and the process dies before any is shared."""

    def __init__(self, real: Platform, fake: FakeSlack) -> None:
        self.real, self.fake = real, fake
        self.name = real.name
        self.capabilities = real.capabilities

    def send(
        self, workspace: Workspace, outbound: m.Outbound, *, again: bool = False
    ) -> SendResult:
        self.fake.fail_next("files.completeUploadExternal", 500, "internal_error")
        self.real.send(workspace, outbound, again=again)
        raise Crash

    def update(self, workspace: Workspace, platform_id: str, message: m.Message) -> SendResult:
        return self.real.update(workspace, platform_id, message)


async def test_a_sender_dying_between_the_post_and_the_files_loses_nothing_and_doubles_nothing(
    tandem: Tandem, fake: FakeSlack
) -> None:
    outbound = report()
    queue(tandem, outbound)
    platform = tandem.app.platforms["slack"]
    dying = Courier(
        tandem.app.uow, tandem.clock, {"slack": DiesBetweenPostAndFiles(platform, fake)}, "w1"
    )
    with pytest.raises(Crash):
        await asyncio.to_thread(dying.run_once)
    assert fake.posted()[outbound.key] == 1 and not fake.completed
    tandem.clock.advance(timedelta(minutes=6))  # the dead sender's lease runs out
    await deliver(tandem)
    assert_once(fake, outbound)
    assert len(fake.of("chat.postMessage")) == 1


async def test_a_completion_answered_too_slowly_is_found_shared_not_shared_again(
    tandem: Tandem, fake: FakeSlack
) -> None:
    """Slack takes the completion but answers after Tandem stopped waiting."""
    outbound = report()
    queue(tandem, outbound)
    impatient = SlackPlatform(
        Tokens(lambda team: BOT_TOKEN, seconds=float("inf")), fake.url, timeout=1
    )
    courier = Courier(tandem.app.uow, tandem.clock, {"slack": impatient}, "w2")
    release = fake.held["files.completeUploadExternal"] = asyncio.Event()
    await asyncio.to_thread(courier.run_once)  # timed out waiting for the completion
    assert outbox(tandem)[outbound.key][0] == "pending" and not fake.completed
    release.set()  # ... and Slack finishes it after all
    for _ in range(100):
        if fake.completed:
            break
        await asyncio.sleep(0.01)
    del fake.held["files.completeUploadExternal"]
    tandem.clock.advance(timedelta(minutes=1))
    await deliver(tandem, courier)
    assert_once(fake, outbound)
    assert len(fake.of("files.completeUploadExternal")) == 3  # the slow one not again
    assert len(fake.of("chat.postMessage")) == 1


async def test_reports_reach_slack_exactly_once_while_every_step_misbehaves(
    tandem: Tandem, fake: FakeSlack
) -> None:
    coordinators = [f"U0K{n:03d}" for n in range(6)]
    outbounds = []
    for n, user in enumerate(coordinators):
        fake.add_user(user, f"Coordinator {n}")
        outbounds.append(m.Outbound(f"report:{n}", m.ToPerson(user), report().message))
    fake.faults = Faults(
        ratelimited=0.15,
        retry_after=2,
        errors=0.08,
        posted_then_error=0.08,
        methods=frozenset(
            {
                "chat.postMessage",
                "files.getUploadURLExternal",
                "upload",
                "files.completeUploadExternal",
            }
        ),
    )
    queue(tandem, *outbounds)
    await deliver(tandem, rounds=200)
    assert {k: s for k, (s, _) in outbox(tandem).items()} == {o.key: "sent" for o in outbounds}
    assert fake.posted() == Counter({o.key: 1 for o in outbounds})
    for n, user in enumerate(coordinators):
        names = Counter(f["name"] for f in fake.shared("D" + user[-4:]))
        assert names == Counter(u.filename for u in files.uploads(outbounds[n])), user
    seen = fake.faults.seen
    assert seen["ratelimited"] and seen["error"] and seen["posted_then_error"]
