"""The program runs itself: what is due when, derived from the database.

``calendar`` holds the pure date rules (cycles, milestones, the end of a match,
working hours, quiet days, message budgets). ``due`` walks every program and
queues what has come due in the outbox under deterministic keys, so running it
twice, or late, changes nothing twice and loses nothing.
"""
