"""The matching before issue 18, frozen for side-by-side benchmarks only.

``benchmarks/matching.py`` runs these copies and today's ``bot.matching`` on the
same pools to print old versus new time, memory and total score. Nothing in the
product imports them.
"""
