"""How long a curated change takes to reach lookups, without a full rebuild.

    python bench/changes.py                    # 200,000 aliases: about a minute on 2 cores
    python bench/changes.py --aliases 1000000  # the big run: a few minutes, about 2 GB

Builds a synthetic catalog (bench/synthetic.py: entities, sources, three facts
per entity) and times `Catalog.changed` for the two changes curators make most:
one entity's aliases replaced, and one fact added. Each is timed applied to the
freshly built catalog and applied in a chain (each change on top of the last,
as a running bot applies them), against the full rebuild it replaces
(`Catalog(...)` over the same records). Then, on the real seed in a temporary
SQLite store, the whole path a change takes in one process: the curation
command commits, `Library.refresh` reads the changed records and applies them,
and the next lookup answers with the change.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import synthetic  # noqa: E402
from bot.answers.catalog import Catalog  # noqa: E402
from bot.curation import edits  # noqa: E402
from bot.curation.transfer import load_file  # noqa: E402
from bot.library import Library  # noqa: E402
from bot.records.actor import Actor  # noqa: E402
from bot.records.reader import Delta  # noqa: E402
from bot.records.shapes import AliasSpec, EntitySpec, FactSpec, Subject  # noqa: E402
from bot.search.results import Outcome  # noqa: E402
from bot.store.db import Store  # noqa: E402
from bot.store.models import Kind  # noqa: E402

CURATOR = Actor("1", "bench")
SEED = ROOT / "data" / "seed.yaml"


def milliseconds(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return f"median {statistics.median(ordered) * 1e3:8.2f} ms   p99 {p99 * 1e3:8.2f} ms"


def alias_change(catalog: Catalog, key: str, number: int) -> Delta:
    """The entity's aliases replaced by one new one, as `records.changes_since` reads it."""
    ref = catalog.entities[key].ref
    spec = EntitySpec(
        ref.key, Kind(ref.kind), ref.name, ref.summary, aliases=(AliasSpec(f"Zyxwa {number}"),)
    )
    return Delta(sources={}, entities={key: spec}, facts={})


def fact_change(catalog: Catalog, about: str, number: int) -> Delta:
    source = next(iter(catalog.sources))
    spec = FactSpec(f"bench-fact-{number}", "A new statement.", (Subject(about),), (source,))
    return Delta(sources={}, entities={}, facts={spec.key: spec})


def in_memory(aliases: int, runs: int) -> None:
    world = synthetic.World(20240324)
    entities, sources, facts = world.generate(-(-aliases // synthetic.ALIASES_PER_ENTITY))
    started = time.perf_counter()
    catalog = Catalog(entities, sources, facts)
    rebuild = time.perf_counter() - started
    names = sum(1 + len(record.aliases) for record in entities)
    print(f"catalog: {len(entities):,} entities, {names:,} names and aliases, {len(facts):,} facts")
    print(f"full rebuild (what a change cost before)        {rebuild * 1e3:10.0f} ms")
    keys = [record.ref.key for record in entities[:: max(1, len(entities) // runs)]][:runs]

    for label, make in (("one entity's aliases", alias_change), ("one fact added", fact_change)):
        fresh, chained = [], []
        running = catalog
        for number, key in enumerate(keys):
            delta = make(catalog, key, number)
            started = time.perf_counter()
            catalog.changed(delta)
            fresh.append(time.perf_counter() - started)
            started = time.perf_counter()
            running = running.changed(delta)
            chained.append(time.perf_counter() - started)
        print(f"{label:30} on the built catalog  {milliseconds(fresh)}")
        print(f"{label:30} chained, {len(keys)} changes {milliseconds(chained)}")
    last = running.resolve(f"zyxwa {len(keys) - 1}")
    assert last.outcome is Outcome.FOUND or keys, "the last change is answered"


def through_the_store(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'bench.db'}")
        load_file(store, SEED, Actor(None, "seed"))
        library = Library(store)
        seconds = []
        for number in range(runs):
            started = time.perf_counter()
            edits.add_alias(store, CURATOR, "japan", f"Zyxwa {number}")
            library.refresh()
            found = library.catalog.resolve(f"zyxwa {number}")
            seconds.append(time.perf_counter() - started)
            assert found.best is not None and found.best.entity == "japan"
        library.close()
    print(f"seed store: commit, refresh, answer (SQLite)  {milliseconds(seconds)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--aliases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    print(
        f"diplobot change benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"Python {platform.python_version()}, {platform.machine()}"
    )
    in_memory(args.aliases, args.runs)
    through_the_store(args.runs)


if __name__ == "__main__":
    main()
