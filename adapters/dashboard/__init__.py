"""The coordinators' web dashboard, served by ``tandem serve`` under ``/dashboard``:
server-side HTML (Jinja2 through aiohttp-jinja2), a plain stylesheet, no script."""
