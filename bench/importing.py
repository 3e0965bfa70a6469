"""How long a curator waits, and how much memory each command takes, on a large store.

    python bench/importing.py                      # 50,000 entities, 100,000 facts, SQLite
    python bench/importing.py --entities 5000      # a quick look
    DIPLOBOT_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        python bench/importing.py                  # PostgreSQL too, in a database of its own

Every command runs as the curator runs it: ``python -m bot`` in a process of its
own, timed from start to exit, its peak memory (ru_maxrss) read as it ends.
The file is written once (bench.synthetic, JSON, 2 facts per entity, a source
per 20 entities) and imported into an empty store; then the same file again
(nothing changes), an export, ``ask`` three times, and the console's load
(every fact in memory) as the baseline ``ask`` is compared with.

The import's baseline, in the same run and on the same backend: the same rows
written straight into the tables by `bot.store.bulk` with no checks, no diff
against the store and no revision log. The ratio says what those cost.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import World  # noqa: E402

CHILD = """
import resource, sys, time
started = time.perf_counter()
from bot.cli import main
status = main(sys.argv[2:])
seconds = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    out.write(f"{status} {seconds} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
"""

LOAD_EVERYTHING = """
import resource, sys, time
started = time.perf_counter()
from bot.config import Settings
from bot.library import Library
library = Library.open(Settings.from_mapping({"DATABASE_URL": sys.argv[2]}))
library.answer("!who nozdrev")
seconds = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    out.write(f"0 {seconds} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
"""


@dataclass(frozen=True)
class Run:
    """One command's wall time from interpreter start to exit, and its peak memory."""

    seconds: float
    peak_kib: int


def document(entities: int, seed: int = 20240324) -> dict[str, list[dict[str, Any]]]:
    """A curation file's data: entities, their sources and 2 facts per entity."""
    world = World(seed)
    made = world.entities(entities)
    sources = world.sources(max(10, entities // 20))
    facts = world.facts(2 * entities, made, sources)
    return {
        "sources": [
            {
                "key": s.key,
                "title": s.title,
                **({"outlet": s.outlet} if s.outlet else {}),
                "url": s.url,
                "published": s.published.isoformat() if s.published else None,
            }
            for s in sources
        ],
        "entities": [
            {
                "key": e.ref.key,
                "kind": e.ref.kind,
                "name": e.ref.name,
                "summary": e.ref.summary,
                "aliases": list(dict.fromkeys(a for a in e.aliases if a != e.ref.name)),
                **({"parties": list(e.parties)} if e.parties else {}),
            }
            for e in made
        ],
        "facts": [
            {
                "key": f.key,
                "text": f.text,
                **({"date": f.date} if f.date else {}),
                "about": list(dict.fromkeys(ref.key for ref in f.about)),
                "source": f.sources[0].key,
            }
            for f in facts
        ],
    }


def run(script: str, *argv: str, env: dict[str, str]) -> Run:
    """script run in a fresh interpreter with argv; fails loudly if it did."""
    with tempfile.NamedTemporaryFile("r", suffix=".out") as out:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", script, out.name, *argv],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
        result = out.read().split()
    if done.returncode != 0 or not result or result[0] != "0":
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return Run(wall, int(result[2]))


def bare_load(url: str, data: dict[str, list[dict[str, Any]]]) -> float:
    """Seconds to write the file's rows straight into an empty store's tables, in one
    transaction, with `bot.store.bulk` and nothing else: the baseline for import."""
    from bot.store.bulk import insert_numbered, insert_rows
    from bot.store.db import Store
    from bot.store.models import Alias, Citation, Entity, Fact, FactEntity, Source

    store = Store.open(url)
    now = datetime.now(UTC)
    stamp = {"created_at": now, "updated_at": now}
    try:
        started = time.perf_counter()
        with store.engine.begin() as connection:
            source_ids = dict(
                zip(
                    [s["key"] for s in data["sources"]],
                    insert_numbered(
                        connection,
                        Source.__table__,  # type: ignore[attr-defined]
                        [
                            {
                                "key": s["key"],
                                "title": s["title"],
                                "outlet": s.get("outlet"),
                                "url": s["url"],
                                "published": datetime.fromisoformat(s["published"]),
                                **stamp,
                            }
                            for s in data["sources"]
                        ],
                    ),
                    strict=True,
                )
            )
            entity_rows = [
                {"key": e["key"], "kind": e["kind"], "name": e["name"], "summary": e["summary"]}
                for e in data["entities"]
            ]
            entity_ids = dict(
                zip(
                    [e["key"] for e in data["entities"]],
                    insert_numbered(
                        connection,
                        Entity.__table__,  # type: ignore[attr-defined]
                        [{**row, "wikidata": None, **stamp} for row in entity_rows],
                    ),
                    strict=True,
                )
            )
            insert_rows(
                connection,
                Alias.__table__,  # type: ignore[attr-defined]
                [
                    {"entity_id": entity_ids[e["key"]], "text": alias, "lang": None}
                    for e in data["entities"]
                    for alias in e["aliases"]
                ],
            )
            fact_ids = insert_numbered(
                connection,
                Fact.__table__,  # type: ignore[attr-defined]
                [
                    {"key": f["key"], "text": f["text"], "happened": None, "precision": None}
                    | {"type": None, **stamp}
                    for f in data["facts"]
                ],
            )
            insert_rows(
                connection,
                FactEntity.__table__,  # type: ignore[attr-defined]
                [
                    {"fact_id": number, "entity_id": entity_ids[key], "role": "subject"}
                    | {"position": position}
                    for number, f in zip(fact_ids, data["facts"], strict=True)
                    for position, key in enumerate(f["about"])
                ],
            )
            insert_rows(
                connection,
                Citation.__table__,  # type: ignore[attr-defined]
                [
                    {"fact_id": number, "source_id": source_ids[f["source"]], "position": 0}
                    for number, f in zip(fact_ids, data["facts"], strict=True)
                ],
            )
        return time.perf_counter() - started
    finally:
        store.close()


@contextmanager
def postgres_database(server: str) -> Iterator[str]:
    """A new, empty database on the server named by the URL, dropped afterwards."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    name = f"diplobot_bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def measure(
    backend: str, url: str, baseline_url: str, path: Path, data: dict[str, Any], runs: int
) -> list[tuple[str, str, str, str]]:
    """The rows of the report for one backend."""
    env = {**os.environ, "DATABASE_URL": url, "DIPLOBOT_SEED_FILE": ""}
    env.pop("DISCORD_TOKEN", None)
    records = sum(len(section) for section in data.values())
    empty = path.with_name("empty.env")
    empty.write_text("")
    base = ["--env-file", str(empty)]
    rows: list[tuple[str, str, str, str]] = []

    first = run(CHILD, *base, "import", str(path), env=env)
    bare = bare_load(baseline_url, data)
    rows.append(
        (
            f"{backend}: import into an empty store",
            f"{first.seconds:.1f} s",
            mib(first.peak_kib),
            f"{records / first.seconds:,.0f} records/s; {first.seconds / bare:.1f}x the bare "
            f"load of the same rows ({bare:.1f} s)",
        )
    )
    again = run(CHILD, *base, "import", str(path), env=env)
    rows.append(
        (
            f"{backend}: the same file again (no change)",
            f"{again.seconds:.1f} s",
            mib(again.peak_kib),
            f"{records / again.seconds:,.0f} records/s",
        )
    )
    out = path.with_name(f"export-{backend}.json")
    export = run(CHILD, *base, "export", str(out), env=env)
    rows.append(
        (
            f"{backend}: export",
            f"{export.seconds:.1f} s",
            mib(export.peak_kib),
            f"{out.stat().st_size / 1e6:.0f} MB written",
        )
    )
    asks = [run(CHILD, *base, "ask", "!who nozdrev", env=env) for _ in range(runs)]
    everything = [run(LOAD_EVERYTHING, url, env=env) for _ in range(runs)]
    ask_s = statistics.median(a.seconds for a in asks)
    all_s = statistics.median(a.seconds for a in everything)
    rows.append(
        (
            f"{backend}: ask '!who …' ({runs} runs)",
            f"{ask_s:.1f} s",
            mib(max(a.peak_kib for a in asks)),
            f"median from start to exit; {all_s / ask_s:.1f}x faster than loading every fact",
        )
    )
    rows.append(
        (
            f"{backend}: baseline: every fact in memory",
            f"{all_s:.1f} s",
            mib(max(a.peak_kib for a in everything)),
            "what the console and the bot load (median)",
        )
    )
    return rows


def mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3, help="ask runs (median)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("DIPLOBOT_TEST_POSTGRES_URL"),
        help="a PostgreSQL server URL (default: $DIPLOBOT_TEST_POSTGRES_URL)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = document(args.entities)
    records = sum(len(section) for section in data.values())
    print(
        f"diplobot import benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "year.json"
        path.write_text(json.dumps(data, ensure_ascii=False))
        print(
            f"file: {len(data['sources']):,} sources, {len(data['entities']):,} entities, "
            f"{len(data['facts']):,} facts = {records:,} records, "
            f"{path.stat().st_size / 1e6:.0f} MB of JSON\n"
        )
        rows = measure(
            "SQLite",
            f"sqlite:///{Path(folder) / 'store.db'}",
            f"sqlite:///{Path(folder) / 'bare.db'}",
            path,
            data,
            args.runs,
        )
        if args.postgres:
            with postgres_database(args.postgres) as url, postgres_database(args.postgres) as bare:
                rows += measure("PostgreSQL", url, bare, path, data, args.runs)
    print(f"{'measure':<44} {'time':>8} {'peak':>9}  note")
    print(f"{'-' * 44} {'-' * 8} {'-' * 9}  {'-' * 40}")
    for name, seconds, peak, note in rows:
        print(f"{name:<44} {seconds:>8} {peak:>9}  {note}")
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
