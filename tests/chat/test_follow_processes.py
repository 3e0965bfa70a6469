"""Follows across real processes: two diplobot processes on one store, each with its own
fake Discord holding the same server (the worst case: both could post), and changes
committed from outside both of them, as the console or an import would.

Each change is posted exactly once, within 5 seconds of its commit. The test prints
the median and worst delay (run with ``-s``); bench/README.md records them.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from bot.config import Settings
from bot.curation.transfer import load_data
from bot.library import Library
from bot.records.actor import Actor
from bot.store import follows as stored
from bot.store.db import Store
from tests.conftest import diplobot_environment

pytestmark = pytest.mark.slow  # real diplobot processes

WITHIN = 5.0
"""How soon after its commit a change must be posted, in seconds."""
CHANGES = 10
SOURCE = "russia-warns-japan-patriots-2024-03-24"


class BotProcess:
    """``python -m tests.chat.follow_process``, read line by line."""

    def __init__(self, cwd: Path, env: dict[str, str], name: str) -> None:
        self.name = name
        self.log = (cwd / f"{name}.stderr").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.chat.follow_process"],
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            text=True,
        )
        self.lines: list[str] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream: IO[str] | None = self.process.stdout
        assert stream is not None
        for line in stream:
            with self.changed:
                self.lines.append(line.strip())
                self.changed.notify_all()

    def ready(self, timeout: float = 90) -> tuple[int, int]:
        """The server and channel its fake Discord has, once its bot is connected."""
        with self.changed:
            if not self.changed.wait_for(
                lambda: any(x.startswith("ready") for x in self.lines), timeout
            ):
                raise AssertionError(f"{self.name} never connected; see {self.log.name}")
            _, guild, channel = next(x for x in self.lines if x.startswith("ready")).split()
        return int(guild), int(channel)

    def posts(self) -> list[dict[str, Any]]:
        with self.changed:
            return [json.loads(x) for x in self.lines if x.startswith("{")]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def processes(tmp_path: Path, database_url: str) -> Iterator[tuple[str, list[BotProcess]]]:
    Library.open(Settings.from_mapping({"DATABASE_URL": database_url})).close()  # seeded
    env = diplobot_environment(tmp_path, database_url)
    started = [BotProcess(tmp_path, env, name) for name in ("bot-a", "bot-b")]
    try:
        yield database_url, started
    finally:
        for process in started:
            process.stop()


def commit_fact(url: str, number: int) -> float:
    """Add one fact about Japan as another process would; when its commit returned."""
    store = Store.open(url, migrate=False)
    try:
        record = {
            "key": f"japan-follow-{number}",
            "text": f"Japan follow check {number}.",
            "date": "2024-03",
            "about": ["japan"],
            "source": SOURCE,
        }
        load_data(store, {"facts": [record]}, "test", Actor(None, "console"))
        return time.time()
    finally:
        store.close()


def test_each_change_is_posted_once_within_5_seconds(
    processes: tuple[str, list[BotProcess]],
) -> None:
    url, bots = processes
    guild, channel = bots[0].ready()
    assert bots[1].ready() == (guild, channel), "both processes hold the same server"
    store = Store.open(url, migrate=False)
    try:
        stored.add(store, guild, channel, "japan", "each", 1)
    finally:
        store.close()

    delays = []
    for number in range(CHANGES):
        committed = commit_fact(url, number)
        text = f"Japan follow check {number}."
        deadline = committed + WITHIN + 5
        while time.time() < deadline:
            seen = [p for bot in bots for p in bot.posts() if text in (p["description"] or "")]
            if seen:
                delays.append(seen[0]["at"] - committed)
                break
            time.sleep(0.02)
        else:
            raise AssertionError(f"change {number} was not posted")
        time.sleep(0.4)  # changes arrive at different points of the bots' polling
    time.sleep(3)  # room for a second post, should one come

    everything = [p for bot in bots for p in bot.posts()]
    for number in range(CHANGES):
        text = f"Japan follow check {number}."
        assert sum(text in (p["description"] or "") for p in everything) == 1, text
    median, worst = statistics.median(delays), max(delays)
    print(f"\nfollow post delay over {CHANGES} changes: median {median:.2f} s, worst {worst:.2f} s")
    print(f"posts by process: {[len(bot.posts()) for bot in bots]}")
    assert worst < WITHIN


def test_a_change_made_while_the_bot_was_down_is_posted_when_it_is_back(
    tmp_path: Path, database_url: str
) -> None:
    Library.open(Settings.from_mapping({"DATABASE_URL": database_url})).close()  # seeded
    env = diplobot_environment(tmp_path, database_url)
    first = BotProcess(tmp_path, env, "before")
    try:
        guild, channel = first.ready()
        store = Store.open(database_url, migrate=False)
        try:
            stored.add(store, guild, channel, "japan", "each", 1)
        finally:
            store.close()
    finally:
        first.stop()
    commit_fact(database_url, 99)  # nobody is running

    again = BotProcess(tmp_path, env, "after")
    try:
        again.ready()
        deadline = time.time() + 30
        while time.time() < deadline and not again.posts():
            time.sleep(0.05)
        time.sleep(2)
        assert [p["title"] for p in again.posts()] == ["New fact about Japan"]
        assert "Japan follow check 99." in (again.posts()[0]["description"] or "")
    finally:
        again.stop()
