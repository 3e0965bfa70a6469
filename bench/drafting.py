"""Article drafts (issue 15): every measure on the article set, and how long a draft takes.

    python bench/drafting.py                    # the set on the seed store and with 200,000 aliases
    python bench/drafting.py --aliases 0        # the seed store only: about 10 s
    python bench/drafting.py --misses           # also what each article's draft missed
    python bench/drafting.py --runs 9           # more timed runs per article (median shown)

The set is tests/drafting/articles (pages and plain text written for the project),
annotated in tests/drafting/gold.yaml; the measures are tests/drafting/measures.py, the
same code tests/drafting/test_measures.py asserts. The known store is data/seed.yaml,
loaded as usual, plus tests/drafting/known.yaml, in a temporary SQLite file.

A draft's time is `read_article` + `make_draft` on bytes already in memory, with the
store's name matcher already built (process start, imports and loading the store are
not counted): the median of --runs runs after one warm-up. The larger store adds
synthetic entities from bench/synthetic.py (four names each) to the known store, loaded
through the import as bench/propagation.py does, and its drafts are checked to import
into it as well. A 10,000-character article, the speed target's size, is made by joining
the set's plain-text articles, and timed as plain text and as a page.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import synthetic  # noqa: E402
from bot.curation.transfer import load_data  # noqa: E402
from tests.drafting import measures as m  # noqa: E402

SEED = 20240324
TARGET_CHARS = 10_000
TARGETS = {"seed": 1.0, "large": 2.0}
"""Issue 15: a 10,000-character article drafts in this many seconds at most."""


def add_aliases(store: m.KnownStore, aliases: int) -> None:
    """Synthetic entities with `aliases` names in all, imported into the known store."""
    records = synthetic.world(aliases, SEED)
    document = synthetic.import_document(records)
    started = time.perf_counter()
    load_data(store.library.store, document, "bench", m.MEASURE_ACTOR)
    store.library.reload()
    store.__dict__.pop("known", None)  # the Known of the reloaded catalog
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    _ = store.catalog.mentions
    built = time.perf_counter() - started
    print(
        f"loaded {len(records):,} entities in {loaded:.0f} s; name matcher built in {built:.1f} s"
    )


def long_article(golds: list[m.Gold]) -> tuple[bytes, bytes]:
    """About TARGET_CHARS characters of the set's plain text, as plain text and as a page."""
    paragraphs: list[str] = []
    for gold in golds:
        if not gold.is_html:
            paragraphs += [p.strip() for p in m.page_text(gold).split("\n\n") if p.strip()]
    body: list[str] = []
    while sum(len(p) + 2 for p in body) < TARGET_CHARS:
        body.append(paragraphs[len(body) % len(paragraphs)])
    text = "Ministers meet on four fronts\n\n" + "\n\n".join(body)
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Ministers meet on four fronts"
        " | Meridian Wire</title><meta property='article:published_time'"
        " content='2026-11-19T15:00:00+04:00'></head><body><article><h1>Ministers meet on four"
        " fronts</h1>" + "".join(f"<p>{p}</p>" for p in body) + "</article></body></html>"
    )
    return text.encode(), page.encode()


def seconds(data: bytes, kwargs: dict[str, str], store: m.KnownStore, runs: int) -> float:
    """Median seconds of read_article + make_draft over runs, after one warm-up."""
    from bot.drafting import make_draft, read_article

    known = store.known
    make_draft(read_article(data, **kwargs), known)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        make_draft(read_article(data, **kwargs), known)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


HEADER = (
    f"{'article':<40} {'facts':>5} {'import':>6} {'title':>5} {'publ':>5} {'outlet':>6}"
    f" {'known':>6} {'wrong':>5} {'people':>6} {'real':>6} {'verbat':>6} {'furn':>4}"
    f" {'stmts':>6} {'events':>6}"
)


def row(one: m.Measures) -> str:
    return (
        f"{one.file[:40]:<40} {one.facts:>5} {one.imports!s:>6} {one.title!s:>5}"
        f" {one.published!s:>5} {one.outlet!s:>6} {one.known_linked!s:>6}"
        f" {len(one.wrong_links):>5} {one.people_found!s:>6} {one.entities_real!s:>6}"
        f" {one.verbatim!s:>6} {len(one.furniture):>4} {one.statements!s:>6} {one.events!s:>6}"
    )


