"""A synthetic workforce for the demo, simulations and benchmarks (seeded, repeatable).

People get an office (timezones on four continents), a department whose skills
shape what they can teach, a level, a manager, working hours, goals and what they
want to learn. Nothing here is about any real person.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.text import user_id_for

OFFICES = (  # city, IANA zone, continent, weight
    ("Berlin", "Europe/Berlin", "Europe", 5),
    ("London", "Europe/London", "Europe", 4),
    ("Lisbon", "Europe/Lisbon", "Europe", 2),
    ("New York", "America/New_York", "Americas", 4),
    ("Austin", "America/Chicago", "Americas", 2),
    ("São Paulo", "America/Sao_Paulo", "Americas", 2),
    ("Bengaluru", "Asia/Kolkata", "Asia-Pacific", 3),
    ("Singapore", "Asia/Singapore", "Asia-Pacific", 2),
    ("Sydney", "Australia/Sydney", "Asia-Pacific", 1),
    ("Lagos", "Africa/Lagos", "Africa", 1),
)

DEPARTMENTS = {
    "Engineering": (
        "Python",
        "Cloud infrastructure",
        "Kubernetes",
        "API design",
        "System design",
        "Testing and quality",
        "Security",
        "Frontend development",
        "Mobile development",
    ),
    "Data": ("SQL", "Data analysis", "Machine learning", "Python", "Technical writing"),
    "Product": (
        "Product thinking",
        "Stakeholder management",
        "Project management",
        "UX research",
        "Public speaking",
    ),
    "Design": ("UX research", "Frontend development", "Product thinking", "Giving feedback"),
    "Sales": ("Negotiation", "Public speaking", "Stakeholder management"),
    "People": ("Giving feedback", "Career planning", "People management", "Public speaking"),
}
_DEPARTMENT_WEIGHTS = (9, 5, 4, 2, 3, 2)
_CAREER_SKILLS = (
    "Public speaking",
    "Giving feedback",
    "People management",
    "Career planning",
    "Negotiation",
    "Stakeholder management",
    "Technical writing",
)

FIRST = (
    "Ana",
    "Bo",
    "Carla",
    "Dev",
    "Emeka",
    "Fatima",
    "Goran",
    "Hana",
    "Ines",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oren",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tomas",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zara",
    "Aiko",
    "Bruno",
    "Chidi",
    "Dana",
    "Elif",
    "Felix",
    "Grace",
    "Hugo",
    "Ifeoma",
    "Jun",
    "Kavya",
    "Luis",
    "Mei",
    "Nikolai",
    "Olga",
    "Pedro",
    "Rahul",
    "Sofia",
    "Tariq",
    "Ulla",
    "Vera",
    "Wanjiru",
    "Yara",
    "Zeynep",
)
LAST = (
    "Lima",
    "Okafor",
    "Schmidt",
    "Nguyen",
    "Patel",
    "Silva",
    "Kowalski",
    "Haddad",
    "Tanaka",
    "Mensah",
    "Rossi",
    "Johansson",
    "García",
    "Ivanova",
    "Cohen",
    "Adeyemi",
    "Fischer",
    "Costa",
    "Kim",
    "Müller",
    "Sato",
    "Mwangi",
    "Novak",
    "Reyes",
    "Singh",
    "Walker",
    "Yilmaz",
    "Berg",
    "Chen",
    "Dubois",
)
_HOBBIES = (
    "I climb on weekends.",
    "I'm learning the cello.",
    "I bake far too much bread.",
    "I run trails before work.",
    "I collect old maps.",
    "I play chess badly but often.",
    "I grow chillies on my balcony.",
    "I volunteer at a code club.",
)
_HOURS = (("09:00-17:00", 6), ("08:00-16:00", 2), ("10:00-18:00", 2), ("07:30-15:30", 1))


@dataclass(frozen=True)
class SyntheticPerson:
    user_id: str
    name: str
    city: str
    timezone: str
    continent: str
    department: str
    level: int  # 1 (early career) .. 5 (principal/executive)
    manager: str | None
    hours: str
    offers: tuple[str, ...]
    wants: tuple[str, ...]
    goals: tuple[int, ...]  # option numbers (1-based) of the program's goals question
    style: int  # option number of the style question
    role: str
    reverse: bool
    avoid: tuple[str, ...]
    intro: str


def workforce(
    size: int, seed: int, skills: Sequence[str], goal_count: int = 7
) -> list[SyntheticPerson]:
    """``size`` people, the same ones for the same seed."""
    rng = random.Random(seed)
    names = _names(rng, size)
    drafts = [_draft(rng, i, names[i], skills, goal_count) for i in range(size)]
    with_managers = _assign_managers(rng, drafts)
    return [_with_avoid(rng, p, with_managers) for p in with_managers]


def _names(rng: random.Random, size: int) -> list[str]:
    pairs = [(f, last) for f in FIRST for last in LAST]
    rng.shuffle(pairs)
    if size > len(pairs):
        pairs += [(f, f"{last}-{n}") for n in range(2, size // len(pairs) + 3) for f, last in pairs]
    return [f"{first} {last}" for first, last in pairs[:size]]


def _draft(
    rng: random.Random, index: int, name: str, skills: Sequence[str], goal_count: int
) -> SyntheticPerson:
    city, zone, continent, _ = rng.choices(OFFICES, [o[3] for o in OFFICES])[0]
    department = rng.choices(list(DEPARTMENTS), _DEPARTMENT_WEIGHTS)[0]
    level = rng.choices((1, 2, 3, 4, 5), (4, 5, 5, 3, 1))[0]
    known = [s for s in DEPARTMENTS[department] if s in skills]
    offers = tuple(rng.sample(known, k=min(len(known), rng.randint(1, 2) + level // 2)))
    pool = [s for s in skills if s not in offers]
    career = [s for s in _CAREER_SKILLS if s in pool]
    wants = _wants(rng, pool, career, level)
    return SyntheticPerson(
        user_id=user_id_for(name),
        name=name,
        city=city,
        timezone=zone,
        continent=continent,
        department=department,
        level=level,
        manager=None,
        hours=rng.choices([h for h, _ in _HOURS], [w for _, w in _HOURS])[0],
        offers=offers,
        wants=wants,
        goals=tuple(sorted(rng.sample(range(1, goal_count + 1), k=rng.randint(1, 3)))),
        style=rng.randint(1, 3),
        role=rng.choices(("peer", "mentor", "mentee", "either"), (5, level, 6 - level, 4))[0],
        reverse=rng.random() < 0.4 + 0.1 * level,
        avoid=(),
        intro=f"I work in {department} in {city}. {rng.choice(_HOBBIES)}",
    )


def _wants(rng: random.Random, pool: list[str], career: list[str], level: int) -> tuple[str, ...]:
    count = rng.randint(1, 3)
    chosen = rng.sample(career, k=1) if career and level >= 2 and rng.random() < 0.6 else []
    rest = [s for s in pool if s not in chosen]
    return tuple(chosen + rng.sample(rest, k=min(len(rest), count - len(chosen))))


def _assign_managers(rng: random.Random, people: list[SyntheticPerson]) -> list[SyntheticPerson]:
    """Each person reports to someone more senior in their department, if there is one."""
    above: dict[tuple[str, int], list[str]] = {}
    for level in range(1, 6):
        for person in people:
            if person.level > level and person.level >= 3:
                above.setdefault((person.department, level), []).append(person.user_id)
    result = []
    for person in people:
        seniors = above.get((person.department, person.level))
        result.append(replace(person, manager=rng.choice(seniors) if seniors else None))
    return result


def _with_avoid(
    rng: random.Random, person: SyntheticPerson, everyone: list[SyntheticPerson]
) -> SyntheticPerson:
    if rng.random() >= 0.06:
        return person
    other = rng.choice(everyone)
    return replace(person, avoid=(other.user_id,)) if other.user_id != person.user_id else person
