"""How fast `!search` is at a million facts: the store's full-text index, against the
rapidfuzz scan over every fact's text that it replaced.

    python bench/fulltext.py                              # 1,000,000 facts, SQLite
    python bench/fulltext.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    python bench/fulltext.py --facts 20000                # a quick look

Facts are synthetic news sentences ("The foreign minister of Varosia warned ..."):
function words, a few hundred diplomatic words, and a long tail of made-up names, each
drawn with Zipf-like weights, so a few words are in most facts and most words in few.
They are bulk-loaded into a temporary SQLite store migrated to the head (executemany)
and, with ``--postgres``, into a throwaway schema of that server (COPY), dropped after.
The triggers and the generated column of migration 0003 build the index as rows go in.

What is timed is `Catalog.search_facts` on a catalog of the same facts whose searches
go to the store, per class of query: rare words, two words from one fact, very common
words, and one-typo words. The baseline is the old algorithm (rapidfuzz
``partial_token_set_ratio`` over every folded text, then ``WRatio`` on the shortlist),
timed on a sample of the texts and scaled to the full count: it is linear in the number
of texts, and the scaled figure says so rather than pretending it was run.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import platform
import random
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

import psycopg
import sqlalchemy as sa
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process
from sqlalchemy.engine import Engine, make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answers.catalog import Catalog, EntityRecord  # noqa: E402
from bot.core.answer import EntityRef, FactView, SourceRef  # noqa: E402
from bot.store.db import Store  # noqa: E402
from bot.store.fulltext import for_store  # noqa: E402

TARGET_MS = 50.0
"""Issue 7's budget for `!search`, p99, at 1,000,000 facts."""

# ---------------------------------------------------------------------------
# Synthetic facts.


def listed(words: str, separator: str = " ") -> list[str]:
    """A list written as one string, for the long word lists below."""
    return words.split(separator)


FUNCTION_WORDS = listed("the of and to in on a for with by at from that as over after its")
VERBS = listed(
    "said warned announced signed rejected accused urged proposed agreed demanded threatened "
    "denied welcomed condemned expelled recalled hosted visited pledged suspended resumed "
    "postponed extended approved blocked criticised praised questioned confirmed reported "
    "summoned protested ratified vetoed discussed offered requested delayed cancelled"
)
NOUNS = listed(
    "talks sanctions treaty agreement border troops ceasefire summit delegation envoy trade "
    "dispute islands missile defense embassy ambassador government parliament election aid "
    "loan pipeline gas oil grain port airspace drills exercises patrol vessel fishing waters "
    "claim sovereignty referendum resolution council vote veto tariffs exports imports "
    "investment visa refugees hostages prisoners exchange negotiations memorandum consulate "
    "diplomat spokesperson statement communique frontier garrison convoy shipment weapons "
    "systems deployment withdrawal annexation blockade corridor airstrike retaliation "
    "mediation framework protocol accord alliance partnership cooperation relations ties"
)
ADJECTIVES = listed(
    "new joint bilateral military economic nuclear maritime territorial diplomatic "
    "humanitarian regional strategic fresh further retaliatory unprecedented formal "
    "provisional binding disputed long-standing northern southern eastern western"
)
ROLES = listed(
    "foreign minister|defense minister|president|prime minister|ambassador|envoy|"
    "spokesperson|deputy foreign minister|trade minister|security council",
    "|",
)
SYLLABLES = listed(
    "ka ri no va le to mi sa ro de na ti lu be ko ra si po ve mo ta ne gu li da zo fe "
    "ha ju bo re shi ya an el or is um ar en ol ir"
)


def zipf(count: int, exponent: float = 1.0) -> list[float]:
    """Cumulative Zipf weights for count ranked choices."""
    return list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(count)))


def made_up(rng: random.Random, count: int, syllables: tuple[int, int]) -> list[str]:
    """count distinct made-up words of so many syllables."""
    words: dict[str, None] = {}
    while len(words) < count:
        size = rng.randint(*syllables)
        words["".join(rng.choice(SYLLABLES) for _ in range(size))] = None
    return list(words)


@dataclass(frozen=True, slots=True)
class World:
    """The synthetic store: countries (the catalog's entities) and facts about them."""

    countries: list[EntityRef]
    facts: list[FactView]
    happened: list[date | None]
    precision: list[str | None]


