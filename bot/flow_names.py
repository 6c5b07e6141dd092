"""The names of Tandem's conversations, one per flow.

A name is three things at once, so it is spelled once, here: the key a flow is
registered under in the router, the ``flow`` of a person's stored conversation,
and the prefix of the buttons, selects and forms that flow answers (``"goals:12"``).
Stored conversations and buttons already posted carry these strings, so a value
never changes; a member may be renamed.
"""

from __future__ import annotations

from enum import StrEnum


class FlowName(StrEnum):
    AGREE = "agree"  # a program's agreement, before the intake
    INTAKE = "intake"  # the intake survey
    PROFILE = "profile"  # one's answers, to change one
    EDIT = "edit"  # changing one answer
    PICK = "pick"  # which program a command is about
    CONFIRM = "confirm"  # yes or no before leave, forget me, stop
    ACCEPT = "accept"  # a match's agreement
    CHECKIN = "checkin"  # "did you meet?"
    FEEDBACK = "feedback"  # the private questions after a meeting
    GOALS = "goals"  # setting and updating goals
    MILESTONE = "milestone"  # the 30/60/90-day goal check-in
    GOAL = "goal"  # one goal's status
    WRAPUP = "wrapup"  # the end of a match
    WRAPSCORE = "wrapscore"
    WRAPSHARE = "wrapshare"
    WRAPAGAIN = "wrapagain"
    HOME = "home"
    POLL = "poll"
    SETUP = "setup"  # a program's form, in chat
    TRAINING = "training"
    KUDOS = "kudos"
    PROGRAM_SURVEY = "psurvey"
