"""Setting a program up in chat: `program new`, `program edit`, `program show`, with the
validation of `tandem program check`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from adapters.console.chat import ConsoleChat
from bot.clock import ManualClock
from bot.program.loading import parse_program
from tandem.bootstrap import App
from tests.conftest import build_app
from tests.dialog import Contains, say, verify_dialog

Chat = Callable[..., ConsoleChat]

ANSWERS = [
    ("program new", Contains("A new program: 13 questions", "1 of 13. Short name")),
    ("sales-mentoring", Contains("2 of 13. Name")),
    ("Sales Mentoring", Contains("3 of 13.")),
    ("Sellers learn from each other.", Contains("4 of 13. Objectives")),
    ("Share what wins deals | Shorten ramp-up", Contains("5 of 13. Success criteria")),
    (
        "monthly_meeting_rate >= 70: Most pairs meet monthly | People feel welcome",
        Contains("6 of 13. Format", "[1] Peer pairs"),
    ),
    ("Mentor and mentee", Contains("7 of 13. Cadence")),
    ("monthly", Contains("8 of 13. Duration")),
    ("9 months", Contains("9 of 13. Meeting length")),
    ("45 minutes", Contains("10 of 13.")),
    ("Meet monthly | Set a goal", Contains("11 of 13. The mentoring agreement")),
    ("What we say stays between us", Contains("12 of 13. Skills list")),
    ("Negotiation | Discovery calls | Forecasting", Contains("13 of 13.", "Optional")),
]


@pytest.fixture
def admin_app(app_store: str, clock: ManualClock, tmp_path: Path) -> Iterator[App]:
    application = build_app(app_store, clock, tmp_path, admins=("ada",))
    yield application
    application.close()


def _chat(app: App, name: str) -> ConsoleChat:
    return app.chat(name)


def _spec(app: App, slug: str) -> object:
    with app.uow() as uow:
        return next(p.spec for p in uow.programs.every() if p.slug == slug)


def test_an_admin_sets_up_a_program_question_by_question(admin_app: App) -> None:
    ada = _chat(admin_app, "Ada")
    verify_dialog(
        ada,
        [
            *ANSWERS,
            (
                "What do you sell most?",
                Contains("Added Sales Mentoring (sales-mentoring)", "program show sales-mentoring"),
            ),
        ],
    )
    spec = _spec(admin_app, "sales-mentoring")
    assert spec.format.value == "mentor_mentee" and spec.cadence == "monthly"  # type: ignore[attr-defined]
    criteria = spec.success_criteria  # type: ignore[attr-defined]
    assert (criteria[0].metric, criteria[0].at_least) == ("monthly_meeting_rate", 70)
    assert criteria[1].metric is None
    assert spec.coordinators == ("ada",)  # type: ignore[attr-defined]
    keys = [q.key for q in spec.questions]  # type: ignore[attr-defined]
    assert "offers" in keys and keys[-2:] == ["extra1", "intro"]
    verify_dialog(
        ada,
        [("join sales-mentoring", Contains("What the program is for", "Share what wins deals"))],
    )


def test_a_mistake_is_explained_as_program_check_does_and_asked_again(admin_app: App) -> None:
    ada = _chat(admin_app, "Ada")
    steps = [*ANSWERS[:5], ("speed >= 5: Fast", Contains("6 of 13. Format")), *ANSWERS[6:]]
    verify_dialog(
        ada,
        [
            *steps,
            (
                "skip",
                Contains(
                    "That doesn't work yet",
                    "unknown metric 'speed'",
                    "5 of 13. Success criteria",
                ),
            ),
        ],
    )
    with admin_app.uow() as uow:
        assert "sales-mentoring" not in {p.slug for p in uow.programs.every()}
    verify_dialog(ada, [("cancel", "Stopped; nothing was changed.")])


def test_a_coordinator_edits_their_program_and_sees_it_as_yaml(admin_app: App) -> None:
    cora = _chat(admin_app, "Coordinator")
    say(cora, "program edit engineering-growth")
    for _ in range(5):
        say(cora, "keep")
    say(cora, "Monthly")  # cadence
    for _ in range(5):
        say(cora, "keep")
    assert "Saved the changes to Engineering Growth Partners" in say(cora, "keep")
    assert _spec(admin_app, "engineering-growth").cadence == "monthly"  # type: ignore[attr-defined]
    shown = say(cora, "program show engineering-growth")
    data = yaml.safe_load("\n".join(line[4:] for line in shown.splitlines()[1:]))
    assert parse_program(data).cadence == "monthly"


def test_who_may_do_what(admin_app: App) -> None:
    verify_dialog(
        _chat(admin_app, "Eve"),
        [
            ("program new", Contains("Only Tandem's admins can add programs")),
            ("program edit engineering-growth", Contains("Only Engineering Growth Partners's")),
            ("program show nothing-here", Contains("with a program's short name")),
        ],
    )
    verify_dialog(
        _chat(admin_app, "Coordinator"),
        [("program new", Contains("Only Tandem's admins can add programs"))],
    )


def test_an_admin_sees_the_coordinators_commands_in_help(admin_app: App) -> None:
    assert "program new | edit SLUG | show SLUG" in say(_chat(admin_app, "Ada"), "help")