def build_world(count: int, seed: int = 7) -> World:
    """count facts, each a sentence about one or two of 200 countries."""
    rng = random.Random(seed)
    names = [name.capitalize() for name in made_up(rng, 200, (2, 3))]
    countries = [EntityRef(name.lower(), "country", name) for name in names]
    people = [name.capitalize() for name in made_up(rng, 20_000, (2, 4))]
    places = [name.capitalize() for name in made_up(rng, 5_000, (2, 4))]
    topics = made_up(rng, 30_000, (3, 5))
    weights = {
        "country": zipf(len(countries), 0.8),
        "people": zipf(len(people), 0.7),
        "places": zipf(len(places), 0.8),
        "topics": zipf(len(topics), 0.9),
        "verbs": zipf(len(VERBS)),
        "nouns": zipf(len(NOUNS), 0.8),
        "adjectives": zipf(len(ADJECTIVES)),
        "roles": zipf(len(ROLES)),
    }

    def pick(items: Sequence[object], kind: str) -> int:
        return rng.choices(range(len(items)), cum_weights=weights[kind])[0]

    source = SourceRef("bench-source", "A synthetic source")
    facts: list[FactView] = []
    happened: list[date | None] = []
    precision: list[str | None] = []
    for number in range(count):
        first = pick(countries, "country")
        second = pick(countries, "country")
        words = [
            "The" if rng.random() < 0.85 else "A",
            ROLES[pick(ROLES, "roles")],
            "of",
            names[first],
            people[pick(people, "people")],
            VERBS[pick(VERBS, "verbs")],
            rng.choice(FUNCTION_WORDS[:6]),
            ADJECTIVES[pick(ADJECTIVES, "adjectives")],
            NOUNS[pick(NOUNS, "nouns")],
            rng.choice(("with", "over", "against", "near")),
            names[second],
        ]
        if rng.random() < 0.6:
            words += ["in", places[pick(places, "places")]]
        if rng.random() < 0.5:
            words += [
                "after",
                "the",
                NOUNS[pick(NOUNS, "nouns")],
                "of",
                topics[pick(topics, "topics")],
            ]
        if rng.random() < 0.3:
            words += ["and", topics[pick(topics, "topics")]]
        text = " ".join(words) + "."
        about = (countries[first],) if first == second else (countries[first], countries[second])
        roll = rng.random()
        if roll < 0.08:
            day, shown, kept = None, None, None
        else:
            day = date(1990, 1, 1) + (date(2026, 11, 1) - date(1990, 1, 1)) * rng.random()
            if roll < 0.2:
                day, shown, kept = day.replace(month=1, day=1), f"{day.year}", "year"
            elif roll < 0.5:
                day, shown, kept = day.replace(day=1), f"{day:%Y-%m}", "month"
            else:
                shown, kept = day.isoformat(), "day"
        facts.append(FactView(f"f{number:07d}", text, shown, (source,), about))
        happened.append(day)
        precision.append(kept)
    return World(countries, facts, happened, precision)


# ---------------------------------------------------------------------------
# Loading the store in bulk (not through the curation writer).


FactRow = tuple[int, str, str, date | None, str | None]
"""A fact table row: id, key, text, happened, precision."""


def _rows(world: World) -> Iterator[FactRow]:
    for number, (fact, day, kept) in enumerate(
        zip(world.facts, world.happened, world.precision, strict=True), 1
    ):
        yield number, fact.key, fact.text, day, kept


def load_sqlite(store: Store, world: World) -> None:
    """Every row in one transaction with executemany; the triggers index as it goes."""
    pooled = store.engine.raw_connection()
    connection = cast(sqlite3.Connection, pooled.driver_connection)
    try:
        cursor = connection.cursor()
        cursor.execute("BEGIN")
        now = datetime.now(UTC).isoformat(sep=" ")
        cursor.execute(
            "INSERT INTO source (id, key, title, created_at, updated_at) VALUES (1, ?, ?, ?, ?)",
            ("bench-source", "A synthetic source", now, now),
        )
        cursor.executemany(
            "INSERT INTO entity (id, key, kind, name, summary, created_at, updated_at)"
            " VALUES (?, ?, 'country', ?, '', ?, ?)",
            [(n, c.key, c.name, now, now) for n, c in enumerate(world.countries, 1)],
        )
        cursor.executemany(
            "INSERT INTO fact (id, key, text, happened, precision, type, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (n, k, t, d.isoformat() if d else None, p, None, now, now)
                for n, k, t, d, p in _rows(world)
            ),
        )
        ids = {c.key: n for n, c in enumerate(world.countries, 1)}
        cursor.executemany(
            "INSERT INTO fact_entity (fact_id, entity_id, role, position)"
            " VALUES (?, ?, 'subject', ?)",
            (
                (n, ids[ref.key], position)
                for n, fact in enumerate(world.facts, 1)
                for position, ref in enumerate(fact.about)
            ),
        )
        cursor.executemany(
            "INSERT INTO citation (fact_id, source_id, position) VALUES (?, 1, 0)",
            ((n,) for n in range(1, len(world.facts) + 1)),
        )
        cursor.execute("COMMIT")
        cursor.execute("ANALYZE")
    finally:
        pooled.close()


