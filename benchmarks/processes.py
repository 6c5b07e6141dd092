"""What the serving benchmark starts: ports, child processes, scratch databases, commands."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]


ADMIN_PG = os.environ.get(
    "TANDEM_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str], first_line: bool = False) -> Iterator[str]:
    """Run ``args``; yield its first printed line when asked (a URL), else "". What it
    logs goes to ``SERVE_LOAD_LOG`` when that names a file."""
    log = os.environ.get("SERVE_LOAD_LOG")
    process = subprocess.Popen(
        args,
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=open(log, "a") if log else subprocess.DEVNULL,  # noqa: SIM115 - the process owns it
        text=True,
    )
    try:
        line = process.stdout.readline().strip() if first_line and process.stdout else ""
        yield line
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """A fresh database URL: a SQLite file, or a scratch PostgreSQL database."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"tandem_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(ADMIN_PG).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_reachable() -> bool:
    try:
        engine = create_engine(ADMIN_PG, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False
    return True


def tandem(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "tandem", *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


# --- the load ------------------------------------------------------------------------


def left_in(database_url: str) -> dict[str, int]:
    """What Tandem's database holds after the run: the outbox by status, and events
    still queued (both should be: everything sent, nothing queued)."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT status, count(*) FROM outbox GROUP BY status"))
        left = {str(status): int(n) for status, n in rows}
        if "inbound_queue" in inspect(engine).get_table_names():  # not before revision 0006
            left["queued"] = int(connection.scalar(text("SELECT count(*) FROM inbound_queue")) or 0)
    engine.dispose()
    return left
