"""A program's report: what the engine measures, computed once as a neutral value.

``facts`` is what the store hands over (statuses, dates, numbers - never what
anyone wrote in private); ``build`` turns facts into a :class:`~bot.report.document.Report`
with privacy applied where it is made; every surface (chat, charts, CSV, the
digest, the dashboard) renders that one value.
"""
