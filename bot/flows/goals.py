"""Goals: set one to three after the introduction, update them at milestones.

goals:MATCH      "Set my goals" / "Add another" / "That's all"
milestone:MATCH:DAY  "Update my goals" (day 0: any time, from ``goals``)
goal:GOAL        on track / off track / done, one goal at a time
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import outbound as m
from bot.cadence.content import guides
from bot.flow_names import FlowName
from bot.model import Conversation, Goal, GoalStatus, Match, MatchStatus
from bot.router import padded
from bot.text import BadText, clean, one_line
from bot.turn import Turn

MOST_GOALS = 3
GOAL_CHARS = 300
_FINISHED = frozenset({"done", "that's all", "thats all", "no", "none"})


def _match(turn: Turn, text: str) -> Match | None:
    match = turn.uow.matches.get(int(text)) if text.isdigit() else None
    if match is None or match.member(turn.person.id) is None:
        return None
    return match


def _mine(turn: Turn, match: Match) -> Sequence[Goal]:
    return turn.uow.goals.of(match.id, turn.person.id)


class GoalsFlow:
    """Setting goals: the buttons start it, each typed line is one goal."""

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        match = _match(turn, padded(args, 1)[0])
        if match is None:
            turn.say("Those goals aren't yours to set.")
            return
        if values[:1] == ("done",):
            _saved(turn, match)
        elif len(_mine(turn, match)) >= MOST_GOALS:
            turn.say(f"You have {MOST_GOALS} goals already; say “goals” to see them.")
        else:
            _ask(turn, match)

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        match = _match(turn, str(conversation.get("match", "")))
        if match is None:
            turn.forget_conversation()
            return
        if one_line(text[:20]).casefold() in _FINISHED:
            _saved(turn, match)
            return
        try:
            goal = clean(text, max_chars=GOAL_CHARS)
        except BadText as error:
            turn.say(str(error))
            _ask(turn, match)
            return
        turn.uow.goals.add(match, turn.person.id, goal, turn.now)
        turn.forget_conversation()
        if len(_mine(turn, match)) >= MOST_GOALS:
            _saved(turn, match)
            return
        words = guides().goals
        turn.reply(
            m.para(words.more),
            m.Buttons(
                f"{FlowName.GOALS}:{match.id}",
                (m.Option("add", words.add), m.Option("done", words.done)),
            ),
            summary=words.more,
            kind="survey",
            match=match.id,
        )


def _ask(turn: Turn, match: Match) -> None:
    turn.remember(Conversation(FlowName.GOALS, {"match": match.id}))
    number = len(_mine(turn, match)) + 1
    text = guides().goals.ask.format(number=number)
    turn.reply(
        m.para(text),
        m.Note(f"Up to {GOAL_CHARS} characters; “done” when you're done."),
        summary=text,
        kind="survey",
        match=match.id,
    )


def _saved(turn: Turn, match: Match) -> None:
    turn.forget_conversation()
    program = turn.uow.programs.by_id(match.program_id)
    days = ", ".join(str(d) for d in program.spec.schedule.milestones)
    goals = _mine(turn, match)
    if not goals:
        turn.say("No goals yet; say “goals” whenever you're ready to set them.")
        return
    turn.reply(
        m.para(guides().goals.saved.format(milestones=days)),
        m.bullets(*(g.text for g in goals)),
        summary="Your goals are saved.",
    )


class MilestoneFlow:
    """ "Update my goals": each goal's status in turn."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        turn.commands.fall_through(turn, text)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        match = _match(turn, padded(args, 1)[0])
        if match is None:
            turn.say("Those goals aren't yours.")
            return
        goals = _mine(turn, match)
        if not goals:
            words = guides()
            turn.reply(
                m.para(words.milestone.none),
                m.Buttons(
                    f"{FlowName.GOALS}:{match.id}",
                    (m.Option("set", words.goals.button, "primary"),),
                ),
                summary=words.milestone.none,
            )
            return
        _ask_status(turn, goals[0])


