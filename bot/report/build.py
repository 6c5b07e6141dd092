"""From a program's facts to its report: one pure function of the facts and the time.

Privacy is applied here, where the report is made, so no surface can show more
than the report holds: an aggregate of what people answered is suppressed when
fewer than the program's ``min_group`` people answered, free text only ever
appears as a list of at least :data:`MIN_COMMENTS` shared comments, and a match
is seen as its status, never as what anyone said.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

from bot.cadence.calendar import first_round_of
from bot.cadence.training import track
from bot.model import Answer, GoalStatus, MatchStatus, Program, Status
from bot.program.spec import Format
from bot.report.criteria import verdicts
from bot.report.facts import (
    ChangeFact,
    CheckinFact,
    FeedbackFact,
    MatchFact,
    NoticeFact,
    PersonFact,
    ProgramFacts,
    SurveyFact,
)
from bot.report.metrics import Unit
from bot.report.model import (
    ChangeMark,
    CycleRow,
    Figure,
    MatchLine,
    PersonLine,
    Point,
    Report,
    Series,
    WaitingLine,
)
from bot.report.window import Window, default_window

MIN_COMMENTS = 10  # shared comments are shown only as a list at least this long
_MET = (Answer.YES, Answer.MET)
_GOAL_LABELS = {
    GoalStatus.OPEN: "Not yet rated",
    GoalStatus.ON_TRACK: "On track",
    GoalStatus.OFF_TRACK: "Off track",
    GoalStatus.DONE: "Done",
}


@dataclass(frozen=True)
class _Scope:
    """The facts a report counts: the window's, and the round's if one is chosen."""

    program: Program
    facts: ProgramFacts
    window: Window
    now: datetime
    people: dict[int, PersonFact]
    matches: list[MatchFact]

    @property
    def min_group(self) -> int:
        return self.program.spec.reporting.min_group

    @cached_property
    def match_ids(self) -> frozenset[int]:
        return frozenset(x.id for x in self.matches)

    @cached_property
    def period_days(self) -> int:
        return 7 * self.program.spec.cadence_weeks

    def in_matches(self, match_id: int) -> bool:
        return match_id in self.match_ids


def build_report(
    program: Program, facts: ProgramFacts, now: datetime, window: Window | None = None
) -> Report:
    """The program's report for ``window`` (default: since it began), as of ``now``."""
    scope = _scope(program, facts, now, window or default_window(program, now))
    checkins = _checkin_cycles(scope)
    figures = (
        *_funnel(scope),
        *_matches(scope),
        *_meetings(scope, checkins),
        *_feedback(scope),
        *_goals(scope),
        *_wrapups(scope),
        *_recognition(scope),
        *_program_surveys(scope),
        *_troubles(scope, checkins),
        *_training(scope),
    )
    shared = [
        w.shared
        for w in facts.wrapups
        if w.shared and scope.in_matches(w.match_id) and scope.window.holds(w.answered_at)
    ]
    told = [x.shared for x in _surveys(scope) if x.shared]
    return Report(
        program=program.spec.slug,
        name=program.spec.name,
        generated_at=now,
        first_day=scope.window.first_day,
        last_day=scope.window.last_day,
        round_id=scope.window.round_id,
        min_group=scope.min_group,
        figures=figures,
        series=_series(scope, figures, checkins),
        verdicts=verdicts(program.spec, figures, _ended_any(scope)),
        matches=_match_lines(scope, checkins),
        waiting=_waiting(scope),
        cycles=_cycles(scope, checkins),
        people=_person_lines(scope, checkins),
        # Sorted, not in the order written: the order would say who wrote when.
        comments=tuple(sorted(shared)) if len(shared) >= MIN_COMMENTS else (),
        comments_shared=len(shared),
        changes=_changes(scope),
        survey_comments=tuple(sorted(told)) if len(told) >= MIN_COMMENTS else (),
        survey_comments_shared=len(told),
    )


