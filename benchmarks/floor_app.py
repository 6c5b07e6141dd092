"""The floor for Slack acknowledgements: a bolt app that stores the raw request, then acks.

    python -m benchmarks.floor_app    (PORT, DATABASE_URL, SLACK_* from the environment)

Nothing can acknowledge a Slack request durably with less work than this: bolt
checks the signature and parses the body, one INSERT of the raw request is
committed, and the ack goes out. ``benchmarks.serve_load`` runs it beside
``tandem serve`` on the same database and the same load, so Tandem's figures
read against what the machine and the database allow.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text, insert, text

from store.database import create_db_engine

_METADATA = MetaData()
RAW = Table(
    "floor_requests",
    _METADATA,
    Column("id", Integer, primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("body", Text, nullable=False),
)


def build() -> web.Application:
    database = create_db_engine(os.environ["DATABASE_URL"])
    _METADATA.create_all(database)

    def store(body: dict[str, Any]) -> None:
        with database.begin() as connection:
            connection.execute(
                insert(RAW), {"received_at": datetime.now(UTC), "body": json.dumps(body)}
            )

    async def persist_then_ack(ack: Any, body: dict[str, Any]) -> None:
        await asyncio.get_running_loop().run_in_executor(None, store, body)
        await ack()

    bolt = AsyncApp(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        client=AsyncWebClient(
            token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]
        ),
        process_before_response=True,
    )
    bolt.command("/mentor")(persist_then_ack)
    bolt.action(re.compile(".+"))(persist_then_ack)
    bolt.view(re.compile(".+"))(persist_then_ack)

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def healthz(_: web.Request) -> web.Response:
        def check() -> None:
            with database.connect() as connection:
                connection.execute(text("SELECT 1"))

        await asyncio.get_running_loop().run_in_executor(None, check)
        return web.json_response({"status": "ok"})

    server = web.Application()
    server.router.add_post("/slack/events", events)
    server.router.add_get("/healthz", healthz)
    return server


def main() -> None:
    web.run_app(build(), host="127.0.0.1", port=int(os.environ["PORT"]), print=None)


if __name__ == "__main__":
    main()
