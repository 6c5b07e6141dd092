"""Question kinds read answers and refuse bad ones with a message for the person."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.survey.choices import ChoiceQuestion, MultiQuestion, YesNoQuestion
from bot.survey.colleagues import PeopleQuestion
from bot.survey.question import BadAnswer
from bot.survey.written import HoursQuestion, TextQuestion, TimezoneQuestion

LEVEL = ChoiceQuestion.model_validate(
    {
        "key": "level",
        "prompt": "Level?",
        "options": [{"value": 1, "label": "Junior"}, {"value": 2, "label": "Senior"}],
    }
)
SKILLS = MultiQuestion(key="offers", prompt="?", options=("SQL", "Python", "Go"), max=2)  # type: ignore[arg-type]
HOURS = HoursQuestion(key="working_hours", prompt="?")


@pytest.mark.parametrize(("text", "value"), [("1", 1), ("senior", 2), ("2", 2), (" Junior ", 1)])
def test_a_choice_by_number_label_or_value(text: str, value: int) -> None:
    assert LEVEL.parse_text(text) == value


def test_a_choice_shows_its_label() -> None:
    assert LEVEL.display(2) == "Senior"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1, 2", ["SQL", "Python"]),
        ("python;sql", ["Python", "SQL"]),
        ("3", ["Go"]),
        ("go, 3", ["Go"]),  # the same option twice counts once
    ],
)
def test_several_choices_separated_by_commas_or_semicolons(text: str, value: list[str]) -> None:
    assert SKILLS.parse_text(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1, 2, 3", "Please pick at most 2 (you picked 3)."),
        ("none", "Please pick at least 1."),
        ("4", "“4” isn't one of the options. Reply with a number from 1 to 3"),
    ],
)
def test_bad_multi_choices(text: str, message: str) -> None:
    with pytest.raises(BadAnswer, match=message.replace("(", r"\(").replace(")", r"\)")):
        SKILLS.parse_text(text)


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("9-17", "09:00-17:00"),
        ("08:30-16:30", "08:30-16:30"),
        ("9am-5pm", "09:00-17:00"),
        ("9 am to 5:30 pm", "09:00-17:30"),
        ("22-06", "22:00-06:00"),
        ("7.30 – 15.30", "07:30-15:30"),
        ("12pm-8pm", "12:00-20:00"),
        ("12am-8am", "00:00-08:00"),
        ("10-24", "10:00-00:00"),
    ],
)
def test_working_hours_in_the_forms_people_write(text: str, window: str) -> None:
    assert HOURS.parse_text(text) == window


@pytest.mark.parametrize("text", ["25-30", "9-9", "0-23", "13pm-2pm", "nine to five", "9:60-17"])
def test_impossible_working_hours_are_refused(text: str) -> None:
    with pytest.raises(BadAnswer):
        HOURS.parse_text(text)


@given(st.integers(0, 23), st.integers(0, 59), st.integers(1, 16))
def test_any_reasonable_window_reads_back_as_itself(hour: int, minute: int, length: int) -> None:
    start = hour * 60 + minute
    end = (start + length * 60) % (24 * 60)
    typed = f"{hour}:{minute:02d}-{end // 60}:{end % 60:02d}"
    assert HOURS.parse_text(typed) == f"{hour:02d}:{minute:02d}-{end // 60:02d}:{end % 60:02d}"


def test_a_timezone_by_name_or_city() -> None:
    question = TimezoneQuestion(key="timezone", prompt="?")
    assert question.parse_text("são paulo") == "America/Sao_Paulo"
    assert question.parse_text("Europe/London") == "Europe/London"
    with pytest.raises(BadAnswer, match="I don't know the timezone “EST5EDT-ish”"):
        question.parse_text("EST5EDT-ish")


@pytest.mark.parametrize(("text", "value"), [("Yes", True), ("n", False), ("no thanks", False)])
def test_yes_or_no(text: str, value: bool) -> None:
    assert YesNoQuestion(key="reverse", prompt="?").parse_text(text) is value


@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("@sam, lee", ["sam", "lee"]),
        ("none", []),
        ("@U024BE7LH", ["U024BE7LH"]),
        ("sam; sam", ["sam"]),
    ],
)
def test_people_by_handle_or_platform_id(text: str, handles: list[str]) -> None:
    assert PeopleQuestion(key="avoid", prompt="?").parse_text(text) == handles


@pytest.mark.parametrize("text", ["<script>", "@", "<!channel>", "sam lee jones!"])
def test_things_that_are_not_handles_are_refused(text: str) -> None:
    with pytest.raises(BadAnswer):
        PeopleQuestion(key="avoid", prompt="?").parse_text(text)


def test_free_text_is_bounded_and_trimmed() -> None:
    question = TextQuestion(key="intro", prompt="?", max_length=10)
    assert question.parse_text("  hello  ") == "hello"
    with pytest.raises(BadAnswer, match="11 characters long; the limit here is 10"):
        question.parse_text("x" * 11)
    with pytest.raises(BadAnswer, match="at least 1 character"):
        question.parse_text("   ")


@given(st.text(max_size=300))
def test_free_text_either_comes_back_clean_or_is_refused_with_a_message(text: str) -> None:
    question = TextQuestion(key="intro", prompt="?", max_length=200)
    try:
        value = question.parse_text(text)
    except BadAnswer as error:
        message = str(error)
        value = None
    if value is None:
        assert message
        return
    assert isinstance(value, str) and 0 < len(value) <= 200
    assert not any(ord(c) < 32 and c not in "\n\t" for c in value)


def test_a_sentence_where_handles_belong_is_quoted_whole() -> None:
    question = PeopleQuestion(key="avoid", prompt="?")
    with pytest.raises(BadAnswer) as refused:
        question.parse_text("Hi, I build data pipelines.")
    assert "“Hi, I build data pipelines.”" in str(refused.value)
