"""``tandem serve``: the scheduler and the web server."""

from __future__ import annotations

import click

from tandem.cli.app import command_app


@click.command()
@click.option(
    "--socket-mode",
    is_flag=True,
    help="Connect to Slack over Socket Mode (SLACK_APP_TOKEN) instead of a public URL.",
)
def serve(socket_mode: bool) -> None:
    """Run Tandem: the scheduler that keeps programs going, and the web server."""
    from aiohttp import web

    from adapters.dashboard.guards import AccessLog
    from tandem.serve import make_server

    with command_app(socket_mode=socket_mode) as app:
        server = make_server(app)
        click.echo(f"Tandem is running on port {app.settings.port} (Ctrl-C to stop).")
        web.run_app(server, port=app.settings.port, print=None, access_log_class=AccessLog)
