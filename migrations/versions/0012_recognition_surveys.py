"""Kudos and spotlights, program surveys, and the dated changes to a program.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 04:51:19.606954
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('program_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('what', sa.String(length=40), nullable=False),
    sa.Column('before', sa.String(length=200), nullable=False),
    sa.Column('after', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_program_changes_program_id_programs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_program_changes_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_changes'))
    )
    with op.batch_alter_table('program_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_changes_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_program_changes_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('program_surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('growth', sa.Integer(), nullable=True),
    sa.Column('supported', sa.Integer(), nullable=True),
    sa.Column('recommend', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('shared', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_program_surveys_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_program_surveys_program_id_programs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_program_surveys_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_surveys')),
    sa.UniqueConstraint('program_id', 'person_id', 'stage', name=op.f('uq_program_surveys_program_id_person_id_stage'))
    )
    with op.batch_alter_table('program_surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_surveys_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_program_surveys_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_program_surveys_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('recognitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('first_id', sa.Integer(), nullable=False),
    sa.Column('second_id', sa.Integer(), nullable=True),
    sa.Column('words', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author_ok', sa.Boolean(), nullable=True),
    sa.Column('first_ok', sa.Boolean(), nullable=True),
    sa.Column('second_ok', sa.Boolean(), nullable=True),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_recognitions_author_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['first_id'], ['people.id'], name=op.f('fk_recognitions_first_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_recognitions_program_id_programs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['second_id'], ['people.id'], name=op.f('fk_recognitions_second_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_recognitions_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognitions'))
    )
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recognitions_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recognitions_first_id'), ['first_id'], unique=False)
        batch_op.create_index('ix_recognitions_program_author', ['program_id', 'author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recognitions_second_id'), ['second_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recognitions_workspace_id'), ['workspace_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recognitions_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_recognitions_second_id'))
        batch_op.drop_index('ix_recognitions_program_author')
        batch_op.drop_index(batch_op.f('ix_recognitions_first_id'))
        batch_op.drop_index(batch_op.f('ix_recognitions_author_id'))

    op.drop_table('recognitions')
    with op.batch_alter_table('program_surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_surveys_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_program_surveys_program_id'))
        batch_op.drop_index(batch_op.f('ix_program_surveys_person_id'))

    op.drop_table('program_surveys')
    with op.batch_alter_table('program_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_changes_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_program_changes_program_id'))

    op.drop_table('program_changes')
