"""A round as JSON, written whole or not at all."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.matching.explain import Words, explain
from bot.matching.participant import Profile
from bot.matching.proposal import Proposal


def round_data(
    proposal: Proposal, people: Sequence[Profile], fmt: str, seed: int
) -> dict[str, Any]:
    names = {p.id: p.name for p in people}
    labels = {k: v for p in people for k, v in p.labels.items()}
    words = Words(names, labels)
    matches = []
    for match in proposal.matches:
        entry: dict[str, Any] = {
            "members": list(match.members),
            "score": round(match.score, 2),
            "reasons": explain(match.reasons, words, limit=4),
        }
        if len(set(match.roles)) > 1:
            entry["roles"] = dict(zip(match.members, match.roles, strict=True))
        if match.topic:
            entry["topic"] = labels.get(match.topic, match.topic)
            entry["facilitator"] = match.members[0]
        matches.append(entry)
    return {
        "matches": matches,
        "unmatched": [{"id": w.id, "reason": w.reason} for w in proposal.unmatched],
        "round": {
            "format": fmt,
            "seed": seed,
            "people": len(people),
            "exact": proposal.exact,
            "total_score": round(proposal.total(), 2),
        },
    }


def write_atomically(path: Path, data: dict[str, Any]) -> None:
    """Write JSON to ``path`` through a temporary file, so no half-written file is left."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
