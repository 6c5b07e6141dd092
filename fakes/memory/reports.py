"""The facts of a program's report, gathered from the in-memory tables as
store/reports.py gathers them (statuses, dates and numbers; shared comments only)."""

from __future__ import annotations

from bot.model import Answer, GoalStatus, MatchStatus, Status
from bot.report.facts import (
    ChangeFact,
    CheckinFact,
    FeedbackFact,
    GoalFact,
    MatchFact,
    MilestoneFact,
    NoticeFact,
    PersonFact,
    ProgramFacts,
    RecognitionFact,
    RoundFact,
    SurveyFact,
    TrainingFact,
    WrapupFact,
)
from fakes.memory.cadence import in_program
from fakes.memory.tables import Row, Transaction

_MENTORING_ROLES = ("mentor", "facilitator")
_COUNTED_KINDS = ("paused", "feedback")  # besides failures of any kind


class MemoryReports:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def facts(self, program_id: int) -> ProgramFacts:
        mentors, joined, training = self._training(program_id)
        tx, p = self._tx, program_id
        return ProgramFacts(
            people=self._people(p),
            rounds=self._rounds(p),
            matches=self._matches(p),
            checkins=[
                CheckinFact(
                    r["match_id"],
                    r["person_id"],
                    r["cycle"],
                    r["due_on"],
                    Answer(r["answer"]) if r["answer"] else None,
                )
                for r in sorted(in_program(tx, "checkins", p), key=lambda r: r["due_on"])
            ],
            feedback=[
                FeedbackFact(
                    r["match_id"], r["person_id"], r["created_at"], r["rating"], r["completed_at"]
                )
                for r in in_program(tx, "feedback", p)
            ],
            goals=[
                GoalFact(r["match_id"], r["person_id"], GoalStatus(r["status"]), r["created_at"])
                for r in in_program(tx, "goals", p)
            ],
            milestones=[
                MilestoneFact(
                    r["match_id"], r["person_id"], r["day"], r["created_at"], r["answered_at"]
                )
                for r in in_program(tx, "milestones", p)
            ],
            wrapups=[
                WrapupFact(
                    r["match_id"],
                    r["person_id"],
                    r["created_at"],
                    r["recommend"],
                    r["again"],
                    r["answered_at"],
                    r["changed"] if r["shared"] else None,
                )
                for r in in_program(tx, "wrapups", p)
            ],
            notices=self._notices(p),
            mentors=mentors,
            joined_as_mentors=joined,
            training=training,
            recognitions=[
                RecognitionFact(r["kind"], r["author_id"], r["created_at"], r["posted_at"])
                for r in tx.rows("recognitions", program_id=p)
            ],
            surveys=[
                SurveyFact(
                    r["person_id"],
                    r["stage"],
                    r["created_at"],
                    r["growth"],
                    r["supported"],
                    r["recommend"],
                    r["answered_at"],
                    r["comment"] if r["shared"] else None,
                )
                for r in tx.rows("program_surveys", program_id=p)
            ],
            changes=[
                ChangeFact(r["changed_at"], r["what"], r["before"], r["after"])
                for r in sorted(
                    tx.rows("program_changes", program_id=p), key=lambda r: r["changed_at"]
                )
            ],
        )

    def _people(self, program_id: int) -> list[PersonFact]:
        found = []
        for e in self._tx.rows("enrolments", program_id=program_id):
            person = self._tx.one("people", e["person_id"])
            fact = PersonFact(
                person["id"],
                person["user_id"],
                person["display_name"],
                Status(e["status"]),
                e["joined_at"],
                e["intake_completed_at"],
                e["left_at"],
            )
            found.append(fact)
        return sorted(found, key=lambda f: (f.joined_at, f.person_id))

    def _rounds(self, program_id: int) -> list[RoundFact]:
        rounds = list(self._tx.rows("rounds", program_id=program_id))
        ids = {r["id"] for r in rounds}
        waiting: dict[int, list[tuple[int, str]]] = {}
        for w in self._tx.where("waitlist", lambda w: w["round_id"] in ids):
            waiting.setdefault(w["round_id"], []).append((w["person_id"], w["reason"]))
        return [
            RoundFact(r["id"], r["created_at"], r["published_at"], tuple(waiting.get(r["id"], ())))
            for r in rounds
        ]

    def _published(self, program_id: int) -> list[Row]:
        return [
            m
            for m in self._tx.rows("matches", program_id=program_id)
            if m["status"] != MatchStatus.PROPOSED.value
        ]

    def _members(self, match_id: int) -> list[Row]:
        found = self._tx.rows("match_members", match_id=match_id)
        return sorted(found, key=lambda r: r["position"])

    def _matches(self, program_id: int) -> list[MatchFact]:
        return [
            MatchFact(
                m["id"],
                m["round_id"],
                MatchStatus(m["status"]),
                m["kind"],
                tuple(mm["person_id"] for mm in self._members(m["id"])),
                m["created_at"],
                m["started_at"],
                m["ended_at"],
                m["end_reason"],
            )
            for m in self._published(program_id)
        ]

    def _notices(self, program_id: int) -> list[NoticeFact]:
        # A reply (the feedback questions after someone's own "yes") knows its
        # match, not its program.
        matches = {m["id"] for m in self._tx.rows("matches", program_id=program_id)}
        return [
            NoticeFact(
                r["kind"], r["person_id"], r["created_at"], r["status"] == "failed", r["match_id"]
            )
            for r in self._tx.table("outbox").values()
            if (r["program_id"] == program_id or r["match_id"] in matches)
            and (r["kind"] in _COUNTED_KINDS or r["status"] == "failed")
        ]

    def _training(self, program_id: int) -> tuple[list[int], list[int], list[TrainingFact]]:
        """Who mentors, and the training lessons they marked done (no content)."""
        mentors = sorted(
            {
                mm["person_id"]
                for m in self._published(program_id)
                for mm in self._members(m["id"])
                if mm["role"] in _MENTORING_ROLES
            }
        )
        completed = {
            e["id"]: e["person_id"]
            for e in self._tx.rows("enrolments", program_id=program_id)
            if e["intake_completed_at"] is not None
        }
        joined = sorted(
            {
                completed[a["enrolment_id"]]
                for a in self._tx.rows("answers", question_key="role")
                if a["enrolment_id"] in completed and a["value"] == "mentor"
            }
        )
        everyone = {*mentors, *joined}
        training = [
            TrainingFact(r["person_id"], r["lesson"], r["done_at"])
            for r in self._tx.table("training").values()
            if r["person_id"] in everyone and r["done_at"] is not None
        ]
        return mentors, joined, training
