"""The messages of a match's life, built from ``bot/content/guides.yaml``."""

from __future__ import annotations

from bot import outbound as m
from bot.cadence.content import guides
from bot.flow_names import FlowName
from bot.model import Checkin, Match, Member, Program


def names(members: tuple[Member, ...]) -> str:
    shown = [member.name for member in members]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" and {shown[-1]}"


def intro(program: Program, match: Match, why: str, organiser: Member) -> m.Message:
    """One message for the whole match: why, who organises, the guide, the agreement."""
    g, spec = guides(), program.spec
    spans: list[str | m.Span] = ["Meet "]
    for n, member in enumerate(match.members):
        spans += [
            ", " if 0 < n < len(match.members) - 1 else " and " if n else "",
            m.Mention(member.user_id),
        ]
    title = (
        f"Your {match.topic} mentoring group"
        if match.topic and match.kind == "group"
        else f"Your {match.topic} learning circle"
        if match.topic
        else "Meet your mentoring partner"
        if match.kind == "mentoring"
        else "Meet your match"
    )
    question = g.first_meeting.questions[match.id % len(g.first_meeting.questions)]
    more = g.first_meeting.questions[(match.id + 3) % len(g.first_meeting.questions)]
    cadence = g.agreement.cadence.format(
        minutes=spec.meeting_minutes, every=spec.cadence_words, months=spec.duration_months
    )
    blocks: list[m.Block] = [
        m.Heading(title),
        m.para(*spans, f": you're matched in {spec.name}."),
        *([m.para(m.Bold("Why you: "), why)] if why else []),
        m.para(m.Mention(organiser.user_id), f" {g.organiser}"),
        m.para(m.Bold(g.first_meeting.title)),
        m.bullets(*g.first_meeting.agenda),
        m.para(m.Bold("Two questions to start with")),
        m.bullets(question, more),
        m.Note(g.first_meeting.goals),
        m.para(m.Bold(g.agreement.title)),
        m.bullets(cadence, *spec.agreement),
        m.Buttons(
            f"{FlowName.ACCEPT}:{match.id}", (m.Option("yes", g.agreement.accept, "primary"),)
        ),
    ]
    return m.Message(tuple(blocks), f"{title} in {spec.name}", kind="intro", match=match.id)


def agreement_reminder(program: Program, match: Match, member: Member) -> m.Message:
    """The agreement again, for a member who has not accepted it yet."""
    g, spec = guides().agreement, program.spec
    day = match.introduced_at or match.created_at
    text = g.reminder.format(
        partner=names(match.others(member.person_id)),
        program=spec.name,
        day=f"{day.day} {day:%B}",
    )
    cadence = g.cadence.format(
        minutes=spec.meeting_minutes, every=spec.cadence_words, months=spec.duration_months
    )
    return m.Message(
        (
            m.para(text),
            m.bullets(cadence, *spec.agreement),
            m.Note(g.doubts),
            m.Buttons(f"{FlowName.ACCEPT}:{match.id}", (m.Option("yes", g.accept, "primary"),)),
        ),
        text,
        kind="agreement",
        match=match.id,
    )


def goals_prompt(match: Match, member: Member) -> m.Message:
    g = guides().goals
    text = g.prompt.format(partner=names(match.others(member.person_id)))
    return m.Message(
        (
            m.para(text),
            m.Note(guides().first_meeting.goals),
            m.Buttons(f"{FlowName.GOALS}:{match.id}", (m.Option("set", g.button, "primary"),)),
        ),
        text,
        kind="goals",
        match=match.id,
    )


def checkin_options() -> tuple[m.Option, ...]:
    options = guides().checkin.options
    return tuple(
        m.Option(value, label, "danger" if value == "stop" else None)
        for value, label in options.items()
    )


def checkin(program: Program, match: Match, member: Member, item: Checkin) -> m.Message:
    weeks = program.spec.cadence_weeks
    span = "two weeks" if weeks == 2 else "week" if weeks == 1 else f"{weeks} weeks"
    text = guides().checkin.question.format(
        partner=names(match.others(member.person_id)), weeks=span
    )
    return m.Message(
        (m.para(text), m.Buttons(f"{FlowName.CHECKIN}:{item.id}", checkin_options())),
        text,
        kind="checkin",
        match=match.id,
    )


def reminder(match: Match, member: Member, item: Checkin) -> m.Message:
    text = guides().checkin.reminder.format(partner=names(match.others(member.person_id)))
    buttons = tuple(o for o in checkin_options() if o.value != "not_yet")
    return m.Message(
        (m.para(text), m.Buttons(f"{FlowName.CHECKIN}:{item.id}", buttons)),
        text,
        kind="reminder",
        match=match.id,
    )


def feedback_prompt(
    match: Match, member: Member, cycle: int, *, told_by: str | None = None
) -> m.Message:
    """How useful the cycle's meeting was; ``told_by`` names who said it happened,
    when it was not this member."""
    words = guides().feedback
    text = (
        words.told.format(name=told_by)
        if told_by
        else words.rating.format(partner=names(match.others(member.person_id)))
    )
    ratings = tuple(m.Option(str(n), str(n)) for n in range(1, 6))
    return m.Message(
        (
            m.para(text),
            m.Buttons(f"{FlowName.FEEDBACK}:{match.id}:{cycle}", ratings, opens_form=True),
        ),
        text,
        kind="feedback",
        match=match.id,
    )


def milestone(match: Match, member: Member, day: int) -> m.Message:
    g = guides().milestone
    text = g.prompt.format(day=day, partner=names(match.others(member.person_id)))
    button = m.Buttons(
        f"{FlowName.MILESTONE}:{match.id}:{day}", (m.Option("update", g.button, "primary"),)
    )
    return m.Message((m.para(text), button), text, kind="milestone", match=match.id)


def wrapup(program: Program, match: Match, member: Member) -> m.Message:
    g = guides().wrapup
    text = g.prompt.format(
        months=program.spec.duration_months,
        program=program.spec.name,
        partner=names(match.others(member.person_id)),
    )
    button = m.Buttons(f"{FlowName.WRAPUP}:{match.id}", (m.Option("start", g.button, "primary"),))
    return m.Message((m.para(text), button), text, kind="wrapup", match=match.id)


def plain(text: str, kind: str, match: int | None = None) -> m.Message:
    return m.Message((m.para(text),), text, kind=kind, match=match)
