"""Adapters: each puts the engine on one platform (console, Slack, Teams)."""