def load_postgres(engine: Engine, world: World) -> None:
    """COPY every row, then VACUUM ANALYZE as autovacuum would in time."""
    pooled = engine.raw_connection()
    connection = cast("psycopg.Connection[Any]", pooled.driver_connection)
    try:
        cursor = connection.cursor()
        now = datetime.now(UTC)
        cursor.execute(
            "INSERT INTO source (id, key, title, created_at, updated_at)"
            " VALUES (1, %s, %s, %s, %s)",
            ("bench-source", "A synthetic source", now, now),
        )
        with cursor.copy(
            "COPY entity (id, key, kind, name, summary, created_at, updated_at) FROM STDIN"
        ) as copy:
            for n, country in enumerate(world.countries, 1):
                copy.write_row((n, country.key, "country", country.name, "", now, now))
        with cursor.copy(
            "COPY fact (id, key, text, happened, precision, type, created_at, updated_at)"
            " FROM STDIN"
        ) as copy:
            for row in _rows(world):
                copy.write_row((*row, None, now, now))
        ids = {c.key: n for n, c in enumerate(world.countries, 1)}
        with cursor.copy(
            "COPY fact_entity (fact_id, entity_id, role, position) FROM STDIN"
        ) as copy:
            for n, fact in enumerate(world.facts, 1):
                for position, ref in enumerate(fact.about):
                    copy.write_row((n, ids[ref.key], "subject", position))
        with cursor.copy("COPY citation (fact_id, source_id, position) FROM STDIN") as copy:
            for n in range(1, len(world.facts) + 1):
                copy.write_row((n, 1, 0))
        for table in ("source", "entity", "fact"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
        connection.commit()
    finally:
        pooled.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
        autocommit.exec_driver_sql("VACUUM ANALYZE")


# ---------------------------------------------------------------------------
# Queries.


@dataclass(frozen=True, slots=True)
class Queries:
    """Queries by class, and how many facts hold each very common word."""

    classes: dict[str, list[str]]
    common_share: dict[str, float]


def _words(text: str) -> list[str]:
    return [word.strip(".,").lower() for word in text.split()]


def slip(rng: random.Random, word: str) -> str:
    """word with one slip after its first two letters: dropped, doubled, swapped or replaced."""
    at = rng.randrange(2, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:at] + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at] + word[at:]
    if kind == 2:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + rng.choice([c for c in "aeiourstnl" if c != word[at]]) + word[at + 1 :]


