"""Rounds as the engine runs them: a program's participants in, a draft round out.

A coordinator reviews the draft (swap two people, hold a match back, pair two
waiting people) and publishes it. Every change is checked against the same hard
rules as the round itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.matching.circles import circle_round, describe_circle
from bot.matching.groups import describe_mentoring_group, group_round
from bot.matching.participant import Profile, key, profile_from_answers
from bot.matching.proposal import (
    Proposal,
    ProposedMatch,
    describe_group,
    mentoring_round,
    peer_round,
)
from bot.matching.score import Context, Mode, Reason, ReportingLines, Rule
from bot.model import Match, Program, Round, RoundStatus
from bot.ports import UnitOfWork
from bot.program.spec import Format

MODES = {
    Format.PEER_PAIRS: Mode.PEER,
    Format.MENTOR_MENTEE: Mode.MENTOR,
    Format.REVERSE: Mode.REVERSE,
    Format.CIRCLES: Mode.PEER,
    Format.GROUP_MENTORING: Mode.MENTOR,
}
Runner = Callable[[Sequence[Profile], Context, int], Proposal]
RUNNERS: dict[Format, Runner] = {
    Format.PEER_PAIRS: lambda people, ctx, seed: peer_round(people, ctx, seed),
    Format.MENTOR_MENTEE: lambda people, ctx, seed: mentoring_round(people, ctx, seed),
    Format.REVERSE: lambda people, ctx, seed: mentoring_round(people, ctx, seed),
    Format.CIRCLES: circle_round,
    Format.GROUP_MENTORING: group_round,
}
HELD_BACK = "held_back"


@dataclass(frozen=True)
class Pool:
    """A program's participants as matching sees them, and how to find them again."""

    profiles: Mapping[str, Profile]  # by profile id
    person_ids: Mapping[str, int]  # profile id -> person id
    user_ids: Mapping[str, str]  # profile id -> the person's platform user id
    ctx: Context

    def by_user_id(self, user_id: str) -> Profile | None:
        return self.profiles.get(key(user_id.lstrip("@")))


def pool(uow: UnitOfWork, program: Program, now: datetime) -> Pool:
    """Everyone taking part in ``program`` right now and not already in a live match,
    with history and requests."""
    busy = {m.person_id for match in uow.matches.active(program.id) for m in match.members}
    enrolments = [
        e
        for e in uow.enrolments.in_program(program.id)
        if e.is_participating(now) and e.person_id not in busy
    ]
    requests = uow.requests.of_program(program.id)
    last = uow.rounds.latest_published(program.id)
    waited = {w.person_id for w in uow.rounds.waiting(last.id)} if last else set()
    profiles: dict[str, Profile] = {}
    person_ids, user_ids = {}, {}
    for enrolment in enrolments:
        person = uow.people.get(enrolment.person_id)
        asked = requests.get(person.id)
        profile = profile_from_answers(
            key(person.user_id),
            person.display_name,
            uow.answers.of(enrolment.id),
            frozenset({key(asked)}) if asked else frozenset(),
        )
        profile = _with_waited(profile, person.id in waited)
        profiles[profile.id] = profile
        person_ids[profile.id], user_ids[profile.id] = person.id, person.user_id
    return Pool(profiles, person_ids, user_ids, _context(uow, program, now, profiles))


def _with_waited(profile: Profile, waited: bool) -> Profile:
    from dataclasses import replace

    return replace(profile, waited=waited) if waited else profile


def _context(
    uow: UnitOfWork, program: Program, now: datetime, profiles: Mapping[str, Profile]
) -> Context:
    settings = program.spec.matching
    since = now - timedelta(days=settings.no_repeat_days)
    history = frozenset(
        frozenset((key(a), key(b))) for a, b in uow.matches.pairs_since(program.id, since)
    )
    lines = ReportingLines({p.id: p.manager for p in profiles.values()})
    return Context(settings, now.date(), MODES[program.spec.format], history, lines)


