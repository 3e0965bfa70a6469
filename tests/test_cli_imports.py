"""`diplobot ask` imports only what its command needs: a lookup loads neither Discord,
curation, the plotting stack nor the migration tool."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import diplobot_environment

CHILD = """
import json, sys
from bot.cli import main
status = main(["ask", "--json", sys.argv[1]])
heavy = ("discord", "bot.chat", "bot.curation", "bot.drafting", "matplotlib", "alembic")
loaded = sorted(name for name in sys.modules if name.split(".")[0] in heavy or
                name.startswith(("bot.chat", "bot.curation", "bot.drafting")))
print(json.dumps({"status": status, "loaded": loaded}), file=sys.stderr)
"""


def imported_by(tmp_path: Path, seeded_file: Path, line: str) -> dict[str, object]:
    shutil.copyfile(seeded_file, tmp_path / "store.db")
    env = diplobot_environment(tmp_path, f"sqlite:///{tmp_path / 'store.db'}")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, line],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    report: dict[str, object] = json.loads(done.stderr.strip().splitlines()[-1])
    return report


@pytest.mark.slow
def test_a_lookup_loads_no_discord_curation_plotting_or_migrations(
    tmp_path: Path, seeded_file: Path
) -> None:
    report = imported_by(tmp_path, seeded_file, "!who nozdrev")
    assert report == {"status": 0, "loaded": []}


@pytest.mark.slow
def test_a_curation_line_loads_curation_when_it_needs_it(tmp_path: Path, seeded_file: Path) -> None:
    report = imported_by(tmp_path, seeded_file, "curate history")
    loaded = report["loaded"]
    assert isinstance(loaded, list) and "bot.curation.operations" in loaded
    assert not any(name.startswith(("discord", "matplotlib")) for name in loaded)


def test_importing_the_command_line_loads_almost_nothing() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys, bot.cli; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    loaded = done.stdout.split()
    assert not [name for name in loaded if name.split(".")[0] in ("sqlalchemy", "numpy", "discord")]
