"""A report drawn and written: charts (matplotlib, Agg), CSV exports, one HTML page.

Everything here renders :class:`bot.report.document.Report` values or the engine's
:class:`bot.outbound.Chart` blocks; nothing here computes a number.
"""
