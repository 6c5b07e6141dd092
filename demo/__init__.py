"""The demo and the simulation: Tandem's own engine, driven by a synthetic workforce.

Not part of the product: nothing in ``bot``, ``adapters``, ``store`` or ``tandem``
imports this package (an import-linter contract). Its two commands, ``tandem demo``
and ``tandem simulate``, plug into the ``tandem`` command through the
``tandem.commands`` entry points (see :mod:`demo.cli`).

- ``workforce``: synthetic people (offices, departments, skills, goals), seeded;
- ``story`` tells the demo, chapter by chapter (``joining``, ``first_round``,
  ``months``, ``summary``) over one ``run.DemoRun``;
- ``sim``: the simulation, the real engine, scheduler and outbox on a manual clock.
"""
