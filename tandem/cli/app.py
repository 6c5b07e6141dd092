"""What the commands share: the app for one command, with configuration and database
errors made readable, and the dates and times their options take."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.clock import Clock
from tandem.bootstrap import App, build, load_settings, prepare_database
from tandem.settings import SettingsError


def instant(text: str) -> datetime:
    """An ``--at`` option's date and time (UTC when it names no offset)."""
    try:
        found = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            "a date and time such as 2027-07-19T09:00Z", param_hint="--at"
        ) from None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


@contextmanager
def command_app(
    *, prepare: bool = True, socket_mode: bool = False, clock: Clock | None = None
) -> Iterator[App]:
    """The app for one command, with configuration and database errors made readable."""
    try:
        settings = load_settings(socket_mode=socket_mode)
    except SettingsError as error:
        raise click.ClickException(str(error)) from None
    logging.basicConfig(
        level=settings.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    app = build(settings, clock=clock)
    try:
        if prepare:
            prepare_database(app)
        yield app
    except SettingsError as error:
        raise click.ClickException(str(error)) from None
    except OperationalError as error:
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        reason = str(error.orig).strip().splitlines()[0] if error.orig else "unknown error"
        raise click.ClickException(f"Cannot use the database at {where}: {reason}") from None
    finally:
        app.close()


def day(text: str | None, option: str) -> date | None:
    """A date option (``--from``, ``--to``), or ``None`` when not given."""
    if text is None:
        return None
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter("a date such as 2027-03-01", param_hint=option) from None
