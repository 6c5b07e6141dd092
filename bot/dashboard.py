"""The coordinators' web dashboard, engine side: sign-in from chat, sessions, and
the report of a program the signed-in person coordinates.

No password and no new account. A coordinator says ``dashboard`` in chat and gets,
privately, a link that works once, for :data:`LINK_LIFETIME`, for them. Opening it
starts a browser session of :data:`SESSION_LIFETIME`. Both secrets are random
(256 bits) and only their SHA-256 is stored, so the database holds no way in.

The session is a row, not a signed cookie: signing out (or "forget me", or the
end of the 8 hours) ends it on the server at once, several instances need no
shared secret, and nothing is trusted that the browser sends but the random id.
The CSRF token of a session is derived from its secret (``HMAC(secret, "csrf")``):
only the page served to that session knows it, and nothing more is stored.

Who may see what is decided on every request from the store: a person removed
from a program's coordinators stops seeing it at once. The web adapter
(``adapters/dashboard``) calls only what is here, through the engine's ports.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.clock import Clock
from bot.dashboard_sessions import Holder
from bot.model import Program
from bot.outbound import File
from bot.ports import Conflict, UnitOfWork, UnitOfWorkFactory
from bot.report.build import build_report
from bot.report.document import Report
from bot.report.exports import export_files
from bot.report.window import Window, default_window

LINK_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(hours=8)
LOGIN_PATH = "/dashboard/login/"
EXPORTS = ("matches", "participation", "cycles")  # the CSV files, in export_files' order


def digest(secret: str) -> str:
    """What is stored of a secret (a link's token, a session id): its SHA-256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def csrf_token(session_secret: str) -> str:
    """The CSRF token of a session: derived from its secret, never stored."""
    return hmac.new(session_secret.encode(), b"tandem-dashboard-csrf", hashlib.sha256).hexdigest()


def csrf_matches(session_secret: str, given: str) -> bool:
    return hmac.compare_digest(csrf_token(session_secret), given)


def new_link(uow: UnitOfWork, holder: Holder, now: datetime, base_url: str) -> str:
    """A one-time sign-in link for ``holder`` (stored as a hash, in ``uow``)."""
    token = secrets.token_urlsafe(32)
    uow.dashboards.add_link(holder, digest(token), now, now + LINK_LIFETIME)
    return f"{base_url.rstrip('/')}{LOGIN_PATH}{token}"


@dataclass(frozen=True)
class ProgramEntry:
    slug: str
    name: str


@dataclass(frozen=True)
class Viewer:
    """The signed-in person and the programs they coordinate, as of this request."""

    holder: Holder
    name: str
    programs: tuple[ProgramEntry, ...]

    def runs(self, slug: str) -> bool:
        return any(p.slug == slug for p in self.programs)


@dataclass(frozen=True)
class SignedIn:
    secret: str  # the session id, for the cookie
    expires_at: datetime
    viewer: Viewer


class SignIn:
    """Why a sign-in link did not start a session."""

    INVALID = "invalid"  # unknown, expired or used already
    NOT_A_COORDINATOR = "not a coordinator"


@dataclass(frozen=True)
class RoundEntry:
    id: int
    published: date | None


@dataclass(frozen=True)
class ProgramView:
    """A program's page: its report for the chosen window, and the rounds to choose from."""

    report: Report
    rounds: tuple[RoundEntry, ...]
    window: Window
    default: Window


class BadFilter(ValueError):
    """The date range or round asked for cannot be read; the message says why."""


class Dashboard:
    """What the web dashboard may do: each call one short transaction."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def sign_in(self, token: str) -> SignedIn | str:
        """Spend a link; a new session for its person, or why not (:class:`SignIn`)."""
        now = self._clock.now()
        try:
            with self._uow() as uow:
                holder = uow.dashboards.spend_link(digest(token), now)
                if holder is None:
                    return SignIn.INVALID
                viewer = _viewer(uow, holder)
                if not viewer.programs:
                    uow.commit()  # the link is spent all the same
                    return SignIn.NOT_A_COORDINATOR
                secret = secrets.token_urlsafe(32)
                expires = now + SESSION_LIFETIME
                uow.dashboards.add_session(holder, digest(secret), now, expires)
                uow.commit()
        except Conflict:  # another request spent it at the same moment
            return SignIn.INVALID
        return SignedIn(secret, expires, viewer)

    def viewer(self, secret: str | None) -> Viewer | None:
        """Who holds this session, or None (no cookie, unknown, expired, ended)."""
        if not secret:
            return None
        with self._uow() as uow:
            holder = uow.dashboards.session(digest(secret), self._clock.now())
            return None if holder is None else _viewer(uow, holder)

    def sign_out(self, secret: str) -> None:
        with self._uow() as uow:
            uow.dashboards.end_session(digest(secret), self._clock.now())
            uow.commit()

    def program(
        self,
        viewer: Viewer,
        slug: str,
        first: str | None = None,
        last: str | None = None,
        round_id: str | None = None,
    ) -> ProgramView | None:
        """The program's report for the filter asked for; None when ``viewer`` does
        not coordinate it. Raises :class:`BadFilter` for a filter that can't be read."""
        if not viewer.runs(slug):
            return None
        now = self._clock.now()
        with self._uow() as uow:
            program = uow.programs.get(viewer.holder.workspace_id, slug)
            if program is None or not _coordinates(uow, viewer.holder, program):
                return None
            facts = uow.reports.facts(program.id)
        rounds = tuple(
            RoundEntry(r.id, r.published_at.date() if r.published_at else None)
            for r in facts.rounds
            if r.published_at is not None
        )
        default = default_window(program, now)
        window = _window(default, first, last, round_id, {r.id for r in rounds})
        return ProgramView(build_report(program, facts, now, window), rounds, window, default)

    def export(self, view: ProgramView, what: str) -> File | None:
        """One of the report's CSV files, by what it holds (:data:`EXPORTS`)."""
        if what not in EXPORTS:
            return None
        return export_files(view.report)[EXPORTS.index(what)]


def _viewer(uow: UnitOfWork, holder: Holder) -> Viewer:
    person = uow.people.get(holder.person_id)
    programs = tuple(
        ProgramEntry(p.spec.slug, p.spec.name)
        for p in uow.programs.all(holder.workspace_id)
        if p.spec.coordinated_by(person.user_id)
    )
    return Viewer(holder, person.display_name, programs)


def _coordinates(uow: UnitOfWork, holder: Holder, program: Program) -> bool:
    return program.spec.coordinated_by(uow.people.get(holder.person_id).user_id)


def _window(
    default: Window, first: str | None, last: str | None, round_id: str | None, rounds: set[int]
) -> Window:
    try:
        first_day = date.fromisoformat(first) if first else default.first_day
        last_day = date.fromisoformat(last) if last else default.last_day
    except ValueError:
        raise BadFilter("Dates are written like 2027-01-31.") from None
    if last_day < first_day:
        raise BadFilter("The first day comes after the last one.")
    chosen = None
    if round_id:
        if not round_id.isdigit() or int(round_id) not in rounds:
            raise BadFilter("The program has no such round.")
        chosen = int(round_id)
    return Window(first_day, last_day, chosen)
