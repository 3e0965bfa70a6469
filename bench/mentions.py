"""How fast "Names in this message" finds names in a 4,000-character message.

    python bench/mentions.py                  # 10,000 aliases: under a minute on 2 cores
    python bench/mentions.py --large          # also 1,000,000 aliases: a few minutes, ~8 GiB
    python bench/mentions.py --aliases 50000  # any sizes

For each size it builds a synthetic catalog, then times what the context menu
does: build the Aho-Corasick matcher (once per catalog, on first use), find the
names in a message (`MentionMatcher.find`), and the whole answer as Discord
gets it (`names_answer` + `render`). Baselines run in the same process on the
same folded keys and messages: the naive loop (``key in text`` for every key)
and one regular expression alternation of every key. Numbers that matter are
medians, p99s and ratios, not absolute times; see bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answers.catalog import Catalog, EntityRecord  # noqa: E402
from bot.answers.names import MAX_TEXT, check_text, names_answer  # noqa: E402
from bot.chat.embeds import render  # noqa: E402
from bot.core.answer import EntityRef  # noqa: E402
from bot.search.mentions import MentionMatcher, views  # noqa: E402
from bot.search.normalize import fold, match_keys  # noqa: E402

DISCORD_DEADLINE_S = 3.0
"""Discord drops an interaction not answered (or deferred) within this."""
NAIVE_SAMPLE = 20_000
"""The naive baseline checks this many keys per message and is scaled to all of them."""
REGEX_MAX = 200_000
"""Above this many keys the regex baseline is not built (compiling it takes minutes)."""

T = TypeVar("T")
R = TypeVar("R")

# ---------------------------------------------------------------------------
# A synthetic store: names built from syllables, each with a Cyrillic spelling.

CONSONANTS = dict(
    zip(
        ["b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "ch", "zh"],
        ["б", "д", "г", "к", "л", "м", "н", "п", "р", "с", "т", "в", "з", "ш", "ч", "ж"],
        strict=True,
    )
)
VOWELS = {"a": "а", "e": "е", "i": "и", "o": "о", "u": "у"}
CODAS = {"": "", "n": "н", "r": "р", "v": "в", "sk": "ск", "l": "л"}
SYLLABLES = [
    (c + v + coda, cc + cv + ccoda)
    for c, cc in CONSONANTS.items()
    for v, cv in VOWELS.items()
    for coda, ccoda in CODAS.items()
]
SURNAMES = {"ov": "ов", "in": "ин", "enko": "енко", "sky": "ский", "ev": "ев"}
PLACE_WORDS = ("Islands", "Strait", "Valley", "Ridge", "Bay", "Plateau", "Coast")
ORGS = ("{} News Agency", "Bank of {}", "{} Security Council", "{} Defence Forces")

FILLER = (
    "Officials said the talks would resume next week after a pause of several months.",
    "The ministry declined to comment on the report, citing the ongoing negotiations.",
    "Analysts warned that the decision could have severe repercussions for bilateral ties.",
    "According to diplomats familiar with the matter, no agreement has been reached yet.",
    "The statement, issued late on Tuesday, called for restraint on all sides.",
    "Speculation arose about the potential deployment of the weapons near the border.",
    "Both governments have argued for years over the status of the disputed islands.",
    "Trade between the two countries fell sharply in the first quarter of the year.",
    "He stressed the intent to prevent the shipments from reaching the front line.",
    "A spokesperson said the ambassador had been summoned to the foreign ministry.",
    "Представитель министерства отказался комментировать сообщения о переговорах.",
    "По словам дипломатов, соглашение пока не достигнуто, переговоры продолжатся.",
)
VERBS = ("warned", "met", "protested to", "signed an agreement with", "held talks with")
CYRILLIC_VERBS = ("предупредил", "встретился с", "заявил о")


@dataclass(frozen=True, slots=True)
class Synthetic:
    """A synthetic store: its entities and, per entity, a Latin and a Cyrillic name."""

    entities: list[EntityRecord]
    latin: list[str]
    cyrillic: list[str]

    @property
    def aliases(self) -> int:
        return sum(1 + len(record.aliases) for record in self.entities)


def word(rng: random.Random, low: int = 2, high: int = 3) -> tuple[str, str]:
    parts = [rng.choice(SYLLABLES) for _ in range(rng.randint(low, high))]
    return "".join(p[0] for p in parts).capitalize(), "".join(p[1] for p in parts).capitalize()


def synthetic(aliases: int, seed: int) -> Synthetic:
    """Entities with about four aliases each (name, short forms, Cyrillic, acronyms)
    until there are ``aliases`` in all."""
    rng = random.Random(seed)
    entities: list[EntityRecord] = []
    latin: list[str] = []
    cyrillic: list[str] = []
    total = 0
    while total < aliases:
        roll = rng.random()
        first, first_cyr = word(rng, 2, 2)
        last, last_cyr = word(rng)
        ending = rng.choice(list(SURNAMES))
        if roll < 0.40:
            kind, name = "person", f"{first} {last}{ending}"
            cyr = f"{first_cyr} {last_cyr}{SURNAMES[ending]}"
            others = [f"{last}{ending}", f"{first[0]}. {last}{ending}", cyr]
        elif roll < 0.55:
            kind, name, cyr = "country", last + rng.choice(("ia", "land", "stan")), last_cyr
            others = [f"Republic of {name}", cyr, name.upper()[:3]]
        elif roll < 0.80:
            kind, name, cyr = "place", f"{last} {rng.choice(PLACE_WORDS)}", f"{last_cyr} острова"
            others = [last, cyr, f"{first} {last}"]
        elif roll < 0.95:
            kind, name = "organization", rng.choice(ORGS).format(last)
            cyr = f"Агентство {last_cyr}"
            initials = "".join(w[0] for w in name.split() if w[0].isupper())
            others = [initials + first[0].upper(), f"The {name}", cyr]
        else:
            kind, name, cyr = "dispute", f"{last} dispute", f"спор о {last_cyr}"
            others = [f"{last} question", cyr]
        key = f"e{len(entities)}"
        entities.append(EntityRecord(EntityRef(key, kind, name, f"A {kind}."), tuple(others)))
        latin.append(name)
        cyrillic.append(cyr)
        total += 1 + len(others)
    return Synthetic(entities, latin, cyrillic)


def message(rng: random.Random, store: Synthetic, *, names: int, cyrillic: float) -> str:
    """About 4,000 characters of news-like sentences naming ``names`` stored entities."""
    sentences: list[str] = []
    size = 0
    named = 0
    while size < MAX_TEXT:
        if named < names and rng.random() < 0.6:
            a, b = rng.randrange(len(store.latin)), rng.randrange(len(store.latin))
            if rng.random() < cyrillic:
                verb = rng.choice(CYRILLIC_VERBS)
                sentence = f"{store.cyrillic[a]} {verb} {store.cyrillic[b]}."
            else:
                sentence = f"{store.latin[a]} {rng.choice(VERBS)} {store.latin[b]}, officials said."
            named += 2
        else:
            sentence = rng.choice(FILLER)
        sentences.append(sentence)
        size += len(sentence) + 1
    return check_text(" ".join(sentences)[:MAX_TEXT])


def dense(rng: random.Random, store: Synthetic) -> str:
    """A worst case: 4,000 characters of nothing but names."""
    return check_text(" ".join(rng.choice(store.latin) for _ in range(600))[:MAX_TEXT])


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
    def p99(self) -> float:
        if len(self.samples) < 2:
            return self.samples[0]
        return statistics.quantiles(self.samples, n=100, method="inclusive")[98]

    @property
    def worst(self) -> float:
        return max(self.samples)


def timed(operation: Callable[[T], R], inputs: Iterable[T]) -> tuple[Timing, list[R]]:
    """Time operation once per input, after a garbage collection; also its results."""
    gc.collect()
    samples, results = [], []
    for value in inputs:
        start = time.perf_counter()
        results.append(operation(value))
        samples.append(time.perf_counter() - start)
    return Timing(tuple(samples)), results


def once(operation: Callable[[], T]) -> tuple[float, T]:
    gc.collect()
    start = time.perf_counter()
    result = operation()
    return time.perf_counter() - start, result


def rss() -> int:
    """Resident memory of this process now, in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.2f} ms"


