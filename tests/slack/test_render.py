"""Block Kit rendering: escaping, mentions only from ids, and Slack's limits."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from adapters.slack.modals import modal, submitted_values
from adapters.slack.render import engine_action, fallback_text, message_blocks, span
from bot import forms
from bot import outbound as m
from bot.adjustment import ProgramSurvey, Stage
from bot.admin import bundled_programs
from bot.cadence.surveys import invite
from bot.flows.kudos import received
from bot.model import Person, Program
from bot.recognition import Kind, Recognition


def valid_blocks(blocks: list[dict[str, object]]) -> None:
    assert len(blocks) <= 50
    for block in Block.parse_all(blocks):
        block.to_dict()  # slack_sdk's validators: raises on any limit broken


def test_text_is_escaped_and_mentions_come_only_from_user_ids() -> None:
    assert span(m.Plain("<!channel> & <@U0BEN>")) == "&lt;!channel&gt; &amp; &lt;@U0BEN&gt;"
    assert span(m.Mention("U0BEN")) == "<@U0BEN>"
    assert span(m.Mention("<!here>")) == "@&lt;!here&gt;"
    assert span(m.Bold("Why you: ")) == "*Why you:* "
    assert span(m.Bold("a*b")) == "*ab*"
    assert fallback_text(m.Message((), "<!everyone>")) == "&lt;!everyone&gt;"


def test_long_and_numerous_things_stay_inside_block_kit_limits() -> None:
    many = tuple(m.Option(f"v{n}" * 100, "label " * 40) for n in range(150))
    message = m.Message(
        (
            m.Heading("H" * 500),
            m.para("x" * 10_000),
            m.Facts(tuple(m.Fact(f"label {n}", "v" * 3000) for n in range(25))),
            m.Note("n" * 5000),
            m.Buttons("pick", many[:30]),
            m.Select("choose", many, multi=True, max_selected=500, initial=(many[0].value,)),
            *(m.para(f"line {n}") for n in range(60)),
        ),
        "s" * 5000,
    )
    blocks = message_blocks(message)
    valid_blocks(blocks)
    assert blocks[-1]["type"] == "context"  # says it was shortened
    assert len(fallback_text(message)) <= 3000


def test_buttons_carry_the_engine_action() -> None:
    message = m.Message((m.Buttons("checkin:4.9", (m.Option("yes", "Yes"),)),), "q")
    [actions] = message_blocks(message)
    action_id = actions["elements"][0]["action_id"]
    assert engine_action(action_id) == "checkin:4.9"
    assert engine_action("plain") == "plain"


def test_a_form_becomes_a_modal_slack_accepts_and_its_answers_come_back() -> None:
    form = forms.Form(
        "intake:engineering-growth",
        "Join Engineering Growth Partners",
        "Join us now please today",
        (
            forms.TextField(
                "intro",
                "Say hello " * 300,
                max_length=9000,
                min_length=5,
                multiline=True,
                placeholder="p" * 400,
                initial="hello",
            ),
            forms.ChoiceField(
                "level",
                "Level",
                tuple(m.Option(str(n), str(n)) for n in range(1, 6)),
                initial=("3",),
            ),
            forms.ChoiceField(
                "skills",
                "Skills",
                tuple(m.Option(f"s{n}", f"S{n}") for n in range(120)),
                multi=True,
                max_selected=5,
                optional=True,
                hint="up to five",
            ),
            forms.PeopleField("avoid", "Not with", max_selected=3, initial=("U0BEN", "@not-an-id")),
        ),
        intro=(m.para("Welcome"),),
    )
    view = modal(form)
    View(**view).to_dict()
    assert view["callback_id"] == "intake:engineering-growth"
    state = {
        "intro": {"value": {"type": "plain_text_input", "value": "Hi there"}},
        "level": {"value": {"type": "static_select", "selected_option": {"value": "3"}}},
        "skills": {
            "value": {
                "type": "multi_static_select",
                "selected_options": [{"value": "s1"}, {"value": "s2"}],
            }
        },
        "avoid": {"value": {"type": "multi_users_select", "selected_users": ["U0BEN"]}},
    }
    assert submitted_values(state) == {
        "intro": "Hi there",
        "level": ("3",),
        "skills": ("s1", "s2"),
        "avoid": ("U0BEN",),
    }


def test_the_program_setup_form_is_a_modal_slack_accepts() -> None:
    from bot.admin import bundled_programs
    from bot.flows.program_form import build_form
    from bot.model import Program

    for program in (None, Program(1, 1, bundled_programs()[0])):
        view = modal(build_form(program))
        View(**view).to_dict()
        assert len(view["title"]["text"]) <= 24
        assert len(view["blocks"]) == (13 if program is None else 12)


def test_a_training_lesson_and_a_stage_guide_render_as_valid_blocks() -> None:
    from bot.cadence.lessons import lesson_message, track
    from bot.cadence.library import with_stage_guide

    lesson = lesson_message(track().lessons[0], first=True)
    blocks = message_blocks(lesson)
    valid_blocks(blocks)
    assert blocks[0]["type"] == "section"  # the track's introduction, then the lesson
    assert any(b["type"] == "header" for b in blocks)
    [actions] = [b for b in blocks if b["type"] == "actions"]
    assert engine_action(actions["elements"][0]["action_id"]) == "training:listening"
    guided = with_stage_guide(m.Message((m.para("<!here> It's been 30 days"),), "s"), "midpoint")
    rendered = message_blocks(guided)
    valid_blocks(rendered)
    assert "&lt;!here&gt;" in str(rendered[0]) and "<!here>" not in str(rendered)
    assert "Guide: half-way" in str(rendered)


def test_kudos_spotlight_and_program_survey_render_escaped_with_real_mentions() -> None:
    """What someone typed stays text (a typed <!channel> or <@U..> is escaped); the
    only mentions are built from stored user ids."""
    now = datetime(2027, 1, 4, 9, tzinfo=UTC)
    spec = bundled_programs()[0].model_copy(update={"channel": "C0PROGRAM"})
    program = Program(1, 1, spec, now)
    giver = Person(7, 1, "U0ANA", "Ana <!here>")
    words = "thanks <!channel> & <@U0BOSS> for *everything*"
    given = Recognition(3, 1, 1, Kind.KUDOS, 7, 8, None, words, now)
    blocks = message_blocks(received(program, giver, given))
    valid_blocks(blocks)
    text = str(blocks)
    assert "<@U0ANA>" in text
    assert "&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;" in text
    assert "<!channel>" not in text and "<@U0BOSS>" not in text and "<!here>" not in text
    [actions] = [b for b in blocks if b["type"] == "actions"]
    assert engine_action(actions["elements"][0]["action_id"]) == "kudos:3"

    survey = ProgramSurvey(5, 1, 8, Stage.DAY_30, now)
    blocks = message_blocks(invite(program, None, survey))
    valid_blocks(blocks)
    [actions] = [b for b in blocks if b["type"] == "actions"]
    assert engine_action(actions["elements"][0]["action_id"]) == "psurvey:5:start"
    assert "(after 30 days)" in str(blocks)