def reason_data(reason: Reason, pool_: Pool) -> dict[str, Any]:
    """A reason as stored: user ids for people, labels for skills and goals."""
    data = asdict(reason)
    data["who"] = [pool_.user_ids.get(p, p) for p in reason.who]
    profiles = [pool_.profiles[p] for p in reason.who if p in pool_.profiles]
    data["items"] = [next((p.label(i) for p in profiles if i in p.labels), i) for i in reason.items]
    return data


def reason_from_data(data: Mapping[str, Any]) -> Reason:
    return Reason(
        str(data["code"]),
        float(data["points"]),
        tuple(data.get("who", ())),
        tuple(data.get("items", ())),
        float(data.get("value", 0.0)),
    )


def propose(
    uow: UnitOfWork, program: Program, now: datetime, seed: int, scheduled_for: date | None = None
) -> Round:
    """Replace any draft with a fresh proposed round."""
    discard(uow, program, now)
    participants = pool(uow, program, now)
    ordered = [participants.profiles[k] for k in sorted(participants.profiles)]
    proposal = RUNNERS[program.spec.format](ordered, participants.ctx, seed)
    round_ = uow.rounds.add(
        program.workspace_id, program.id, seed, proposal.exact, now, scheduled_for
    )
    for match in proposal.matches:
        _store(uow, round_, match, participants, now)
    for waiting in proposal.unmatched:
        uow.rounds.add_waiting(round_, participants.person_ids[waiting.id], waiting.reason)
    return round_


def _store(
    uow: UnitOfWork, round_: Round, match: ProposedMatch, pool_: Pool, now: datetime
) -> None:
    members = [
        (pool_.person_ids[m], role) for m, role in zip(match.members, match.roles, strict=True)
    ]
    topic = match.topic and pool_.profiles[match.members[0]].label(match.topic)
    reasons = [reason_data(r, pool_) for r in match.reasons]
    uow.matches.add(round_, match.kind, match.score, reasons, members, now, topic=topic)


def discard(uow: UnitOfWork, program: Program, now: datetime) -> bool:
    draft = uow.rounds.draft(program.id)
    if draft is None:
        return False
    for match in uow.matches.of_round(draft.id):
        uow.matches.delete(match.id)
    uow.rounds.set_status(draft.id, RoundStatus.DISCARDED, now)
    return True


class ReviewError(Exception):
    """A coordinator's change can't be made; the message says why, for them."""