def _scope(program: Program, facts: ProgramFacts, now: datetime, window: Window) -> _Scope:
    published = [x for x in facts.matches if x.status is not MatchStatus.PROPOSED]
    if window.round_id is None:
        matches = published
        people = {p.person_id: p for p in facts.people if window.holds(p.joined_at)}
    else:
        matches = [x for x in published if x.round_id == window.round_id]
        chosen = {who for x in matches for who in x.members}
        chosen |= {who for r in facts.rounds if r.id == window.round_id for who, _ in r.waiting}
        people = {p.person_id: p for p in facts.people if p.person_id in chosen}
    started = [x for x in matches if x.start <= window.last_day]
    return _Scope(program, facts, window, now, people, started)


# --- people and matches ----------------------------------------------------------


def _funnel(scope: _Scope) -> tuple[Figure, ...]:
    people = scope.people.values()
    surveyed = [p for p in people if p.surveyed_at is not None]
    matched = {who for x in scope.matches for who in x.members} & scope.people.keys()
    statuses = [p.status for p in people]
    return (
        Figure("joined", len(scope.people)),
        Figure("surveyed", len(surveyed)),
        Figure("matched", len(matched)),
        Figure("waiting", len(_waiting_people(scope))),
        Figure("paused", statuses.count(Status.PAUSED)),
        Figure("left", statuses.count(Status.LEFT)),
        _rate("match_rate", len(matched), len(surveyed)),
    )


def _matches(scope: _Scope) -> tuple[Figure, ...]:
    ended = [x for x in scope.matches if scope.window.holds(x.ended_at)]
    failed = [x for x in ended if x.end_reason == "not_working"]
    later: dict[int, list[MatchFact]] = defaultdict(list)
    for x in scope.facts.matches:
        for who in x.members:
            later[who].append(x)
    rematched = {
        who
        for x in failed
        for who in x.members
        if any(y.created_at > (x.ended_at or x.created_at) for y in later[who])
    }
    running = [x for x in scope.matches if x.status is MatchStatus.ACTIVE]
    return (
        Figure("matches_running", len(running)),
        Figure("matches_ended", len(ended)),
        Figure("matches_not_working", len(failed)),
        Figure("rematched", len(rematched)),
    )


def _waiting_people(scope: _Scope) -> list[PersonFact]:
    busy = {who for x in scope.matches if x.status is MatchStatus.ACTIVE for who in x.members}
    return [
        p
        for p in scope.people.values()
        if p.status is Status.ACTIVE and p.surveyed_at is not None and p.person_id not in busy
    ]


def _waiting(scope: _Scope) -> tuple[WaitingLine, ...]:
    # The latest that happened to each person: a round left them out, or a match ended.
    latest: dict[int, tuple[datetime, str]] = {}
    for r in scope.facts.rounds:
        if r.published_at is not None:
            for who, reason in r.waiting:
                latest[who] = max(latest.get(who, (r.published_at, "")), (r.published_at, reason))
    for x in scope.facts.matches:
        if x.ended_at is not None:
            for who in x.members:
                entry = (x.ended_at, f"ended:{x.end_reason or ''}")
                latest[who] = max(latest.get(who, entry), entry)
    return tuple(
        WaitingLine(
            p.name,
            latest[p.person_id][0].date() if p.person_id in latest else _since(p),
            _why_waiting(latest[p.person_id][1] if p.person_id in latest else None),
        )
        for p in sorted(_waiting_people(scope), key=lambda p: p.joined_at)
    )


def _since(person: PersonFact) -> date:
    return (person.surveyed_at or person.joined_at).date()


_WAITING_WHY = {
    "odd_one_out": "the odd one out last round",
    "no_shared_hours": "nobody shares enough of their working hours",
    "no_mentor_capacity": "every mentor's places were taken",
    "no_mentee": "more mentors than mentees",
    "no_circle": "no circle fitted",
    "no_circle_topic": "no circle fitted",
    "no_group": "no mentoring group fitted",
    "held_back": "held back to be matched by hand",
}


_ENDED_WHY = {
    "not_working": "their match ended as not working",
    "paused": "their partner paused",
    "left": "their partner left",
    "completed": "their match completed",
}


