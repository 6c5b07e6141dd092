"""The conversations Tandem has, wired into one :class:`~bot.router.Router`."""

from __future__ import annotations

from bot.flow_names import FlowName
from bot.flows import (
    checkins,
    coordinating,
    dashboard,
    feedback,
    forget,
    goals,
    help,
    home,
    intake,
    join,
    kudos,
    matches,
    membership,
    polls,
    profile,
    program_form,
    program_save,
    program_setup,
    program_survey,
    programs,
    reports,
    resources,
    rounds,
    training,
    wrapup,
)
from bot.flows.menus import ConfirmFlow, PickFlow
from bot.router import Flow, FormBuilder, FormHandler, Router
from bot.turn import Command

COMMANDS = (
    Command("join", "join [program]", "join a mentoring program", join.join),
    Command(
        "profile",
        "profile",
        "see your answers and change any of them",
        profile.profile,
        aliases=("my profile",),
    ),
    Command(
        "match",
        "match",
        "see who you're matched with, and why",
        matches.show_match,
        aliases=("my match",),
    ),
    Command("goals", "goals", "see and update your goals", goals.show_goals, aliases=("my goals",)),
    Command(
        "checkin",
        "checkin",
        "answer a check-in you missed",
        checkins.open_checkins,
        aliases=("check-in", "check in"),
    ),
    Command(
        "request",
        "request @name",
        "ask to be paired with someone in the next round",
        matches.request,
    ),
    Command(
        "kudos",
        "kudos @name WHAT THEY DID",
        "thank a colleague in your program; they hear it privately",
        kudos.kudos,
    ),
    Command(
        "pause", "pause [until DATE]", "take a break from matching and check-ins", membership.pause
    ),
    Command("resume", "resume", "come back from a break", membership.resume),
    Command("leave", "leave [program]", "stop taking part in a program", membership.leave),
    Command(
        "training",
        "training [lesson]",
        "the mentor training: short lessons for people who mentor",
        training.training,
    ),
    Command(
        "resources",
        "resources [topic]",
        "guides for each stage of a match, conversation starters, your programs' links",
        resources.resources,
        aliases=("resource", "library"),
    ),
    Command("forget me", "forget me", "erase everything Tandem holds about you", forget.forget_me),
    Command("programs", "programs", "see the programs running here", programs.list_programs),
    Command("home", "home", "your programs, match and goals at a glance", home.show_home),
    Command(
        "round",
        "round [program] preview",
        "propose the next matching round, then review it (swap, unpair, pair) and publish",
        rounds.round_command,
        coordinators=True,
    ),
    Command(
        "quiet",
        "quiet [program] [add FROM TO reason | remove N]",
        "days when the program sends nothing",
        coordinating.quiet,
        coordinators=True,
    ),
    Command(
        "stalls",
        "stalls [program]",
        "matches that haven't met for two cycles",
        coordinating.stalls,
        coordinators=True,
    ),
    Command(
        "poll",
        "poll [program] QUESTION | ANSWER | ANSWER",
        "ask the program's channel a question",
        polls.poll,
        coordinators=True,
    ),
    Command(
        "spotlight",
        "spotlight [program] @a @b STORY",
        "share a pair's story in the program's channel, if both agree",
        kudos.spotlight,
        coordinators=True,
    ),
    Command(
        "report",
        "report [program] [from DATE] [to DATE] [round N]",
        "how the program is doing: numbers, charts, success criteria",
        reports.report,
        coordinators=True,
    ),
    Command(
        "export",
        "export [program]",
        "the program's matches, participation and numbers as CSV files",
        reports.export,
        coordinators=True,
    ),
    Command(
        "program",
        "program new | edit SLUG | show SLUG",
        "set up or change a program in chat, or see it as YAML",
        program_setup.program_command,
        coordinators=True,
    ),
    Command(
        "dashboard",
        "dashboard",
        "a link (yours, once, ten minutes) to the web dashboard of the programs you run",
        dashboard.dashboard,
        coordinators=True,
    ),
    Command("help", "help", "show this list", help.help_, aliases=("?", "hi", "hello")),
)


def build_router() -> Router:
    """The router with every command, flow and form Tandem has."""
    flows: dict[str, Flow] = {
        FlowName.AGREE: join.AgreeFlow(),
        FlowName.INTAKE: intake.IntakeFlow(),
        FlowName.PROFILE: profile.ProfileFlow(),
        FlowName.EDIT: profile.EditFlow(),
        FlowName.PICK: PickFlow(),
        FlowName.CONFIRM: ConfirmFlow(
            {
                "leave": membership.confirmed_leave,
                "forget": forget.confirmed_forget,
                "stop": checkins.confirmed_stop,
            }
        ),
        FlowName.ACCEPT: checkins.AcceptFlow(),
        FlowName.CHECKIN: checkins.CheckinFlow(),
        FlowName.FEEDBACK: feedback.FeedbackFlow(),
        FlowName.GOALS: goals.GoalsFlow(),
        FlowName.MILESTONE: goals.MilestoneFlow(),
        FlowName.GOAL: goals.GoalStatusFlow(),
        FlowName.WRAPUP: wrapup.WrapupFlow(),
        FlowName.WRAPSCORE: wrapup.ScoreFlow(),
        FlowName.WRAPSHARE: wrapup.ShareFlow(),
        FlowName.WRAPAGAIN: wrapup.AgainFlow(),
        FlowName.HOME: home.HomeFlow(),
        FlowName.POLL: polls.PollFlow(),
        FlowName.SETUP: program_setup.SetupFlow(),
        FlowName.TRAINING: training.TrainingFlow(),
        FlowName.KUDOS: kudos.KudosFlow(),
        FlowName.PROGRAM_SURVEY: program_survey.ProgramSurveyFlow(),
    }
    forms: dict[str, FormHandler] = {
        FlowName.INTAKE: intake.submitted,
        FlowName.EDIT: profile.edit_submitted,
        FlowName.FEEDBACK: feedback.submitted,
        FlowName.SETUP: program_save.submitted,
    }
    builders: dict[str, FormBuilder] = {
        FlowName.INTAKE: intake.form_for,
        FlowName.EDIT: profile.edit_form_for,
        FlowName.FEEDBACK: feedback.form_for,
        FlowName.SETUP: program_form.form_for,
    }
    return Router(COMMANDS, flows, forms, unknown=help.unknown, builders=builders)
