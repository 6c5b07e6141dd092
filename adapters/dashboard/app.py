"""The dashboard's routes on ``tandem serve``: sign-in by link, the programs, sign-out.

``GET  /dashboard``                              the programs the signed-in person runs
``GET  /dashboard/login/{token}``                spend a sign-in link, set the cookie
``GET  /dashboard/programs/{slug}``              a program's report (``from``, ``to``, ``round``)
``GET  /dashboard/programs/{slug}/{what}.csv``   one of its CSV exports, same filter
``POST /dashboard/logout``                       sign out (with the page's CSRF token)
``GET  /dashboard/static/dashboard.css``         the stylesheet

Every page is made on the server from the engine's report (privacy applied there);
Jinja2 escapes everything but the charts' SVG, which is drawn from numbers. Every
response under ``/dashboard`` carries the security headers; pages with data are
``Cache-Control: no-store``. Nothing personal is in a URL: program slugs and round
ids only (the sign-in token is a random secret, spent on first use).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web

from adapters.dashboard.guards import RateLimit
from adapters.dashboard.page import program_page
from adapters.wiring import Blocking
from bot.clock import Clock
from bot.dashboard import (
    SESSION_LIFETIME,
    BadFilter,
    Dashboard,
    ProgramView,
    SignedIn,
    SignIn,
    Viewer,
    csrf_matches,
    csrf_token,
)

COOKIE = "tandem_dashboard"
PREFIX = "/dashboard"
SECURITY_HEADERS = {
    # Inline SVG and a same-origin stylesheet; no script at all, nothing framed.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
_HOW = "Ask Tandem for a new link: say “dashboard” in chat."


@dataclass(frozen=True)
class Site:
    """The dashboard's handlers, over the engine's :class:`bot.dashboard.Dashboard`."""

    dashboard: Dashboard
    blocking: Blocking
    secure: bool  # the public URL is https: the cookie is Secure
    limit: RateLimit

    # -- signing in and out ---------------------------------------------------------

    async def login(self, request: web.Request) -> web.StreamResponse:
        if not self.limit.allow(request.remote or "unknown"):
            return _refused(
                request,
                429,
                "Too many tries",
                "Too many sign-in links were opened from here. Wait a minute, then try again.",
            )
        token = request.match_info["token"]
        outcome: SignedIn | str = SignIn.INVALID
        if _TOKEN.match(token):
            outcome = await self.blocking(self.dashboard.sign_in, token)
        if outcome == SignIn.NOT_A_COORDINATOR:
            return _refused(
                request,
                403,
                "Not a coordinator",
                "This link was for someone who coordinates no program here, so it opens nothing.",
            )
        if not isinstance(outcome, SignedIn):
            return _refused(
                request,
                401,
                "This link doesn't work",
                "It has expired (links last ten minutes), was used already, or was never "
                f"sent. {_HOW}",
            )
        programs = outcome.viewer.programs
        target = f"{PREFIX}/programs/{programs[0].slug}" if len(programs) == 1 else PREFIX
        response = web.Response(status=303, headers={"Location": target})
        response.set_cookie(
            COOKIE,
            outcome.secret,
            max_age=int(SESSION_LIFETIME.total_seconds()),
            path=PREFIX,
            httponly=True,
            samesite="Lax",
            secure=self.secure,
        )
        return response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        secret = request.cookies.get(COOKIE, "")
        viewer = await self._viewer(request)
        if viewer is None:
            return _signed_out_or_refused(request)
        form = await request.post()
        given = form.get("csrf")
        if not isinstance(given, str) or not csrf_matches(secret, given):
            return _refused(
                request,
                403,
                "Sign-out refused",
                "The form was not sent from this dashboard's own page. Sign out with the "
                "button at the top of the page.",
            )
        await self.blocking(self.dashboard.sign_out, secret)
        response = aiohttp_jinja2.render_template("signed_out.html", request, {"viewer": None})
        response.del_cookie(COOKIE, path=PREFIX)
        return response

    # -- pages ----------------------------------------------------------------------

    async def programs(self, request: web.Request) -> web.StreamResponse:
        viewer = await self._viewer(request)
        if viewer is None:
            return _signed_out_or_refused(request)
        return aiohttp_jinja2.render_template(
            "programs.html", request, self._context(request, viewer)
        )

    async def program(self, request: web.Request) -> web.StreamResponse:
        viewer = await self._viewer(request)
        if viewer is None:
            return _signed_out_or_refused(request)
        slug = request.match_info["slug"]
        problem = ""
        try:
            view = await self._view(request, viewer, slug)
        except BadFilter as error:
            problem = str(error)
            view = await self.blocking(self.dashboard.program, viewer, slug)
        if view is None:
            return _not_yours(request, viewer)
        context = self._context(request, viewer) | program_page(
            view, problem, f"{PREFIX}/programs/{view.report.program}"
        )
        return aiohttp_jinja2.render_template(
            "program.html", request, context, status=400 if problem else 200
        )

    async def export(self, request: web.Request) -> web.StreamResponse:
        viewer = await self._viewer(request)
        if viewer is None:
            return _signed_out_or_refused(request)
        try:
            view = await self._view(request, viewer, request.match_info["slug"])
        except BadFilter as error:
            return _refused(request, 400, "Can't read that filter", str(error), viewer)
        if view is None:
            return _not_yours(request, viewer)
        file = await self.blocking(self.dashboard.export, view, request.match_info["what"])
        if file is None:
            raise web.HTTPNotFound()
        return web.Response(
            text=file.content,
            content_type="text/csv",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{file.name}"'},
        )

    # -- helpers --------------------------------------------------------------------

    async def _viewer(self, request: web.Request) -> Viewer | None:
        secret = request.cookies.get(COOKIE)
        if not secret or not _TOKEN.match(secret):
            return None
        return await self.blocking(self.dashboard.viewer, secret)

    async def _view(self, request: web.Request, viewer: Viewer, slug: str) -> ProgramView | None:
        query = request.query
        return await self.blocking(
            self.dashboard.program,
            viewer,
            slug,
            query.get("from") or None,
            query.get("to") or None,
            query.get("round") or None,
        )

    @staticmethod
    def _context(request: web.Request, viewer: Viewer) -> dict[str, Any]:
        return {"viewer": viewer, "csrf": csrf_token(request.cookies.get(COOKIE, ""))}


def _refused(
    request: web.Request, status: int, heading: str, reason: str, viewer: Viewer | None = None
) -> web.Response:
    context = {"heading": heading, "reason": reason, "viewer": viewer}
    if viewer is not None:
        context["csrf"] = csrf_token(request.cookies.get(COOKIE, ""))
    return aiohttp_jinja2.render_template("refused.html", request, context, status=status)


def _signed_out_or_refused(request: web.Request) -> web.Response:
    if request.cookies.get(COOKIE):
        reason = "Your session has ended (sessions last eight hours) or is not valid here."
    else:
        reason = "You are not signed in."
    return _refused(request, 401, "Please sign in", reason)


def _not_yours(request: web.Request, viewer: Viewer) -> web.Response:
    return _refused(
        request,
        403,
        "Not your program",
        "Only a program's coordinators can see its page, and you don't coordinate this one "
        "(or it doesn't exist).",
        viewer,
    )


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    """Security headers on every response under /dashboard; no-store on all but the
    stylesheet (so no page with data is kept by a browser or a proxy)."""
    if request.path != PREFIX and not request.path.startswith(PREFIX + "/"):
        return
    response.headers.update(SECURITY_HEADERS)
    if not request.path.startswith(f"{PREFIX}/static/"):
        response.headers["Cache-Control"] = "no-store"


def register(
    server: web.Application,
    dashboard: Dashboard,
    blocking: Blocking,
    clock: Clock,
    *,
    secure: bool,
    limit: RateLimit | None = None,
) -> None:
    """Mount the dashboard under ``/dashboard`` on ``tandem serve``'s server."""
    aiohttp_jinja2.setup(
        server,
        loader=jinja2.PackageLoader("adapters.dashboard", "templates"),
        autoescape=jinja2.select_autoescape(["html"], default=True),
        undefined=jinja2.StrictUndefined,
    )
    site = Site(dashboard, blocking, secure, limit or RateLimit(clock))
    routes = server.router
    routes.add_get(PREFIX, site.programs)
    routes.add_get(f"{PREFIX}/", site.programs)
    routes.add_get(f"{PREFIX}/login/{{token}}", site.login)
    routes.add_post(f"{PREFIX}/logout", site.logout)
    routes.add_get(f"{PREFIX}/programs/{{slug}}", site.program)
    routes.add_get(f"{PREFIX}/programs/{{slug}}/{{what}}.csv", site.export)
    routes.add_static(f"{PREFIX}/static", Path(__file__).parent / "static", append_version=False)
    server.on_response_prepare.append(_headers)
