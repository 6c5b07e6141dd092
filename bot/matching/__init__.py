"""Matching: who meets whom, and why.

``score`` is the reference: a pure function of two profiles, the program's
settings and the history, giving a score and its reasons (or the hard rule that
forbids the pair). ``candidates`` computes the same scores for a whole pool at
once with numpy and keeps each person's best few; ``solve`` finds the best whole
round on that graph; ``circles`` groups people for learning circles; ``round``
puts it together for a program's format.
"""
