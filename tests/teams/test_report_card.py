"""The coordinators' report as a Teams card: the numbers, one chart as a picture
small enough for a card, every chart as text bars; valid Adaptive Card 1.5."""

from __future__ import annotations

import base64
import io
import json

from PIL import Image

from adapters.reports.charts import META_KEY
from adapters.teams.render import message_card
from bot.report.build import build_report
from bot.report.message import report_message
from fakes.teams import check_card
from tests.unit.report_facts import NOW, known_facts, known_program

CARD_LIMIT = 28 * 1024  # what Teams takes in one message, about


def test_the_report_card_has_its_numbers_and_one_chart_within_a_cards_size() -> None:
    report = build_report(known_program(), known_facts(), NOW)
    card = message_card(report_message(report), lambda user: None)
    assert check_card(card) == []
    text = json.dumps(card)
    assert len(text.encode()) < CARD_LIMIT
    images = [x for x in card["body"] if x["type"] == "Image"]
    assert len(images) == 1
    picture = Image.open(io.BytesIO(base64.b64decode(images[0]["url"].split(",", 1)[1])))
    shown = json.loads(picture.text[META_KEY])
    assert shown["title"] == "Matches that met, per cycle"
    assert shown["values"] == [p.value for p in report.chart("meeting_rate").points]
    assert images[0]["altText"].startswith("Matches that met, per cycle: ")
    assert "People" in text and "Success criteria" in text
