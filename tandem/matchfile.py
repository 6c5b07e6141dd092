"""``tandem match``: a matching round from an HR export, straight to a JSON file."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

from adapters.files.history import read_history
from adapters.files.output import round_data, write_atomically
from adapters.files.people import read_people
from bot.matching.circles import circle_round
from bot.matching.proposal import Proposal, mentoring_round, peer_round
from bot.matching.score import Context, Mode, ReportingLines
from bot.matching.tuning import MatchingSettings
from bot.program.loading import load_program

FORMATS = {"pairs": Mode.PEER, "mentor": Mode.MENTOR, "reverse": Mode.REVERSE, "circles": Mode.PEER}


def run_match(
    source: Path,
    target: str,
    *,
    history: Path | None,
    fmt: str,
    seed: int,
    program: Path | None,
    on: date,
) -> Proposal:
    """Read, match, write. Raises ``InputError``/``ProgramError`` before writing anything."""
    settings = load_program(program).matching if program else MatchingSettings()
    people = read_people(source)
    since = on - timedelta(days=settings.no_repeat_days)
    met = read_history(history, since) if history else frozenset()
    lines = ReportingLines({p.id: p.manager for p in people})
    ctx = Context(settings, on, FORMATS[fmt], met, lines)
    if fmt == "pairs":
        proposal = peer_round(people, ctx, seed)
    elif fmt == "circles":
        proposal = circle_round(people, ctx, seed)
    else:
        proposal = mentoring_round(people, ctx, seed)
    data = round_data(proposal, people, fmt, seed)
    if target == "-":
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        write_atomically(Path(target), data)
    return proposal
