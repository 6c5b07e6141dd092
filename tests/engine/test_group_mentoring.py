"""A group mentoring program in chat: one mentor, three mentees who want what the
mentor teaches, one introduction to the whole group (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from adapters.console.chat import ConsoleChat
from bot.admin import bundled_programs, install_programs
from bot.cadence.due import Cadence
from bot.clock import ManualClock
from bot.program.spec import Format
from tandem.bootstrap import App
from tests.dialog import Contains, say, verify_dialog
from tests.engine.scripts import answers_for, enrol
from tests.engine.stored import rows

Chat = Callable[..., ConsoleChat]


def _as(role: str, answers: tuple[str, ...]) -> tuple[str, ...]:
    return (*answers[:7], role, *answers[8:])


def test_a_mentor_and_three_mentees_meet_as_one_group(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    spec = bundled_programs()[0].model_copy(update={"format": Format.GROUP_MENTORING})
    install_programs(app.uow, clock, "console", "console", [spec])
    mia = chat("Mia")
    enrol(mia, _as("mentor", answers_for(offers="SQL", wants="Negotiation", level="5")))
    mentees = [chat(name) for name in ("Ana", "Bo", "Cy")]
    for person in mentees:
        enrol(person, _as("mentee", answers_for(offers="Python", wants="SQL", level="2")))
    cora = chat("Coordinator")
    verify_dialog(
        cora,
        [
            ("round engineering-growth preview", Contains("1 match covering 4 people")),
            ("round engineering-growth publish", Contains("Published")),
        ],
    )
    intro = " ".join(" ".join(mia.open()).split())
    assert "Your SQL mentoring group" in intro
    assert "@mia" in intro and "@ana" in intro and "@bo" in intro and "@cy" in intro
    assert "Your SQL mentoring group" in " ".join(mentees[0].open())
    verify_dialog(mia, [("match", Contains("Ana", "Bo", "Cy"))])


def _outbox_keys(app: App, prefix: str) -> list[str]:
    return sorted(row.key for row in rows(app, "outbox") if row.key.startswith(prefix))


def test_mentors_meet_once_a_month_as_a_circle(chat: Chat, app: App, clock: ManualClock) -> None:
    spec = bundled_programs()[0].model_copy(update={"format": Format.MENTOR_MENTEE})
    install_programs(app.uow, clock, "console", "console", [spec])
    mentors = [chat(name) for name in ("Mia", "Max", "Mo")]
    skills = ("SQL", "Security", "Testing and quality")
    for person, skill in zip(mentors, skills, strict=True):
        enrol(person, _as("mentor", answers_for(offers=skill, wants="Negotiation", level="5")))
    for name, skill in zip(("Ana", "Bo", "Cy"), skills, strict=True):
        enrol(chat(name), _as("mentee", answers_for(offers="Python", wants=skill, level="2")))
    cora = chat("Coordinator")
    say(cora, "round engineering-growth preview")
    assert "Published" in say(cora, "round engineering-growth publish")
    for person in mentors:
        person.open()
    for hours in (1, 2, 26):  # the month's first look, and later looks
        clock.advance(timedelta(hours=hours))
        Cadence(app.uow, clock).tick()
    told = " ".join(" ".join(mentors[0].open()).split())
    assert "Your mentors' circle for November" in told
    assert "@mia" in told and "@max" in told and "@mo" in told
    assert "trade what works" in told
    assert _outbox_keys(app, "mentors:") == [_outbox_keys(app, "mentors:")[0]]  # one circle
    clock.set(datetime(2026, 12, 1, 9, tzinfo=UTC))
    Cadence(app.uow, clock).tick()
    assert len(_outbox_keys(app, "mentors:")) == 2  # and one in December
