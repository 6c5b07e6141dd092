"""A whole journey in Teams: install, join, the intake dialog, a round, introduction
cards with deep links, check-in buttons answered in place, the feedback dialog,
goals, a poll in the program's channel. Every card is checked against the
Adaptive Cards 1.5 schema by the fake Bot Connector."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

from adapters.teams.invokes import MESSAGE
from bot import outbound as m
from fakes.teams import CARD
from tests.teams.bot_framework import ANA, BEN, CORA, TENANT, Person, button, pressing, text_of
from tests.teams.teams_server import CHANNEL, TeamsTandem

GUARD = 10  # seconds: an answer that takes longer is waiting for something it must not

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


async def _matched(teams: TeamsTandem) -> dict[str, Any]:
    """Ana and Ben joined and matched: Ana's introduction card."""
    await join(teams, ANA, "Python,SQL", "Public speaking")
    await join(teams, BEN, "Public speaking", "Python")
    await teams.say(CORA, "round engineering-growth preview")
    await teams.say(CORA, "round engineering-growth publish")
    return _card_with(teams, ANA, "Meet your match")


async def test_accepting_the_introduction_keeps_names_and_links(teams: TeamsTandem) -> None:
    intro = await _matched(teams)
    answer = await teams.press(ANA, intro, "I accept", activity_id=teams.activity_id(ANA, intro))
    after = answer["value"]
    # The answered card is the introduction still, with its mentions and deep links.
    assert "Meet <at>Ana Lima</at> and <at>Ben Okafor</at>" in text_of(after)
    assert {e["mentioned"]["id"] for e in after["msteams"]["entities"]} >= {BEN.teams_id}
    chat = urlparse(button(after, "Chat with your partner")["url"])
    assert set(parse_qs(chat.query)["users"][0].split(",")) == {ANA.email, BEN.email}
    assert button(after, "Propose a meeting")
    assert teams.connector.card_problems == []


async def test_a_press_teams_sends_twice_is_answered_alike_and_taken_once(
    teams: TeamsTandem,
) -> None:
    intro = await _matched(teams)
    pressed = teams.activity(
        ANA, "invoke", **pressing(intro, "I accept"), replyToId=teams.activity_id(ANA, intro)
    )
    sent = len(teams.connector.calls)
    first = await teams.invoke(ANA, "", {}, activity=pressed)
    again = await teams.invoke(ANA, "", {}, activity=pressed)
    assert again == first  # the card as answered the first time
    assert "You chose: I accept" in text_of(again["value"])
    # Accepting once says so once: the second press queued nothing.
    replies = [c for c in teams.connector.calls[sent:] if c.method == "POST"]
    assert len(replies) <= 1


async def _poll(teams: TeamsTandem, voters: int) -> tuple[dict[str, Any], str, list[Person]]:
    """A poll in the program's channel, and people who may answer it."""
    await teams.install(CORA, channel=CHANNEL)
    people = [Person(f"aad-v{n}", f"Voter {n}") for n in range(voters)]
    for person in people:
        teams.connector.add_member(person.teams_id, person.name, person.email, person.aad)
        await join(teams, person, "SQL", "Python")
    await teams.say(CORA, "poll engineering-growth How useful are your sessions? | Very | Not yet")
    [poll] = teams.connector.cards_in(CHANNEL)
    return poll, teams.connector.posted[CHANNEL][0]["id"], people


async def test_a_refused_poll_answer_leaves_the_poll_as_it_is(teams: TeamsTandem) -> None:
    poll, posted, _ = await _poll(teams, 1)
    # Cora coordinates but takes no part: her answer is refused, in her chat.
    answer = await teams.press(CORA, poll, "Very", activity_id=posted, channel=CHANNEL)
    assert "This poll is for" in text_of(teams.last(CORA))
    # The card stays as it is for her (buttons and all): no "You chose".
    assert answer["type"] == MESSAGE and "This poll is for" in answer["value"]
    assert not [c for c in teams.connector.calls if c.method == "PUT"]


async def test_a_poll_answer_teams_sends_twice_is_counted_once(teams: TeamsTandem) -> None:
    poll, posted, [voter] = await _poll(teams, 1)
    pressed = teams.activity(
        voter, "invoke", **pressing(poll, "Very"), replyToId=posted, channel=CHANNEL
    )
    first = await teams.invoke(voter, "", {}, activity=pressed)
    assert "1 answered so far" in text_of(first["value"])
    again = await teams.invoke(voter, "", {}, activity=pressed)
    assert again["type"] == MESSAGE  # the card stays at the newest tally
    assert "You chose" not in json.dumps(again)
    assert len([c for c in teams.connector.calls if c.method == "PUT"]) == 1
    assert "1 answered so far" in text_of(teams.connector.cards_in(CHANNEL)[-1])


async def test_a_newer_tally_is_never_replaced_by_an_older_one(teams: TeamsTandem) -> None:
    poll, posted, voters = await _poll(teams, 3)
    # Teams is slow to take the channel card's updates; the answers come meanwhile.
    teams.connector.hold("PUT", "activities")
    for n, voter in enumerate(voters):
        answer = await asyncio.wait_for(
            teams.press(voter, poll, "Very", activity_id=posted, channel=CHANNEL, settle=False),
            GUARD,
        )  # answered at once, whatever Teams does with the channel's card
        assert f"{n + 1} answered so far" in text_of(answer["value"])
    teams.connector.release("PUT", "activities")
    await teams.settle()
    puts = [c for c in teams.connector.calls if c.method == "PUT"]
    assert 2 <= len(puts) <= 3  # the first, then the newest (never each one in turn)
    assert "3 answered so far" in text_of(puts[-1].body["attachments"][0]["content"])
    assert "3 answered so far" in text_of(teams.connector.cards_in(CHANNEL)[-1])

    # A press answered late, with an older tally (threads finish in any order):
    # it is not shown over the newer one.
    with teams.app.uow() as uow:
        workspace = uow.workspaces.ensure("teams", TENANT, teams.clock.now())
        uow.commit()
    older = m.Message((m.para("An older tally"),), "older", kind="poll")
    teams.route.shared.show(workspace, f"{CHANNEL}|{posted}", older, 1)
    await teams.settle()
    assert "3 answered so far" in text_of(teams.connector.cards_in(CHANNEL)[-1])
    assert len([c for c in teams.connector.calls if c.method == "PUT"]) == len(puts)


async def test_a_throttled_tally_is_shown_once_teams_allows(teams: TeamsTandem) -> None:
    poll, posted, [voter] = await _poll(teams, 1)
    teams.connector.fail_next("PUT", "activities", 429, retry_after=7)
    await teams.press(voter, poll, "Very", activity_id=posted, channel=CHANNEL)
    assert 7.0 in teams.pacing.waits  # waited as Teams said
    assert len([c for c in teams.connector.calls if c.method == "PUT"]) == 2
    assert "1 answered so far" in text_of(teams.connector.cards_in(CHANNEL)[-1])


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
