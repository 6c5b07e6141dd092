"""Tandem's platform-neutral engine.

Nothing in this package knows about Slack, Teams, SQL or schedulers: adapters
translate platform requests into :mod:`bot.events`, call :class:`bot.engine.Engine`
and render the :mod:`bot.outbound` it returns. The import-linter contract in
``pyproject.toml`` keeps it that way.
"""
