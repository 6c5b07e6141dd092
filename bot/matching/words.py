"""What people are told about a match: why it was made, or why they wait."""

from __future__ import annotations

from bot.matching.explain import Words, sentence
from bot.matching.service import reason_from_data
from bot.model import Match

WAITING_WORDS = {
    "odd_one_out": "There was an odd number of people this round and you're the one left "
    "over, so you'll be first in line for the next round.",
    "no_shared_hours": "Nobody else in the program shares enough of your working hours yet, "
    "so I couldn't find you a partner this round. Widening your working "
    "hours (say “profile”) would help; you'll be first in line next round.",
    "no_mentor_capacity": "Every mentor's places were taken this round. You'll be first in "
    "line for the next one.",
    "no_mentee": "There were more mentors than mentees this round, so you're free this time. "
    "Thank you for offering; you'll be first in line next round.",
    "no_circle": "I couldn't fit you into a circle this round. Adding another topic you'd "
    "like to learn (say “profile”) would help; you'll be first in line next round.",
    "no_group": "I couldn't fit you into a mentoring group this round: a group needs a "
    "mentor who teaches what you want to learn and two others who want it too. Adding "
    "another topic you'd like to learn (say “profile”) would help; you'll be first in "
    "line next round.",
    "held_back": "Your coordinator is arranging your match by hand this round; you'll hear "
    "from them or from me soon.",
}
# Rules that ruled everyone out: told the same way, without saying whose preference.
_RULED_OUT = (
    "Everyone who'd suit you this round is ruled out by the program's rules "
    "(for example people you've already met in it). As new people join you'll be "
    "first in line."
)


def waiting_words(reason: str) -> str:
    if reason == "no_circle_topic":
        return WAITING_WORDS["no_circle"]
    return WAITING_WORDS.get(reason, _RULED_OUT)


def explained(match: Match, viewer: str | None) -> str:
    names = {member.user_id: member.name for member in match.members}
    reasons = [reason_from_data(r) for r in match.reasons]
    return sentence(reasons, Words(names, {}, viewer), limit=3)
