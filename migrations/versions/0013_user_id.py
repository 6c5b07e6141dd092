"""One name for a person's platform id: ``user_id``, in the schema and in stored JSON.

It was ``people.external_id`` in the schema and ``user``/``users``/``handle`` in
the engine. The engine's records now all say ``user_id`` (``user_ids`` for
several), and so does what they left stored as JSON, so an upgrade loses nothing
that is waiting:

- ``people.external_id`` becomes ``people.user_id`` (and its unique key with it);
- messages waiting in the outbox and the console inbox: a mention's ``user`` and
  a "talk among yourselves" block's ``users``;
- the outbox's recipients: a person's ``user`` and a group's ``users``;
- events queued for the engine: the actor's ``user``.

The downgrade puts the old names back. Rows are read and written in pages by id,
so a large outbox does not have to fit in memory.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 01:00:00
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')
PAGE = 500

# The tagged records whose key changes: one person (user -> user_id), several (users -> user_ids).
_ONE = {'mention', 'person'}
_SEVERAL = {'together', 'group'}


def _renamed(data: Any, up: bool) -> Any:
    """``data`` with every tagged record's key renamed, at any depth."""
    if isinstance(data, list):
        return [_renamed(item, up) for item in data]
    if not isinstance(data, dict):
        return data
    out = {key: _renamed(value, up) for key, value in data.items()}
    tag = out.get('type')
    if tag in _ONE:
        _move(out, *(('user', 'user_id') if up else ('user_id', 'user')))
    elif tag in _SEVERAL:
        _move(out, *(('users', 'user_ids') if up else ('user_ids', 'users')))
    return out


def _move(record: dict[str, Any], old: str, new: str) -> None:
    if old in record and new not in record:
        record[new] = record.pop(old)


def _queued(payload: Any, up: bool) -> Any:
    """A queued event's payload with its actor's key renamed."""
    actor = payload.get('event', {}).get('actor') if isinstance(payload, dict) else None
    if not isinstance(actor, dict):
        return payload
    renamed = dict(actor)
    _move(renamed, *(('user', 'user_id') if up else ('user_id', 'user')))
    return {**payload, 'event': {**payload['event'], 'actor': renamed}}


def _rewrite(name: str, columns: Sequence[str], change: Callable[[Any], Any]) -> None:
    """Apply ``change`` to JSON ``columns`` of every row of table ``name``, a page at a time."""
    table = sa.table(name, sa.column('id', sa.Integer()), *(sa.column(c, JSON) for c in columns))
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(table).where(table.c.id > last).order_by(table.c.id).limit(PAGE)
        ).all()
        if not rows:
            return
        for row in rows:
            values = {}
            for column in columns:
                before = getattr(row, column)
                data = json.loads(before) if isinstance(before, str) else before
                after = change(data)
                if after != data:
                    values[column] = after
            if values:
                connection.execute(table.update().where(table.c.id == row.id).values(**values))
        last = rows[-1].id


def _json(up: bool) -> None:
    _rewrite('outbox', ('recipient', 'payload'), lambda data: _renamed(data, up))
    _rewrite('console_inbox', ('payload',), lambda data: _renamed(data, up))
    _rewrite('inbound_queue', ('payload',), lambda data: _queued(data, up))


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint('uq_people_workspace_id_external_id', type_='unique')
        batch_op.alter_column('external_id', new_column_name='user_id',
                              existing_type=sa.String(length=100), existing_nullable=False)
    # A second batch: SQLite's copy of the table only knows the new name once the first is done.
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_people_workspace_id_user_id', ['workspace_id', 'user_id'])
    _json(up=True)


def downgrade() -> None:
    _json(up=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint('uq_people_workspace_id_user_id', type_='unique')
        batch_op.alter_column('user_id', new_column_name='external_id',
                              existing_type=sa.String(length=100), existing_nullable=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_people_workspace_id_external_id',
                                          ['workspace_id', 'external_id'])
