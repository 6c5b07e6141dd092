"""The coordinators' weekly digest: one message a week instead of a stream of notices.

Once per ISO week (UTC), each coordinator of a program with people in it gets one
message, in their working hours: what needs them (stalled matches, matches ended
as not working, agreements not accepted, people waiting, messages that could not
be delivered), the week's key numbers and the success criteria's status. Nothing
that needs them is lost between digests: stalls and waiting people are read from
the current state each week, and a failed delivery is marked as reported only by
the digest that lists it. :func:`read_digest` reads what the digest needs;
:func:`plan_digest` decides and words it from that and the snapshot alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import outbound as m
from bot.cadence.actions import SendDigest
from bot.cadence.sender import Sender
from bot.cadence.snapshot import Snapshot
from bot.model import Match, Person, Program
from bot.outbox import Undelivered
from bot.ports import UnitOfWork
from bot.report.build import build_report
from bot.report.document import Outcome, Report
from bot.report.facts import ProgramFacts
from bot.report.window import Window
from bot.text import counted

KIND = "digest"
LISTED = 8  # names listed per item; the rest are counted
AGREEMENT_OVERDUE = timedelta(days=7)
_AGREEMENT_LOOKS = timedelta(days=21)
_FAILED = {
    "intro": "an introduction",
    "checkin": "a check-in",
    "reminder": "a reminder",
    "feedback": "a feedback question",
    "goals": "a goals prompt",
    "milestone": "a goal check-in",
    "wrapup": "the wrap-up survey",
    "agreement": "an agreement reminder",
    "paused": "a note about a pause",
    "rematch": "a rematch note",
}
_MARK = {
    Outcome.MET: "✓ met",
    Outcome.NOT_MET: "✗ not met",
    Outcome.TOO_EARLY: "… too early to tell",
    Outcome.NOT_MEASURED: "– not measured",
}


def week_key(now: datetime) -> str:
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02}"


@dataclass(frozen=True)
class DigestFacts:
    """What the digest's plan reads beyond the snapshot."""

    to: tuple[tuple[Person, str], ...]  # each coordinator, with this week's key
    sent: bool  # every coordinator's digest for this week is queued already
    facts: ProgramFacts | None  # the program's facts (None when ``sent``)
    failed: tuple[Undelivered, ...]  # deliveries given up on, not reported yet
    failed_to: Mapping[int, tuple[str, ...]]  # by failure: the names it was for
    draft: datetime | None  # when the round waiting for review was drafted


def read_digest(state: Snapshot, send: Sender) -> DigestFacts:
    uow, program = send.uow, send.program
    coordinators = send.coordinators()
    to = tuple((c, _key(program, week_key(send.now), c.id)) for c in coordinators)
    sent = all(uow.outbox.status(program.workspace_id, key) is not None for _, key in to)
    if sent:  # this week's digests are out (the common case: one cheap look)
        return DigestFacts(to, True, None, (), {}, None)
    facts = uow.reports.facts(program.id)
    if not facts.people:  # nobody has joined yet: nothing to tell
        return DigestFacts(to, False, facts, (), {}, None)
    failed = tuple(f for f in uow.outbox.undelivered(program.id) if f.kind != KIND)
    draft = uow.rounds.draft(program.id)
    return DigestFacts(
        to,
        False,
        facts,
        failed,
        {f.id: _names(uow, program, f) for f in failed},
        draft.created_at if draft is not None else None,
    )


def plan_digest(state: Snapshot, found: DigestFacts, now: datetime) -> list[SendDigest]:
    """This week's digest for each coordinator, once; none before anyone has joined."""
    if not found.to or found.sent or found.facts is None or not found.facts.people:
        return []
    message = digest_message(state, found, found.facts, now)
    return [SendDigest(found.to, message, tuple(f.id for f in found.failed))]


def send_digest(send: Sender, action: SendDigest) -> None:
    added = [
        # The program's quiet days are for its participants; the people running it
        # set them, and a digest held past its week would arrive beside the next.
        send.direct(coordinator, action.message, key, mind_quiet=False)
        for coordinator, key in action.to
    ]
    if any(added):
        send.uow.outbox.reported(list(action.failed), send.now)


def _key(program: Program, week: str, person_id: int) -> str:
    return f"digest:{program.id}:{week}:{person_id}"


