"""A person's home: their programs, match, next check-in and goals at a glance,
with buttons for the everyday commands (Slack's App Home tab)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot import outbound as m
from bot.cadence.calendar import cycle_due, cycles_due
from bot.flow_names import FlowName
from bot.matching.words import explained
from bot.model import (
    Conversation,
    Enrolment,
    GoalStatus,
    Match,
    MatchStatus,
    Person,
    Program,
    Status,
    Workspace,
)
from bot.ports import UnitOfWork
from bot.turn import Turn

ACTION = FlowName.HOME
# What the home's buttons may run: everyday commands, never a coordinator's.
BUTTONS = {
    "match": "My match",
    "profile": "My profile",
    "pause": "Take a break",
    "resume": "Resume",
    "programs": "Programs",
    "help": "Help",
}
_GOAL_WORDS = {
    GoalStatus.OPEN: "set",
    GoalStatus.ON_TRACK: "on track",
    GoalStatus.OFF_TRACK: "off track",
    GoalStatus.DONE: "done",
}
_STATUS_WORDS = {
    Status.INTAKE: "You started joining: say “join” to finish the survey.",
    Status.ACTIVE: "You're taking part.",
    Status.LEFT: "You left this program. Say “join” to come back.",
}


def home_view(
    uow: UnitOfWork, workspace: Workspace, person: Person | None, now: datetime
) -> m.Message:
    """The home for ``person`` (``None``: someone Tandem hasn't met yet)."""
    blocks: list[m.Block] = [m.Heading("Your mentoring")]
    taking_part: list[tuple[Program, Enrolment]] = []
    if person is not None:
        for program in uow.programs.all(workspace.id):
            enrolment = uow.enrolments.get(program.id, person.id)
            if enrolment is not None:
                taking_part.append((program, enrolment))
    if not taking_part:
        names = ", ".join(p.spec.name for p in uow.programs.all(workspace.id))
        blocks.append(
            m.para(
                "You're not in a mentoring program yet. "
                + (f"Running here: {names}. Say “join” to start." if names else "")
            )
        )
    for program, enrolment in taking_part:
        blocks.append(m.Divider())
        assert person is not None  # only someone Tandem knows takes part
        blocks.extend(_program(uow, program, enrolment, person, now))
    blocks.append(_buttons(taking_part, now))
    return m.Message(tuple(blocks), "Your mentoring", kind="home")


def _program(
    uow: UnitOfWork, program: Program, enrolment: Enrolment, person: Person, now: datetime
) -> list[m.Block]:
    blocks: list[m.Block] = [m.para(m.Bold(program.spec.name))]
    if enrolment.is_paused(now):
        until = enrolment.paused_until
        blocks.append(
            m.para(f"On a break until {until:%-d %B %Y}." if until else "On a break. Say “resume”.")
        )
    elif enrolment.status in _STATUS_WORDS:
        blocks.append(m.para(_STATUS_WORDS[enrolment.status]))
    live = [
        x
        for x in uow.matches.of_person(person.id, [MatchStatus.ACTIVE])
        if x.program_id == program.id
    ]
    for match in live:
        blocks.extend(_match(uow, program, match, person, now))
    if enrolment.status is Status.ACTIVE and not live:
        blocks.append(m.Note("No match yet: I'll introduce you when the next round is published."))
    return blocks


def _match(
    uow: UnitOfWork, program: Program, match: Match, person: Person, now: datetime
) -> list[m.Block]:
    partners = " and ".join(x.name for x in match.others(person.id))
    lines: list[m.Block] = [m.para(f"Matched with {partners}. ", explained(match, person.user_id))]
    if match.started_at is not None:
        weeks = program.spec.cadence_weeks
        start = match.started_at.date()
        due = cycle_due(start, weeks, cycles_due(start, weeks, now.date()) + 1)
        lines.append(m.Facts((m.Fact("Next check-in", f"{due:%A %-d %B}"),)))
    goals = uow.goals.of(match.id, person.id)
    if goals:
        lines.append(
            m.Bullets(tuple(m.para(f"{g.text} ({_GOAL_WORDS[g.status]})") for g in goals[:3]))
        )
    else:
        lines.append(m.Note("No goals yet: you'll be asked for one to three after you meet."))
    return lines


def _buttons(taking_part: Sequence[tuple[Program, Enrolment]], now: datetime) -> m.Buttons:
    paused = any(e.is_paused(now) for _, e in taking_part)
    wanted = ["match", "profile", "resume" if paused else "pause", "programs", "help"]
    if not taking_part:
        wanted = ["programs", "help"]
    return m.Buttons(ACTION, tuple(m.Option(c, BUTTONS[c]) for c in wanted))


class HomeFlow:
    """A button on the home runs its everyday command, as if it had been typed."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        turn.commands.command(turn, text)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        command = values[0] if values else ""
        if command not in BUTTONS:
            turn.say("That button isn't in use any more. Say “help” to see what I can do.")
            return
        turn.commands.command(turn, command)


def show_home(turn: Turn, args: str) -> None:
    """``home``: the home as a message (where the platform has no home tab)."""
    view = home_view(turn.uow, turn.workspace, turn.person, turn.now)
    turn.reply(*view.blocks, summary=view.summary, kind="home")