@dataclass
class Review:
    """Changes to a draft round, each re-checked against the program's rules."""

    uow: UnitOfWork
    program: Program
    round_: Round
    pool_: Pool
    now: datetime

    def _place(self, user_id: str) -> tuple[Profile, Match | None]:
        profile = self.pool_.by_user_id(user_id)
        if profile is None:
            raise ReviewError(f"@{user_id.lstrip('@')} isn't taking part in this round.")
        person = self.pool_.person_ids[profile.id]
        match = next(
            (m for m in self.uow.matches.of_round(self.round_.id) if m.member(person)), None
        )
        return profile, match

    def swap(self, first: str, second: str) -> None:
        (a, match_a), (b, match_b) = self._place(first), self._place(second)
        if match_a is None and match_b is None:
            raise ReviewError("Both are waiting; use “round pair” to pair them.")
        if match_a is not None and match_b is not None and match_a.id == match_b.id:
            raise ReviewError("They're already in the same match.")
        if match_a is not None and match_b is not None:
            _same_role(match_a, match_b, self.pool_.person_ids[a.id], self.pool_.person_ids[b.id])
        changes = [(m, old, new) for m, old, new in ((match_a, a, b), (match_b, b, a)) if m]
        revised = [(m, self._replaced(m, old, new)) for m, old, new in changes]
        for match, (score, reasons, members) in revised:
            self.uow.matches.revise(match.id, score, reasons, members)
        for waiting in (p for p, m in ((a, match_a), (b, match_b)) if m is None):
            self.uow.rounds.remove_waiting(self.round_.id, self.pool_.person_ids[waiting.id])
        for left in (
            p
            for p, m, other in ((a, match_a, match_b), (b, match_b, match_a))
            if m is not None and other is None
        ):
            self.uow.rounds.add_waiting(self.round_, self.pool_.person_ids[left.id], HELD_BACK)

    def _replaced(
        self, match: Match, old: Profile, new: Profile
    ) -> tuple[float, list[dict[str, Any]], list[tuple[int, str]]]:
        ids = [key(m.user_id) for m in match.members]
        ids[ids.index(old.id)] = new.id
        return self._describe(match.kind, match.topic, ids, [m.role for m in match.members])

    def _describe(
        self, kind: str, topic: str | None, ids: list[str], roles: list[str]
    ) -> tuple[float, list[dict[str, Any]], list[tuple[int, str]]]:
        members = [self.pool_.profiles[i] for i in ids]
        described = (
            describe_mentoring_group(_mentor_first(members, roles), key(topic), self.pool_.ctx)
            if topic and "mentor" in roles
            else describe_circle(members, key(topic), self.pool_.ctx)
            if topic
            else describe_group(members, roles, self.pool_.ctx)
        )
        if described is None or isinstance(described, Rule):
            raise ReviewError(_refusal(described, [p.name for p in members]))
        pairs = [
            (self.pool_.person_ids[m], r)
            for m, r in zip(described.members, described.roles, strict=True)
        ]
        return described.score, [reason_data(r, self.pool_) for r in described.reasons], pairs

    def unpair(self, user_id: str) -> list[str]:
        _, match = self._place(user_id)
        if match is None:
            raise ReviewError(f"@{user_id.lstrip('@')} is already waiting.")
        self.uow.matches.delete(match.id)
        for member in match.members:
            self.uow.rounds.add_waiting(self.round_, member.person_id, HELD_BACK)
        return [m.name for m in match.members]

    def pair(self, first: str, second: str) -> None:
        (a, match_a), (b, match_b) = self._place(first), self._place(second)
        if match_a is not None or match_b is not None:
            raise ReviewError("Both must be waiting; use “round swap” to move matched people.")
        if self.program.spec.format in {Format.CIRCLES, Format.GROUP_MENTORING}:
            raise ReviewError("In a program of groups, use “round swap” to move people.")
        mentoring = self.program.spec.format in {Format.MENTOR_MENTEE, Format.REVERSE}
        roles = ["mentor", "mentee"] if mentoring else ["peer", "peer"]
        score, reasons, members = self._describe("pair", None, [a.id, b.id], roles)
        self.uow.matches.add(
            self.round_, "mentoring" if mentoring else "pair", score, reasons, members, self.now
        )
        for person in (a, b):
            self.uow.rounds.remove_waiting(self.round_.id, self.pool_.person_ids[person.id])


def _same_role(first: Match, second: Match, a: int, b: int) -> None:
    role_a = next(m.role for m in first.members if m.person_id == a)
    role_b = next(m.role for m in second.members if m.person_id == b)
    if role_a != role_b and {role_a, role_b} & {"mentor", "mentee"}:
        raise ReviewError(
            f"One is a {role_a} and the other a {role_b}; swap two {role_a}s or two {role_b}s."
        )


_REFUSALS = {
    Rule.AVOID: "that pairing goes against a private preference one of them gave",
    Rule.REPORTING_LINE: "they're in the same reporting line",
    Rule.REPEAT: "they were matched in this program recently",
    Rule.HOURS: "their working hours don't overlap enough",
    Rule.DIRECTION: "the mentee is more senior and hasn't agreed to reverse mentoring",
    Rule.SAME_PERSON: "that's the same person twice",
}


def _refusal(rule: Rule | None, names: list[str]) -> str:
    who = " and ".join(names)
    if rule is None:
        return f"{who} can't form a circle: they need a shared topic and shared working hours."
    return f"I can't put {who} together: {_REFUSALS[rule]}."


def _mentor_first(members: Sequence[Profile], roles: Sequence[str]) -> list[Profile]:
    """A mentoring group's members with its mentor first (a swap may move them)."""
    paired = sorted(zip(roles, members, strict=True), key=lambda x: x[0] != "mentor")
    return [member for _, member in paired]
