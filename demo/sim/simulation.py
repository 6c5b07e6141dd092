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
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from bot import outbound as m
from bot.cadence.calendar import Hours, next_slot
from bot.cadence.due import Cadence
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
from bot.outbox import Sent
from bot.program.spec import ProgramSpec
from demo.sim import habits as behave
from demo.sim.answers import Answers
from demo.sim.habits import Someone
from demo.sim.log import MessageLog
from demo.sim.platform import SimPlatform
from demo.workforce import SyntheticPerson
from tandem.bootstrap import App

FORMS = Surface(forms=True)
# Messages whose answers draw from the simulation's second random stream.
_EXTRA_KINDS = frozenset({"program_survey", "kudos", "spotlight"})


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
        self.people = {p.user_id: self._someone(p) for p in crowd}
        self._queue: list[tuple[datetime, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._events = itertools.count()
        self._delivered: list[Sent] = []  # replies given, to record as delivered
        self.answers = Answers(clock, self.people, self.rng, self.extra, self._thank)
        with app.uow() as uow:
            self._workspace_id = uow.workspaces.ensure(platform, workspace, clock.now()).id
            uow.commit()
        self.cadence = Cadence(app.uow, clock)
        self.courier = Courier(
            app.uow,
            clock,
            {platform: SimPlatform(platform, self._arrived_by_courier)},
            "simulation",
        )

    def _someone(self, profile: SyntheticPerson) -> Someone:
        actor = Actor(
            self.workspace, profile.user_id, profile.name, profile.timezone, self.platform
        )
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

    def _arrived_by_courier(self, user_id: str, outbound: m.Outbound) -> None:
        self.arrived(user_id, outbound, proactive=True)

    def arrived(self, user_id: str, outbound: m.Outbound, *, proactive: bool) -> None:
        """A message reached ``user``: log it and, maybe, answer it."""
        person = self.people.get(user_id)
        self.log.sent(
            self.clock.now(),
            user_id,
            person.hours.timezone if person else "UTC",
            outbound,
            scheduled=proactive,
        )
        if person is None:
            if outbound.message.kind == "round" and self.spec.coordinated_by(user_id):
                self._review(user_id)
            return
        message = outbound.message
        if message.kind == "intro" and message.match is not None:
            self.answers.members[message.match] = m.users_of(outbound.to)
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

    def _review(self, user_id: str) -> None:
        """The coordinator publishes a round held for review within a working day
        (they read it, and trust it; a second notice finds nothing left to publish)."""
        actor = Actor(self.workspace, user_id, user_id, "UTC", self.platform)
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
        answer = self.answers.decide(person, message)
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

    def _thank(self, person: Someone, text: str) -> None:
        """Kudos, a little later in the day (as :class:`Answers` decided)."""
        event = CommandIssued(event_id=self._event_id(), actor=person.actor, text=text)
        at = self._working(person, self.clock.now() + timedelta(hours=1))
        self.later(at, lambda: self._act(person, None, text, event))

    def _act(self, person: Someone, answering: m.Message | None, said: str, event: Inbound) -> None:
        outcome = self.app.engine.handle(event)
        self.log.reply(self.clock.now(), person.actor.user_id, answering, said)
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


def _text(event_id: str, actor: Actor, text: str) -> Inbound:
    return TextReplied(event_id=event_id, actor=actor, text=text)