def make_queries(world: World, per_class: int, seed: int = 11) -> Queries:
    """per_class queries of each class, drawn from the facts themselves."""
    rng = random.Random(seed)
    frequency: Counter[str] = Counter()
    for fact in world.facts:
        frequency.update(set(_words(fact.text)))
    total = len(world.facts)
    content = [w for w in frequency if w not in FUNCTION_WORDS and w.isalpha()]
    rare = [w for w in content if frequency[w] <= max(2, total // 10_000)]
    common = [w for w, _ in frequency.most_common(6)]
    classes: dict[str, list[str]] = {
        "rare word": [],
        "two words": [],
        "common word": [],
        "typo": [],
    }
    classes["rare word"] = rng.sample(rare, min(per_class, len(rare)))
    while len(classes["two words"]) < per_class:
        words = [w for w in _words(rng.choice(world.facts).text) if w not in FUNCTION_WORDS]
        first, second = rng.sample(words, 2)
        classes["two words"].append(f"{first} {second}")
    classes["common word"] = [common[n % len(common)] for n in range(per_class)]
    long_words = [w for w in content if len(w) >= 6]
    while len(classes["typo"]) < per_class:
        word = rng.choice(long_words)
        typed = slip(rng, word)
        if typed not in frequency:
            classes["typo"].append(typed)
    return Queries(classes, {w: frequency[w] / total for w in common})


# ---------------------------------------------------------------------------
# Timing.


@dataclass(frozen=True, slots=True)
class Timing:
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def timed(queries: Sequence[str], run: Callable[[str], object]) -> Timing:
    gc.collect()
    samples = []
    for query in queries:
        start = time.perf_counter()
        run(query)
        samples.append(time.perf_counter() - start)
    return Timing(samples)


def old_scan(texts: Sequence[str], query: str) -> int:
    """The text part of search_facts before the full-text index: how many facts it kept."""
    key = default_process(query)
    kept = 0
    for _, _, position in process.extract(
        key, texts, scorer=fuzz.partial_token_set_ratio, score_cutoff=60, limit=None
    ):
        if fuzz.WRatio(key, texts[position]) >= 75:
            kept += 1
    return kept


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f} ms"


def report(
    engine_name: str,
    catalog: Catalog,
    queries: Queries,
    baseline: dict[str, Timing],
    scale: float,
) -> None:
    print(f"\n{engine_name}: Catalog.search_facts(query), limit 50")
    print(
        f"  {'class':<12} {'n':>4} {'median':>12} {'p99':>12} {'max':>12}"
        f"  {'p99 <= ' + format(TARGET_MS, '.0f') + ' ms':>13}   baseline median (ratio)"
    )
    for name, group in queries.classes.items():
        catalog.search_facts(group[0])  # warm the path once
        timing = timed(group, catalog.search_facts)
        old = baseline[name].median * scale
        within = "yes" if timing.p99 * 1000 <= TARGET_MS else "NO"
        print(
            f"  {name:<12} {len(group):>4} {ms(timing.median)} {ms(timing.p99)} "
            f"{ms(max(timing.samples))}  {within:>13}   {ms(old).strip()}"
            f" ({old / timing.median:,.0f}x)"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facts", type=int, default=1_000_000, help="facts to build")
    parser.add_argument("--queries", type=int, default=200, help="queries per class")
    parser.add_argument("--postgres", metavar="URL", help="also time a PostgreSQL store")
    parser.add_argument(
        "--baseline-sample", type=int, default=50_000, help="texts the old scan is timed on"
    )
    parser.add_argument("--baseline-queries", type=int, default=10, help="per class")
    args = parser.parse_args(argv)

    print(
        f"{platform.platform()}; Python {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"SQLite {sqlite3.sqlite_version}"
    )
    started = time.perf_counter()
    world = build_world(args.facts)
    queries = make_queries(world, args.queries)
    print(f"built {len(world.facts):,} facts in {time.perf_counter() - started:.1f} s")
    shares = ", ".join(f"{w!r} {s:.0%}" for w, s in queries.common_share.items())
    print(f"common words (share of facts holding them): {shares}")
    example = world.facts[len(world.facts) // 2]
    print(f"a fact: {example.text!r} ({example.date})")

    sample = [default_process(f.text) for f in world.facts[: args.baseline_sample]]
    scale = len(world.facts) / len(sample)
    baseline = {
        name: timed(group[: args.baseline_queries], lambda q: old_scan(sample, q))
        for name, group in queries.classes.items()
    }
    print(
        f"baseline: the old rapidfuzz scan timed on {len(sample):,} texts, "
        f"{args.baseline_queries} queries per class, scaled x{scale:,.0f} (it is linear)"
    )

    records = [EntityRecord(country) for country in world.countries]
    sources = [world.facts[0].sources[0]]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        store = Store.open(f"sqlite:///{path}")
        try:
            started = time.perf_counter()
            load_sqlite(store, world)
            loaded = time.perf_counter() - started
            size = path.stat().st_size + Path(f"{path}-wal").stat().st_size
            print(f"\nSQLite: loaded in {loaded:.1f} s (executemany), file {size / 2**20:,.0f} MiB")
            catalog = Catalog(records, sources, world.facts, fact_search=for_store(store.engine))
            report("SQLite", catalog, queries, baseline, scale)
        finally:
            store.close()

    if args.postgres:
        bench_postgres(args.postgres, world, queries, baseline, scale)


def bench_postgres(
    url: str, world: World, queries: Queries, baseline: dict[str, Timing], scale: float
) -> None:
    """The same on PostgreSQL, in a schema of its own dropped afterwards."""
    schema = f"diplobot_bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        version = connection.execute(sa.text("SHOW server_version")).scalar()
    try:
        scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        store = Store.open(scoped.render_as_string(hide_password=False))
        try:
            started = time.perf_counter()
            load_postgres(store.engine, world)
            loaded = time.perf_counter() - started
            with store.engine.connect() as connection:
                size = connection.execute(
                    sa.text("SELECT pg_total_relation_size('fact')")
                ).scalar_one()
            print(
                f"\nPostgreSQL {version}: loaded in {loaded:.1f} s (COPY, then VACUUM ANALYZE),"
                f" fact table with indexes {size / 2**20:,.0f} MiB"
            )
            records = [EntityRecord(country) for country in world.countries]
            sources = [world.facts[0].sources[0]]
            catalog = Catalog(records, sources, world.facts, fact_search=for_store(store.engine))
            report("PostgreSQL", catalog, queries, baseline, scale)
        finally:
            store.close()
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


__all__ = ["build_world", "main", "make_queries"]

if __name__ == "__main__":
    main()
