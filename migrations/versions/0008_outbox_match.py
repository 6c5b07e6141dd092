"""Outbox messages know the match they are about, so that a match that ends takes
back what it had queued (a check-in after "your match has ended" is wrong).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('match_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_outbox_match', ['match_id', 'status'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_match_id_matches'), 'matches', ['match_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_match_id_matches'), type_='foreignkey')
        batch_op.drop_index('ix_outbox_match')
        batch_op.drop_column('match_id')
