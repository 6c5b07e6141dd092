"""The program runs itself: what is due when, derived from the database.

``calendar`` holds the pure date rules (cycles, milestones, the end of a match,
working hours, quiet days, message budgets). ``due`` is the scheduler's entry
(:class:`~bot.cadence.due.Cadence`): for each program it runs the scheduled
rounds (``scheduled_rounds``), reads a ``snapshot``, lets the pure planners of
``agenda`` say what is due (the ``actions``) and has ``perform`` carry it out.
The services that flows call too: ``sender`` (queuing a message within the
delivery rules), ``publish`` (a round goes live, its matches are introduced)
and ``lifecycle`` (a match ends, kindly). Everything is queued in the outbox
under deterministic keys, so running a tick twice, or late, changes nothing
twice and loses nothing.
"""
