"""A wrap-up comment its writer chose to share with the program's coordinators.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 04:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('wrapups', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('shared', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('wrapups', schema=None) as batch_op:
        batch_op.drop_column('shared')
