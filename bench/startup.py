"""How long diplobot takes to start, each command a process of its own.

    python bench/startup.py                  # seed store and 50,000 entities: about 3 minutes
    python bench/startup.py --large          # also 250,000 entities (1,000,000 aliases)
    python bench/startup.py --entities 5000  # a quick look

Stores are SQLite files in a temporary directory: the seed store, and the seed plus
synthetic entities (bench.synthetic, about four names each, no facts of their own)
written by ``diplobot import``. For each, in the same run:

- ``ask`` cold: ``diplobot ask '!who nozdrev'`` with ``CACHE_DIR=none``, so the catalog
  is read from the store and its indexes built, as before snapshots;
- ``ask`` first after the import: the cache empty, so this run builds and saves the
  snapshot (what one run after every import pays);
- ``ask`` with the snapshot: the same command once the snapshot exists (median);
- bot start-up: what ``diplobot run`` does before it can answer, in a process: import
  the Discord layer, open the library with every fact in memory, and have the names
  matcher (``!names``, the "Names in this message" menu) ready; cold, first (which
  also saves the names automaton), and from the snapshot.

Times are wall-clock from starting the process to its exit (medians of --runs).
The ratio the targets are read from is the 50,000-entity ``ask`` with the snapshot
over the seed store's, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import ALIASES_PER_ENTITY, World, import_document  # noqa: E402

ASK = ["-m", "bot", "ask", "!who nozdrev"]
BOT = """
import sys
import bot.chat.bot  # the Discord layer, as `diplobot run` imports it
from bot.config import Settings
from bot.library import Library
library = Library.open(Settings.load(None))
assert library.catalog.mentions.find("Nozdrev in Tokyo")
assert library.answer("!who nozdrev").status == "found"
library.close()
"""


def timed(args: Sequence[str], env: dict[str, str]) -> float:
    """Seconds from starting a Python process with args to its exit (which must be 0)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    return seconds


def environment(store: Path, cache: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LOG_LEVEL")}
    env.update(
        PYTHONPATH=str(ROOT),
        DATABASE_URL=f"sqlite:///{store}",
        CACHE_DIR=str(cache) if cache else "none",
        LOG_LEVEL="WARNING",
    )
    return env


def make_store(folder: Path, entities: int) -> Path:
    """The seed store plus entities synthetic ones, imported as a curator would."""
    store = folder / "store.db"
    env = environment(store, None)
    timed(["-m", "bot", "db", "upgrade"], env)
    timed(ASK, env)  # seeds it
    if entities:
        records = World(20240324).entities(entities)
        document = folder / "entities.json"
        document.write_text(json.dumps(import_document(records)), encoding="utf-8")
        started = time.perf_counter()
        timed(["-m", "bot", "import", str(document)], env)
        print(f"  imported {entities:,} entities in {time.perf_counter() - started:.0f} s")
    return store


def measure(name: str, store: Path, runs: int, *, bot_runs: int) -> dict[str, float]:
    """The rows of one store: ask and bot start-up, cold, first and with the snapshot."""
    cache = store.parent / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    cold_env, env = environment(store, None), environment(store, cache)
    rows: dict[str, float] = {}
    rows["ask: cold (no snapshot)"] = statistics.median(
        timed(ASK, cold_env) for _ in range(max(1, runs // 2))
    )
    rows["ask: first after the import"] = timed(ASK, env)
    rows["ask: with the snapshot"] = statistics.median(timed(ASK, env) for _ in range(runs))
    rows["bot start-up: cold (no snapshot)"] = timed(["-c", BOT], cold_env)
    shutil.rmtree(cache, ignore_errors=True)
    rows["bot start-up: first (saves both)"] = timed(["-c", BOT], env)
    rows["bot start-up: with the snapshot"] = statistics.median(
        timed(["-c", BOT], env) for _ in range(bot_runs)
    )
    size = sum(path.stat().st_size for path in cache.iterdir())
    rows["snapshot size, MB"] = size / 1e6
    for row, value in rows.items():
        print(f"  {row:<34} {value:8.2f}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=50_000)
    parser.add_argument("--large", action="store_true", help="also 250,000 entities")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    print(
        f"diplobot start-up benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    sizes = [0, args.entities] + ([250_000] if args.large else [])
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as temporary:
        for entities in sizes:
            folder = Path(temporary) / f"store-{entities}"
            folder.mkdir()
            name = (
                f"{entities:,} entities (~{entities * ALIASES_PER_ENTITY:,} aliases)"
                if entities
                else "seed store"
            )
            print(name)
            store = make_store(folder, entities)
            results[name] = measure(name, store, args.runs, bot_runs=max(1, args.runs // 2))
    seed = results["seed store"]["ask: with the snapshot"]
    for name, rows in results.items():
        ratio = rows["ask: with the snapshot"] / seed
        print(f"{name}: ask with the snapshot = {ratio:.2f}x the seed store's")
    print(
        f"whole run: {time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
