"""Who a round pairs with whom: a requested partner is honoured and partners do not
repeat, an odd person out joins a pair as a trio, forget me ends a match and frees
the partner, and mentoring rounds pair mentors with mentees."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from adapters.console.chat import ConsoleChat
from bot.clock import ManualClock
from tandem.bootstrap import App
from tests.dialog import Contains, Lacks, say, verify_dialog
from tests.engine.rounds import enrolled_people
from tests.engine.scripts import answers_for, enrol

Chat = Callable[..., ConsoleChat]


def test_a_requested_partner_is_honoured_and_partners_do_not_repeat(
    chat: Chat, cora: ConsoleChat, app: App
) -> None:
    people = enrolled_people(chat)
    verify_dialog(
        people["Ana"],
        [
            (
                "request @cy",
                "Noted: I'll try to pair you with @cy in the next round of Engineering "
                "Growth Partners, if the program's rules allow it.",
            ),
        ],
    )
    verify_dialog(
        cora,
        [
            ("round engineering-growth preview", Contains("Ana (@ana) + Cy (@cy)")),
            ("round engineering-growth publish", Contains("Published: 2 matches")),
            # Everyone matched is busy: only Ed, who shares nobody's hours, is left.
            (
                "round engineering-growth preview",
                "There's nobody to match in Engineering Growth Partners yet: a round needs "
                "at least two people waiting (1 person waiting, 4 people in running matches). "
                "No draft was made.",
            ),
            ("round engineering-growth discard", "There's no draft round to discard."),
        ],
    )
    _end_match_of(app, people["Ana"])
    verify_dialog(
        cora,
        [
            (
                "round engineering-growth preview",
                [Lacks("Ana (@ana) + Cy (@cy)"), Contains("Waiting: Ana (@ana)", "Cy (@cy)")],
            ),
        ],
    )


def _end_match_of(app: App, person: ConsoleChat) -> None:
    """The person says "this match isn't working" on a check-in, and confirms."""
    from bot.cadence.due import Cadence

    app.clock.advance(timedelta(days=14))
    Cadence(app.uow, app.clock).tick()
    screen = "\n".join(person.open())
    assert "This match isn't working" in screen
    say(person, "This match isn't working")
    assert "Done." in say(person, "End the match")


def test_an_odd_person_out_joins_a_pair_as_a_trio(
    chat: Chat, cora: ConsoleChat, clock: ManualClock
) -> None:
    people = enrolled_people(chat)
    fay = chat("Fay")
    enrol(fay, answers_for(offers="Python", wants="SQL"))
    say(cora, "round engineering-growth preview")
    say(cora, "round engineering-growth publish")
    intro, _ = fay.open()
    assert "== Meet your match ==" in intro
    assert sum(f"@{n}" in intro for n in ("ana", "bo", "cy", "di")) == 2
    clock.advance(timedelta(hours=11))  # Ed's morning in Kiritimati
    assert "first in line" in "".join(people["Ed"].open())  # nobody shares his hours


def test_forget_me_ends_the_match_and_the_partner_is_unmatched(
    chat: Chat, cora: ConsoleChat, app: App
) -> None:
    people = enrolled_people(chat)
    say(cora, "round engineering-growth preview")
    say(cora, "round engineering-growth publish")
    say(people["Ana"], "forget me")
    say(people["Ana"], "Erase everything")
    people["Bo"].open()  # the introduction they had not read yet
    verify_dialog(
        people["Bo"],
        [
            (
                "match",
                Contains(
                    "You don't have a match right now.",
                    "Engineering Growth Partners: your last match ended on",
                    "you'll be in the next round, on Monday",
                ),
            ),
        ],
    )


def test_mentoring_rounds_pair_mentors_with_mentees(chat: Chat, cora: ConsoleChat) -> None:
    def join(name: str, role: str, offers: str, wants: str, level: str) -> None:
        person = chat(name)
        say(person, "join leadership-mentoring")
        for answer in (
            "I agree",
            role,
            "Grow as a leader",
            offers,
            wants,
            level,
            "Berlin",
            "ok",
            "skip",
            "none",
        ):
            reply = say(person, answer)
        assert "You're in" in reply

    join("Max", "mentor", "Hiring, Delegation", "none", "4")
    join("Nia", "mentee", "none", "Hiring", "2")
    join("Oli", "mentee", "none", "Delegation", "1")
    verify_dialog(
        cora,
        [
            (
                "round leadership-mentoring preview",
                Contains(
                    "2 matches covering 4 people, 0 waiting",
                    "Max (@max) + Nia (@nia)",
                    "Max can help Nia with Hiring",
                    "Max (@max) + Oli (@oli)",
                    "Max can help Oli with Delegation",
                ),
            ),
        ],
    )
