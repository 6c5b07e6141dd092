"""Publishing a round and introducing its matches: a service the coordinators'
``round publish`` and the scheduled rounds both call."""

from __future__ import annotations

from bot.cadence import messages as msg
from bot.cadence.sender import Sender
from bot.matching.words import explained, waiting_words
from bot.model import Match, MatchStatus, Member, Round, RoundStatus, Waiting


def publish(send: Sender, round_: Round) -> tuple[list[Match], list[Waiting]]:
    """Make a draft round live: its matches start, the waiting hear why, and every
    new match is introduced."""
    uow, program = send.uow, send.program
    matches = list(uow.matches.of_round(round_.id))
    for match in matches:
        uow.matches.set_status(match.id, MatchStatus.ACTIVE, send.now)
        for member in match.members:  # a request is for one round
            uow.requests.clear(program.id, member.person_id)
    uow.rounds.set_status(round_.id, RoundStatus.PUBLISHED, send.now)
    waiting = list(uow.rounds.waiting(round_.id))
    for person in waiting:
        text = f"About {program.spec.name}: {waiting_words(person.reason)}"
        send.direct(person, msg.plain(text, "waitlist"), f"round{round_.id}:wait{person.person_id}")
    # The matches live now, read again: those just started, and any a tick or an
    # earlier publish left unintroduced.
    for match in uow.matches.active(program.id):
        if match.introduced_at is None:
            introduce(send, match)
    return matches, waiting


def organiser(match: Match) -> Member:
    """Who arranges the first meeting: the mentee (it's their mentoring), the circle's
    facilitator, or for peers one of them, the same one every time."""
    roles = {member.role: member for member in match.members}
    return (
        roles.get("mentee")
        or roles.get("facilitator")
        or match.members[match.id % len(match.members)]
    )


def introduce(send: Sender, match: Match) -> None:
    """Introduce a live match: the group's introduction, each member's goals prompt."""
    lead = organiser(match)
    send.group(
        match.members,
        msg.intro(send.program, match, explained(match, None), lead),
        f"match{match.id}:intro",
    )
    for member in match.members:
        send.direct(
            member, msg.goals_prompt(match, member), f"match{match.id}:goals:{member.person_id}"
        )
    send.uow.matches.introduced(match.id, lead.person_id, send.now)