def _ask_status(turn: Turn, goal: Goal) -> None:
    words = guides().milestone
    text = words.status.format(goal=goal.text)
    options = tuple(m.Option(value, label) for value, label in words.options.items())
    turn.reply(
        m.para(text), m.Buttons(f"{FlowName.GOAL}:{goal.id}", options), summary=text, kind="survey"
    )


class GoalStatusFlow:
    """One goal's status; then the next goal, or a summary."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        turn.commands.fall_through(turn, text)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        goal_id = padded(args, 1)[0]
        status = values[0] if values else ""
        mine = [
            g
            for match in turn.uow.matches.of_person(turn.person.id, [MatchStatus.ACTIVE])
            for g in _mine(turn, match)
        ]
        goal = next((g for g in mine if str(g.id) == goal_id), None)
        if goal is None or status not in {s.value for s in GoalStatus} - {"open"}:
            turn.say("That goal isn't one of yours.")
            return
        turn.uow.goals.set_status(goal.id, GoalStatus(status), turn.now)
        siblings = [g for g in mine if g.match_id == goal.match_id]
        later = [g for g in siblings if g.id > goal.id]
        if later:
            _ask_status(turn, later[0])
            return
        statuses = [GoalStatus(status) if g.id == goal.id else g.status for g in siblings]
        done = sum(s is GoalStatus.DONE for s in statuses)
        turn.say(guides().milestone.thanks.format(done=done, total=len(siblings)))


_SHOWN = {
    GoalStatus.OPEN: "set",
    GoalStatus.ON_TRACK: "on track",
    GoalStatus.OFF_TRACK: "off track",
    GoalStatus.DONE: "done",
}


def show_goals(turn: Turn, args: str) -> None:
    """``goals``: my goals in each live match, their status, and my next steps."""
    matches = turn.uow.matches.of_person(turn.person.id, [MatchStatus.ACTIVE])
    earlier = _earlier_goals(turn)
    if not matches and not earlier:
        turn.say("Goals come with a match; you'll set them after your introduction.")
        return
    blocks: list[m.Block] = []
    for match in matches:
        partner = " and ".join(x.name for x in match.others(turn.person.id))
        goals = _mine(turn, match)
        blocks.append(m.para(m.Bold(f"With {partner}")))
        blocks.append(
            m.bullets(*(f"{g.text} ({_SHOWN[g.status]})" for g in goals))
            if goals
            else m.Note("No goals yet.")
        )
        steps = [f.next_focus for f in _my_feedback(turn, match) if f.next_focus]
        if steps:
            blocks.append(m.para(m.Bold("Your next step: "), steps[-1]))
        actions = (m.Option("update", "Update my goals"),) if goals else ()
        adding = (m.Option("set", "Add a goal"),) if len(goals) < MOST_GOALS else ()
        if actions:
            blocks.append(m.Buttons(f"{FlowName.MILESTONE}:{match.id}:0", actions))
        if adding:
            blocks.append(m.Buttons(f"{FlowName.GOALS}:{match.id}", adding))
    blocks += earlier
    turn.reply(*blocks, summary="Your goals", kind="goals-list")


_EARLIER = 3  # ended matches whose goals are shown


def _earlier_goals(turn: Turn) -> list[m.Block]:
    """Goals from matches that have ended: they stay the person's own, whatever
    became of the match or the partner."""
    ended = turn.uow.matches.of_person(turn.person.id, [MatchStatus.ENDED])
    recent = sorted(ended, key=lambda x: x.ended_at or x.created_at, reverse=True)
    blocks: list[m.Block] = []
    for match in recent[:_EARLIER]:
        goals = _mine(turn, match)
        if not goals:
            continue
        partner = " and ".join(x.name for x in match.others(turn.person.id))
        day = match.ended_at or match.created_at
        with_whom = f"with {partner}" if partner else "match"
        blocks.append(m.para(m.Bold(f"Earlier {with_whom} (ended {day.day} {day:%B})")))
        blocks.append(m.bullets(*(f"{g.text} ({_SHOWN[g.status]})" for g in goals)))
    return blocks


def _my_feedback(turn: Turn, match: Match) -> list:  # type: ignore[type-arg]
    return [
        f
        for f in turn.uow.checkins.feedback_of(match.program_id)
        if f.match_id == match.id and f.person_id == turn.person.id
    ]
