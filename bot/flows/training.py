"""``training``: the mentor training track, lesson by lesson.

training            the track: what's done, and the next lesson in full
training N | NAME   one lesson (by number, short name or title)
training:LESSON     the "Done" button under a lesson
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import outbound as m
from bot.cadence.lessons import Lesson, done_lessons, lesson_message, next_lesson, track
from bot.cadence.training import MENTORING_ROLES
from bot.model import Conversation, MatchStatus
from bot.router import padded
from bot.turn import Turn


def training(turn: Turn, args: str) -> None:
    progress = turn.uow.training.of(turn.person.id)
    done = done_lessons(progress)
    if args:
        lesson = track().find(args)
        if lesson is None:
            _unknown(turn, args)
            return
        _show(turn, lesson, lesson.slug in done)
        return
    t = track()
    lines = [f"{t.number(x)}. {x.title}" + (" (done)" if x.slug in done else "") for x in t.lessons]
    blocks: list[m.Block] = [m.Heading("Mentor training")]
    if not _mentoring(turn):
        blocks.append(
            m.Note(
                "This track is for people who mentor (a mentor, or a circle's facilitator); "
                "you're welcome to read it."
            )
        )
    blocks += [
        m.para(f"{len(done)} of {len(t.lessons)} lessons done."),
        m.bullets(*lines),
    ]
    following = next_lesson(progress)
    if following is None:
        blocks.append(m.para(t.finished))
        turn.reply(*blocks, summary="Mentor training", kind="training-track")
        return
    blocks.append(m.Note(f"Say “training N” to read any lesson again. Next up: {following.title}."))
    turn.reply(*blocks, summary="Mentor training", kind="training-track")
    _show(turn, following, False)


def _show(turn: Turn, lesson: Lesson, done: bool) -> None:
    message = lesson_message(lesson, done=done)
    turn.reply(*message.blocks, summary=message.summary, kind="training-lesson")


def _unknown(turn: Turn, typed: str) -> None:
    shown = " ".join(typed.split())[:40]
    names = "; ".join(f"{track().number(x)}. {x.title}" for x in track().lessons)
    turn.say(
        f"There's no lesson “{shown}” in the training. The lessons are: {names}. "
        "Say “training 2” (or its name) to read one."
    )


def _mentoring(turn: Turn) -> bool:
    matches = turn.uow.matches.of_person(turn.person.id, [MatchStatus.ACTIVE])
    if any(
        member.role in MENTORING_ROLES
        for match in matches
        for member in match.members
        if member.person_id == turn.person.id
    ):
        return True
    return any(
        turn.uow.answers.of(e.id).get("role") == "mentor"
        for e in turn.uow.enrolments.of_person(turn.person.id)
    )


class TrainingFlow:
    """ "Done" under a lesson."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        turn.commands.fall_through(turn, text)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        slug = padded(args, 1)[0]
        lesson = next((x for x in track().lessons if x.slug == slug), None)
        if lesson is None or values[:1] != ("done",):
            turn.say("That lesson isn't part of the training any more. Say “training” to see it.")
            return
        if not turn.uow.training.done(turn.workspace.id, turn.person.id, lesson.slug, turn.now):
            turn.say("You've marked that lesson done already. Say “training” to see the track.")
            return
        progress = turn.uow.training.of(turn.person.id)
        count, total = len(done_lessons(progress)), len(track().lessons)
        following = next_lesson(progress)
        if following is None:
            turn.say(f"Done: {count} of {total}. {track().finished}")
            return
        turn.say(
            f"Done: {count} of {total}. The next lesson, “{following.title}”, comes in about "
            "a week; say “training” to read it now."
        )