def _why_waiting(reason: str | None) -> str:
    if reason is None:
        return "joined after the last round: matched in the next one"
    if reason.startswith("ended:"):
        how = _ENDED_WHY.get(reason.removeprefix("ended:"), "their match ended")
        return f"{how}: matched in the next round"
    # Any other reason is a rule (history, someone's "not with"): never whose.
    return _WAITING_WHY.get(reason, "ruled out by the program's rules")


# --- meetings ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Cycle:
    """One match's one cycle: asked (once a member answered, or the cycle closed)
    and whether the match met."""

    match_id: int
    cycle: int
    due_on: date
    met: bool


def _checkin_cycles(scope: _Scope) -> list[_Cycle]:
    by_cycle: dict[tuple[int, int], list[CheckinFact]] = defaultdict(list)
    for c in scope.facts.checkins:
        if scope.in_matches(c.match_id) and scope.window.holds(c.due_on):
            by_cycle[(c.match_id, c.cycle)].append(c)
    # A cycle due on or before this day has closed.
    closed_by = scope.now.date() - timedelta(days=scope.period_days)
    cycles = []
    for (match_id, cycle), items in sorted(by_cycle.items()):
        due = min(c.due_on for c in items)
        answers = [c.answer for c in items if c.answer is not None]
        if due <= closed_by or answers:
            cycles.append(_Cycle(match_id, cycle, due, any(a in _MET for a in answers)))
    return cycles


