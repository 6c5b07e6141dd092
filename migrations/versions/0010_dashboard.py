"""The coordinators' dashboard: one-time sign-in links and browser sessions, both
kept only as hashes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _table(name: str, secret: str, closed: str) -> None:
    op.create_table(name,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column(secret, sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column(closed, sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f(f'fk_{name}_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f(f'fk_{name}_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    sa.UniqueConstraint(secret, name=op.f(f'uq_{name}_{secret}'))
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f(f'ix_{name}_workspace_id'), ['workspace_id'], unique=False)


def upgrade() -> None:
    _table('dashboard_links', 'token_hash', 'used_at')
    _table('dashboard_sessions', 'session_hash', 'ended_at')


def downgrade() -> None:
    op.drop_table('dashboard_sessions')
    op.drop_table('dashboard_links')