def digest_message(
    state: Snapshot, found: DigestFacts, facts: ProgramFacts, now: datetime
) -> m.Message:
    program = state.program
    whole = build_report(program, facts, now)
    week = Window((now - timedelta(days=7)).date(), now.date())
    recent = build_report(program, facts, now, week)
    needs = _needs(state, found, whole, facts, now)
    slug = program.spec.slug
    blocks: list[m.Block] = [
        m.Heading(f"{program.spec.name}: your week"),
        m.para(m.Bold("What needs you")),
        m.bullets(*needs) if needs else m.para("Nothing needs you this week."),
        m.para(m.Bold("This week")),
        m.Facts(_week_facts(whole, recent)),
    ]
    if whole.verdicts:
        blocks += [
            m.para(m.Bold("Success criteria")),
            m.bullets(*(f"{_MARK[v.outcome]}: {v.label}{_value(v.value)}" for v in whole.verdicts)),
        ]
    blocks.append(
        m.Note(
            f"Say “report {slug}” for the full report with charts, “export {slug}” for "
            "CSV files. One digest a week; a person asking for help still reaches you at once."
        )
    )
    summary = f"{program.spec.name}: your week ({len(needs)} to look at)"
    return m.Message(tuple(blocks), summary, KIND)


def _value(value: str) -> str:
    return f" ({value})" if value else ""


def _needs(
    state: Snapshot, found: DigestFacts, report: Report, facts: ProgramFacts, now: datetime
) -> list[str]:
    program = state.program
    stalled = [" and ".join(x.names) for x in report.matches if x.stalled]
    since = now - timedelta(days=7)
    names = {p.person_id: p.name for p in facts.people}
    ended = [
        " and ".join(names.get(w, "someone who left") for w in x.members)
        for x in facts.matches
        if x.end_reason == "not_working" and x.ended_at is not None and x.ended_at >= since
    ]
    needs = []
    if found.draft is not None:
        needs.append(
            f"The round of {found.draft:%-d %B} is waiting for your review: say “round "
            f"{program.spec.slug}” to see it"
        )
    if stalled:
        needs.append(f"Haven't met for two cycles (a friendly word might help): {_few(stalled)}")
    if ended:
        needs.append(f"Ended as not working this week (rematched next round): {_few(ended)}")
    unaccepted = _agreements(state, now)
    if unaccepted:
        needs.append(f"Haven't accepted their mentoring agreement after a week: {_few(unaccepted)}")
    if report.waiting:
        people = [f"{w.name} ({w.why})" for w in report.waiting]
        needs.append(f"{counted(len(people), 'person', 'people')} waiting: {_few(people)}")
    if found.failed:
        items = [_failure(f, found.failed_to[f.id]) for f in found.failed]
        needs.append(f"Couldn't be delivered, and won't be tried again: {_few(items)}")
    return needs


def _agreements(state: Snapshot, now: datetime) -> list[str]:
    late: list[str] = []
    for match in state.active:
        if match.introduced_at is None:
            continue
        since = now - match.introduced_at
        if not AGREEMENT_OVERDUE <= since < _AGREEMENT_LOOKS:
            continue
        late += [_with_partner(match, x.person_id) for x in match.members if x.agreed_at is None]
    return late


def _with_partner(match: Match, person_id: int) -> str:
    member = match.member(person_id)
    others = " and ".join(x.name for x in match.others(person_id))
    return f"{member.name if member else 'someone'} (with {others})"


def _names(uow: UnitOfWork, program: Program, failed: Undelivered) -> tuple[str, ...]:
    """Whom a failed delivery was for, by name."""
    if failed.person_id is not None:
        return (uow.people.get(failed.person_id).display_name,)
    found = (uow.people.find(program.workspace_id, user_id) for user_id in failed.recipient)
    return tuple(p.display_name for p in found if p is not None) or ("a group",)


def _failure(failed: Undelivered, names: Sequence[str]) -> str:
    what = _FAILED.get(failed.kind, "a message")
    return f"{what} to {' and '.join(names)} ({failed.error or 'no reason given'})"


def _few(items: Sequence[str]) -> str:
    shown = "; ".join(items[:LISTED])
    return shown if len(items) <= LISTED else f"{shown}; and {len(items) - LISTED} more"


def _week_facts(whole: Report, recent: Report) -> tuple[m.Fact, ...]:
    asked = recent.figure("meeting_rate")
    rating = recent.figure("average_rating")
    return (
        m.Fact("Joined this week", recent.figure("joined").shown),
        m.Fact(
            "Matches that met",
            f"{asked.shown} of {counted(asked.base or 0, 'match', 'matches')} asked"
            if asked.base
            else "none asked this week",
        ),
        m.Fact("Session rating", rating.shown),
        m.Fact("Running matches", whole.figure("matches_running").shown),
        m.Fact("Waiting for a match", whole.figure("waiting").shown),
    )
