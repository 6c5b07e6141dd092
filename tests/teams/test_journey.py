"""A whole journey in Teams: install, join, the intake dialog, a round, introduction
cards with deep links, check-in buttons answered in place, the feedback dialog,
goals, a poll in the program's channel. Every card is checked against the
Adaptive Cards 1.5 schema by the fake Bot Connector."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

from fakes.teams import CARD
from tests.teams.harness import ANA, BEN, CHANNEL, CORA, Person, TeamsTandem, button, text_of

INTAKE = {
    "goals": "Grow technical depth",
    "level": "3",
    "timezone": "Europe/Lisbon",
    "working_hours": "09:00-17:00",
    "role": "peer",
    "reverse": "yes",
    "manager": "",
    "avoid": "",
    "intro": "I build data pipelines & love **SQL** <at>boss</at>.",
}


async def join(teams: TeamsTandem, person: Person, offers: str, wants: str) -> None:
    await teams.say(person, "join engineering-growth")
    agreement = teams.last(person)
    assert "mentoring agreement" in text_of(agreement)
    dialog = await teams.press(person, agreement, "I agree")
    assert dialog["task"]["type"] == "continue", dialog
    form = dialog["task"]["value"]["card"]["content"]
    assert dialog["task"]["value"]["card"]["contentType"] == CARD
    style = next(i for i in form["body"] if i.get("id") == "style")
    answers = {**INTAKE, "offers": offers, "wants": wants, "style": style["choices"][0]["value"]}
    closed = await teams.submit(person, dialog, answers)
    assert closed["task"]["type"] == "message", closed


async def test_a_pair_from_install_to_feedback(teams: TeamsTandem) -> None:
    # Installed: Tandem says hello and how to join.
    assert (await teams.install(ANA)).status == 200
    assert "join" in text_of(teams.last(ANA))

    await join(teams, ANA, "Python,SQL", "Public speaking")
    assert any("You're in" in text_of(card) for card in teams.cards(ANA))
    await join(teams, BEN, "Public speaking", "Python")

    # A coordinator (who talks to Tandem in Teams too) publishes a round.
    await teams.say(CORA, "round engineering-growth preview")
    await teams.say(CORA, "round engineering-growth publish")
    await teams.settle()

    # A bot cannot open a group chat: each gets the introduction in their own chat,
    # with a mention of the partner and deep links to a chat and a meeting with them.
    intro = _card_with(teams, ANA, "Meet your match")
    said = text_of(intro)
    assert "Why you" in said and "Your first meeting" in said
    entities = intro["msteams"]["entities"]
    assert {e["mentioned"]["id"] for e in entities} >= {BEN.teams_id}
    chat = urlparse(button(intro, "Chat with your partner")["url"])
    assert chat.netloc == "teams.microsoft.com" and chat.path == "/l/chat/0/0"
    assert set(parse_qs(chat.query)["users"][0].split(",")) == {ANA.email, BEN.email}
    meeting = urlparse(button(intro, "Propose a meeting")["url"])
    assert parse_qs(meeting.query)["attendees"][0].count("@") == 2
    assert _card_with(teams, BEN, "Meet your match")

    # The agreement button answers in place: the card comes back without it.
    answer = await teams.press(ANA, intro, "I accept", activity_id=teams.activity_id(ANA, intro))
    assert answer["statusCode"] == 200 and answer["type"] == CARD
    assert "You chose: I accept" in text_of(answer["value"])
    assert not _actions(answer["value"], "Action.Execute")

    # Goals, typed in the chat.
    goals = _card_with(teams, ANA, "Set my goals")
    await teams.press(ANA, goals, "Set my goals", activity_id=teams.activity_id(ANA, goals))
    assert "Goal 1 of up to 3" in text_of(teams.last(ANA))
    await teams.say(ANA, "Give a 10-minute talk at the team meeting by 31 March")
    await teams.say(ANA, "done")

    # "home" shows the match, the next check-in and the goal.
    await teams.say(ANA, "home")
    home = text_of(teams.last(ANA))
    assert "Matched with Ben Okafor" in home and "Give a 10-minute talk" in home

    # Two weeks on: "did you meet?" with buttons; the answer replaces them.
    teams.clock.advance(timedelta(days=14))
    await teams.beat()
    checkin = _card_with(teams, ANA, "Did you and Ben Okafor meet")
    answer = await teams.press(
        ANA, checkin, "Yes, we met", activity_id=teams.activity_id(ANA, checkin)
    )
    assert "You chose: Yes, we met" in text_of(answer["value"])

    # The private feedback: a rating button opens the feedback dialog.
    rating = _card_with(teams, ANA, "How useful was your session")
    dialog = await teams.press(ANA, rating, "4")
    assert dialog["task"]["type"] == "continue"
    missing = await teams.submit(ANA, dialog, {"helped": "", "next": "More SQL"})
    assert missing["task"]["type"] == "continue"  # shown again, with what is missing
    again = missing["task"]["value"]["card"]["content"]
    assert "Please answer this one." in text_of(again) and "More SQL" in text_of(again)
    done = await teams.submit(ANA, dialog, {"helped": "Pairing on a query", "next": "More SQL"})
    assert done["task"]["type"] == "message"

    assert teams.connector.card_problems == []


async def test_a_poll_in_the_program_channel_counts_answers_in_place(teams: TeamsTandem) -> None:
    # Tandem is added to the program's team: it learns where the channel is.
    await teams.install(CORA, channel=CHANNEL)
    people = [Person(f"aad-p{n}", f"Person {n}") for n in range(6)]
    for n, person in enumerate(people):
        teams.connector.add_member(person.teams_id, person.name, person.email, person.aad)
        await join(teams, person, "Python" if n % 2 else "SQL", "SQL" if n % 2 else "Python")
    await teams.say(CORA, "poll engineering-growth How useful are your sessions? | Very | Not yet")
    [poll] = teams.connector.cards_in(CHANNEL)
    posted = teams.connector.posted[CHANNEL][0]["id"]
    for n, person in enumerate(people):
        answer = await teams.press(
            person, poll, "Very" if n < 4 else "Not yet", activity_id=posted, channel=CHANNEL
        )
        shown = text_of(answer["value"])
        # Totals only, and only from five answers on.
        if n < 4:
            assert f"{n + 1} answered so far" in shown and "%" not in shown
        else:
            assert f"{n + 1} answered" in shown and "Very: " in shown
    assert "Very: 66% (4)" in shown and "Not yet: 33% (2)" in shown
    # Everyone sees the new tally: the channel's card is replaced, in the channel.
    updates = [c for c in teams.connector.calls if c.method == "PUT"]
    assert len(updates) == 6
    assert all(c.path == f"/v3/conversations/{CHANNEL}/activities/{posted}" for c in updates)
    assert teams.connector.card_problems == []


def _card_with(teams: TeamsTandem, person: Person, words: str) -> dict[str, Any]:
    for card in reversed(teams.cards(person)):
        if words in text_of(card):
            return card
    raise AssertionError(f"no card with {words!r} for {person.name}")


def _actions(card: Any, kind: str) -> list[Any]:
    found: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == kind:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found
