"""``dashboard``: a coordinator's one-time sign-in link to the web dashboard, privately."""

from __future__ import annotations

from bot import outbound as m
from bot.dashboard import LINK_LIFETIME, new_link
from bot.dashboard_sessions import Holder
from bot.turn import Turn

NOT_SET_UP = (
    "The web dashboard isn't set up here: whoever runs Tandem sets TANDEM_PUBLIC_URL to "
    "turn it on. Meanwhile, “report” shows the numbers in chat."
)


def dashboard(turn: Turn, _args: str = "") -> None:
    """A link that signs this coordinator in to the dashboard: once, for ten minutes.

    The reply is not kept in the outbox once sent (it holds the link's secret)."""
    if not turn.coordinated():
        turn.say("Only a program's coordinators can do that.")
        return
    if turn.public_url is None:
        turn.say(NOT_SET_UP)
        return
    link = new_link(turn.uow, Holder(turn.workspace.id, turn.person.id), turn.now, turn.public_url)
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    turn.reply(
        m.para("Your dashboard: every program you coordinate, its numbers and charts."),
        m.para(link),
        m.Note(
            f"The link signs you in. It works once, for the next {minutes} minutes, and only "
            "for you: don't pass it on. Say “dashboard” again for a new one."
        ),
        summary="Your sign-in link to the dashboard",
        kind="dashboard",
        secret=True,
    )
