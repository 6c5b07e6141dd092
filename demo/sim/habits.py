"""How simulated people behave: when they answer, what they say, and whether they meet."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.cadence.calendar import Hours
from bot.events import Actor
from bot.program.spec import ProgramSpec
from demo.workforce import SyntheticPerson

GOALS = (
    "Lead a design review on my own by {month}",
    "Write and share one tech note by {month}",
    "Give a talk at the team meeting by {month}",
    "Ship a small feature in {skill} by {month}",
    "Pair on three real problems in {skill} by {month}",
)
HELPED = (
    "Working through a real problem together.",
    "Hearing how they handled it.",
    "A clear example I can reuse.",
    "Honest feedback on my draft.",
    "Talking it through out loud.",
)
NEXT = (
    "Try it on my own project.",
    "Write up what I learnt.",
    "Practise once more.",
    "Read the chapter they suggested.",
    "Ask my lead for a stretch task.",
)
KUDOS = (
    "thanks for walking me through the schema",
    "thanks for the patient code review",
    "your tips on estimates saved my week",
    "thanks for the mock interview",
)
COMMENTS = (
    "More ideas for what to talk about would help.",
    "Longer sessions now and then.",
    "It's going well; keep it as it is.",
)
CHANGED = (
    "I ask for help sooner.",
    "I run reviews on my own now.",
    "I know people in other teams.",
    "More confidence in meetings.",
    "A clearer plan for the next year.",
)


@dataclass(frozen=True)
class Habits:
    """One simulated person's ways."""

    answers: float  # chance of answering anything Tandem asks (0: never)
    delay_hours: float  # how long they usually take
    meets: float  # chance of meeting their partner in a cycle
    gives_up: float  # chance, at a check-in, of saying the match isn't working
    rating: int  # how they usually rate sessions


def habits_for(rng: random.Random) -> Habits:
    """Most people engage; some are busy, some slow, a few never answer."""
    kind = rng.choices(("engaged", "busy", "slow", "silent"), (65, 20, 10, 5))[0]
    if kind == "silent":
        return Habits(0.0, 0.0, 0.3, 0.0, 3)
    answers, delay, meets = {
        "engaged": (0.95, 3, 0.85),
        "busy": (0.75, 20, 0.55),
        "slow": (0.9, 70, 0.7),
    }[kind]
    return Habits(
        answers, delay, meets, rng.choice((0.0, 0.0, 0.0, 0.02, 0.06)), rng.choice((3, 4, 4, 5, 5))
    )


def form_values(person: SyntheticPerson, spec: ProgramSpec) -> dict[str, str | tuple[str, ...]]:
    """The intake form as this person fills it in."""
    goals = spec.question("goals")
    goal_labels = [o.label for o in goals.options] if goals and hasattr(goals, "options") else []
    style = spec.question("style")
    styles = [str(o.value) for o in style.options] if style and hasattr(style, "options") else []
    role = spec.question("role")
    roles = [str(o.value) for o in role.options] if role and hasattr(role, "options") else []
    if person.role not in roles and {"mentor", "mentee"} <= set(roles):
        # a mentoring program asks mentor or mentee: the more senior mentor
        chosen_role = "mentor" if person.level >= 3 else "mentee"
    else:
        chosen_role = person.role
    wanted = tuple(goal_labels[g - 1] for g in person.goals if g <= len(goal_labels))
    values: dict[str, str | tuple[str, ...]] = {
        "goals": wanted if goal_labels else f"Grow in {', '.join(person.wants) or 'my role'}",
        "offers": person.offers,
        "wants": person.wants,
        "level": (str(person.level),),
        "timezone": person.timezone,
        "working_hours": person.hours,
        "style": (styles[person.style - 1],) if styles else (),
        "role": (chosen_role,),
        "reverse": ("yes" if person.reverse else "no",),
        "manager": (person.manager,) if person.manager else (),
        "avoid": person.avoid,
        "intro": person.intro,
    }
    return {q.key: values.get(q.key, "") for q in spec.questions}


def goal_text(rng: random.Random, person: SyntheticPerson, taken: Sequence[str]) -> str:
    """A goal unlike the ones this person set already in the match (``taken``)."""
    month = rng.choice(("March", "April", "May", "June"))
    skill = person.wants[0] if person.wants else "something new"
    fresh = [g for g in GOALS if not any(t.startswith(g.split("{")[0]) for t in taken)]
    return rng.choice(fresh or list(GOALS)).format(month=month, skill=skill)


@dataclass
class Someone:
    """A simulated person in a run: who, how they behave, and what they did so far."""

    profile: SyntheticPerson
    actor: Actor
    habits: Habits
    hours: Hours
    wants_goals: int
    goals: dict[int, list[str]] = field(default_factory=dict)  # goals set, by match
    checkins: Counter[int] = field(default_factory=Counter)  # check-ins received, by match
