"""Delivery core: the inbound queue, an outbox that survives rate limits, neutral installs.

- ``inbound_queue``: events taken in and acknowledged, waiting for the engine.
- ``outbox``: the conversation a message goes to (kept in order and paced per
  conversation), its program (whose coordinators hear of a failure), a retry
  time apart from the planned time, real failures counted apart from calls,
  whether an earlier call may have reached the platform, and messages that are
  deleted once sent.
- ``installations``: a token and the platform's details as JSON, so any
  platform's install fits (the Slack-only columns move into ``details``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 23:03:34.576697
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def _conversation(recipient: Any) -> str:
    """The same key bot.outbound.conversation_of gives (revisions import no app code)."""
    data = json.loads(recipient) if isinstance(recipient, str) else recipient
    kind = data.get('type')
    if kind == 'person':
        return f"person:{data['user']}"
    if kind == 'group':
        return 'group:' + ','.join(sorted(data['users']))
    return f"channel:{data.get('channel', '')}"


def upgrade() -> None:
    op.create_table('inbound_queue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.String(length=100), nullable=False),
    sa.Column('payload', JSON, nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_inbound_queue_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_queue')),
    sa.UniqueConstraint('workspace_id', 'event_id', name=op.f('uq_inbound_queue_workspace_id_event_id'))
    )
    with op.batch_alter_table('inbound_queue', schema=None) as batch_op:
        batch_op.create_index('ix_inbound_queue_status', ['status', 'id'], unique=False)
        batch_op.create_index('ix_inbound_queue_person', ['workspace_id', 'user_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_queue_workspace_id'), ['workspace_id'], unique=False)

    _installations_up()
    _outbox_up()


def _installations_up() -> None:
    with op.batch_alter_table('installations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.String(length=400), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('details', JSON, nullable=True))
    installs = sa.table(
        'installations',
        sa.column('id', sa.Integer()),
        sa.column('bot_token', sa.String()),
        sa.column('token', sa.String()),
        sa.column('enterprise_id', sa.String()),
        sa.column('bot_id', sa.String()),
        sa.column('scopes', sa.Text()),
        sa.column('details', JSON),
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(installs)).all():
        details = {'bot_id': row.bot_id, 'scopes': row.scopes}
        if row.enterprise_id:
            details['enterprise_id'] = row.enterprise_id
        connection.execute(
            installs.update().where(installs.c.id == row.id).values(token=row.bot_token, details=details)
        )
    with op.batch_alter_table('installations', schema=None) as batch_op:
        batch_op.alter_column('token', server_default=None)
        batch_op.alter_column('details', existing_type=JSON, nullable=False)
        batch_op.alter_column('bot_user_id',
               existing_type=sa.VARCHAR(length=50),
               type_=sa.String(length=100),
               existing_nullable=False)
        batch_op.drop_column('scopes')
        batch_op.drop_column('bot_id')
        batch_op.drop_column('bot_token')
        batch_op.drop_column('enterprise_id')


def _outbox_up() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('program_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('conversation', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('retry_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('failures', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('first_failed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('uncertain', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('keep', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True))
    outbox = sa.table(
        'outbox',
        sa.column('id', sa.Integer()),
        sa.column('recipient', JSON),
        sa.column('conversation', sa.String()),
        sa.column('attempts', sa.Integer()),
        sa.column('status', sa.String()),
        sa.column('source', sa.String()),
        sa.column('uncertain', sa.Boolean()),
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(outbox.c.id, outbox.c.recipient)).all():
        connection.execute(
            outbox.update()
            .where(outbox.c.id == row.id)
            .values(conversation=_conversation(row.recipient))
        )
    # Before this revision a claim counted as an attempt, and adapters posted
    # replies themselves before recording them: an unsent row claimed before, or
    # any unsent reply, may have reached Slack, so it is looked up before it goes
    # out again.
    connection.execute(
        outbox.update()
        .where(
            outbox.c.status != 'sent',
            sa.or_(outbox.c.attempts > 0, outbox.c.source.is_not(None)),
        )
        .values(uncertain=True, attempts=0)
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        for column in ('conversation', 'failures', 'uncertain', 'keep'):
            batch_op.alter_column(column, server_default=None)
        batch_op.create_index('ix_outbox_conversation', ['workspace_id', 'conversation', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_program_id'), ['program_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_program_id_programs'), 'programs', ['program_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_program_id_programs'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_program_id'))
        batch_op.drop_index('ix_outbox_conversation')
        for column in ('reported_at', 'keep', 'uncertain', 'first_failed_at', 'failures',
                       'retry_at', 'conversation', 'program_id'):
            batch_op.drop_column(column)

    with op.batch_alter_table('installations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('enterprise_id', sa.VARCHAR(length=50), nullable=True))
        batch_op.add_column(sa.Column('bot_token', sa.VARCHAR(length=400), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('bot_id', sa.VARCHAR(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('scopes', sa.TEXT(), nullable=False, server_default=''))
    installs = sa.table(
        'installations',
        sa.column('id', sa.Integer()),
        sa.column('token', sa.String()),
        sa.column('bot_token', sa.String()),
        sa.column('enterprise_id', sa.String()),
        sa.column('bot_id', sa.String()),
        sa.column('scopes', sa.Text()),
        sa.column('details', JSON),
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(installs.c.id, installs.c.token, installs.c.details)).all():
        details = row.details if isinstance(row.details, dict) else json.loads(row.details or '{}')
        connection.execute(
            installs.update().where(installs.c.id == row.id).values(
                bot_token=row.token,
                bot_id=details.get('bot_id', ''),
                scopes=details.get('scopes', ''),
                enterprise_id=details.get('enterprise_id'),
            )
        )
    with op.batch_alter_table('installations', schema=None) as batch_op:
        for column in ('bot_token', 'bot_id', 'scopes'):
            batch_op.alter_column(column, server_default=None)
        batch_op.alter_column('bot_user_id',
               existing_type=sa.String(length=100),
               type_=sa.VARCHAR(length=50),
               existing_nullable=False)
        batch_op.drop_column('details')
        batch_op.drop_column('token')

    with op.batch_alter_table('inbound_queue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_queue_workspace_id'))
        batch_op.drop_index('ix_inbound_queue_person')
        batch_op.drop_index('ix_inbound_queue_status')

    op.drop_table('inbound_queue')
