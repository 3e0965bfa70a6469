"""How fast lookups are on a large synthetic catalog, relative to plain rapidfuzz.

    python bench/lookup.py                  # 10,000 entities, 30,000 facts
    python bench/lookup.py --entities 2000  # quicker
    python bench/lookup.py --profile        # also profile resolve with cProfile

Machines are shared and noisy, so the numbers that matter are medians, p95s and
ratios against a baseline measured in the same process (rapidfuzz's
``process.extractOne`` over the same keys), not absolute pass/fail thresholds.
See bench/README.md for what each row means and the last run.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import MISS_WORDS, World  # noqa: E402
from bot.answers import commands  # noqa: E402
from bot.answers.catalog import Catalog, EntityRecord  # noqa: E402
from bot.core.answer import FactView, SourceRef  # noqa: E402
from bot.curation.transfer import load_file  # noqa: E402
from bot.records.actor import Actor  # noqa: E402
from bot.search.index import SearchIndex  # noqa: E402
from bot.search.normalize import match_keys  # noqa: E402
from bot.search.results import Outcome, Resolution  # noqa: E402
from bot.store.db import Store  # noqa: E402

DISCORD_DEADLINE_S = 3.0
"""Discord drops an autocomplete or interaction not answered within this."""

T = TypeVar("T")
R = TypeVar("R")

# ---------------------------------------------------------------------------
# Queries as people type them.


def typo(rng: random.Random, text: str) -> str:
    """text with one slip: a letter dropped, doubled, swapped with the next, or replaced."""
    if len(text) < 4:
        return text
    at = rng.randrange(1, len(text) - 1)
    slip = rng.randrange(4)
    if slip == 0:
        return text[:at] + text[at + 1 :]
    if slip == 1:
        return text[:at] + text[at] + text[at:]
    if slip == 2:
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    return text[:at] + rng.choice("aeiourstn") + text[at + 1 :]


def lookup_queries(
    rng: random.Random, entities: Sequence[EntityRecord], count: int
) -> dict[str, list[tuple[str, str | None]]]:
    """(query, the entity meant or None) by kind of query, count in all."""
    picks = rng.sample(list(entities), count)
    share = count // 10
    groups: dict[str, list[tuple[str, str | None]]] = {
        "exact": [],
        "typo": [],
        "prefix": [],
        "cyrillic": [],
        "miss": [],
    }
    for position, record in enumerate(picks):
        key = record.ref.key
        if position < 3 * share:
            groups["exact"].append((rng.choice((record.ref.name, *record.aliases)), key))
        elif position < 6 * share:
            groups["typo"].append((typo(rng, record.ref.name).lower(), key))
        elif position < 8 * share:
            word = max(record.ref.name.split(), key=len)
            groups["prefix"].append((word[: rng.randint(3, 6)].lower(), key))
        elif position < 9 * share:
            cyrillic = [a for a in record.aliases if not a.isascii()]
            text = cyrillic[0] if cyrillic else record.ref.name
            groups["cyrillic"].append((typo(rng, text) if rng.random() < 0.5 else text, key))
        else:
            words = rng.sample(MISS_WORDS, rng.randint(1, 2))
            groups["miss"].append((" ".join(words), None))
    return groups


def autocomplete_prefixes(
    rng: random.Random, entities: Sequence[EntityRecord], count: int
) -> list[str]:
    """What Discord sends while a name is typed: its first 1, 2, 3 ... letters."""
    prefixes: list[str] = []
    while len(prefixes) < count:
        name = rng.choice(list(entities)).ref.name.lower()
        prefixes.extend(name[:length] for length in range(1, min(len(name), 9) + 1))
    return prefixes[:count]


def search_queries(rng: random.Random, facts: Sequence[FactView], count: int) -> list[str]:
    """!search words: fact words, entity names, and words no fact holds."""
    queries: list[str] = []
    for _ in range(count):
        words = rng.choice(facts).text.rstrip(".").split()
        roll = rng.random()
        if roll < 0.4:
            start = rng.randrange(max(1, len(words) - 2))
            queries.append(" ".join(words[start : start + 2]))
        elif roll < 0.8:
            queries.append(rng.choice(facts).about[0].name)
        else:
            queries.append(" ".join(rng.sample(MISS_WORDS, 2)))
    return queries


# ---------------------------------------------------------------------------
# Measuring.


@dataclass(frozen=True, slots=True)
class Timing:
    """Wall-clock durations of one operation, in seconds."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        if len(self.samples) < 2:
            return self.samples[0]
        return statistics.quantiles(self.samples, n=100, method="inclusive")[94]

    @property
    def worst(self) -> float:
        return max(self.samples)