def _meetings(scope: _Scope, cycles: Sequence[_Cycle]) -> tuple[Figure, ...]:
    months: dict[tuple[int, int], bool] = {}
    weeks = scope.program.spec.cadence_weeks
    for c in cycles:
        key = (c.match_id, (c.cycle - 1) * weeks // 4)
        months[key] = months.get(key, False) or c.met
    milestones = [
        x
        for x in scope.facts.milestones
        if scope.in_matches(x.match_id) and scope.window.holds(x.asked_at)
    ]
    return (
        _rate("meeting_rate", sum(c.met for c in cycles), len(cycles)),
        _rate("monthly_meeting_rate", sum(months.values()), len(months)),
        _rate(
            "milestone_response_rate",
            sum(x.answered_at is not None for x in milestones),
            len(milestones),
        ),
    )


# --- what people answered (private: thresholds) -----------------------------------


def _feedback(scope: _Scope) -> tuple[Figure, ...]:
    # A feedback entry exists once someone starts answering: the prompts are the
    # messages sent; the answers, the entries completed.
    prompts = _prompts(scope)
    answered = [
        f
        for f in scope.facts.feedback
        if scope.in_matches(f.match_id)
        and scope.window.holds(f.asked_at)
        and f.completed_at is not None
    ]
    rated = [f for f in answered if f.rating is not None]
    return (
        _rate("feedback_response_rate", min(len(answered), len(prompts)), len(prompts)),
        _private(
            "average_rating",
            [f.rating for f in rated if f.rating is not None],
            {f.person_id for f in rated},
            scope.min_group,
            _mean,
        ),
    )


def _prompts(scope: _Scope) -> list[NoticeFact]:
    """The feedback prompts sent within the report's scope."""
    return [
        n
        for n in scope.facts.notices
        if n.kind == "feedback"
        and not n.failed
        and n.match_id is not None
        and scope.in_matches(n.match_id)
        and scope.window.holds(n.created_at)
    ]


def _goals(scope: _Scope) -> tuple[Figure, ...]:
    goals = [
        g
        for g in scope.facts.goals
        if scope.in_matches(g.match_id) and g.created_at.date() <= scope.window.last_day
    ]
    setters = {g.person_id for g in goals}
    hidden = 0 < len(setters) < scope.min_group
    matched = {who for x in scope.matches for who in x.members} & scope.people.keys()
    done = {g.person_id for g in goals if g.status is GoalStatus.DONE}

    def count(metric: str, status: GoalStatus | None) -> Figure:
        n = sum(1 for g in goals if status is None or g.status is status)
        return Figure(metric, None if hidden else n, len(setters), hidden)

    share = 100 * len(done & matched) / len(matched) if matched else None
    return (
        count("goals_set", None),
        count("goals_on_track", GoalStatus.ON_TRACK),
        count("goals_off_track", GoalStatus.OFF_TRACK),
        count("goals_done", GoalStatus.DONE),
        Figure("people_with_goal_done", None if hidden else share, len(setters), hidden),
    )


def _wrapups(scope: _Scope) -> tuple[Figure, ...]:
    answered = [
        w
        for w in scope.facts.wrapups
        if scope.in_matches(w.match_id) and scope.window.holds(w.answered_at)
    ]
    scored = [w for w in answered if w.recommend is not None]
    again = [w for w in answered if w.again is not None]
    k = scope.min_group
    scores = [w.recommend for w in scored if w.recommend is not None]
    return (
        _private("recommend_mean", scores, {w.person_id for w in scored}, k, _mean),
        _private("nps", scores, {w.person_id for w in scored}, k, _nps),
        _private(
            "would_join_again",
            [100.0 if w.again else 0.0 for w in again],
            {w.person_id for w in again},
            k,
            _mean,
        ),
    )


# --- recognition and the program survey ------------------------------------------


def _recognition(scope: _Scope) -> tuple[Figure, ...]:
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


def _surveys(scope: _Scope) -> list[SurveyFact]:
    """The program surveys asked in the window (of the round's people, for a round)."""
    return [
        x
        for x in scope.facts.surveys
        if scope.window.holds(x.asked_at)
        and (scope.window.round_id is None or x.person_id in scope.people)
    ]


def _program_surveys(scope: _Scope) -> tuple[Figure, ...]:
    surveys, k = _surveys(scope), scope.min_group

    def scored(metric: str, values: list[tuple[int, int | None]]) -> Figure:
        given = [(who, v) for who, v in values if v is not None]
        return _private(metric, [float(v) for _, v in given], {w for w, _ in given}, k, _mean)

    return (
        Figure("survey_answered", sum(1 for x in surveys if x.answered_at is not None)),
        scored("survey_growth", [(x.person_id, x.growth) for x in surveys]),
        scored("survey_supported", [(x.person_id, x.supported) for x in surveys]),
        scored("survey_recommend", [(x.person_id, x.recommend) for x in surveys]),
    )


def _changes(scope: _Scope) -> tuple[ChangeMark, ...]:
    return tuple(
        ChangeMark(c.changed_at.date(), f"{c.what}: {c.before} → {c.after}")
        for c in _changes_in(scope)
    )


def _changes_in(scope: _Scope) -> list[ChangeFact]:
    return [c for c in scope.facts.changes if scope.window.holds(c.changed_at)]


# --- what went wrong -------------------------------------------------------------


def _troubles(scope: _Scope, cycles: Sequence[_Cycle]) -> tuple[Figure, ...]:
    notices = [n for n in scope.facts.notices if scope.window.holds(n.created_at)]
    if scope.window.round_id is not None:
        notices = [n for n in notices if n.person_id in scope.people]
    stalled = _stalled(scope, cycles)
    return (
        Figure("stalled", len(stalled)),
        Figure(
            "paused_after_silence",
            sum(1 for n in notices if n.kind == "paused" and not n.failed),
        ),
        Figure("failed_deliveries", sum(1 for n in notices if n.failed)),
    )


def _training(scope: _Scope) -> tuple[Figure, ...]:
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
        _rate("training_completion", finished, len(mentors)),
        Figure("training_lessons_done", sum(len(x) for x in done.values())),
    )


def _stalled(scope: _Scope, cycles: Sequence[_Cycle]) -> set[int]:
    """Running matches whose last two closed cycles both passed without a meeting."""
    by_match: dict[int, list[_Cycle]] = defaultdict(list)
    for c in cycles:
        by_match[c.match_id].append(c)
    today = scope.now.date()
    stalled = set()
    for x in scope.matches:
        if x.status is not MatchStatus.ACTIVE:
            continue
        closed = [
            c
            for c in by_match.get(x.id, [])
            if c.due_on + timedelta(days=scope.period_days) <= today
        ]
        if len(closed) >= 2 and not any(c.met for c in closed[-2:]):
            stalled.add(x.id)
    return stalled


def _ended_any(scope: _Scope) -> bool:
    return any(x.end_reason == "completed" for x in scope.matches)


# --- series --------------------------------------------------------------------------


