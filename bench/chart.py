"""How long a timeline chart takes to draw, and how large it is (issue 16).

    python bench/chart.py              # 50 and 2,000 facts: under a minute on 2 cores
    python bench/chart.py --runs 31    # more runs for steadier medians

Times `bot.charts.timeline.timeline_chart` (rows, drawing with matplotlib's Agg
backend, the PNG, the description) on synthetic timeline answers of 50 and 2,000
facts, dated 2014 to 2024 at every precision, and on the seed's densest timeline.
The first chart of a process also pays for importing matplotlib; that is shown on
its own line. The baseline, timed between the charts in the same process, is a
fixed piece of pure Python (summing 300,000 squares): a ratio that grows between
runs means the chart got slower, a baseline that grows means the machine did.
The target is 300 ms for 50 facts.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.charts.timeline import MAX_BYTES, Chart, rows_for, span, timeline_chart  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.core.answer import Answer, FactView, SourceRef, Status  # noqa: E402
from bot.library import Library  # noqa: E402

TARGET = 0.300
"""Seconds: the most a chart of 50 facts may take (median)."""
WORDS = ["Russia", "warned", "Japan", "over", "missiles", "talks", "sanctions", "envoy"]


def synthetic(count: int, seed: int = 7) -> Answer:
    """A found timeline of count facts, dated 2014 to 2024 (a year, a month or a day),
    of 5 to 40 words, citing one of 40 sources each."""
    rng = random.Random(seed)
    sources = [SourceRef(f"s{n}", f"Article {n}") for n in range(40)]
    facts = []
    for n in range(count):
        year, month, day = rng.randint(2014, 2024), rng.randint(1, 12), rng.randint(1, 28)
        when = rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"])
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40)))
        facts.append(FactView(f"f{n}", text, when, (rng.choice(sources),)))
    facts.sort(key=lambda fact: span(fact.date or "")[0])
    return Answer("timeline", "bench", Status.FOUND, title="Timeline: Bench", facts=tuple(facts))


def baseline() -> float:
    started = time.perf_counter()
    sum(number * number for number in range(300_000))
    return time.perf_counter() - started


def timed(answer: Answer, runs: int) -> tuple[list[float], list[float], Chart]:
    """The chart's times and the baseline's, interleaved, and the last chart drawn."""
    charts, baselines = [], []
    chart = None
    for _ in range(runs):
        baselines.append(baseline())
        started = time.perf_counter()
        chart = timeline_chart(answer)
        charts.append(time.perf_counter() - started)
    assert chart is not None
    return charts, baselines, chart


def row(name: str, answer: Answer, runs: int) -> None:
    charts, baselines, chart = timed(answer, runs)
    median, base = statistics.median(charts), statistics.median(baselines)
    numbers = {source.key: n for n, source in enumerate(answer.sources, start=1)}
    rows = len(rows_for([fact for fact in answer.facts if fact.date], numbers))
    print(
        f"{name:<26}{len(answer.facts):>6}{rows:>6}{median * 1000:>9.0f} ms"
        f"{max(charts) * 1000:>9.0f} ms{median / base:>8.1f}x{len(chart.png) / 1000:>9.1f} KB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="charts per row (default 15)")
    args = parser.parse_args()
    import matplotlib

    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"matplotlib {matplotlib.__version__}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    started = time.perf_counter()
    timeline_chart(synthetic(50))
    print(f"first chart of the process (imports matplotlib): {time.perf_counter() - started:.2f} s")
    base = statistics.median(baseline() for _ in range(9))
    print(f"baseline (300,000 squares summed): {base * 1000:.0f} ms")
    print()
    print(
        f"{'timeline':<26}{'facts':>6}{'rows':>6}{'median':>12}{'worst':>12}{'ratio':>9}{'PNG':>12}"
    )
    row("synthetic, 50 facts", synthetic(50), args.runs)
    row("synthetic, 2,000 facts", synthetic(2000), max(3, args.runs // 3))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'seed.db'}"
        library = Library.open(Settings.from_mapping({"DATABASE_URL": url}))
        try:
            row("seed: !timeline patriot", library.answer("timeline patriot"), args.runs)
        finally:
            library.close()
    print(f"\ntarget: median under {TARGET * 1000:.0f} ms for 50 facts;", end=" ")
    print(f"PNG at most {MAX_BYTES:,} bytes")


if __name__ == "__main__":
    main()