def mib(size: float) -> str:
    return f"{size / 2**20:,.1f} MiB"


class Table:
    """Rows of (measure, median, p99, note), printed aligned."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, measure: str, median: str = "", p99: str = "", note: str = "") -> None:
        self.rows.append((measure, median, p99, note))

    def print(self) -> None:
        header = ("measure", "median", "p99", "note")
        widths = [max(len(row[i]) for row in (header, *self.rows)) for i in range(4)]
        for number, row in enumerate((header, *self.rows)):
            print(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}")
            if number == 0:
                print("  ".join("-" * width for width in widths))


def folded_keys(store: Synthetic) -> list[str]:
    """Every distinct key the matcher holds, as lookups fold them."""
    keys: dict[str, None] = {}
    for record in store.entities:
        for alias in (record.ref.name, *record.aliases):
            keys.update(dict.fromkeys(k for k in match_keys(alias) if len(k) > 1))
    return list(keys)


def naive(keys: Sequence[str], text: str) -> list[str]:
    """The baseline: every key tested with ``in`` against the folded text (no word rule)."""
    folded = " ".join(view.text for view in views(text))
    return [key for key in keys if key in folded]


def bench_size(aliases: int, args: argparse.Namespace, table: Table) -> None:
    label = f"{aliases:,} aliases"
    store = synthetic(aliases, args.seed)
    rng = random.Random(args.seed + aliases)
    messages = [
        message(rng, store, names=30, cyrillic=0.25 if n % 4 == 0 else 0.0)
        for n in range(args.messages)
    ]
    worst = [dense(rng, store) for _ in range(max(5, args.messages // 10))]

    catalog_build, catalog = once(lambda: Catalog(store.entities, [], []))
    match_keys.cache_clear()
    gc.collect()
    rss_before = rss()
    build, matcher = once(lambda: catalog.mentions)
    rss_after = rss()
    # Memory again, traced: the same build, not timed (tracemalloc slows it down).
    pairs = [(r.ref.key, name) for r in store.entities for name in (r.ref.name, *r.aliases)]
    match_keys.cache_clear()
    gc.collect()
    tracemalloc.start()
    traced_before = tracemalloc.get_traced_memory()[0]
    again = MentionMatcher(pairs)
    traced_after, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del again, pairs
    table.add(
        f"{label}: catalog (for reference)",
        ms(catalog_build),
        "",
        f"{len(store.entities):,} entities; Catalog(...) without facts, index included",
    )
    table.add(
        f"{label}: matcher build",
        ms(build),
        "",
        f"{len(matcher):,} keys; once per catalog, on first use (deferred); "
        f"{mib(traced_after - traced_before)} traced (peak {mib(traced_peak - traced_before)}), "
        f"RSS +{mib(rss_after - rss_before)}",
    )

    for text in messages[:5]:  # warm caches (folding of characters) like a running bot
        matcher.find(text)
    found, results = timed(matcher.find, messages)
    mean_names = statistics.mean(len(r) for r in results)
    table.add(
        f"{label}: find, 4,000 chars ({len(messages)})",
        ms(found.median),
        ms(found.p99),
        f"worst {ms(found.worst)}: {DISCORD_DEADLINE_S / found.worst:,.0f}x under "
        f"Discord's {DISCORD_DEADLINE_S:.0f} s; {mean_names:.1f} names per message",
    )
    dense_found, dense_results = timed(matcher.find, worst)
    table.add(
        f"{label}: find, names only ({len(worst)})",
        ms(dense_found.median),
        ms(dense_found.p99),
        f"worst case, {statistics.mean(len(r) for r in dense_results):.0f} names per message",
    )
    whole, _ = timed(lambda text: render(names_answer(catalog, text)), messages)
    table.add(
        f"{label}: whole answer ({len(messages)})",
        ms(whole.median),
        ms(whole.p99),
        f"names_answer + render, as the context menu runs it; worst {ms(whole.worst)}",
    )

    keys = folded_keys(store)
    sample = keys[:NAIVE_SAMPLE]
    scale = len(keys) / len(sample)
    base, _ = timed(lambda text: naive(sample, text), messages[: max(10, len(messages) // 4)])
    base_median, base_p99 = base.median * scale, base.p99 * scale
    note = "measured on all keys" if scale == 1 else f"{len(sample):,} keys measured, x{scale:.0f}"
    table.add(
        f"{label}: baseline: `key in text`",
        ms(base_median),
        ms(base_p99),
        f"{base_median / found.median:,.0f}x ours; {note}",
    )
    if len(keys) <= REGEX_MAX:
        ordered = sorted(keys, key=len, reverse=True)
        pattern = r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)"
        compiled_in, regex = once(lambda: re.compile(pattern))
        regex_time, _ = timed(lambda text: regex.findall(fold(text)), messages)
        table.add(
            f"{label}: baseline: regex alternation",
            ms(regex_time.median),
            ms(regex_time.p99),
            f"{regex_time.median / found.median:,.1f}x ours; one pattern of every key, "
            f"compiled in {ms(compiled_in)}",
        )
    else:
        table.add(f"{label}: baseline: regex alternation", "", "", f"skipped above {REGEX_MAX:,}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument(
        "--aliases", type=int, nargs="+", default=[10_000], help="alias counts to measure"
    )
    parser.add_argument("--large", action="store_true", help="also measure 1,000,000 aliases")
    parser.add_argument("--messages", type=int, default=200, help="messages per size")
    parser.add_argument("--seed", type=int, default=20240324, help="random seed")
    args = parser.parse_args(argv)
    sizes = [*args.aliases, *([1_000_000] if args.large else [])]

    started = time.perf_counter()
    print(
        f"diplobot mentions benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs"
    )
    print(f"messages: {args.messages} of {MAX_TEXT:,} characters per size (seed {args.seed})\n")
    table = Table()
    for aliases in sizes:
        bench_size(aliases, args, table)
        gc.collect()
    seed = Catalog(
        [
            EntityRecord(EntityRef("iturup", "place", "Iturup"), ("Итуруп", "択捉島")),
            EntityRecord(EntityRef("japan", "country", "Japan"), ("日本",)),
        ],
        [],
        [],
    )
    assert [m.entity for m in seed.mentions.find("Японія? 日本の択捉島, Iturup")] == [
        "iturup",
        "japan",
    ], "the matcher no longer finds what it should"
    assert MentionMatcher([("iran", "Iran")]).find("Tirana") == []
    table.print()
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