def timed(operation: Callable[[T], R], inputs: Iterable[T]) -> tuple[Timing, list[R]]:
    """Time operation once per input, after a garbage collection; also its results."""
    gc.collect()
    samples = []
    results = []
    for value in inputs:
        start = time.perf_counter()
        results.append(operation(value))
        samples.append(time.perf_counter() - start)
    return Timing(tuple(samples)), results


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.2f} ms"


def mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


class Table:
    """Rows of (measure, median, p95, note), printed aligned."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, measure: str, median: str = "", p95: str = "", note: str = "") -> None:
        self.rows.append((measure, median, p95, note))

    def print(self) -> None:
        header = ("measure", "median", "p95", "note")
        widths = [max(len(row[i]) for row in (header, *self.rows)) for i in range(4)]
        for number, row in enumerate((header, *self.rows)):
            print(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}")
            if number == 0:
                print("  ".join("-" * width for width in widths))


def build_times(
    entities: Sequence[EntityRecord],
    sources: Sequence[SourceRef],
    facts: Sequence[FactView],
    runs: int,
) -> tuple[Catalog, Timing]:
    samples = []
    catalog = None
    for _ in range(runs):
        match_keys.cache_clear()
        catalog = None
        gc.collect()
        start = time.perf_counter()
        catalog = Catalog(entities, sources, facts)
        samples.append(time.perf_counter() - start)
    assert catalog is not None
    return catalog, Timing(tuple(samples))


def traced(make: Callable[[], T]) -> tuple[T, int, int]:
    """make()'s result, the bytes it still holds afterwards, and the peak while it ran."""
    match_keys.cache_clear()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    made = make()
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return made, after - before, peak - before


def outcomes(queries: Sequence[tuple[str, str | None]], resolved: Sequence[Resolution]) -> str:
    """How the group's queries resolved, e.g. ``found 41 (right 40), ambiguous 7, not found 2``."""
    found = right = ambiguous = missing = 0
    for (_, meant), resolution in zip(queries, resolved, strict=True):
        if resolution.outcome is Outcome.FOUND:
            found += 1
            right += resolution.best is not None and resolution.best.entity == meant
        elif resolution.outcome is Outcome.AMBIGUOUS:
            ambiguous += 1
        else:
            missing += 1
    return f"found {found} (right {right}), ambiguous {ambiguous}, not found {missing}"


