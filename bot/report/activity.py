"""Counts of what people did beside meeting: kudos, spotlights, the mentor training.

Counts only: who gave or got kudos, or did which lesson, is never in a report.
"""

from __future__ import annotations

from collections import defaultdict

from bot.cadence.lessons import track
from bot.program.spec import Format
from bot.report.aggregates import rate
from bot.report.document import Figure
from bot.report.scope import Scope


def recognition_figures(scope: Scope) -> tuple[Figure, ...]:
    """Counts only: who gave or got kudos is never in a report."""
    facts = scope.facts.recognitions
    if scope.window.round_id is not None:
        facts = [r for r in facts if r.author_id in scope.people or r.kind == "spotlight"]
    return (
        Figure(
            "kudos_given",
            sum(1 for r in facts if r.kind == "kudos" and scope.window.holds(r.created_at)),
        ),
        Figure("spotlights_posted", sum(1 for r in facts if scope.window.holds(r.posted_at))),
    )


def training_figures(scope: Scope) -> tuple[Figure, ...]:
    """Counts only: how many mentor, how many finished the track, lessons done."""
    mentors = set(scope.facts.mentors)
    if scope.program.spec.format in (Format.MENTOR_MENTEE, Format.REVERSE):
        mentors |= set(scope.facts.joined_as_mentors)
    mentors &= scope.people.keys()
    lessons = {x.slug for x in track().lessons}
    done: dict[int, set[str]] = defaultdict(set)
    for fact in scope.facts.training:
        counted = fact.person_id in mentors and fact.lesson in lessons
        if counted and fact.done_at.date() <= scope.window.last_day:
            done[fact.person_id].add(fact.lesson)
    finished = sum(1 for who in mentors if done[who] >= lessons)
    return (
        Figure("mentors", len(mentors)),
        rate("training_completion", finished, len(mentors)),
        Figure("training_lessons_done", sum(len(x) for x in done.values())),
    )
