"""The Slack app: slack-bolt on Tandem's aiohttp server, around the engine."""