def seed_catalog(runs: int) -> tuple[Catalog, Timing]:
    """The real seed data in a fresh SQLite store, and how long Catalog.load takes."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'seed.db'}")
        try:
            load_file(store, ROOT / "data" / "seed.yaml", Actor(None, "bench"))
            loads, catalogs = timed(lambda _: Catalog.load(store), range(runs))
            return catalogs[-1], loads
        finally:
            store.close()


def profile_resolve(index: SearchIndex, queries: Sequence[str]) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for query in queries:
        index.resolve(query)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    print(out.getvalue())


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=10_000, help="synthetic entities")
    parser.add_argument("--queries", type=int, default=500, help="resolve queries")
    parser.add_argument("--seed", type=int, default=20240324, help="random seed")
    parser.add_argument("--profile", action="store_true", help="profile resolve with cProfile")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    world = World(args.seed)
    (entities, sources, facts), records_kept, _ = traced(lambda: world.generate(args.entities))
    rng = random.Random(args.seed + 1)
    lookups = lookup_queries(rng, entities, args.queries)
    all_lookups = [query for group in lookups.values() for query, _ in group]
    prefixes = autocomplete_prefixes(rng, entities, 300)
    words = search_queries(rng, facts, max(10, args.queries // 25))

    catalog, build = build_times(entities, sources, facts, runs=3)
    _, kept, peak = traced(lambda: Catalog(entities, sources, facts))
    index = catalog.index
    # Exactly the folded keys the index scores against, whatever Catalog chooses to index.
    keys = index.keys

    print(
        f"diplobot lookup benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs"
    )
    print(
        f"synthetic catalog: {len(entities):,} entities, {len(keys):,} alias keys, "
        f"{len(facts):,} facts, {len(sources):,} sources (random seed {args.seed})\n"
    )

    # Warm up caches and the allocator, then measure ours and the baseline interleaved
    # group by group, so a burst of noise hits both.
    for query in all_lookups[:20]:
        index.resolve(query)
        process.extractOne(query, keys, scorer=fuzz.WRatio)

    table = Table()
    table.add("catalog build (3 runs)", ms(build.median), "", f"worst {ms(build.worst)}")
    table.add("memory: records", mib(records_kept), "", "entities, sources, facts as given")
    table.add(
        "memory: catalog on top", mib(kept), "", f"tracemalloc peak {mib(peak)} while building"
    )

    ours_all: list[float] = []
    base_all: list[float] = []
    for group, queries in lookups.items():
        texts = [query for query, _ in queries]
        ours, resolved = timed(index.resolve, texts)
        base, _ = timed(lambda q: process.extractOne(q, keys, scorer=fuzz.WRatio), texts)
        ours_all.extend(ours.samples)
        base_all.extend(base.samples)
        table.add(
            f"resolve: {group} ({len(texts)})",
            ms(ours.median),
            ms(ours.p95),
            f"{ours.median / base.median:.1f}x baseline; {outcomes(queries, resolved)}",
        )
    ours_total, base_total = Timing(tuple(ours_all)), Timing(tuple(base_all))
    table.add(
        f"resolve: all ({len(ours_all)})",
        ms(ours_total.median),
        ms(ours_total.p95),
        f"{ours_total.median / base_total.median:.1f}x baseline median, "
        f"{ours_total.p95 / base_total.p95:.1f}x p95",
    )
    table.add(
        "baseline: extractOne WRatio",
        ms(base_total.median),
        ms(base_total.p95),
        "rapidfuzz over the same keys, same queries",
    )

    complete, _ = timed(lambda prefix: index.search(prefix, limit=25), prefixes)
    base_complete, _ = timed(
        lambda prefix: process.extract(prefix, keys, scorer=fuzz.WRatio, limit=25), prefixes
    )
    table.add(
        f"autocomplete search(limit=25) ({len(prefixes)})",
        ms(complete.median),
        ms(complete.p95),
        f"worst {ms(complete.worst)}: {DISCORD_DEADLINE_S / complete.worst:,.0f}x under "
        f"Discord's {DISCORD_DEADLINE_S:.0f} s; {complete.median / base_complete.median:.1f}x "
        "extract(limit=25)",
    )

    search, _ = timed(lambda text: commands.answer(catalog, f"!search {text}"), words)
    table.add(
        f"answer('!search ...') ({len(words)})",
        ms(search.median),
        ms(search.p95),
        f"worst {ms(search.worst)}: {DISCORD_DEADLINE_S / search.worst:,.1f}x under "
        f"Discord's {DISCORD_DEADLINE_S:.0f} s",
    )

    seed, seed_load = seed_catalog(runs=5)
    seed_queries = ["nozdrev", "nozdrv", "Ноздрёв", "kuril", "etorofu", "japn", "xylo quaff"]
    seed_resolve, _ = timed(seed.index.resolve, seed_queries * 20)
    seed_dispute, _ = timed(lambda _: commands.answer(seed, "!dispute kuril"), range(50))
    table.add(
        f"seed: Catalog.load ({len(seed.entities)} entities) (5)",
        ms(seed_load.median),
        "",
        "from SQLite",
    )
    table.add("seed: resolve", ms(seed_resolve.median), ms(seed_resolve.p95))
    table.add("seed: answer('!dispute kuril')", ms(seed_dispute.median), ms(seed_dispute.p95))

    table.print()
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")

    if args.profile:
        print("\ncProfile of resolve over every lookup query, by own time")
        print("(rapidfuzz's C calls are counted in the Python function that makes them):")
        profile_resolve(index, all_lookups)


if __name__ == "__main__":
    main()
