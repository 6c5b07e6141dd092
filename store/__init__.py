"""Storage: SQLAlchemy 2 models, repositories and the unit of work behind :mod:`bot.ports`."""
