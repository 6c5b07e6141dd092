"""Installs of Tandem per workspace (multi-workspace Slack): the bot token, who
installed it, and when.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 03:05:19.081074
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('installations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.String(length=50), nullable=True),
    sa.Column('bot_token', sa.String(length=400), nullable=False),
    sa.Column('bot_id', sa.String(length=50), nullable=False),
    sa.Column('bot_user_id', sa.String(length=50), nullable=False),
    sa.Column('scopes', sa.Text(), nullable=False),
    sa.Column('installer', sa.String(length=100), nullable=False),
    sa.Column('installed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_installations_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installations')),
    sa.UniqueConstraint('workspace_id', name=op.f('uq_installations_workspace_id'))
    )
    with op.batch_alter_table('installations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_installations_workspace_id'), ['workspace_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('installations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_installations_workspace_id'))

    op.drop_table('installations')
