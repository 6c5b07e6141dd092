"""A coordinator's report with two charts and a CSV, queued in the outbox and
delivered to the fake Slack over HTTP, and the check that the message, each chart
(as a PNG) and the CSV reached the DM exactly once."""

from __future__ import annotations

import asyncio
import io
import json
from collections import Counter
from datetime import timedelta
from typing import Any

from PIL import Image
from sqlalchemy import select

from adapters.reports.charts import META_KEY
from adapters.slack import files
from bot import outbound as m
from bot.delivery import Courier
from fakes.slack import TEAM, FakeSlack
from store.tables import OutboxRow
from tests.slack.tandem_server import COORDINATOR, Tandem

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
