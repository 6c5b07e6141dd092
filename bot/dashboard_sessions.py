"""The dashboard's port: sign-in links and browser sessions, kept as hashes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Holder:
    """Whose a sign-in link or a browser session is."""

    workspace_id: int
    person_id: int


class Dashboards(Protocol):
    """Sign-in links and browser sessions of the web dashboard, kept as hashes only
    (a copy of the database gives nobody a way in)."""

    def add_link(
        self, holder: Holder, token_hash: str, now: datetime, expires_at: datetime
    ) -> None: ...

    def spend_link(self, token_hash: str, now: datetime) -> Holder | None:
        """Use up the link, atomically: whose it was, or None when it is unknown,
        expired or used already (of two opening it at once, one gets it)."""
        ...

    def add_session(
        self, holder: Holder, session_hash: str, now: datetime, expires_at: datetime
    ) -> None: ...

    def session(self, session_hash: str, now: datetime) -> Holder | None:
        """Whose the session is, while it has not expired nor been ended."""
        ...

    def end_session(self, session_hash: str, now: datetime) -> None: ...
