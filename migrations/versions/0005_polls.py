"""Polls in a program's channel and their (anonymous, counted) answers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 03:08:03.586977
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('polls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('options', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_polls_program_id_programs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_polls_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_polls'))
    )
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_polls_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_polls_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('poll_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('option', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_poll_answers_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_answers_poll_id_polls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_poll_answers_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_answers')),
    sa.UniqueConstraint('poll_id', 'person_id', name=op.f('uq_poll_answers_poll_id_person_id'))
    )
    with op.batch_alter_table('poll_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_answers_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_answers_poll_id'), ['poll_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_answers_workspace_id'), ['workspace_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('poll_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_answers_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_poll_answers_poll_id'))
        batch_op.drop_index(batch_op.f('ix_poll_answers_person_id'))

    op.drop_table('poll_answers')
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_polls_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_polls_program_id'))

    op.drop_table('polls')
