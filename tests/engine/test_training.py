"""The mentor training: lessons for the people who mentor, one at a time, inside
working hours and the weekly budget, never in a check-in's place; the report's
counts; bad input (console, SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from adapters.console.chat import ConsoleChat
from bot.clock import ManualClock
from bot.events import ChoicePicked
from tandem.bootstrap import App
from tests.dialog import Contains, Lacks, say, verify_dialog
from tests.engine.cadence import MATCHED, Program

Chat = Callable[..., ConsoleChat]

LESSON = "Mentor training 1 of 7: Listen more than you talk"


def join_leadership(chat: Chat, name: str, role: str, timezone: str = "Berlin") -> ConsoleChat:
    person = chat(name)
    say(person, "join leadership-mentoring")
    offers, wants, level = ("Hiring", "none", "4") if role == "mentor" else ("none", "Hiring", "2")
    reply = ""
    for answer in ("I agree", role, "Grow as a leader", offers, wants, level, timezone, "ok"):
        reply = say(person, answer)
    for answer in ("skip", "none"):
        reply = say(person, answer)
    assert "You're in" in reply, reply
    return person


def mentoring(
    chat: Chat, app: App, clock: ManualClock, timezone: str = "Berlin", *, publish: bool = True
) -> Program:
    """Max mentors Nia in leadership-mentoring, matched on Monday 23 November 2026."""
    max_, nia = (
        join_leadership(chat, "Max", "mentor", timezone),
        join_leadership(chat, "Nia", "mentee"),
    )
    cora = chat("Coordinator")
    pair = Program(app, clock, max_, nia, cora)
    if publish:
        say(cora, "round leadership-mentoring preview")
        say(cora, "round leadership-mentoring publish")
        pair.tick()
        for person in (max_, nia):
            shown = pair.screen(person)
            assert "Meet your mentoring partner" in shown
            FIRST[person.actor.user_id] = shown
            say(person, "I accept")
    return pair


FIRST: dict[str, str] = {}  # what each saw on opening their chat after the match


def test_a_mentor_gets_one_lesson_at_a_time_and_the_mentee_none(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    pair = mentoring(chat, app, clock)
    # The first lesson comes in the introduction's week (the week has room).
    shown = FIRST[pair.ana.actor.user_id]
    assert "Mentor training" not in FIRST[pair.bo.actor.user_id]
    pair.day(7, hour=10)  # a week on, but lesson 1 isn't done yet: nothing new
    pair.day(14, hour=10)
    assert "Mentor training" not in pair.screen(pair.ana) + pair.screen(pair.bo)
    verify_dialog(
        pair.ana,
        [
            (
                "training",
                Contains(
                    "== Mentor training ==",
                    "0 of 7 lessons done.",
                    "1. Listen more than you talk",
                    "7. When your mentee goes quiet",
                    LESSON,
                    "Try this:",
                    "[1] Done",
                ),
            ),
            (
                "Done",
                "Done: 1 of 7. The next lesson, “Ask open questions”, comes in about a week; "
                "say “training” to read it now.",
            ),
            (
                "training 1",
                [Contains(LESSON, "You've marked this one done."), Lacks("[1] Done")],
            ),
            ("training", Contains("1 of 7 lessons done.", "1. Listen more than you talk (done)")),
        ],
    )
    assert "You're mentoring, so here is a short track" in shown
    assert LESSON in shown and "[1] Done" in shown
    pair.day(15, hour=10)
    assert "Mentor training 2 of 7: Ask open questions" in pair.screen(pair.ana)
    pair.day(16, hour=10)  # one at a time: lesson 3 waits for "Done" under lesson 2
    assert pair.screen(pair.ana) == ""
    assert "Mentor training" not in pair.screen(pair.bo)


def test_someone_who_joined_as_a_mentor_starts_before_the_first_match(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    pair = mentoring(chat, app, clock, publish=False)
    pair.tick()
    assert LESSON in pair.screen(pair.ana)
    assert pair.screen(pair.bo) == ""


def test_lessons_come_inside_working_hours(chat: Chat, app: App, clock: ManualClock) -> None:
    pair = mentoring(chat, app, clock, timezone="America/New_York", publish=False)
    pair.at(MATCHED.replace(hour=13, minute=59))  # 08:59 in New York
    assert pair.screen(pair.ana) == ""
    pair.at(MATCHED.replace(hour=14))
    assert LESSON in pair.screen(pair.ana)


def test_a_lesson_never_takes_a_check_ins_place(chat: Chat, app: App, clock: ManualClock) -> None:
    """Max finishes each lesson at once. The week of the first check-in (Monday
    21 December) also brings the 30-day milestone: with the budget's three places,
    no lesson goes that week; it comes the Monday after."""
    pair = mentoring(chat, app, clock)
    say(pair.ana, "training 1")
    say(pair.ana, "Done")
    for week, number in ((1, 2), (2, 3), (3, 4)):
        pair.day(7 * week, hour=10)
        assert f"Mentor training {number} of 7" in pair.screen(pair.ana), week
        say(pair.ana, "Done")
    seen = ""
    for day in range(28, 33):  # Monday to Friday of the check-in's week
        pair.day(day, hour=10)
        seen += pair.screen(pair.ana)
    assert "Did you and Nia meet in the last 4 weeks?" in seen
    assert "It's been 30 days with Nia" in seen
    assert "Mentor training" not in seen
    pair.day(35, hour=10)
    assert "Mentor training 5 of 7" in pair.screen(pair.ana)


def test_bad_input_to_training_changes_nothing(chat: Chat, app: App, clock: ManualClock) -> None:
    pair = mentoring(chat, app, clock)
    verify_dialog(
        pair.ana,
        [
            (
                "training 99",
                Contains("There's no lesson “99” in the training. The lessons are: 1. Listen"),
            ),
            ("training banana", Contains("There's no lesson “banana”", "Say “training 2”")),
            (
                "training " + "x" * 10_000,
                "That message is 10,009 characters long; the limit here is 300 characters. "
                "Say “help” to see what I can do.",
            ),
            ("training open questions", Contains("Mentor training 2 of 7: Ask open questions")),
            ("training", Contains("0 of 7 lessons done.")),
        ],
    )
    assert say(pair.ana, "Done").startswith("Done: 1 of 7.")  # lesson 1, shown last

    presses = iter(range(100))

    def press(action: str, value: str = "done") -> str:
        event = ChoicePicked(
            event_id=f"press-{next(presses)}", actor=pair.ana.actor, action=action, values=(value,)
        )
        return " ".join(pair.ana.show(app.engine.handle(event)))

    assert press("training:listening") == (
        "You've marked that lesson done already. Say “training” to see the track."
    )
    gone = "That lesson isn't part of the training any more. Say “training” to see it."
    assert press("training:no-such-lesson") == gone
    assert press("training:questions", "x" * 10_000) == gone
    assert "1 of 7 lessons done." in say(pair.ana, "training")


def test_the_report_counts_mentors_and_their_training(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    pair = mentoring(chat, app, clock)
    say(pair.ana, "training 1")
    say(pair.ana, "Done")
    report = say(pair.cora, "report leadership-mentoring")
    assert "Mentor training: mentors 1 · finished 0% · lessons done 1" in " ".join(report.split())
    for number in range(2, 8):
        say(pair.ana, f"training {number}")
        say(pair.ana, "Done")
    assert "That's the whole track" in say(pair.ana, "training")
    report = say(pair.cora, "report leadership-mentoring")
    flat = " ".join(report.split())
    assert "Mentor training: mentors 1 · finished 100% · lessons done 7" in flat
    # Status only: nothing of the lessons themselves.
    assert "Listen more than you talk" not in report
    with app.uow() as uow:
        program = next(p for p in uow.programs.every() if p.slug == "leadership-mentoring")
        facts = uow.reports.facts(program.id)
    assert len(facts.training) == 7
    assert facts.mentors and facts.joined_as_mentors


def test_the_mentee_is_never_counted_or_trained_even_after_months(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    pair = mentoring(chat, app, clock)
    seen = ""
    for week in range(1, 12):
        pair.at(MATCHED + timedelta(days=7 * week, hours=1))
        seen += pair.screen(pair.bo)
    assert "Mentor training" not in seen
    with app.uow() as uow:
        nia = uow.people.find(1, "nia")
        assert nia is not None
        assert list(uow.training.of(nia.id)) == []


def test_forget_me_asks_first_when_training_is_all_there_is(chat: Chat, app: App) -> None:
    eve = chat("Eve")
    say(eve, "training 1")
    say(eve, "Done")
    verify_dialog(
        eve,
        [
            ("forget me", Contains("This erases everything Tandem holds about you")),
            ("Erase everything", Contains("Done: everything Tandem held about you")),
            ("training", Contains("0 of 7 lessons done.")),
        ],
    )