def _series(
    scope: _Scope, figures: Sequence[Figure], cycles: Sequence[_Cycle]
) -> tuple[Series, ...]:
    value = {f.metric: f for f in figures}
    met_once = {c.match_id for c in cycles if c.met}
    met_people = {who for x in scope.matches if x.id in met_once for who in x.members}
    funnel = Series(
        "funnel",
        "From joining to meeting",
        Unit.COUNT,
        tuple(
            Point(label, n, int(n))
            for label, n in (
                ("Joined", value["joined"].value or 0),
                ("Finished the survey", value["surveyed"].value or 0),
                ("Matched", value["matched"].value or 0),
                ("Met at least once", len(met_people & scope.people.keys())),
            )
        ),
    )
    return (
        _meeting_series(scope, cycles),
        funnel,
        _ratings_series(scope),
        _goals_series(scope, value["goals_set"]),
    )


def _meeting_series(scope: _Scope, cycles: Sequence[_Cycle]) -> Series:
    periods = _per_period(scope, cycles)
    points = tuple(
        Point(f"{start:%-d %b}", 100 * met / asked if asked else None, asked)
        for start, asked, met in periods
    )
    # A change marks the cycle it took effect in: before and after, side by side.
    starts = [start for start, _, _ in periods]
    changes = _changes_in(scope)
    marked = tuple(
        dict.fromkeys(points[_period_of(scope, starts, c.changed_at.date())].label for c in changes)
    )
    note = "share of the matches asked “did you meet?” that said yes"
    if changes:
        note += "; the program changed in " + ", ".join(f"the cycle of {x}" for x in marked)
    return Series(
        "meeting_rate",
        "Matches that met, per cycle",
        Unit.PERCENT,
        points,
        kind="line",
        note=note,
        markers=marked,
    )


def _per_period(scope: _Scope, cycles: Sequence[_Cycle]) -> list[tuple[date, int, int]]:
    starts = _period_starts(scope)
    asked = [0] * len(starts)
    met = [0] * len(starts)
    for c in cycles:
        i = _period_of(scope, starts, c.due_on)
        asked[i] += 1
        met[i] += c.met
    return list(zip(starts, asked, met, strict=True))


