"""Polls in a program's channel: coordinators ask, participants answer with a
button, and everyone sees the tally, but only once enough have answered that no
single answer can be picked out.

poll [program] How useful are your sessions? | Very | Somewhat | Not yet
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import outbound as m
from bot.flow_names import FlowName
from bot.flows.coordinating import managed
from bot.model import Conversation, Poll, Program, Status
from bot.program.spec import Format
from bot.text import BadText, clean
from bot.turn import Turn

ACTION = FlowName.POLL
SHOW_FROM = 5  # answers before the tally is shown (fewer could identify people)
MAX_OPTIONS = 5
DEFAULT_OPTIONS = ("Going well", "Mixed", "Struggling")
MENTORING = (
    Format.MENTOR_MENTEE,
    Format.REVERSE,
    Format.GROUP_MENTORING,
)  # formats whose polls are for mentors
_HOW = (
    "Say “poll How are your mentoring sessions going? | Well | Mixed | Not yet”: "
    "a question, then two to five answers, separated by “|”."
)


def poll(turn: Turn, args: str) -> None:
    found = managed(turn, args, "poll")
    if found is None:
        return
    program, rest = found
    if not program.spec.channel:
        turn.say(
            f"{program.spec.name} has no channel yet. Add `channel:` (its channel id) to the "
            "program's file, invite Tandem to that channel, and try again."
        )
        return
    parsed = _parse(rest)
    if isinstance(parsed, str):
        turn.say(parsed)
        return
    question, options = parsed
    created = turn.uow.polls.add(turn.workspace.id, program.id, question, options, turn.now)
    turn.post(
        m.ToChannel(program.spec.channel),
        poll_message(created, [0] * len(options), audience(program)),
        f"poll{created.id}",
    )
    turn.say(
        f"Posted in {program.spec.name}'s channel. Answers are counted, never shown one "
        f"by one; the tally appears once {SHOW_FROM} people have answered."
    )


def _parse(text: str) -> tuple[str, tuple[str, ...]] | str:
    parts = [p.strip() for p in text.split("|")]
    try:
        question = clean(parts[0], max_chars=300) if parts and parts[0] else ""
        options = tuple(clean(p, max_chars=75) for p in parts[1:] if p) or DEFAULT_OPTIONS
    except BadText as error:
        return f"{error} {_HOW}"
    if not question:
        return _HOW
    if not 2 <= len(options) <= MAX_OPTIONS or len(set(options)) != len(options):
        return f"A poll needs two to five different answers. {_HOW}"
    return question, options


def poll_message(poll: Poll, counts: Sequence[int], who: str = "") -> m.Message:
    """The poll as the channel sees it: the question, the buttons, the tally."""
    answered = sum(counts)
    buttons = m.Buttons(
        f"{ACTION}:{poll.id}", tuple(m.Option(str(n), o) for n, o in enumerate(poll.options))
    )
    blocks: list[m.Block] = [m.para(m.Bold(poll.question)), buttons]
    if who:
        blocks.insert(1, m.Note(f"For {who}."))
    if answered < SHOW_FROM:
        blocks.append(
            m.Note(
                f"{answered} answered so far. The results appear once {SHOW_FROM} people have "
                "answered; nobody sees who said what."
            )
        )
    else:
        blocks.append(
            m.Bullets(
                tuple(
                    m.para(f"{option}: {count * 100 // answered}% ({count})")
                    for option, count in zip(poll.options, counts, strict=True)
                )
            )
        )
        blocks.append(m.Note(f"{answered} answered. Anonymous: only the totals are shown."))
    return m.Message(tuple(blocks), poll.question, kind="poll")


def audience(program: Program) -> str:
    """Who answers: the mentors in a mentoring program, everyone in a peer one."""
    if program.spec.format in MENTORING:
        return f"the mentors of {program.spec.name}"
    return f"people taking part in {program.spec.name}"


def _may_answer(turn: Turn, program: Program) -> bool:
    enrolment = turn.uow.enrolments.get(program.id, turn.person.id)
    if enrolment is None or enrolment.status not in (Status.ACTIVE, Status.PAUSED):
        return False
    if program.spec.format not in MENTORING:
        return True
    return turn.uow.answers.of(enrolment.id).get("role") in ("mentor", "either")


class PollFlow:
    """A participant's answer: counted once per person (a new press changes it)."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        turn.commands.command(turn, text)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        poll_id = int(args[0]) if args and args[0].isdigit() else 0
        found = turn.uow.polls.get(poll_id)
        choice = int(values[0]) if values and values[0].isdigit() else -1
        if found is None or not 0 <= choice < len(found.options):
            turn.say("That poll isn't running any more.")
            return
        program = turn.uow.programs.by_id(found.program_id)
        if not _may_answer(turn, program):
            turn.say(f"This poll is for {audience(program)}.")
            return
        version = turn.uow.polls.answer(found, turn.person.id, choice, turn.now)
        counts = turn.uow.polls.counts(found.id)
        turn.replace = poll_message(found, counts, audience(program))
        turn.replace_version = version
