"""Installing Tandem the way ``make`` does prints nothing of ours."""

from __future__ import annotations

import re
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).parents[2]
# pip's own notes on this machine's package-index settings: not ours to silence.
_MACHINE = re.compile(r"^WARNING: Location '.*' is ignored")


def test_an_editable_install_prints_no_warnings(tmp_path: Path) -> None:
    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(target / "bin" / "python"),
            "install",
            "--quiet",
            "--no-deps",
            "-e",
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    said = [x for x in (done.stdout + done.stderr).splitlines() if x.strip()]
    ours = [x for x in said if not _MACHINE.match(x)]
    assert ours == [], "\n".join(ours[:20])
