"""Several real diplobot processes on one store: a change made in any of them, or by an
import from yet another, is answered by the others within 2 seconds, without a restart.

Each test starts two ``diplobot console`` processes talking through pipes, on
SQLite (one file) and on PostgreSQL (a fresh schema, when
DIPLOBOT_TEST_POSTGRES_URL names a server). Run with ``-s`` to see how long
changes took to propagate.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
import yaml
from sqlalchemy.engine import make_url

from bot.console import PROMPT
from tests.conftest import diplobot_environment

pytestmark = pytest.mark.slow  # real diplobot processes

WITHIN = 2.0
"""How soon another process must answer with a change, in seconds."""

NAMES = ["Quillbrook", "Marzipanov", "Tundrashev", "Olliphant", "Brixworthy"]
"""Aliases added one by one: nothing in the seed resembles them, nor they each other."""

ENVOYS = ["Zebulon Fairweather", "Ottoline Grimsditch", "Cornelius Waxley"]
"""People imported one by one from a file."""


class Console:
    """A ``diplobot console`` process, typed into and read from through pipes."""

    def __init__(self, cwd: Path, env: dict[str, str], name: str) -> None:
        self.name = name
        self.log = (cwd / f"{name}.stderr").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=cwd,
            env=env,
            bufsize=0,
        )
        self.output = ""
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self._wait_for_prompts(1, timeout=60)

    def _read(self) -> None:
        stream: IO[bytes] | None = self.process.stdout
        assert stream is not None
        buffered = b""
        while chunk := stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536):
            buffered += chunk
            text = buffered.decode("utf-8", errors="ignore")
            with self.changed:
                self.output = text
                self.changed.notify_all()

    def _wait_for_prompts(self, count: int, timeout: float) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: self.output.count(PROMPT) >= count, timeout):
                raise AssertionError(f"{self.name} gave no prompt; it printed:\n{self.output}")

    def send(self, line: str, timeout: float = 30) -> str:
        """Type line and return the answer printed before the next prompt."""
        with self.changed:
            prompts = self.output.count(PROMPT)
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()
        self._wait_for_prompts(prompts + 1, timeout)
        with self.changed:
            return self.output.split(PROMPT)[prompts].strip()

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()  # end of input: the console says goodbye
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(5)
        self.log.close()


@pytest.fixture
def consoles(
    tmp_path: Path, database_url: str
) -> Iterator[tuple[Console, Console, dict[str, str]]]:
    """Two consoles on one freshly seeded store, and the environment they run in."""
    env = diplobot_environment(tmp_path, database_url)
    seeded = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "who nozdrev"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    first, second = Console(tmp_path, env, "first"), Console(tmp_path, env, "second")
    try:
        yield first, second, env
    finally:
        first.close()
        second.close()


def _seen_within(console: Console, command: str, expected: str, since: float) -> float:
    """Ask console command until its answer starts with expected; seconds since since."""
    while True:
        answer = console.send(command)
        if answer.startswith(expected):
            return time.monotonic() - since
        assert time.monotonic() - since < WITHIN, (
            f"{console.name} still answers {command!r} with:\n{answer}"
        )
        time.sleep(0.02)


def _report(what: str, url: str, delays: list[float]) -> None:
    backend = make_url(url).get_backend_name()
    print(
        f"\n{what} on {backend}: median {statistics.median(delays) * 1000:.0f} ms, "
        f"worst {max(delays) * 1000:.0f} ms over {len(delays)} changes"
    )


def test_a_curation_in_one_console_is_answered_by_the_other(
    consoles: tuple[Console, Console, dict[str, str]], database_url: str
) -> None:
    first, second, _env = consoles
    delays = []
    for number, alias in enumerate(NAMES):
        writer, reader = (first, second) if number % 2 == 0 else (second, first)
        assert reader.send(f"who {alias}").startswith("No person or organisation")
        started = time.monotonic()
        done = writer.send(f"curate alias add nikolai-nozdrev {alias}")
        assert alias in done, done
        # The clock started before the change was typed: the change itself is included.
        delays.append(_seen_within(reader, f"who {alias}", "Nikolai Nozdrev", started))
    assert max(delays) < WITHIN
    _report("console → console (from typing the change)", database_url, delays)


def test_an_import_from_a_third_process_is_answered_by_both(
    consoles: tuple[Console, Console, dict[str, str]], database_url: str, tmp_path: Path
) -> None:
    first, second, env = consoles
    delays = []
    for number, name in enumerate(ENVOYS):
        surname = name.split()[-1]
        assert first.send(f"who {surname}").startswith("No person or organisation")
        path = tmp_path / f"envoy-{number}.yaml"
        entity = {"key": f"envoy-{number}", "kind": "person", "name": name, "summary": "An envoy."}
        path.write_text(yaml.safe_dump({"entities": [entity]}), encoding="utf-8")
        imported = subprocess.run(
            [sys.executable, "-m", "bot", "import", str(path)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert imported.returncode == 0, imported.stdout + imported.stderr
        exited = time.monotonic()  # the import committed before its process exited
        for console in (first, second):
            delays.append(_seen_within(console, f"about {surname}", name, exited))
    assert max(delays) < WITHIN
    _report("import → consoles (from the importer's exit)", database_url, delays)
