"""Checking a simulation's ``messages.jsonl`` against the program's rules.

1. one introduction per match, with reasons, guide, agreement and an organiser;
2. the cadence: reminders only after "not yet" and at most one per check-in,
   feedback prompts only after a meeting, no blame passed on to a partner;
6. proactive messages inside the recipient's working hours on their weekdays,
   within the weekly budget;
7. every message to every recipient exactly once, nothing left unsent;
8. coordinators get one digest a week, not a stream of notices.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.cadence.calendar import Hours, week_of, working_intervals
from bot.cadence.sender import PROACTIVE

Line = Mapping[str, Any]
_INTRO_PARTS = (
    "Why you:",
    "Your first meeting",
    "Your mentoring agreement",
    "will suggest a time for the first meeting",
)


@dataclass(frozen=True)
class Finding:
    rule: str
    passed: bool
    detail: str


def _at(line: Line) -> datetime:
    return datetime.fromisoformat(str(line["at"]).replace("Z", "+00:00"))


def introductions(lines: Sequence[Line]) -> Finding:
    intros = [x for x in lines if x.get("kind") == "intro"]
    keys_per_match = defaultdict(set)
    for line in intros:
        keys_per_match[line["match"]].add(line["key"])
    several = [m for m, keys in keys_per_match.items() if len(keys) != 1]
    missing = [x["key"] for x in intros if not all(p in x["text"] for p in _INTRO_PARTS)]
    ok = not several and not missing and bool(intros)
    return Finding(
        "1. one introduction per match, complete",
        ok,
        f"{len(keys_per_match)} matches introduced; {len(several)} with more than "
        f"one introduction; {len(missing)} missing a part",
    )


def cadence(lines: Sequence[Line]) -> Finding:
    problems: list[str] = []
    not_yet: set[tuple[str, Any]] = set()
    met: set[Any] = set()
    reminded: Counter[str] = Counter()
    for line in sorted(lines, key=_at):
        if line.get("kind") == "reply" and line.get("answering") in ("checkin", "reminder"):
            if line["text"] == "Not yet":
                not_yet.add((line["from"], line["match"]))
            if line["text"] == "Yes, we met":
                met.add(line["match"])
        elif line.get("kind") == "reminder":
            reminded[line["key"]] += 1
            if (line["to"], line["match"]) not in not_yet:
                problems.append(f"reminder {line['key']} without a “not yet”")
        elif line.get("kind") == "feedback" and line["match"] not in met:
            problems.append(f"feedback prompt {line['key']} before anyone said they met")
        elif line.get("kind") == "rematch" and "wasn't working" in line["text"]:
            problems.append(f"{line['key']} tells a partner why the match ended")
    problems += [f"{key} sent {n} times" for key, n in reminded.items() if n > 1]
    return Finding(
        "2. the cadence: reminders, feedback, no blame",
        not problems,
        f"{sum(reminded.values())} reminders; {len(problems)} problems"
        + (f" (first: {problems[0]})" if problems else ""),
    )


def working_hours(lines: Sequence[Line], hours: Mapping[str, Hours]) -> Finding:
    proactive = [x for x in lines if x.get("via") == "schedule"]
    outside = [x for x in proactive if not _at_work(_at(x), hours.get(x["to"], Hours("UTC")))]
    return Finding(
        "6. working hours on weekdays",
        not outside,
        f"{len(proactive)} proactive messages, {len(outside)} outside working hours"
        + (f" (first: {outside[0]['key']} at {outside[0]['at']})" if outside else ""),
    )


def _at_work(at: datetime, hours: Hours) -> bool:
    day = at.date()
    return any(
        begin <= at < end
        for begin, end in working_intervals(
            hours, day - timedelta(days=1), day + timedelta(days=1), ()
        )
    )


def budget(lines: Sequence[Line], hours: Mapping[str, Hours], per_week: int) -> Finding:
    weeks: Counter[tuple[str, datetime]] = Counter()
    for line in lines:
        if line.get("kind") in PROACTIVE and line.get("via") == "schedule":
            zone = hours.get(line["to"], Hours("UTC")).timezone
            weeks[(line["to"], week_of(_at(line), zone)[0])] += 1
    busiest = max(weeks.values(), default=0)
    over = [k for k, n in weeks.items() if n > per_week]
    return Finding(
        "6. weekly message budget",
        not over,
        f"at most {busiest} of {per_week} allowed in any person's week; {len(over)} weeks over",
    )


def exactly_once(lines: Sequence[Line], unsent: int) -> Finding:
    copies = Counter((x["key"], x["to"]) for x in lines if "to" in x)
    doubled = [k for k, n in copies.items() if n > 1]
    return Finding(
        "7. exactly once, nothing lost",
        not doubled and unsent == 0,
        f"{len(copies)} deliveries; {len(doubled)} duplicated; {unsent} due but never sent",
    )


COORDINATOR_WEEKLY = 2  # messages Tandem starts with a coordinator in one week


def coordinators(lines: Sequence[Line], handles: Sequence[str]) -> Finding:
    """Coordinators get a digest a week, not a stream: at most two messages Tandem
    starts (the digest and a round to review) in any week for each program they run
    (``handles`` names a coordinator once per program), and no week without its
    digest (nothing that needed them is dropped)."""
    programs = Counter(handles)
    started = [
        x for x in lines if x.get("to") in handles and x.get("kind") not in ("response", "error")
    ]
    weeks: Counter[tuple[str, tuple[int, int]]] = Counter()
    digests: set[tuple[int, int]] = set()
    for line in started:
        year, week, _ = _at(line).isocalendar()
        weeks[(line["to"], (year, week))] += 1
        if line.get("kind") == "digest":
            # the week it is for (quiet days may deliver it the week after)
            for_week = str(line["key"]).split(":")[2]
            digests.add((int(for_week[:4]), int(for_week[6:])))
    per_program = max((n / programs[who] for (who, _), n in weeks.items()), default=0)
    span = _weeks_between(min(digests, default=None), max(digests, default=None))
    missing = [w for w in span if w not in digests]
    return Finding(
        "8. coordinators: one digest a week, not a stream",
        per_program <= COORDINATOR_WEEKLY and not missing and bool(digests),
        f"{sum(1 for x in started if x.get('kind') == 'digest')} digests; at most "
        f"{per_program:g} messages started in any coordinator's week per program they run "
        f"(allowed {COORDINATOR_WEEKLY}); {len(missing)} weeks without a digest",
    )


def _weeks_between(
    first: tuple[int, int] | None, last: tuple[int, int] | None
) -> list[tuple[int, int]]:
    if first is None or last is None:
        return []
    day = datetime.fromisocalendar(*first, 1)
    end = datetime.fromisocalendar(*last, 1)
    weeks = []
    while day <= end:
        year, week, _ = day.isocalendar()
        weeks.append((year, week))
        day += timedelta(days=7)
    return weeks


def no_failures(lines: Sequence[Line]) -> Finding:
    """Every answer was handled: no apology for a failure on Tandem's side."""
    apologies = [x for x in lines if x.get("kind") == "error"]
    return Finding(
        "every answer handled",
        not apologies,
        f"{sum(1 for x in lines if x.get('kind') == 'reply')} answers; "
        f"{len(apologies)} failed"
        + (f" (first: {apologies[0]['key']} at {apologies[0]['at']})" if apologies else ""),
    )


def check(
    lines: Sequence[Line],
    hours: Mapping[str, Hours],
    per_week: int,
    unsent: int,
    handles: Sequence[str] = (),
) -> list[Finding]:
    return [
        no_failures(lines),
        introductions(lines),
        cadence(lines),
        working_hours(lines, hours),
        budget(lines, hours, per_week),
        exactly_once(lines, unsent),
        *([coordinators(lines, handles)] if handles else []),
    ]
