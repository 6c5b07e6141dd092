"""The Teams app package: a manifest Teams accepts (v1.19 schema), and its icons."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import jsonschema
from click.testing import CliRunner
from PIL import Image

from tandem.cli import main

SCHEMA = (
    Path(__file__).resolve().parents[1] / "schemas" / "teams" / "MicrosoftTeams.v1.19.schema.json"
)
APP_ID = "0b5e6d56-7b6e-4a39-9d53-8cbd5d4a6a11"


def _package(tmp_path: Path, *args: str) -> tuple[int, str, Path]:
    out = tmp_path / "tandem-teams.zip"
    result = CliRunner().invoke(main, ["teams", "package", *args, "--out", str(out)])
    return result.exit_code, result.output, out


def test_the_package_holds_a_valid_manifest_and_two_icons_at_its_top(tmp_path: Path) -> None:
    code, output, out = _package(tmp_path, "--app-id", APP_ID, "--host", "tandem.example.com")
    assert code == 0, output
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color = Image.open(io.BytesIO(archive.read("color.png")))
        outline = Image.open(io.BytesIO(archive.read("outline.png")))
    schema = json.loads(SCHEMA.read_text())
    problems = [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(manifest)]
    assert problems == []
    assert manifest["manifestVersion"] == "1.19" and manifest["id"] == APP_ID
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID and set(bot["scopes"]) == {"personal", "team"}
    commands = [c["title"] for c in bot["commandLists"][0]["commands"]]
    assert commands[:3] == ["join", "home", "match"] and len(commands) <= 10
    assert manifest["validDomains"] == ["tandem.example.com"]
    assert color.size == (192, 192)
    assert outline.size == (32, 32) and outline.mode == "RGBA"
    pixels = [outline.getpixel((x, y)) for x in range(32) for y in range(32)]
    assert {p[3] for p in pixels} >= {0, 255}  # transparent around a drawn outline
    assert all(p[:3] == (255, 255, 255) for p in pixels if p[3])  # white, as Teams asks


def test_a_package_asked_for_wrongly_is_refused_with_a_reason(tmp_path: Path) -> None:
    code, output, out = _package(tmp_path, "--app-id", "not-a-guid", "--host", "x.example.com")
    assert code != 0 and "GUID" in output and not out.exists()
    code, output, _ = _package(tmp_path, "--app-id", APP_ID, "--host", "https://x.example.com/path")
    assert code != 0 and "host name" in output
