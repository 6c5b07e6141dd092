"""The schema only changes through migrations, and they match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from store.database import create_db_engine
from store.migrate import current_revision, head_revision, is_current, upgrade
from store.models import Base


def test_migrations_and_models_agree(database_url: str) -> None:
    engine = create_db_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_the_test_database_is_at_the_newest_revision(database_url: str) -> None:
    engine = create_db_engine(database_url)
    assert current_revision(engine) == head_revision()
    assert is_current(engine)
    upgrade(engine)  # upgrading a current database is a no-op
    assert is_current(engine)
    engine.dispose()


def test_every_table_carries_its_workspace() -> None:
    for table in Base.metadata.sorted_tables:
        if table.name != "workspaces":
            assert "workspace_id" in table.columns, table.name


def test_an_empty_database_is_brought_up_to_date(tmp_path: object) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path}/fresh.db")
    assert current_revision(engine) is None
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
