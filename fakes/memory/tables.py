"""The in-memory store's tables: rows as plain dicts, with the SQL schema's rules.

Each table is a dict of rows by id, in id order (ids only grow). The rules the
SQL schema enforces are kept here too, so the repositories above behave as the
SQL ones do: unique keys (a duplicate raises :class:`bot.ports.Conflict`, as an
IntegrityError does there; a key with a NULL in it never collides), and foreign
keys that cascade or set NULL when the row they point at is deleted.

A :class:`Transaction` sees the committed tables and copies a table the first
time it writes to it (rows are never changed in place, only replaced), so a
rollback is forgetting the copies and a commit is publishing them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

from bot.ports import Conflict, Unavailable

Row = dict[str, Any]

# Unique keys per table (models.py's UniqueConstraints, and the PK of inbound_events).
UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "workspaces": (("platform", "external_id"),),
    "people": (("workspace_id", "user_id"),),
    "programs": (("workspace_id", "slug"),),
    "enrolments": (("program_id", "person_id"),),
    "answers": (("enrolment_id", "question_key"),),
    "conversations": (("workspace_id", "person_id"),),
    "inbound_events": (("workspace_id", "event_id"),),
    "outbox": (("workspace_id", "key"),),
    "inbound_queue": (("workspace_id", "event_id"),),
    "rounds": (("program_id", "scheduled_for"),),
    "match_members": (("match_id", "person_id"),),
    "waitlist": (("round_id", "person_id"),),
    "partner_requests": (("program_id", "person_id"),),
    "console_inbox": (("workspace_id", "person_id", "key"),),
    "checkins": (("match_id", "person_id", "cycle"),),
    "feedback": (("match_id", "person_id", "cycle"),),
    "milestones": (("match_id", "person_id", "day"),),
    "wrapups": (("match_id", "person_id"),),
    "program_surveys": (("program_id", "person_id", "stage"),),
    "installations": (("workspace_id",),),
    "addresses": (("workspace_id", "key"),),
    "poll_answers": (("poll_id", "person_id"),),
    "dashboard_links": (("token_hash",),),
    "dashboard_sessions": (("session_hash",),),
    "training": (("person_id", "lesson"),),
}

CASCADE, SET_NULL = "cascade", "set null"
_PERSON = ("person_id", CASCADE)
# What points at a table's rows: (table, column, on delete). Every table's
# workspace_id cascades too, but workspaces are never deleted.
REFERENCES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "people": (
        *(
            (t, *_PERSON)
            for t in (
                "enrolments",
                "conversations",
                "outbox",
                "match_members",
                "waitlist",
                "partner_requests",
                "console_inbox",
                "checkins",
                "feedback",
                "goals",
                "milestones",
                "wrapups",
                "program_surveys",
                "poll_answers",
                "dashboard_links",
                "dashboard_sessions",
                "training",
            )
        ),
        ("inbound_events", "person_id", SET_NULL),
        ("matches", "organiser_id", SET_NULL),
        ("recognitions", "author_id", CASCADE),
        ("recognitions", "first_id", CASCADE),
        ("recognitions", "second_id", CASCADE),
    ),
    "programs": (
        *(
            (t, "program_id", CASCADE)
            for t in (
                "enrolments",
                "rounds",
                "matches",
                "partner_requests",
                "recognitions",
                "program_surveys",
                "program_changes",
                "quiet_periods",
                "polls",
            )
        ),
        ("outbox", "program_id", SET_NULL),
    ),
    "enrolments": (("answers", "enrolment_id", CASCADE),),
    "rounds": (("matches", "round_id", CASCADE), ("waitlist", "round_id", CASCADE)),
    "matches": (
        *(
            (t, "match_id", CASCADE)
            for t in ("match_members", "checkins", "feedback", "goals", "milestones", "wrapups")
        ),
        ("outbox", "match_id", SET_NULL),
    ),
    "polls": (("poll_answers", "poll_id", CASCADE),),
}


def as_json(value: Any) -> Any:
    """A value as a JSON column gives it back (tuples become lists, keys strings)."""
    return json.loads(json.dumps(value))


class Database:
    """The committed tables, and the turn to change them: one transaction at a time,
    as SQLite's ``BEGIN IMMEDIATE`` gives (store/database.py)."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.tables: dict[str, dict[int, Row]] = {}
        self.next_ids: dict[str, int] = {}
        self._turn = threading.Lock()
        self._holder: int | None = None
        self._timeout = timeout

    def acquire(self) -> None:
        if self._holder == threading.get_ident():
            raise RuntimeError("a second transaction in a thread that holds one")
        if not self._turn.acquire(timeout=self._timeout):
            raise Unavailable("waited too long for the in-memory store")
        self._holder = threading.get_ident()

    def release(self) -> None:
        self._holder = None
        self._turn.release()


