"""A coordinator changes the program (``tandem program add`` with the same slug):
the change is recorded with its date, and the report marks it on its time line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from adapters.console.chat import PLATFORM, WORKSPACE, ConsoleChat
from bot.admin import bundled_programs, install_programs
from bot.clock import ManualClock
from tandem.bootstrap import App
from tests.dialog import Contains, Lacks, verify_dialog

Chat = Callable[..., ConsoleChat]


def test_a_change_is_dated_and_marked_in_the_report(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    growth = bundled_programs()[0]
    cora = chat("Coordinator")
    verify_dialog(cora, [("report engineering-growth", Lacks("Changes to the program"))])
    clock.advance(timedelta(days=20))
    day = clock.now()
    weekly = growth.model_copy(update={"cadence": "weekly", "meeting_minutes": 45})
    install_programs(app.uow, clock, PLATFORM, WORKSPACE, [weekly])
    install_programs(app.uow, clock, PLATFORM, WORKSPACE, [weekly])  # the same again: no change
    with app.uow() as uow:
        program = uow.programs.get(uow.workspaces.ensure(PLATFORM, WORKSPACE, day).id, growth.slug)
        assert program is not None
        changes = [(c.day, c.described) for c in uow.changes.of_program(program.id)]
    assert changes == [
        (day.date(), "cadence: every two weeks → every week"),
        (day.date(), "meeting length: 30 minutes → 45 minutes"),
    ]
    verify_dialog(
        cora,
        [
            (
                "report engineering-growth",
                Contains(
                    "Changes to the program",
                    f"{day:%-d %b %Y}: cadence: every two weeks → every week",
                    f"{day:%-d %b %Y}: meeting length: 30 minutes → 45 minutes",
                ),
            )
        ],
    )
