"""Fakes of the platforms Tandem talks to, speaking their real wire formats over HTTP.

Shared by the tests and the benchmarks; nothing in the product imports them.
"""