class Transaction:
    """One transaction's view of a :class:`Database`; it begins at its first read
    or write (taking the turn), and ends at :meth:`commit` or :meth:`rollback`."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._active = False
        self._tables: dict[str, dict[int, Row]] = {}
        self._next_ids: dict[str, int] = {}
        self._copied: set[str] = set()

    def _begin(self) -> None:
        if not self._active:
            self._db.acquire()
            self._active = True
            self._tables = dict(self._db.tables)
            self._next_ids = dict(self._db.next_ids)
            self._copied = set()

    def commit(self) -> None:
        if self._active:
            self._db.tables, self._db.next_ids = self._tables, self._next_ids
            self.rollback()

    def rollback(self) -> None:
        if self._active:
            self._active = False
            self._tables, self._copied = {}, set()
            self._db.release()

    # --- reading ------------------------------------------------------------------

    def table(self, name: str) -> dict[int, Row]:
        self._begin()
        return self._tables.get(name, {})

    def rows(self, name: str, **equal: Any) -> Iterator[Row]:
        """The rows whose columns equal these values, in id order."""
        items = equal.items()
        for row in self.table(name).values():
            if all(row[column] == value for column, value in items):
                yield row

    def where(self, name: str, test: Callable[[Row], bool]) -> list[Row]:
        return [row for row in self.table(name).values() if test(row)]

    def first(self, name: str, **equal: Any) -> Row | None:
        return next(self.rows(name, **equal), None)

    def get(self, name: str, row_id: int) -> Row | None:
        return self.table(name).get(row_id)

    def one(self, name: str, row_id: int) -> Row:
        row = self.get(name, row_id)
        if row is None:
            raise LookupError(f"no row {row_id} in {name}")
        return row

    # --- writing ------------------------------------------------------------------

    def _writable(self, name: str) -> dict[int, Row]:
        self._begin()
        if name not in self._copied:
            self._tables[name] = dict(self._tables.get(name, {}))
            self._copied.add(name)
        return self._tables[name]

    def duplicate(self, name: str, row: Row, ignore: int | None = None) -> Row | None:
        """The row that already holds one of ``row``'s unique keys, if any."""
        for key in UNIQUE.get(name, ()):
            values = tuple(row.get(column) for column in key)
            if None in values:
                continue
            for other in self.table(name).values():
                if other["id"] != ignore and tuple(other[c] for c in key) == values:
                    return other
        return None

    def insert(self, name: str, **values: Any) -> Row:
        """Add a row (its id is the next one); Conflict on a duplicate unique key."""
        if self.duplicate(name, values) is not None:
            raise Conflict(f"duplicate key in {name}")
        return self._add(name, values)

    def insert_ignoring(self, name: str, **values: Any) -> Row | None:
        """Add a row unless one holds its unique key already (then None)."""
        if self.duplicate(name, values) is not None:
            return None
        return self._add(name, values)

    def _add(self, name: str, values: Row) -> Row:
        table = self._writable(name)
        row_id = self._next_ids.get(name, 1)
        self._next_ids[name] = row_id + 1
        row = {**values, "id": row_id}
        table[row_id] = row
        return row

    def update(self, name: str, row_id: int, **changes: Any) -> Row:
        old = self.one(name, row_id)
        row = {**old, **changes}
        if self.duplicate(name, row, ignore=row_id) is not None:
            raise Conflict(f"duplicate key in {name}")
        self._writable(name)[row_id] = row
        return row

    def delete(self, name: str, row_id: int) -> None:
        """Delete a row, and cascade (or set NULL) through what points at it."""
        if self._writable(name).pop(row_id, None) is None:
            return
        for table, column, action in REFERENCES.get(name, ()):
            for row in [r for r in self.table(table).values() if r.get(column) == row_id]:
                if action == CASCADE:
                    self.delete(table, row["id"])
                else:
                    self.update(table, row["id"], **{column: None})

    def delete_where(self, name: str, test: Callable[[Row], bool]) -> int:
        found = [row["id"] for row in self.where(name, test)]
        for row_id in found:
            self.delete(name, row_id)
        return len(found)
