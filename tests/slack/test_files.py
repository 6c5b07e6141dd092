"""A coordinator's report with charts and a CSV export, through the outbox to the fake
Slack over HTTP: the message once, then each chart as a PNG and the CSV uploaded
into their DM, as ``files_upload_v2`` does it; and still exactly once of each when
Slack misbehaves between the steps, or a sender dies there."""

from __future__ import annotations

import asyncio
import io
import json
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from adapters.reports.charts import META_KEY
from adapters.slack import files
from adapters.slack.installations import Tokens
from adapters.slack.platform import SlackPlatform
from bot import outbound as m
from bot.delivery import Courier
from bot.model import Workspace
from bot.platform import Platform, SendResult
from fakes.slack import BOT_TOKEN, TEAM, FakeSlack, Faults
from store.tables import OutboxRow
from tests.slack.harness import COORDINATOR, Tandem

FUNNEL = m.Chart(
    "funnel", "Funnel", "count", ("Joined", "Matched", "Met"), (12.0, 10.0, 7.0), note="Cycle 1"
)
MEETINGS = m.Chart(
    "meetings", "Meeting rate", "percent", ("Cycle 1", "Cycle 2", "Cycle 3"), (80.0, None, 65.0)
)
CSV = m.File(
    "matches.csv", "Matches", "match,status,met\r\n1,active,yes\r\n2,ended,no\r\n", "text/csv"
)
RETRY_AFTER = 7


def report(key: str = "report:1:coordinator", *blocks: m.Block) -> m.Outbound:
    blocks = blocks or (
        m.Heading("Engineering growth: report"),
        FUNNEL,
        MEETINGS,
        m.para("The matches, as a spreadsheet:"),
        CSV,
    )
    return m.Outbound(key, m.ToPerson(COORDINATOR), m.Message(blocks, "Your report", "report"))


def queue(tandem: Tandem, *outbounds: m.Outbound) -> None:
    now = tandem.clock.now()
    with tandem.app.uow() as uow:
        workspace = uow.workspaces.ensure("slack", TEAM, now)
        for outbound in outbounds:
            uow.outbox.add(workspace.id, outbound, None, now, now)
        uow.commit()


def outbox(tandem: Tandem) -> dict[str, tuple[str, str | None]]:
    with tandem.app.database.connect() as db:
        rows = db.execute(select(OutboxRow.key, OutboxRow.status, OutboxRow.last_error))
        return {key: (status, error) for key, status, error in rows}


async def deliver(tandem: Tandem, courier: Courier | None = None, rounds: int = 40) -> None:
    """Send until nothing is left waiting, a minute passing between tries."""
    for _ in range(rounds):
        await asyncio.to_thread((courier or tandem.service.courier).drain)
        if all(status in ("sent", "failed") for status, _ in outbox(tandem).values()):
            return
        tandem.clock.advance(timedelta(minutes=1))
    raise AssertionError(f"still waiting: {outbox(tandem)}")


def chart_in(png: bytes) -> dict[str, Any]:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (800, 450)
    return dict(json.loads(image.text[META_KEY]))  # type: ignore[attr-defined]


def assert_once(fake: FakeSlack, outbound: m.Outbound) -> str:
    """The message is in the DM once, and each of its charts and files once, each with
    the bytes it should have; the DM's channel id."""
    assert fake.posted()[outbound.key] == 1
    channel = next(c for c, ms in fake.history.items() if any(x.get("metadata") for x in ms))
    shared = fake.shared(channel)
    names = Counter(f["name"] for f in shared)
    expected = files.uploads(outbound)
    assert names == Counter(u.filename for u in expected), names
    by_name = {f["name"]: f for f in shared}
    for upload, block in zip(
        expected,
        [b for b in outbound.message.blocks if isinstance(b, m.Chart | m.File)],
        strict=True,
    ):
        file = by_name[upload.filename]
        assert file["title"] == block.title
        if isinstance(block, m.Chart):
            data = chart_in(file["bytes"])
            assert data["title"] == block.title and data["values"] == list(block.values)
            assert file["alt_txt"].startswith(block.title)
        else:
            assert file["bytes"] == block.content.encode()
    return channel


async def test_a_report_is_posted_once_then_its_charts_and_csv_go_up_into_the_dm(
    tandem: Tandem, fake: FakeSlack
) -> None:
    outbound = report()
    queue(tandem, outbound)
    await deliver(tandem)
    assert outbox(tandem) == {outbound.key: ("sent", None)}
    channel = assert_once(fake, outbound)
    assert channel.startswith("D")
    (post,) = fake.of("chat.postMessage")
    assert "█" in json.dumps(post.body["blocks"], ensure_ascii=False)  # the text bars stay
    # files_upload_v2 on the wire: an upload URL per file, the bytes, one completion.
    asked = fake.of("files.getUploadURLExternal")
    assert [int(c.body["length"]) for c in asked] == [len(u.data) for u in files.uploads(outbound)]
    assert all(
        c.body["filename"].rsplit("-", 1)[0] in ("funnel", "meetings", "matches") for c in asked
    )
    assert len(fake.of("upload")) == 3
    completions = fake.of("files.completeUploadExternal")
    assert {c.body["channel_id"] for c in completions} == {channel}  # never private to the bot
    assert [f["title"] for c in completions for f in c.body["files"]] == [
        "Funnel",
        "Meeting rate",
        "Matches",
    ]
    assert fake.of("upload")[2].body["bytes"] == CSV.content.encode()
    assert not fake.of("conversations.history")  # nothing went wrong: nothing looked up


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


async def test_a_file_too_large_for_slack_is_refused_with_a_reason_before_anything_is_posted(
    tandem: Tandem, fake: FakeSlack
) -> None:
    huge = m.File("everything.csv", "Everything", "x," * (files.MAX_BYTES // 2 + 1))
    outbound = report("report:huge", m.Heading("Export"), huge)
    queue(tandem, outbound)
    await deliver(tandem)
    status, reason = outbox(tandem)[outbound.key]
    assert status == "failed"
    assert reason and "'Everything'" in reason and "MB" in reason
    assert not fake.of("chat.postMessage") and not fake.of("files.getUploadURLExternal")


async def test_a_workspace_without_files_write_gets_the_message_and_a_clear_reason(
    tandem: Tandem, fake: FakeSlack
) -> None:
    fake.fail_next("files.getUploadURLExternal", 200, "missing_scope")
    outbound = report()
    queue(tandem, outbound)
    await deliver(tandem)
    status, reason = outbox(tandem)[outbound.key]
    assert status == "failed" and reason and "files:write" in reason
    assert fake.posted()[outbound.key] == 1  # the text bars reached the coordinator


def test_file_names_carry_the_key_and_place_so_a_retry_finds_them() -> None:
    one, again, other = (files.tagged("matches.csv", k, 4) for k in ("a", "a", "b"))
    assert one == again != other
    assert one.startswith("matches-") and one.endswith(".csv")
    assert files.tagged("matches.csv", "a", 5) != one
    assert files.tagged("../../etc/passwd", "a", 0).startswith("etc-passwd-")
