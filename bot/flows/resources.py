"""``resources [topic]``: the library: Tandem's guides for each stage of a match,
conversation starters, the mentor training, and the links programs add in their
YAML (``resources:``), for the programs the person takes part in or coordinates.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from bot import outbound as m
from bot.cadence.content import guides
from bot.cadence.lessons import track
from bot.cadence.library import guide_blocks, library
from bot.model import Program, Status
from bot.program.spec import Resource
from bot.turn import Turn


@dataclass(frozen=True)
class _Topic:
    name: str
    about: str
    blocks: Callable[[], tuple[m.Block, ...]]


def _first_meeting() -> tuple[m.Block, ...]:
    g = guides().first_meeting
    return (
        m.para(m.Bold(g.title)),
        m.bullets(*g.agenda),
        m.para(m.Bold("Questions to start with")),
        m.bullets(*g.questions),
        m.Note(g.goals),
    )


def _starters() -> tuple[m.Block, ...]:
    return (m.para(m.Bold("Conversation starters")), m.bullets(*library().starters))


def _mentoring() -> tuple[m.Block, ...]:
    t = track()
    return (
        m.para(m.Bold("Mentor training")),
        m.para(t.intro),
        m.bullets(*(f"{t.number(x)}. {x.title}" for x in t.lessons)),
        m.Note("Say “training” to read them, or “training 3” for one."),
    )


def _stage(name: str) -> Callable[[], tuple[m.Block, ...]]:
    return lambda: guide_blocks(getattr(library().stages, name))


BUILT_IN = (
    _Topic("first-meeting", "your first meeting", _first_meeting),
    _Topic("30-days", "a month in", _stage("thirty_days")),
    _Topic("midpoint", "half-way through", _stage("midpoint")),
    _Topic("closing", "your closing conversation", _stage("closing")),
    _Topic("starters", "questions to start a conversation", _starters),
    _Topic("mentoring", "the mentor training", _mentoring),
)
_ALIASES = {
    "first": "first-meeting",
    "30": "30-days",
    "30-day": "30-days",
    "thirty-days": "30-days",
    "mid-point": "midpoint",
    "half-way": "midpoint",
    "halfway": "midpoint",
    "closing-conversation": "closing",
    "end": "closing",
    "conversation-starters": "starters",
    "questions": "starters",
    "training": "mentoring",
}


def resources(turn: Turn, args: str) -> None:
    links = _links(turn)
    topics = [t.name for t in BUILT_IN]
    topics += sorted({r.topic for _, r in links} - set(topics))
    if not args:
        _listing(turn, topics, links)
        return
    wanted = "-".join(args.casefold().split())
    wanted = _ALIASES.get(wanted, wanted)
    if wanted not in topics:
        shown = " ".join(args.split())[:40]
        close = difflib.get_close_matches(wanted, topics, n=1)
        hint = f" Did you mean “{close[0]}”?" if close else ""
        turn.say(
            f"There's no topic “{shown}” in the resources.{hint} "
            f"The topics are: {', '.join(topics)}. Say “resources TOPIC”."
        )
        return
    blocks: list[m.Block] = []
    built_in = next((t for t in BUILT_IN if t.name == wanted), None)
    if built_in is not None:
        blocks += built_in.blocks()
    mine = [(p, r) for p, r in links if r.topic == wanted]
    if mine:
        blocks.append(m.para(m.Bold("Links from your programs")))
        blocks.append(
            m.Bullets(tuple(m.para(m.Bold(r.title), f" ({p.spec.name}): {r.url}") for p, r in mine))
        )
    blocks.append(m.Note("Say “resources” for every topic."))
    turn.reply(*blocks, summary=f"Resources: {wanted}", kind="resources")


def _listing(turn: Turn, topics: list[str], links: list[tuple[Program, Resource]]) -> None:
    about = {t.name: t.about for t in BUILT_IN}
    lines = []
    for topic in topics:
        count = sum(1 for _, r in links if r.topic == topic)
        extra = f"{count} link{'s' if count != 1 else ''}" if count else ""
        words = ", ".join(x for x in (about.get(topic, ""), extra) if x)
        lines.append(m.para(m.Bold(topic), f": {words}"))
    turn.reply(
        m.para("Guides for each stage of a match, and links from your programs:"),
        m.Bullets(tuple(lines)),
        m.Note("Say “resources TOPIC”, e.g. “resources midpoint”."),
        summary="Resources",
        kind="resources",
    )


def _links(turn: Turn) -> list[tuple[Program, Resource]]:
    """The links of the programs the person takes part in or coordinates (of every
    program here, for someone in none yet)."""
    programs = turn.programs()
    taking_part = {
        e.program_id
        for e in turn.uow.enrolments.of_person(turn.person.id)
        if e.status is not Status.LEFT
    }
    mine = [
        p for p in programs if p.id in taking_part or p.spec.coordinated_by(turn.person.user_id)
    ]
    return [(p, r) for p in mine or programs for r in p.spec.resources]
