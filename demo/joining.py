"""The demo's first chapters: the workforce, how people join, and those who don't
follow the script (mistakes, a restart half-way, a move, a break, leaving, forget me)."""

from __future__ import annotations

import collections
from dataclasses import replace

from bot.timezones import resolve_timezone
from demo.run import GROWTH, LEADERSHIP, DemoRun, enrol, intake_answers, leadership_answers
from tandem.bootstrap import build


def meet_the_workforce(run: DemoRun) -> None:
    run.heading(f"1. Meet the workforce: {len(run.people)} people, four continents")
    by_office = collections.Counter((p.continent, p.city) for p in run.people)
    for (continent, city), count in sorted(by_office.items()):
        run.echo(f"  {continent:<13} {city:<10} {'#' * count} {count}")
    levels = collections.Counter(p.level for p in run.people)
    run.echo(
        "  Levels (1 = early career … 5 = principal): "
        + ", ".join(f"{lvl}: {levels[lvl]}" for lvl in sorted(levels))
    )
    departments = collections.Counter(p.department for p in run.people)
    run.echo("  Departments: " + ", ".join(f"{d} {n}" for d, n in departments.most_common()))


def the_first_enrolment(run: DemoRun) -> None:
    person = run.cast["first"]
    run.heading(f"2. {person.name} joins, start to finish")
    run.echo(
        f"  {person.name} works in {person.department} in {person.city}. "
        "This is the whole conversation:\n"
    )
    chat = run.chat(person)
    run.transcript(
        chat,
        [f"join {GROWTH}", "I agree", *intake_answers(person, run.programs[GROWTH])],
        reply_lines=6,
    )


def everyone_else_joins(run: DemoRun) -> None:
    run.heading("3. Everyone else joins")
    cast = {p.user_id for p in run.cast.values()}
    joined = [p for p in run.people if p.user_id not in cast]
    for person in joined:
        enrol(run, person)
    for person in joined[:8]:
        run.echo(
            f"  ✓ {person.name:<17} {person.city:<10} L{person.level} "
            f"teaches {person.offers[0]}, learns {person.wants[0]}"
        )
    run.echo(f"  … and {len(joined) - 8} more, each through the same survey.")
    leaders = [p for p in joined if p.level >= 4 and p.role in {"mentor", "either"}] + [
        p for p in joined if p.level in {2, 3} and 4 in p.goals
    ]
    for person in leaders:
        chat = run.chat(person)
        run.say(chat, f"join {LEADERSHIP}")
        for answer in leadership_answers(person):
            run.say(chat, answer)
    mentors = sum(p.level >= 4 for p in leaders)
    run.echo(
        f"  {len(leaders)} of them also joined Leadership Mentoring "
        f"({mentors} mentors, {len(leaders) - mentors} mentees): two programs, one workspace."
    )


def the_awkward_cases(run: DemoRun) -> None:
    run.heading("4. When people don't follow the script")
    spec = run.programs[GROWTH]
    careless = run.cast["careless"]
    run.echo(
        f"  {careless.name} types whatever comes to mind. Each answer gets a clear reason "
        "and the question again:"
    )
    chat = run.chat(careless)
    run.say(chat, f"join {GROWTH}")
    run.say(chat, "I agree")
    answers = intake_answers(careless, spec)
    run.transcript(
        chat,
        [
            "12",
            answers[0],
            answers[1],
            answers[2],
            "senior-ish",
            answers[3],
            "Mars/Olympus Mons",
            "PST",
            answers[4],
            "whenever",
            "9-17",
            *answers[6:-1],
            "x" * 10_000,
            "hello \x1b[31mworld\x1b[0m",
        ],
        reply_lines=2,
    )
    run.say(chat, answers[-1])

    halfway = run.cast["halfway"]
    run.echo(
        f"\n  {halfway.name} stops half-way; then Tandem restarts (a deploy). "
        "Nothing was kept in memory:"
    )
    chat = run.chat(halfway)
    run.say(chat, f"join {GROWTH}")
    run.say(chat, "I agree")
    for answer in intake_answers(halfway, spec)[:4]:
        run.say(chat, answer)
    run.transcript(chat, ["later"])
    restarted = build(run.app.settings, clock=run.clock)
    again = run.chat(halfway, restarted)
    run.transcript(again, ["join"], reply_lines=2)
    for answer in intake_answers(halfway, spec)[4:]:
        run.say(again, answer)
    restarted.close()

    _changes_of_heart(run)


def _changes_of_heart(run: DemoRun) -> None:
    moving, tired, leaving, private = (
        run.cast[k] for k in ("moving", "tired", "leaving", "private")
    )
    for person in (moving, tired, leaving, private):
        enrol(run, person)
    run.echo(f"\n  {moving.name} moves to Singapore and updates the profile:")
    run.transcript(run.chat(moving), ["profile edit timezone", "Singapore"])
    # The rest of the story (and its working-hours check) knows about the move.
    where = resolve_timezone("Singapore") or moving.timezone
    run.people[run.people.index(moving)] = replace(moving, city="Singapore", timezone=where)
    run.echo(f"\n  {tired.name} needs a break:")
    run.transcript(run.chat(tired), ["pause until 2027-02-15"], reply_lines=2)
    run.echo(f"\n  {leaving.name} leaves the program (after a confirmation):")
    run.transcript(run.chat(leaving), ["leave", "Leave"], reply_lines=1)
    run.echo(f"\n  {private.name} asks Tandem to forget everything:")
    run.transcript(run.chat(private), ["forget me", "Erase everything"], reply_lines=1)
