"""The console saves a message's charts (PNG) and files (CSV) and prints where."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from adapters.console.attachments import Attachments, safe_name
from adapters.console.chat import WORKSPACE, ConsoleChat
from adapters.console.platform import PLATFORM, ConsolePlatform
from adapters.console.render import render
from adapters.reports.charts import META_KEY
from bot import outbound as m
from bot.clock import ManualClock
from tandem.bootstrap import App
from tests.dialog import say

CHART = m.Chart(
    "meeting_rate", "Matches that met", "percent", ("5 Jan", "19 Jan"), (50.0, 75.0), "line"
)
EXPORT = m.File("growth-matches-2027-01-19.csv", "Matches", "match,members\r\n1,Ana; Bo\r\n")


def _report_message() -> m.Message:
    return m.Message((m.Heading("Your report"), CHART, EXPORT), "Your report", "report")


def _deliver(app: App, clock: ManualClock, user: str, message: m.Message) -> None:
    with app.uow() as uow:
        workspace = uow.workspaces.ensure(PLATFORM, WORKSPACE, clock.now())
        uow.commit()
    ConsolePlatform(app.uow, clock).send(
        workspace, m.Outbound("report-1", m.ToPerson(user), message)
    )


def test_the_console_writes_chart_and_file_and_prints_their_paths(
    app: App, clock: ManualClock, chat: Callable[..., ConsoleChat], tmp_path: Path
) -> None:
    cora = chat("Cora")
    say(cora, "help")
    _deliver(app, clock, cora.actor.user_id, _report_message())
    (shown,) = cora.open()
    png_path = tmp_path / "files" / "cora" / "meeting_rate.png"
    csv_path = tmp_path / "files" / "cora" / "growth-matches-2027-01-19.csv"
    assert f"[chart: saved to {png_path}]" in shown
    assert f"[file: growth-matches-2027-01-19.csv] saved to {csv_path}" in shown
    assert "-- Matches that met --" in shown and "75%" in shown  # the text bars stay
    image = Image.open(io.BytesIO(png_path.read_bytes()))
    assert image.size == (800, 450)
    assert json.loads(image.text[META_KEY])["values"] == [50.0, 75.0]  # type: ignore[attr-defined]
    assert csv_path.read_bytes() == EXPORT.content.encode()


def test_names_cannot_leave_the_persons_folder(tmp_path: Path) -> None:
    device = Attachments(tmp_path / "files", draw=lambda chart: b"png")
    hostile = m.Message(
        (
            m.Chart("../../../etc/evil", "x", "count", ("a",), (1.0,)),
            m.File("../../.bashrc", "x", "echo pwned"),
            m.File("/etc/passwd", "x", "root"),
            m.File("..", "x", "dots"),
        ),
        "x",
    )
    saved = device.save("../../root", hostile)
    root = (tmp_path / "files").resolve()
    for where in saved.values():
        path = Path(where).resolve()
        assert path.is_relative_to(root) and path.parent.parent == root, path
    assert sorted(Path(w).name for w in saved.values()) == [
        "bashrc",
        "etc-evil.png",
        "etc-passwd",
        "file",
    ]
    assert safe_name("a/../b") == "a-.-b" and safe_name("...") == "file"


def test_a_folder_that_cannot_be_written_is_said_not_raised(tmp_path: Path) -> None:
    blocker = tmp_path / "files"
    blocker.write_text("a file where the folder should be")
    device = Attachments(blocker, draw=lambda chart: b"png")
    text = render(_report_message(), device.save("cora", _report_message()))
    assert "[file: growth-matches-2027-01-19.csv] not saved:" in text
    assert "[chart: not saved:" in text


def test_without_a_device_the_console_shows_names_only() -> None:
    assert "  [file: growth-matches-2027-01-19.csv]" in render(_report_message())
