"""The console adapter: Tandem in a terminal, a pipe, or a test's dialog table."""