def report_measures(measured: list[m.Measures], misses: bool) -> m.Measures:
    print(HEADER)
    print("-" * len(HEADER))
    for one in measured:
        print(row(one))
        if misses:
            for line in one.failures() or []:
                print(f"    {line}")
            for name in m.Measures.RATIOS:
                ratio: m.Ratio = getattr(one, name)
                if ratio.misses:
                    print(f"    {name}: {ratio.misses}")
    summed = m.total(measured)
    print("-" * len(HEADER))
    print(row(summed))
    print()
    bars = {"imports": 1.0, "title": 1.0, "published": 1.0, "outlet": 1.0, "verbatim": 1.0}
    for name in m.Measures.RATIOS:
        ratio = getattr(summed, name)
        bar = m.THRESHOLDS.get(name, bars.get(name, 1.0))
        verdict = "ok" if ratio.rate >= bar else "BELOW"
        print(f"  {name:<14} {ratio!s:>8}  {ratio.rate:7.1%}  (needs {bar:.0%})  {verdict}")
    for name, found in (("wrong links", summed.wrong_links), ("furniture", summed.furniture)):
        print(f"  {name:<14} {len(found):>8}  (needs 0)  {'ok' if not found else 'BELOW'}")
        for line in found[:20]:
            print(f"      {line}")
    return summed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aliases", type=int, default=200_000, help="synthetic aliases (0: none)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per article (median)")
    parser.add_argument("--misses", action="store_true", help="print what each draft missed")
    args = parser.parse_args()

    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()},"
        f" {platform.machine()}, median of {args.runs} runs after a warm-up"
    )
    golds = m.load_gold()
    text, page = long_article(golds)
    timed: dict[str, dict[str, float]] = {gold.file: {} for gold in golds}
    timed["10,000 characters, plain text"] = {}
    timed["10,000 characters, page"] = {}
    with m.known_store() as store:
        _ = store.catalog.mentions
        measured = m.measure_set(store, golds)
        print(
            f"\nmeasures on the seed store + known.yaml ({len(store.catalog.entities)} entities)\n"
        )
        report_measures(measured, args.misses)
        sizes = [("seed", 0)] + ([("large", args.aliases)] if args.aliases else [])
        for label, aliases in sizes:
            if aliases:
                print()
                add_aliases(store, aliases)
                bad = [one.file for one in m.measure_set(store, golds) if one.imports.misses]
                print(f"drafts that do not import into the larger store: {bad or 'none'}")
            for gold in golds:
                data = gold.path.read_bytes()
                timed[gold.file][label] = seconds(data, gold.read_kwargs(), store, args.runs)
            flags = {"outlet": "Meridian Wire", "published": "2026-11-19T15:00:00+04:00"}
            long_text = seconds(text, flags, store, args.runs)
            timed["10,000 characters, plain text"][label] = long_text
            timed["10,000 characters, page"][label] = seconds(page, {}, store, args.runs)

    print(f"\ndraft time, median (the target is for 10,000 characters: {TARGETS})\n")
    columns = [label for label in ("seed", "large") if any(label in t for t in timed.values())]
    names = {"seed": "seed", "large": f"+{args.aliases:,} aliases"}
    print(f"{'article':<40} {'chars':>6} " + " ".join(f"{names[c]:>18}" for c in columns))
    chars = {gold.file: len(m.page_text(gold)) for gold in golds}
    chars["10,000 characters, plain text"] = len(text.decode())
    chars["10,000 characters, page"] = len(page.decode())
    for name, by_size in timed.items():
        cells = " ".join(f"{by_size[c] * 1000:>15.0f} ms" for c in columns)
        print(f"{name[:40]:<40} {chars[name]:>6} {cells}")
    for label in columns:
        worst = max(timed[name][label] for name in timed)
        verdict = "ok" if worst <= TARGETS[label] else "OVER"
        target = TARGETS[label]
        print(f"  {names[label]}: slowest {worst * 1000:.0f} ms ({verdict}, target {target} s)")


if __name__ == "__main__":
    main()
