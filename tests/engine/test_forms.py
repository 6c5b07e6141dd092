"""Where the platform has forms (modals), the survey and edits are forms."""

from __future__ import annotations

import pytest

from bot import forms
from bot import outbound as m
from bot.admin import bundled_programs, install_programs
from bot.events import Actor, ChoicePicked, CommandIssued, FormSubmitted, Surface
from tandem.bootstrap import App

MODALS = Surface(forms=True)
ANA = Actor("T1", "U1", "Ana", "Europe/Lisbon", "slack")

GOOD = {
    "goals": ("Grow technical depth",),
    "offers": ("SQL", "Python"),
    "wants": ("Kubernetes",),
    "level": ("3",),
    "timezone": "Europe/Lisbon",
    "working_hours": "08:00-16:00",
    "style": ("conversational",),
    "role": ("peer",),
    "reverse": ("yes",),
    "manager": ("U7",),
    "avoid": ("U9",),
    "intro": "Data engineer in Lisbon.",
}


@pytest.fixture(autouse=True)
def _programs(app: App) -> None:
    install_programs(app.uow, app.clock, "slack", "T1", bundled_programs())


def _open_form(app: App) -> forms.Form:
    app.engine.handle(
        CommandIssued(event_id="1", actor=ANA, surface=MODALS, text="join engineering-growth")
    )
    outcome = app.engine.handle(
        ChoicePicked(
            event_id="2",
            actor=ANA,
            surface=MODALS,
            action="agree:engineering-growth",
            values=("yes",),
        )
    )
    assert outcome.form is not None and outcome.messages == ()
    return outcome.form


def test_agreeing_opens_the_whole_survey_as_one_form(app: App) -> None:
    form = _open_form(app)
    assert form.form_id == "intake:engineering-growth"
    by_name = {f.name: f for f in form.fields}
    assert list(by_name) == list(GOOD)
    offers = by_name["offers"]
    assert isinstance(offers, forms.ChoiceField) and offers.multi and offers.max_selected == 5
    assert len(offers.options) == 22
    timezone = by_name["timezone"]
    assert isinstance(timezone, forms.TextField) and timezone.initial == "Europe/Lisbon"
    assert isinstance(by_name["avoid"], forms.PeopleField)
    intro = by_name["intro"]
    assert isinstance(intro, forms.TextField) and intro.max_length == 500 and intro.multiline


def test_a_form_with_bad_fields_comes_back_with_an_error_for_each(app: App) -> None:
    _open_form(app)
    bad = {
        **GOOD,
        "timezone": "Atlantis",
        "offers": (),
        "intro": "x" * 600,
        "level": ("9",),
        "working_hours": "",
    }
    outcome = app.engine.handle(
        FormSubmitted(
            event_id="3", actor=ANA, surface=MODALS, form="intake:engineering-growth", values=bad
        )
    )
    assert set(outcome.form_errors) == {"timezone", "offers", "intro", "level", "working_hours"}
    assert "I don't know the timezone “Atlantis”" in outcome.form_errors["timezone"]
    assert outcome.form_errors["offers"] == "Please pick at least 1."
    assert outcome.form_errors["working_hours"] == "Please answer this one."
    assert outcome.messages == ()


def test_a_good_form_completes_the_enrolment(app: App) -> None:
    _open_form(app)
    outcome = app.engine.handle(
        FormSubmitted(
            event_id="3", actor=ANA, surface=MODALS, form="intake:engineering-growth", values=GOOD
        )
    )
    assert outcome.form_errors == {}
    (welcome,) = outcome.messages
    assert welcome.message.kind == "welcome"
    facts = next(b for b in welcome.message.blocks if isinstance(b, m.Facts))
    shown = {f.label: f.value for f in facts.facts}
    assert shown["2. Can help with"] == "SQL, Python"
    assert shown["11. Not paired with"] == "@U9"
    # A double submission changes nothing twice.
    again = app.engine.handle(
        FormSubmitted(
            event_id="4", actor=ANA, surface=MODALS, form="intake:engineering-growth", values=GOOD
        )
    )
    assert [o.message.summary for o in again.messages] == [
        "Saved your answers for Engineering Growth Partners."
    ]


def test_editing_one_answer_opens_a_form_with_that_question_only(app: App) -> None:
    _open_form(app)
    app.engine.handle(
        FormSubmitted(
            event_id="3", actor=ANA, surface=MODALS, form="intake:engineering-growth", values=GOOD
        )
    )
    outcome = app.engine.handle(
        ChoicePicked(
            event_id="5",
            actor=ANA,
            surface=MODALS,
            action="edit:engineering-growth",
            values=("working_hours",),
        )
    )
    assert outcome.form is not None
    (field,) = outcome.form.fields
    assert isinstance(field, forms.TextField) and field.initial == "08:00-16:00"
    saved = app.engine.handle(
        FormSubmitted(
            event_id="6",
            actor=ANA,
            surface=MODALS,
            form=outcome.form.form_id,
            values={"working_hours": "10-18"},
        )
    )
    assert saved.messages[0].message.summary == "Saved. Working hours: 10:00-18:00."


def test_an_unknown_form_is_refused_politely(app: App) -> None:
    outcome = app.engine.handle(
        FormSubmitted(event_id="7", actor=ANA, surface=MODALS, form="nonsense:1", values={})
    )
    assert outcome.form_errors == {"_": "This form is no longer in use; please close it."}


def test_a_rejected_form_can_be_sent_again_and_is_checked_again(app: App) -> None:
    """Slack resends a modal's submission with the same ids when the person fixes
    nothing, or fixes a field: a rejected one must not count as answered."""
    form = _open_form(app)
    bad = FormSubmitted(
        event_id="view-1",
        actor=ANA,
        surface=MODALS,
        form=form.form_id,
        values={**GOOD, "timezone": "Mars/Olympus"},
    )
    assert "timezone" in app.engine.handle(bad).form_errors
    again = app.engine.handle(bad)
    assert not again.duplicate and "timezone" in again.form_errors
    fixed = FormSubmitted(
        event_id="view-1", actor=ANA, surface=MODALS, form=form.form_id, values=GOOD
    )
    accepted = app.engine.handle(fixed)
    assert not accepted.form_errors and not accepted.duplicate
    assert [o.message.kind for o in accepted.messages] == ["welcome"]
    assert app.engine.handle(fixed).duplicate  # now it is taken: a retry changes nothing
