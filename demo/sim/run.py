"""The simulation: the real engine, scheduler and outbox, on a manual clock.

Simulated people join through the intake form (as on Slack), then live with what
Tandem sends them: every message reaches them through a :class:`bot.ports.Platform`
and they answer by pressing its buttons or typing, after a delay of their own and
only inside their working hours. The scheduler looks once a simulated day (due
work is day-sized); the outbox is sent every simulated hour.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from bot import messages as m
from bot.cadence.calendar import Hours, next_slot
from bot.cadence.content import guides
from bot.cadence.due import Cadence
from bot.cadence.recognition_content import words as recognition_words
from bot.clock import ManualClock
from bot.delivery import Courier
from bot.events import (
    CHAT,
    Actor,
    ChoicePicked,
    CommandIssued,
    FormSubmitted,
    Inbound,
    Surface,
    TextReplied,
)
from bot.model import Workspace
from bot.ports import Capabilities, Delivered, SendResult, Sent
from bot.program import ProgramSpec
from demo.sim import people as behave
from demo.sim.log import MessageLog
from demo.workforce import SyntheticPerson
from tandem.bootstrap import App

FORMS = Surface(forms=True)
Answer = tuple[str, tuple[str, ...], str]  # action, values, what the person "said"


@dataclass
class Someone:
    profile: SyntheticPerson
    actor: Actor
    habits: behave.Habits
    hours: Hours
    wants_goals: int
    goals: dict[int, list[str]] = field(default_factory=dict)  # goals set, by match
    checkins: Counter[int] = field(default_factory=Counter)  # check-ins received, by match


class SimPlatform:
    """Delivery to simulated people (a :class:`bot.ports.Platform` with no limits)."""

    capabilities = Capabilities(
        group_conversations=True,
        forms=True,
        update_in_place=False,
        finds_sent=False,
        max_text=4000,
        max_options=100,
        burst=10_000,
        per_second=10_000.0,
    )

    def __init__(self, simulation: Simulation, name: str) -> None:
        self._simulation = simulation
        self.name = name

    def send(
        self, workspace: Workspace, outbound: m.Outbound, *, again: bool = False
    ) -> SendResult:
        for user in m.users_of(outbound.to):
            self._simulation.arrived(user, outbound, proactive=True)
        return Delivered(f"sim:{outbound.key}")

    def update(self, workspace: Workspace, platform_id: str, message: m.Message) -> SendResult:
        return Delivered(platform_id)


class Simulation:
    def __init__(
        self,
        app: App,
        clock: ManualClock,
        spec: ProgramSpec,
        crowd: list[SyntheticPerson],
        log: MessageLog,
        *,
        seed: int,
        platform: str = "sim",
        workspace: str = "sim",
    ) -> None:
        self.app, self.clock, self.spec, self.log = app, clock, spec, log
        self.rng = random.Random(seed)
        # Kudos and program surveys draw from their own stream, so adding them
        # leaves everyone's other choices as they were for the same seed.
        self.extra = random.Random(seed + 1_000_003)
        self.platform, self.workspace = platform, workspace
        self.people = {p.handle: self._someone(p) for p in crowd}
        self._queue: list[tuple[datetime, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._events = itertools.count()
        self._met: dict[tuple[int, int], bool] = {}
        self._members: dict[int, tuple[str, ...]] = {}  # by match, from its introduction
        self._delivered: list[Sent] = []  # replies given, to record as delivered
        self.started = clock.now()
        with app.uow() as uow:
            self._workspace_id = uow.workspaces.ensure(platform, workspace, clock.now()).id
            uow.commit()
        self.cadence = Cadence(app.uow, clock)
        self.courier = Courier(
            app.uow, clock, {platform: SimPlatform(self, platform)}, "simulation"
        )

    def _someone(self, profile: SyntheticPerson) -> Someone:
        actor = Actor(self.workspace, profile.handle, profile.name, profile.timezone, self.platform)
        return Someone(
            profile,
            actor,
            behave.habits_for(self.rng),
            Hours(profile.timezone, profile.hours),
            self.rng.randint(1, 3),
        )

    # --- time ------------------------------------------------------------------------

    def later(self, at: datetime, action: Callable[[], None]) -> None:
        heapq.heappush(self._queue, (at, next(self._order), action))

    def run(self, until: datetime) -> None:
        """Let time pass, from one thing happening to the next: the scheduler at each
        midnight (UTC), each message at the moment it falls due, each person's answer
        when they give it."""
        now = self.clock.now()
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        message = self._settle(now)  # what was due before the run began goes first
        while True:
            due = [until, midnight]
            if message is not None and message > now:
                due.append(message)
            if self._queue:
                due.append(self._queue[0][0])
            now = max(min(due), now)
            if now >= until:
                return
            self.clock.set(now)
            if now >= midnight:
                self.cadence.tick()
                midnight += timedelta(days=1)
            message = self._settle(now)

    def _settle(self, now: datetime) -> datetime | None:
        """Send what is due and let people act, until nothing more happens at ``now``
        (an answer can make another message due at once); when the next queued
        message falls due."""
        while True:
            while self._queue and self._queue[0][0] <= now:
                heapq.heappop(self._queue)[2]()
            message = self._earliest()
            if message is None or message > now or not self._send_due():
                return message

    def _send_due(self) -> int:
        sent = 0
        # A short batch means nothing more was due (a simulated send never fails, and
        # the clock stands still meanwhile): no extra, empty claim.
        while (batch := self.courier.run_once()) > 0:
            sent += batch
            if batch < self.courier.batch:
                break
        return sent

    def _earliest(self) -> datetime | None:
        """When the first queued message is due, once the replies given so far are
        recorded as delivered. They reached people the moment they were given (as
        an adapter sends them); recording them in one go is the simulation's only
        shortcut."""
        with self.app.uow() as uow:
            uow.outbox.sent(self._delivered, self.clock.now())
            self._delivered.clear()
            found = uow.outbox.next_due([self.platform])
            uow.commit()
        return found

    def _working(self, person: Someone, after: datetime) -> datetime:
        return next_slot([person.hours], after) or after

    # --- joining -----------------------------------------------------------------------

    def enrol_all(self, within_days: int = 5) -> None:
        start = self.clock.now()
        for person in self.people.values():
            when = start + timedelta(hours=self.rng.uniform(0, 24 * within_days))
            self.later(self._working(person, when), partial(self._join, person))

    def _join(self, person: Someone) -> None:
        self._act(
            person,
            None,
            "join",
            CommandIssued(
                event_id=self._event_id(),
                actor=person.actor,
                surface=FORMS,
                text=f"join {self.spec.slug}",
            ),
        )

    def _event_id(self) -> str:
        return f"sim-{next(self._events)}"

    # --- messages in, answers out ------------------------------------------------------

    def arrived(self, user: str, outbound: m.Outbound, *, proactive: bool) -> None:
        """A message reached ``user``: log it and, maybe, answer it."""
        person = self.people.get(user)
        self.log.sent(
            self.clock.now(),
            user,
            person.hours.timezone if person else "UTC",
            outbound,
            scheduled=proactive,
        )
        if person is None:
            if outbound.message.kind == "round" and self.spec.coordinated_by(user):
                self._review(user)
            return
        message = outbound.message
        if message.kind == "intro" and message.match is not None:
            self._members[message.match] = m.users_of(outbound.to)
        if message.kind == "checkin" and message.match is not None:
            person.checkins[message.match] += 1  # the cycle, as this person counts it
        if not proactive:
            self._answer(person, outbound.message)
            return
        rng = self.extra if message.kind in _EXTRA_KINDS else self.rng
        if rng.random() >= person.habits.answers:
            return  # never answered
        delay = timedelta(hours=rng.expovariate(1 / max(person.habits.delay_hours, 0.1)))
        at = self._working(person, self.clock.now() + delay)
        self.later(at, lambda: self._answer(person, outbound.message))

    def _review(self, user: str) -> None:
        """The coordinator publishes a round held for review within a working day
        (they read it, and trust it; a second notice finds nothing left to publish)."""
        actor = Actor(self.workspace, user, user, "UTC", self.platform)
        when = next_slot([Hours("UTC")], self.clock.now() + timedelta(hours=3))

        def publish() -> None:
            event = CommandIssued(
                event_id=self._event_id(), actor=actor, text=f"round {self.spec.slug} publish"
            )
            outcome = self.app.engine.handle(event)
            self._delivered.extend(Sent(self._workspace_id, o.key) for o in outcome.messages)
            for outbound in outcome.messages:
                for to in m.users_of(outbound.to):
                    self.arrived(to, outbound, proactive=False)

        self.later(when or self.clock.now(), publish)

    def _answer(self, person: Someone, message: m.Message) -> None:
        answer = self._decide(person, message)
        if answer is None:
            return
        action, values, said = answer
        if action == "text":
            event: Inbound = _text(self._event_id(), person.actor, said)
        else:
            # Joining is a form (a Slack modal); everything after is chat.
            surface = FORMS if action.startswith("agree:") else CHAT
            event = ChoicePicked(
                event_id=self._event_id(),
                actor=person.actor,
                surface=surface,
                action=action,
                values=values,
            )
        self._act(person, message, said, event)

    def _act(self, person: Someone, answering: m.Message | None, said: str, event: Inbound) -> None:
        outcome = self.app.engine.handle(event)
        self.log.reply(self.clock.now(), person.actor.user, answering, said)
        self._delivered.extend(Sent(self._workspace_id, o.key) for o in outcome.messages)
        for outbound in outcome.messages:
            for user in m.users_of(outbound.to):
                self.arrived(user, outbound, proactive=False)
        # The intake form once: a form that comes back (with errors) is not sent
        # again and again.
        first = not isinstance(event, FormSubmitted)
        if first and outcome.form is not None and outcome.form.form_id.startswith("intake:"):
            values = behave.form_values(person.profile, self.spec)
            self._act(
                person,
                None,
                "(the intake form)",
                FormSubmitted(
                    event_id=self._event_id(),
                    actor=person.actor,
                    surface=FORMS,
                    form=outcome.form.form_id,
                    values=values,
                ),
            )

    # --- what people decide ------------------------------------------------------------

    def _decide(self, person: Someone, message: m.Message) -> Answer | None:
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
        if key not in self._met:  # whether the pair met: the same for both of them
            members = [
                self.people[h] for h in self._members.get(message.match, ()) if h in self.people
            ] or [person]
            chance = sum(x.habits.meets for x in members) / len(members)
            self._met[key] = self.rng.random() < chance
        offered = {o.value for o in buttons.options}
        if self._met[key]:
            if self.extra.random() < KUDOS_AFTER_MEETING:
                self._kudos(person, message.match)
            return "yes"
        if "not_yet" in offered:
            return "not_yet" if self.rng.random() < 0.85 else "skip"
        return "yes" if self.rng.random() < 0.35 else "skip"  # a reminder: met after all?

    def _kudos(self, person: Someone, match: int) -> None:
        """Thanks to a partner after a good meeting, a little later in the day."""
        others = [h for h in self._members.get(match, ()) if h != person.actor.user]
        if not others:
            return
        text = f"kudos @{self.extra.choice(others)} {self.extra.choice(behave.KUDOS)}"
        event = CommandIssued(event_id=self._event_id(), actor=person.actor, text=text)
        at = self._working(person, self.clock.now() + timedelta(hours=1))
        self.later(at, lambda: self._act(person, None, text, event))

    def _goal(self, person: Someone, buttons: m.Buttons | m.Select) -> str:
        days = (self.clock.now() - self.started).days
        done = 0.1 if days < 45 else 0.35 if days < 80 else 0.6
        roll = self.rng.random()
        return (
            "done" if roll < done else "on_track" if roll < done + 0.7 * (1 - done) else "off_track"
        )


def _text(event_id: str, actor: Actor, text: str) -> Inbound:
    return TextReplied(event_id=event_id, actor=actor, text=text)


def _goals(sim: Simulation, person: Someone, buttons: m.Buttons | m.Select) -> str | None:
    match = int(buttons.action.split(":")[1])
    offered = {o.value for o in buttons.options}
    if len(person.goals.get(match, ())) < person.wants_goals:
        return "set" if "set" in offered else "add" if "add" in offered else None
    return "done" if "done" in offered else None


def _rating(sim: Simulation, person: Someone, buttons: m.Buttons | m.Select) -> str:
    return str(max(1, min(5, person.habits.rating + sim.rng.choice((-1, 0, 0, 0, 1)))))


def _score(sim: Simulation, person: Someone, buttons: m.Buttons | m.Select) -> str:
    low, high = {5: (9, 10), 4: (7, 9)}.get(person.habits.rating, (5, 8))
    return str(sim.rng.randint(low, high))


def _program_survey(sim: Simulation, person: Someone, buttons: m.Buttons | m.Select) -> str:
    step, rng = buttons.action.split(":")[-1], sim.extra
    if step == "start":
        return "start"
    if step == "share":
        return "yes" if rng.random() < 0.5 else "no"
    if step == "recommend":
        low, high = {5: (9, 10), 4: (7, 9)}.get(person.habits.rating, (5, 8))
        return str(rng.randint(low, high))
    return str(max(1, min(5, person.habits.rating + rng.choice((-1, 0, 0, 0, 1)))))


_EXTRA_KINDS = frozenset({"program_survey", "kudos", "spotlight"})


# Of the people who say they met, how many send their partner kudos that day.
KUDOS_AFTER_MEETING = 0.04

_CHOICES: dict[str, Callable[[Simulation, Someone, m.Buttons | m.Select], str | None]] = {
    "agree": lambda s, p, b: "yes",
    "accept": lambda s, p, b: "yes" if s.rng.random() < 0.9 else None,
    "goals": _goals,
    "confirm": lambda s, p, b: "yes",
    "feedback": _rating,
    "milestone": lambda s, p, b: "update",
    "goal": lambda s, p, b: s._goal(p, b),
    "wrapup": lambda s, p, b: "start",
    "wrapscore": _score,
    "wrapshare": lambda s, p, b: "yes" if s.rng.random() < 0.5 else "no",
    "wrapagain": lambda s, p, b: "yes" if s.rng.random() < 0.7 else "no",
    # Most mentors read a lesson and press "Done"; some leave it for later.
    "training": lambda s, p, b: "done" if s.rng.random() < 0.8 else None,
    "psurvey": _program_survey,
    "kudos": lambda s, p, b: "yes" if s.extra.random() < 0.6 else "no",
}
