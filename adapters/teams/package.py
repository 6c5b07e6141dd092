"""The Teams app package: ``manifest.json`` (v1.19) and two icons, zipped at the top level.

``tandem teams package --app-id ... --host ... --out tandem-teams.zip`` writes it;
a Teams admin uploads it (Teams admin center, or "Upload a custom app").
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from adapters.teams.config import GUID

MANIFEST_VERSION = "1.19"
SCHEMA = "https://developer.microsoft.com/en-us/json-schemas/teams/v1.19/MicrosoftTeams.schema.json"
ACCENT = "#3B5BA5"
MAX_COMMANDS = 10  # Teams lists at most ten commands


class PackageError(ValueError):
    """The package cannot be made as asked; the message says why."""


def manifest(
    app_id: str, host: str, commands: Sequence[tuple[str, str]], version: str
) -> dict[str, Any]:
    """The app manifest: a bot for personal chats and teams, with its commands."""
    if not GUID.match(app_id):
        raise PackageError(f"--app-id must be the bot's app id (a GUID), not {app_id[:40]!r}.")
    host = host.strip().removeprefix("https://").rstrip("/")
    if not host or "/" in host or " " in host:
        raise PackageError(
            f"--host must be a host name such as tandem.example.com, not {host[:60]!r}."
        )
    site = f"https://{host}"
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": "Tandem",
            "websiteUrl": f"{site}/",
            "privacyUrl": f"{site}/privacy",
            "termsOfUseUrl": f"{site}/terms",
        },
        "name": {"short": "Tandem", "full": "Tandem peer mentoring"},
        "description": {
            "short": "Peer mentoring that runs itself, inside Teams.",
            "full": (
                "Tandem runs your company's peer-mentoring program in Teams: join with a "
                "short survey, get matched with a colleague and told why, and receive a "
                "first-meeting guide, check-ins every few weeks, private feedback and goal "
                "check-ins. Coordinators set programs up and see how they are going."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal", "team"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": ["personal"],
                        "commands": [
                            {"title": name[:32], "description": summary[:128]}
                            for name, summary in commands[:MAX_COMMANDS]
                        ],
                    }
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host],
    }


def icons() -> dict[str, bytes]:
    """Two linked rings (a tandem): in colour, 192x192, and as a white outline,
    32x32 on transparent, as Teams asks."""
    return {"color.png": _rings(192, ACCENT, "white"), "outline.png": _rings(32, None, "white")}


def _rings(size: int, background: str | None, ink: str) -> bytes:
    image = Image.new("RGBA", (size, size), background or (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    width = max(2, size // 14)
    radius = size * 0.22
    for cx in (size * 0.38, size * 0.62):
        box = (cx - radius, size / 2 - radius, cx + radius, size / 2 + radius)
        draw.ellipse(box, outline=ink, width=width)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def write(
    out: Path, app_id: str, host: str, commands: Sequence[tuple[str, str]], version: str = "1.0.0"
) -> Path:
    """The zip, with manifest.json and the icons at its top level (no folder)."""
    files = {
        "manifest.json": json.dumps(manifest(app_id, host, commands, version), indent=2).encode(),
        **icons(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out
