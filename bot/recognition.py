"""Recognition: kudos and spotlights, the records and their port.

A :class:`Recognition` is either a kudos (a participant thanks another, privately)
or a coordinator's spotlight of a pair's story. Either reaches the program's
channel only once everyone it needs has said yes: for a kudos, the one who sent it
and the one who got it; for a spotlight, both members of the pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class Kind(StrEnum):
    KUDOS = "kudos"
    SPOTLIGHT = "spotlight"


@dataclass(frozen=True)
class Recognition:
    id: int
    workspace_id: int
    program_id: int
    kind: Kind
    author_id: int  # who sent the kudos, or the coordinator who wrote the story
    first_id: int  # who got the kudos, or the pair's first member
    second_id: int | None  # the pair's second member (spotlights only)
    words: str
    created_at: datetime
    # Consent to share in the channel: None until asked and answered.
    author_ok: bool | None = None
    first_ok: bool | None = None
    second_ok: bool | None = None
    posted_at: datetime | None = None

    def consents(self) -> dict[int, bool | None]:
        """Whose yes a spotlight needs, and what each said so far."""
        if self.kind is Kind.KUDOS:
            return {self.author_id: self.author_ok, self.first_id: self.first_ok}
        found: dict[int, bool | None] = {self.first_id: self.first_ok}
        if self.second_id is not None:
            found[self.second_id] = self.second_ok
        return found

    @property
    def agreed(self) -> bool:
        return all(ok is True for ok in self.consents().values())

    @property
    def declined(self) -> bool:
        return any(ok is False for ok in self.consents().values())


class Recognitions(Protocol):
    def add(
        self,
        workspace_id: int,
        program_id: int,
        kind: Kind,
        author_id: int,
        first_id: int,
        second_id: int | None,
        words: str,
        now: datetime,
    ) -> Recognition: ...

    def get(self, recognition_id: int) -> Recognition | None: ...

    def consent(self, recognition_id: int, person_id: int, ok: bool) -> Recognition | None:
        """Record ``person_id``'s answer (for each part they play); the record after,
        or ``None`` if it is not theirs to answer."""
        ...

    def posted(self, recognition_id: int, now: datetime) -> bool:
        """Mark it posted; false if it already was (a double press posts once)."""
        ...

    def sent_since(self, program_id: int, author_id: int, since: datetime) -> int:
        """Kudos ``author_id`` sent in the program since ``since``."""
        ...

    def written_by(self, person_id: int) -> Sequence[str]:
        """The words of the kudos a person wrote (to redact where they were copied)."""
        ...