def _period_starts(scope: _Scope) -> list[date]:
    """The program's cadence periods that overlap the window, from its first round."""
    first = first_round_of(scope.program, scope.now)
    days = scope.period_days
    start = first + timedelta(days=(scope.window.first_day - first).days // days * days)
    starts: list[date] = []
    while start <= scope.window.last_day and len(starts) < 400:
        starts.append(start)
        start += timedelta(days=days)
    return starts or [scope.window.first_day]


def _period_of(scope: _Scope, starts: Sequence[date], day: date) -> int:
    index = (day - starts[0]).days // scope.period_days
    return min(max(index, 0), len(starts) - 1)


def _ratings_series(scope: _Scope) -> Series:
    rated = [
        f
        for f in scope.facts.feedback
        if scope.in_matches(f.match_id)
        and scope.window.holds(f.asked_at)
        and f.completed_at is not None
        and f.rating is not None
    ]
    hidden = 0 < len({f.person_id for f in rated}) < scope.min_group
    counts = [sum(1 for f in rated if f.rating == n) for n in range(1, 6)]
    return Series(
        "ratings",
        "Session ratings",
        Unit.COUNT,
        tuple(
            Point(f"{n} of 5", None if hidden else c, 0 if hidden else c, hidden)
            for n, c in enumerate(counts, start=1)
        ),
        suppressed=hidden,
        note=_hidden_note(scope) if hidden else "",
    )


def _goals_series(scope: _Scope, goals_set: Figure) -> Series:
    goals = [
        g
        for g in scope.facts.goals
        if scope.in_matches(g.match_id) and g.created_at.date() <= scope.window.last_day
    ]
    hidden = goals_set.suppressed
    return Series(
        "goals",
        "Goals by status",
        Unit.COUNT,
        tuple(
            Point(label, None if hidden else n, 0 if hidden else n, hidden)
            for status, label in _GOAL_LABELS.items()
            for n in [sum(1 for g in goals if g.status is status)]
        ),
        suppressed=hidden,
        note=_hidden_note(scope) if hidden else "",
    )


def _hidden_note(scope: _Scope) -> str:
    return f"hidden until at least {scope.min_group} people have answered"


def _cycles(scope: _Scope, cycles: Sequence[_Cycle]) -> tuple[CycleRow, ...]:
    starts = _period_starts(scope)
    # Each fact to its period, in one pass over each list.
    feedback: dict[int, list[FeedbackFact]] = defaultdict(list)
    for f in scope.facts.feedback:
        if scope.in_matches(f.match_id) and scope.window.holds(f.asked_at):
            feedback[_period_of(scope, starts, f.asked_at.date())].append(f)
    prompts: Counter[int] = Counter(
        _period_of(scope, starts, n.created_at.date()) for n in _prompts(scope)
    )
    rows = []
    for i, (start, asked, met) in enumerate(_per_period(scope, cycles)):
        answered = [f for f in feedback.get(i, []) if f.completed_at is not None]
        rated = [f for f in answered if f.rating is not None]
        hidden = len({f.person_id for f in rated}) < scope.min_group
        ratings = [float(f.rating) for f in rated if f.rating is not None]
        rows.append(
            CycleRow(
                start,
                asked,
                met,
                prompts[i],
                len(answered),
                None if hidden else _mean(ratings),
                hidden and bool(rated),
            )
        )
    return tuple(rows)


def _match_lines(scope: _Scope, cycles: Sequence[_Cycle]) -> tuple[MatchLine, ...]:
    stalled = _stalled(scope, cycles)
    met: dict[int, list[_Cycle]] = defaultdict(list)
    for c in cycles:
        met[c.match_id].append(c)
    people = {p.person_id: p for p in scope.facts.people}
    lines = []
    for x in sorted(scope.matches, key=lambda x: (x.start, x.id)):
        done = met.get(x.id, [])
        lines.append(
            MatchLine(
                x.id,
                tuple(people[w].name if w in people else "someone who left" for w in x.members),
                x.start,
                _status(x),
                sum(c.met for c in done),
                bool(done) and done[-1].met,
                x.id in stalled,
                any(w in people and people[w].status is Status.PAUSED for w in x.members),
                x.round_id,
            )
        )
    return tuple(lines)


def _person_lines(scope: _Scope, cycles: Sequence[_Cycle]) -> tuple[PersonLine, ...]:
    """Everyone in the scope, in the order they joined: status and counts only."""
    matches: dict[int, int] = defaultdict(int)
    meetings: dict[int, int] = defaultdict(int)
    met: dict[int, int] = defaultdict(int)
    for c in cycles:
        met[c.match_id] += c.met
    for x in scope.matches:
        for who in x.members:
            matches[who] += 1
            meetings[who] += met[x.id]
    return tuple(
        PersonLine(
            p.name,
            p.status.value,
            p.joined_at.date(),
            p.surveyed_at.date() if p.surveyed_at else None,
            matches[p.person_id],
            meetings[p.person_id],
        )
        for p in sorted(scope.people.values(), key=lambda p: (p.joined_at, p.person_id))
    )


_status_words = {
    "completed": "completed",
    "not_working": "ended: not working",
    "paused": "ended: a member paused",
    "left": "ended: a member left",
}


def _status(x: MatchFact) -> str:
    if x.status is MatchStatus.ACTIVE:
        return "running"
    return _status_words.get(x.end_reason or "", "ended")


# --- small helpers ----------------------------------------------------------------


def _rate(metric: str, part: int, whole: int) -> Figure:
    return Figure(metric, 100 * part / whole if whole else None, whole)


def _private(
    metric: str,
    values: Sequence[float],
    people: Iterable[int],
    min_group: int,
    reduce: Callable[[Sequence[float]], float | None],
) -> Figure:
    """An aggregate of answers, or nothing when fewer than ``min_group`` answered."""
    respondents = len(set(people))
    if respondents < min_group:
        return Figure(metric, None, respondents, suppressed=respondents > 0)
    return Figure(metric, reduce(values), respondents)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _nps(scores: Sequence[float]) -> float | None:
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return 100 * (promoters - detractors) / len(scores)
