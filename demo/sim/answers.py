"""What simulated people answer: which button they press and what they type.

Every choice is drawn from the simulation's random streams, in the order the
messages reach people, so the same seed gives the same run.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from bot import outbound as m
from bot.cadence.content import guides
from bot.cadence.recognition_content import words as recognition_words
from bot.clock import ManualClock
from demo.sim import habits as behave
from demo.sim.habits import Someone

Answer = tuple[str, tuple[str, ...], str]  # action, values, what the person "said"


class Answers:
    """What each simulated person decides, given a message.

    ``rng`` draws the everyday answers; ``extra`` the kudos and program surveys (a
    stream of their own, so adding them left everyone's other choices as they
    were); ``thank`` sends a person's kudos.
    """

    def __init__(
        self,
        clock: ManualClock,
        people: dict[str, Someone],
        rng: random.Random,
        extra: random.Random,
        thank: Callable[[Someone, str], None],
    ) -> None:
        self.clock, self.people, self.rng, self.extra, self.thank = (
            clock,
            people,
            rng,
            extra,
            thank,
        )
        self.started = clock.now()
        self.met: dict[tuple[int, int], bool] = {}  # whether a pair met, by match and cycle
        self.members: dict[int, tuple[str, ...]] = {}  # by match, from its introduction

    def decide(self, person: Someone, message: m.Message) -> Answer | None:
        buttons = next((b for b in message.blocks if isinstance(b, m.Buttons | m.Select)), None)
        if buttons is None:
            text = self._typed(person, message)
            return ("text", (), text) if text else None
        prefix = buttons.action.split(":")[0]
        if prefix == "checkin":
            value = self._checkin(person, message, buttons)
        else:
            choose = _CHOICES.get(prefix)
            value = choose(self, person, buttons) if choose else None
        if value is None:
            return None
        label = next((o.label for o in buttons.options if o.value == value), value)
        return buttons.action, (value,), label

    def _typed(self, person: Someone, message: m.Message) -> str | None:
        words, summary, rng = guides(), message.summary, self.rng
        if message.kind != "survey":
            return None
        if summary.startswith("Goal "):
            taken = person.goals.setdefault(message.match or 0, [])
            taken.append(behave.goal_text(rng, person.profile, taken))
            return taken[-1]
        answers = {
            words.feedback.helped: behave.HELPED,
            words.feedback.next: behave.NEXT,
            words.wrapup.changed: behave.CHANGED,
        }
        for question, choices in answers.items():
            if summary.startswith(question.split("{")[0]):
                return rng.choice(choices)
        if summary == recognition_words().program_survey.comment:
            extra = self.extra
            return extra.choice(behave.COMMENTS) if extra.random() < 0.3 else "skip"
        return "skip" if summary.startswith("Anything else") else None

    def _checkin(
        self, person: Someone, message: m.Message, buttons: m.Buttons | m.Select
    ) -> str | None:
        if message.match is None:
            return None
        if self.rng.random() < person.habits.gives_up:
            return "stop"
        key = (message.match, person.checkins[message.match])
        if key not in self.met:  # whether the pair met: the same for both of them
            members = [
                self.people[h] for h in self.members.get(message.match, ()) if h in self.people
            ] or [person]
            chance = sum(x.habits.meets for x in members) / len(members)
            self.met[key] = self.rng.random() < chance
        offered = {o.value for o in buttons.options}
        if self.met[key]:
            if self.extra.random() < KUDOS_AFTER_MEETING:
                self._kudos(person, message.match)
            return "yes"
        if "not_yet" in offered:
            return "not_yet" if self.rng.random() < 0.85 else "skip"
        return "yes" if self.rng.random() < 0.35 else "skip"  # a reminder: met after all?

    def _kudos(self, person: Someone, match: int) -> None:
        """Thanks to a partner after a good meeting (sent a little later in the day)."""
        others = [h for h in self.members.get(match, ()) if h != person.actor.user_id]
        if not others:
            return
        self.thank(person, f"kudos @{self.extra.choice(others)} {self.extra.choice(behave.KUDOS)}")

    def goal(self, person: Someone, buttons: m.Buttons | m.Select) -> str:
        days = (self.clock.now() - self.started).days
        done = 0.1 if days < 45 else 0.35 if days < 80 else 0.6
        roll = self.rng.random()
        return (
            "done" if roll < done else "on_track" if roll < done + 0.7 * (1 - done) else "off_track"
        )


def _goals(sim: Answers, person: Someone, buttons: m.Buttons | m.Select) -> str | None:
    match = int(buttons.action.split(":")[1])
    offered = {o.value for o in buttons.options}
    if len(person.goals.get(match, ())) < person.wants_goals:
        return "set" if "set" in offered else "add" if "add" in offered else None
    return "done" if "done" in offered else None


def _rating(sim: Answers, person: Someone, buttons: m.Buttons | m.Select) -> str:
    return str(max(1, min(5, person.habits.rating + sim.rng.choice((-1, 0, 0, 0, 1)))))


def _score(sim: Answers, person: Someone, buttons: m.Buttons | m.Select) -> str:
    low, high = {5: (9, 10), 4: (7, 9)}.get(person.habits.rating, (5, 8))
    return str(sim.rng.randint(low, high))


def _program_survey(sim: Answers, person: Someone, buttons: m.Buttons | m.Select) -> str:
    step, rng = buttons.action.split(":")[-1], sim.extra
    if step == "start":
        return "start"
    if step == "share":
        return "yes" if rng.random() < 0.5 else "no"
    if step == "recommend":
        low, high = {5: (9, 10), 4: (7, 9)}.get(person.habits.rating, (5, 8))
        return str(rng.randint(low, high))
    return str(max(1, min(5, person.habits.rating + rng.choice((-1, 0, 0, 0, 1)))))


# Of the people who say they met, how many send their partner kudos that day.
KUDOS_AFTER_MEETING = 0.04

_CHOICES: dict[str, Callable[[Answers, Someone, m.Buttons | m.Select], str | None]] = {
    "agree": lambda s, p, b: "yes",
    "accept": lambda s, p, b: "yes" if s.rng.random() < 0.9 else None,
    "goals": _goals,
    "confirm": lambda s, p, b: "yes",
    "feedback": _rating,
    "milestone": lambda s, p, b: "update",
    "goal": lambda s, p, b: s.goal(p, b),
    "wrapup": lambda s, p, b: "start",
    "wrapscore": _score,
    "wrapshare": lambda s, p, b: "yes" if s.rng.random() < 0.5 else "no",
    "wrapagain": lambda s, p, b: "yes" if s.rng.random() < 0.7 else "no",
    # Most mentors read a lesson and press "Done"; some leave it for later.
    "training": lambda s, p, b: "done" if s.rng.random() < 0.8 else None,
    "psurvey": _program_survey,
    "kudos": lambda s, p, b: "yes" if s.extra.random() < 0.6 else "no",
}
