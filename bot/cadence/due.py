"""The scheduler's one entry: :meth:`Cadence.tick` does what has come due, everywhere.

For each program, under its lock, in one transaction, at one "now": the
scheduled rounds run (:mod:`bot.cadence.scheduled_rounds`); then a snapshot of
the program is read (:class:`~bot.cadence.snapshot.Snapshot`) and each stage
below plans from it what is due (pure functions in :mod:`bot.cadence.agenda`)
and carries it out (:mod:`bot.cadence.perform`). Everything is queued under a
key that names the thing itself (``checkin42``, ``wrapup:7:3``): a tick that runs
twice queues nothing twice; a tick missed while the process was down is caught
up by the next one; two instances take turns on each program's lock.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

from bot.cadence import agenda
from bot.cadence.actions import Action
from bot.cadence.digest import plan_digest, read_digest
from bot.cadence.mentors import plan_circles, read_circles
from bot.cadence.perform import perform
from bot.cadence.scheduled_rounds import round_reviews, run_round
from bot.cadence.sender import Places, Sender
from bot.cadence.snapshot import Snapshot
from bot.cadence.training import plan_training, read_training
from bot.clock import Clock
from bot.logs import log_failure
from bot.model import Program
from bot.platform import DEFAULT_CAPABILITIES, Capabilities
from bot.ports import Conflict, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
_ATTEMPTS = 3
F = TypeVar("F")  # what a gathered stage reads
A = TypeVar("A", bound=Action)

# A stage does its part of the tick from a snapshot, and returns the snapshot the
# next stage is to plan from.
Stage = Callable[[Snapshot, Sender], Snapshot]


def planned(planner: agenda.Planner, *, reshapes: bool = False) -> Stage:
    """A stage that plans from the snapshot and carries the plan out. ``reshapes``:
    its actions introduce or end matches, or pause people, so the snapshot is read
    again after it (when it did anything) for the stages after it."""

    def stage(state: Snapshot, send: Sender) -> Snapshot:
        actions = planner(state, send.now)
        perform(send, actions)
        return state.reloaded(send.uow) if reshapes and actions else state

    return stage


def gathered(
    read: Callable[[Snapshot, Sender], F], planner: Callable[[Snapshot, F, datetime], Sequence[A]]
) -> Stage:
    """A stage whose planner needs more than the snapshot (the outbox, the reports,
    training progress): ``read`` gathers it first, so the planner stays a pure
    function of what was read and the time. It changes no match and no enrolment."""

    def stage(state: Snapshot, send: Sender) -> Snapshot:
        perform(send, planner(state, read(state, send), send.now))
        return state

    return stage


# Order matters: silences before check-ins (no new question to someone being
# paused), wrap-ups before check-ins (no check-in in a match that just ended).
STAGES: tuple[Stage, ...] = (
    planned(agenda.introductions, reshapes=True),
    planned(agenda.silences, reshapes=True),
    planned(agenda.wrapups, reshapes=True),
    planned(agenda.checkins),
    planned(agenda.reminders),
    planned(agenda.agreements),
    planned(agenda.milestones),
    gathered(read_circles, plan_circles),
    planned(agenda.surveys),
    gathered(read_digest, plan_digest),
    gathered(
        read_training, plan_training
    ),  # last: it takes a week's place only when the rest has room
)


def run_program(
    uow: UnitOfWork,
    program: Program,
    now: datetime,
    capabilities: Capabilities = DEFAULT_CAPABILITIES,
) -> Counter[str]:
    """Do one program's scheduled work at ``now``; the kinds of message queued."""
    send = Sender(uow, program, now, Places.load(uow, program), capabilities)
    run_round(send)
    round_reviews(send)
    # Read after the rounds: a round published just now has live matches.
    state = Snapshot.load(uow, program, now)
    for stage in STAGES:
        state = stage(state, send)
    return send.queued


class Cadence:
    """Runs every program's due work; the scheduler calls :meth:`tick`."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        capabilities: Mapping[str, Capabilities] | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._capabilities = dict(capabilities or {})  # by platform name

    def tick(self) -> Counter[str]:
        """Queue whatever has come due in every program; the kinds queued, counted."""
        with self._uow() as uow:
            programs = [p.id for p in uow.programs.every()]
        queued: Counter[str] = Counter()
        for program_id in programs:
            queued += self._program(program_id)
        return queued

    def _program(self, program_id: int) -> Counter[str]:
        for _ in range(_ATTEMPTS):
            try:
                return self._once(program_id)
            except Conflict:
                continue  # another instance was at it; look again
            except Exception as error:  # noqa: BLE001 - one program must not stop the rest
                log_failure(log, f"scheduled work for program {program_id}", error)
                return Counter()
        return Counter()

    def _once(self, program_id: int) -> Counter[str]:
        now = self._clock.now()
        with self._uow() as uow:
            uow.programs.lock(program_id)
            program = uow.programs.by_id(program_id)
            platform = uow.workspaces.get(program.workspace_id).platform
            caps = self._capabilities.get(platform, DEFAULT_CAPABILITIES)
            queued = run_program(uow, program, now, caps)
            uow.commit()
        return queued
