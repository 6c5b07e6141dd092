"""A coordinator's report through the outbox to the fake Slack over HTTP: the message
once, then each chart as a PNG and the CSV uploaded into their DM, as
``files_upload_v2`` does it; a file too large or a missing files:write scope
refused with a reason; file names that let a retry find them."""

from __future__ import annotations

import json

from adapters.slack import files
from bot import outbound as m
from fakes.slack import FakeSlack
from tests.slack.reports import CSV, assert_once, deliver, outbox, queue, report
from tests.slack.tandem_server import Tandem


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
