"""How long a change committed by one writer takes to be answered by a running library.

    python bench/propagation.py                                  # the seed, SQLite
    python bench/propagation.py --aliases 200000                 # 50,000 entities, SQLite
    python bench/propagation.py --aliases 200000 --postgres URL  # the same on PostgreSQL

A store is filled (the seed, or synthetic entities from bench/synthetic.py loaded
through the importer) and opened as a running bot opens it: a `Library`,
watching for changes (PostgreSQL: LISTEN in a thread; SQLite: nothing to listen
to), plus the bot's periodic check (`Library.refresh` every 2 s, in a thread).
A second writer, on its own engine and connections as another process would
be, then adds an alias, and the time from its commit to the library answering
the alias is measured; 20 times. tests/test_processes.py shows the same with
real separate processes at the seed's size; this measures the cost at scale.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import synthetic  # noqa: E402
from bot.chat.bot import STORE_CHECK  # noqa: E402
from bot.curation import edits  # noqa: E402
from bot.curation.transfer import load_data, load_file  # noqa: E402
from bot.library import Library  # noqa: E402
from bot.records.actor import Actor  # noqa: E402
from bot.store.db import Store  # noqa: E402

SEED = ROOT / "data" / "seed.yaml"
WRITER = Actor("1", "bench writer")


def fill(store: Store, aliases: int) -> None:
    load_file(store, SEED, Actor(None, "seed"))
    if not aliases:
        return
    records = synthetic.world(aliases, 20240324)
    document = synthetic.import_document(records)
    started = time.perf_counter()
    load_data(store, document, "bench", Actor(None, "bench"))
    print(f"  loaded {len(records):,} entities in {time.perf_counter() - started:.0f} s")


def measure(url: str, runs: int) -> list[float]:
    library = Library(Store.open(url))
    library.watch(application_name="bench-propagation")
    stop = threading.Event()

    def check() -> None:
        while not stop.wait(STORE_CHECK):
            library.refresh()

    threading.Thread(target=check, daemon=True).start()
    writer = Store.open(url)
    seconds = []
    try:
        for number in range(runs):
            alias = f"Zyxwabet {number}"
            edits.add_alias(writer, WRITER, "japan", alias)
            committed = time.perf_counter()
            while library.catalog.resolve(alias).best is None:
                if time.perf_counter() - committed > 10:
                    raise SystemExit(f"{alias!r} not answered within 10 s")
                time.sleep(0.001)
            seconds.append(time.perf_counter() - committed)
            time.sleep(0.2 + (number % 7) * 0.13)  # commits land at varied points of the check
    finally:
        stop.set()
        writer.close()
        library.close()
    return seconds


def report(label: str, seconds: list[float]) -> None:
    ordered = sorted(seconds)
    print(
        f"{label:38} median {statistics.median(ordered) * 1e3:7.0f} ms   "
        f"worst {ordered[-1] * 1e3:7.0f} ms   best {ordered[0] * 1e3:5.0f} ms   n={len(ordered)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--aliases", type=int, default=0, help="synthetic aliases on top of the seed"
    )
    parser.add_argument("--postgres", help="a PostgreSQL URL; a throwaway schema is used")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    size = f"seed + {args.aliases:,} aliases" if args.aliases else "seed"
    if args.postgres:
        schema = f"bench_{secrets.token_hex(4)}"
        admin = sa.create_engine(args.postgres)
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = (
            make_url(args.postgres)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
        try:
            store = Store.open(url)
            fill(store, args.aliases)
            store.close()
            report(f"PostgreSQL, {size}", measure(url, args.runs))
        finally:
            with admin.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
        return
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        store = Store.open(url)
        fill(store, args.aliases)
        store.close()
        report(f"SQLite, {size}", measure(url, args.runs))


if __name__ == "__main__":
    main()
