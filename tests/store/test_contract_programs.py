"""The store's contract, part two: rounds and matches, the cadence's records, polls,
recognitions, surveys, training, and what erasing a person takes with them. Every
test runs on each store (``uow_factory``: in memory, SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.adjustment import Stage
from bot.admin import bundled_programs
from bot.model import Answer, GoalStatus, Match, MatchStatus, Person, Program, RoundStatus
from bot.ports import Conflict, UnitOfWork
from bot.recognition import Kind

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
Uow = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class Setting:
    program: Program
    ana: Person
    bo: Person
    cy: Person
    match: Match


@pytest.fixture
def setting(uow_factory: Uow) -> Setting:
    """A program, three people, and Ana and Bo matched in a published round."""
    with uow_factory() as unit:
        ws = unit.workspaces.ensure("console", "w", NOW)
        program = unit.programs.put(ws.id, bundled_programs()[0], NOW)
        ana, bo, cy = (unit.people.ensure(ws.id, h, h.title(), NOW) for h in ("ana", "bo", "cy"))
        round_ = unit.rounds.add(ws.id, program.id, 7, True, NOW)
        reasons = [{"code": "skill", "who": "ana"}]
        match_id = unit.matches.add(
            round_, "pair", 0.5, reasons, [(bo.id, "peer"), (ana.id, "peer")], NOW
        )
        unit.rounds.set_status(round_.id, RoundStatus.PUBLISHED, NOW)
        unit.matches.set_status(match_id, MatchStatus.ACTIVE, NOW)
        match = unit.matches.get(match_id)
        assert match is not None
        unit.commit()
    return Setting(program, ana, bo, cy, match)


def test_rounds_draft_publish_and_keep_one_per_scheduled_day(
    uow_factory: Uow, setting: Setting
) -> None:
    p, day = setting.program, NOW.date()
    with uow_factory() as unit:
        published = unit.rounds.latest_published(p.id)
        assert published is not None and published.published_at == NOW
        draft = unit.rounds.add(p.workspace_id, p.id, 8, False, NOW, scheduled_for=day)
        unit.rounds.mark_edited(draft.id)
        unit.rounds.add_waiting(draft, setting.cy.id, "odd_one_out")
        unit.commit()
    with uow_factory() as unit:
        found = unit.rounds.draft(p.id)
        assert found is not None and found.edited and unit.rounds.scheduled(p.id, day) == found
        (waiting,) = unit.rounds.waiting(draft.id)
        assert (waiting.user_id, waiting.reason) == ("cy", "odd_one_out")
        unit.rounds.remove_waiting(draft.id, setting.cy.id)
        assert unit.rounds.waiting(draft.id) == []
    # SQL raises on leaving the block, the fake at once: the whole block is the subject.
    with pytest.raises(Conflict), uow_factory() as unit:  # noqa: PT012
        unit.rounds.add(p.workspace_id, p.id, 9, False, NOW, scheduled_for=day)
        unit.commit()


def test_matches_keep_their_members_in_order(uow_factory: Uow, setting: Setting) -> None:
    match, ana, bo, cy = setting.match, setting.ana, setting.bo, setting.cy
    assert [m.user_id for m in match.members] == ["bo", "ana"]
    assert match.reasons == ({"code": "skill", "who": "ana"},)
    with uow_factory() as unit:
        assert unit.matches.agreed(match.id, ana.id, NOW)
        assert not unit.matches.agreed(match.id, ana.id, NOW)
        unit.matches.introduced(match.id, bo.id, NOW)
        assert unit.matches.pairs_since(setting.program.id, NOW) == [("ana", "bo")]
        assert unit.matches.pairs_since(setting.program.id, NOW + timedelta(days=1)) == []
        unit.matches.revise(match.id, 0.9, [], [(ana.id, "mentor"), (cy.id, "mentee")])
        unit.commit()
    with uow_factory() as unit:
        found = unit.matches.get(match.id)
        assert found is not None and found.organiser_id == bo.id
        assert [(m.user_id, m.role) for m in found.members] == [("ana", "mentor"), ("cy", "mentee")]
        assert unit.matches.of_person(cy.id, [MatchStatus.ACTIVE]) == [found]
        assert unit.matches.of_person(bo.id, [MatchStatus.ACTIVE]) == []
        assert unit.matches.active(setting.program.id) == [found]
        assert unit.matches.of_round(match.round_id) == [found]
        unit.matches.set_status(match.id, MatchStatus.ENDED, NOW, "done")
        unit.commit()
    with uow_factory() as unit:
        ended = unit.matches.get(match.id)
        assert ended is not None and (ended.ended_at, ended.end_reason) == (NOW, "done")
        unit.matches.delete(match.id)
        assert unit.matches.get(match.id) is None


def test_check_ins_feedback_goals_and_wrap_ups(uow_factory: Uow, setting: Setting) -> None:
    match, ana, due = setting.match, setting.ana, NOW.date()
    with uow_factory() as unit:
        checkin = unit.checkins.add(match, ana.id, 1, due, NOW)
        assert checkin is not None and unit.checkins.add(match, ana.id, 1, due, NOW) is None
        unit.checkins.answer(checkin.id, Answer.YES, NOW)
        unit.checkins.reminded(checkin.id, NOW)
        feedback = unit.checkins.feedback(match, ana.id, 1, NOW)
        assert unit.checkins.feedback(match, ana.id, 1, NOW) == feedback
        unit.checkins.save_feedback(replace(feedback, rating=4, note="private"))
        goal = unit.goals.add(match, ana.id, "Learn SQL", NOW)
        unit.goals.set_status(goal.id, GoalStatus.DONE, NOW)
        assert unit.goals.milestone(match, ana.id, 30, NOW)
        assert not unit.goals.milestone(match, ana.id, 30, NOW)
        assert unit.wrapups.start(match, ana.id, NOW) and not unit.wrapups.start(match, ana.id, NOW)
        unit.commit()
    with uow_factory() as unit:
        (found,) = unit.checkins.of_match(match.id)
        assert (found.answer, found.reminded_at) == (Answer.YES, NOW)
        assert unit.checkins.get(checkin.id) == found
        assert unit.checkins.of_program(setting.program.id, due + timedelta(days=1)) == []
        assert unit.checkins.feedback_by_id(feedback.id) == replace(
            feedback, rating=4, note="private"
        )
        assert [f.rating for f in unit.checkins.feedback_of(setting.program.id)] == [4]
        assert [g.status for g in unit.goals.of(match.id, ana.id)] == [GoalStatus.DONE]
        assert unit.goals.of_program(setting.program.id) == unit.goals.of(match.id, ana.id)
        assert unit.goals.milestones_asked(match.id) == [(ana.id, 30)]
        assert unit.goals.milestones_of_program(setting.program.id) == [(match.id, ana.id, 30)]
        wrapup = unit.wrapups.get(match.id, ana.id)
        assert wrapup is not None
        unit.wrapups.save(replace(wrapup, recommend=9, changed="a lot", shared=True))
        assert unit.wrapups.of_program(setting.program.id) == [
            replace(wrapup, recommend=9, changed="a lot", shared=True)
        ]


def test_quiet_days_requests_and_polls(uow_factory: Uow, setting: Setting) -> None:
    p, ana, bo = setting.program, setting.ana, setting.bo
    day = NOW.date()
    with uow_factory() as unit:
        later = unit.quiet.add(p.workspace_id, p.id, day + timedelta(days=9), day, "b", NOW)
        first = unit.quiet.add(p.workspace_id, p.id, day, day, "a", NOW)
        assert unit.quiet.of_program(p.id) == [first, later]  # by first day
        unit.quiet.remove(later.id)
        unit.requests.put(p.workspace_id, p.id, ana.id, "bo", NOW)
        unit.requests.put(p.workspace_id, p.id, ana.id, "cy", NOW)  # asked again: replaced
        unit.requests.put(p.workspace_id, p.id, bo.id, "ana", NOW)
        unit.requests.clear(p.id, bo.id)
        poll = unit.polls.add(p.workspace_id, p.id, "When?", ["Mon", "Tue", "Wed"], NOW)
        assert [unit.polls.answer(poll, who.id, 1, NOW) for who in (ana, bo)] == [1, 2]
        assert unit.polls.answer(poll, ana.id, 2, NOW) == 3  # a changed answer
        unit.commit()
    with uow_factory() as unit:
        assert unit.quiet.of_program(p.id) == [first]
        assert unit.requests.of_program(p.id) == {ana.id: "cy"}
        assert unit.polls.get(poll.id) == poll and poll.options == ("Mon", "Tue", "Wed")
        assert unit.polls.counts(poll.id) == [0, 1, 1]
        assert unit.polls.counts(poll.id + 1000) == []


def test_recognitions_surveys_and_training(uow_factory: Uow, setting: Setting) -> None:
    p, ana, bo, cy = setting.program, setting.ana, setting.bo, setting.cy
    with uow_factory() as unit:
        kudos = unit.recognitions.add(
            p.workspace_id, p.id, Kind.KUDOS, ana.id, bo.id, None, "Thanks!", NOW
        )
        assert unit.recognitions.consent(kudos.id, cy.id, True) is None  # not Cy's to say
        agreed = unit.recognitions.consent(kudos.id, bo.id, True)
        assert agreed is not None and agreed.first_ok is True and not agreed.agreed
        assert unit.recognitions.posted(kudos.id, NOW) and not unit.recognitions.posted(
            kudos.id, NOW
        )
        survey = unit.surveys.start(p.workspace_id, p.id, ana.id, Stage.DAY_30, NOW)
        assert survey is not None
        assert unit.surveys.start(p.workspace_id, p.id, ana.id, Stage.DAY_30, NOW) is None
        unit.surveys.save(replace(survey, growth=4, comment="Good"))
        unit.training.sent(p.workspace_id, ana.id, "basics", NOW)
        unit.training.sent(p.workspace_id, ana.id, "basics", NOW + timedelta(days=1))
        assert unit.training.done(p.workspace_id, ana.id, "basics", NOW)
        assert not unit.training.done(p.workspace_id, ana.id, "basics", NOW)
        unit.commit()
    with uow_factory() as unit:
        assert unit.recognitions.sent_since(p.id, ana.id, NOW) == 1
        assert unit.recognitions.sent_since(p.id, ana.id, NOW + timedelta(seconds=1)) == 0
        assert unit.recognitions.written_by(ana.id) == ["Thanks!"]
        assert unit.surveys.asked(p.id) == [(ana.id, Stage.DAY_30)]
        assert unit.surveys.comments_of(ana.id) == ["Good"]
        (lesson,) = unit.training.of(ana.id)
        assert (lesson.lesson, lesson.sent_at, lesson.done_at) == ("basics", NOW, NOW)
        assert unit.training.of_people([ana.id, bo.id]) == {ana.id: [lesson]}


def test_erasing_a_person_ends_their_matches_and_takes_their_rows(
    uow_factory: Uow, setting: Setting
) -> None:
    match, ana, bo = setting.match, setting.ana, setting.bo
    with uow_factory() as unit:
        unit.checkins.add(match, ana.id, 1, NOW.date(), NOW)
        unit.goals.add(match, ana.id, "Learn SQL", NOW)
        unit.addresses.put(ana.workspace_id, "ana", {"service": "s"}, NOW)
        assert unit.matches.forget_person(ana.id, NOW) == [match.id]
        unit.people.erase(ana.id)
        unit.commit()
    with uow_factory() as unit:
        assert unit.people.find(ana.workspace_id, "ana") is None
        assert unit.addresses.get(ana.workspace_id, "ana") is None
        assert unit.checkins.of_match(match.id) == [] and unit.goals.of(match.id, ana.id) == []
        left = unit.matches.get(match.id)
        assert left is not None and left.status is MatchStatus.ENDED and left.reasons == ()
        assert [m.user_id for m in left.members] == ["bo"]
        assert unit.people.get(bo.id) == bo
