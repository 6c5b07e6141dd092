"""Publishing a round (by a coordinator or by the schedule), and introducing matches."""

from __future__ import annotations

from bot.cadence import messages as msg
from bot.cadence.work import Work
from bot.matching.words import explained, waiting_words
from bot.model import Match, MatchStatus, Member, Round, RoundStatus, Waiting


def publish(work: Work, round_: Round) -> tuple[list[Match], list[Waiting]]:
    """Make a draft round live: its matches start, the waiting hear why, and every
    new match is introduced."""
    uow, program = work.uow, work.program
    matches = list(uow.matches.of_round(round_.id))
    for match in matches:
        uow.matches.set_status(match.id, MatchStatus.ACTIVE, work.now)
        for member in match.members:  # a request is for one round
            uow.requests.clear(program.id, member.person_id)
    uow.rounds.set_status(round_.id, RoundStatus.PUBLISHED, work.now)
    work.changed()  # these matches are live now
    waiting = list(uow.rounds.waiting(round_.id))
    for person in waiting:
        text = f"About {program.spec.name}: {waiting_words(person.reason)}"
        work.direct(person, msg.plain(text, "waitlist"), f"round{round_.id}:wait{person.person_id}")
    introduce(work)
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


def introduce(work: Work) -> int:
    """Introduce every live match that hasn't been yet; how many were."""
    count = 0
    for match in work.active():
        if match.introduced_at is not None:
            continue
        lead = organiser(match)
        work.group(
            match.members,
            msg.intro(work.program, match, explained(match, None), lead),
            f"match{match.id}:intro",
        )
        for member in match.members:
            work.direct(
                member, msg.goals_prompt(match, member), f"match{match.id}:goals:{member.person_id}"
            )
        work.uow.matches.introduced(match.id, lead.person_id, work.now)
        count += 1
    if count:
        work.changed()
    return count
