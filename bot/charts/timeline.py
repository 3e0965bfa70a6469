"""A timeline answer drawn as a picture: its dated facts on a time axis, at their precision.

One row per fact, oldest at the top. A fact dated to a year is a bar across that
year, one dated to a month a bar across the month, one dated to a day a dot. Each
row's label is the date, the start of the fact and the card's footnote numbers
([1], [2] …), so the picture and the card read together. With more than `MAX_ROWS`
facts the densest periods are summarised, one row each ("2023-03 · 140 facts"),
first by month, then by quarter, year, decade or century, so the image stays readable and
under `MAX_BYTES`.

The picture is an opaque mid-grey card with light marks and white text, which reads
the same in Discord's dark (#313338) and light (#ffffff) themes. matplotlib is
imported on the first drawing; drawing holds a lock (matplotlib's text and font
caches are shared) and belongs in a worker thread, never on an event loop.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.core.answer import Answer, FactView, Status

COMMAND = "timeline"
"""The lookup whose answers get a chart."""
MIN_FACTS = 3
"""A timeline gets a chart when it has at least this many dated facts."""
MAX_ROWS = 60
"""At most this many rows: beyond, the densest periods are summarised."""
MAX_BYTES = 200_000
"""The PNG is never larger than this (a test draws 2,000 facts to show it)."""
LABEL = 42
"""Characters of a fact's text in its label."""
MARKS = 4
"""At most this many footnote numbers in a label; more end in "…"."""
DESCRIPTION_MAX = 1024
"""Discord's limit on an attachment's description (its alt text)."""
FILENAME = "timeline.png"

BACKGROUND = "#5c5e66"
"""Mid-grey: set apart from both Discord themes, dark enough for white text."""
TEXT = "#ffffff"
GRID = "#7a7c85"
STRIPE = "#63656e"
"""Every other row, faintly, to lead the eye from a label to its mark."""
COLOURS = {"year": "#8ab4f8", "month": "#7ee2a8", "day": "#fee75c", "summary": "#d0d3d9"}
"""Marks by precision: light enough to stand out on `BACKGROUND` (3:1 or more)."""

WIDTH = 12.0
"""Inches; at `DPI` dots per inch the picture is 1,200 pixels wide."""
DPI = 100
ROW = 0.26
"""Inches per row."""
FRAME = 1.25
"""Inches above and below the rows: the title and the time axis."""

_DRAWING = threading.Lock()


@dataclass(frozen=True, slots=True)
class Chart:
    """A picture ready to attach: its file name, PNG bytes and a description (alt text)."""

    filename: str
    png: bytes
    description: str


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the chart: a fact, or a summary of several.

    ``end`` is None for a point (a day); otherwise the span ends just before it."""

    start: date
    end: date | None
    label: str
    kind: str
    count: int = 1


def dated_facts(answer: Answer) -> list[FactView]:
    """The facts of answer that have a date, in the answer's order."""
    return [fact for fact in answer.facts if fact.date]


def wants_chart(answer: Answer) -> bool:
    """Whether answer is a found timeline with at least `MIN_FACTS` dated facts."""
    return (
        answer.command == COMMAND
        and answer.status is Status.FOUND
        and len(dated_facts(answer)) >= MIN_FACTS
    )


def why_no_chart(answer: Answer) -> str:
    """One sentence saying why answer has no chart (for ``ask --chart``)."""
    if answer.command != COMMAND:
        return f"only a timeline has a chart, and this is a {answer.command} answer"
    if answer.status is not Status.FOUND:
        return "the timeline found nothing to draw"
    have = len(dated_facts(answer))
    return f"a chart needs at least {MIN_FACTS} dated facts, and this timeline has {have}"


def timeline_chart(answer: Answer) -> Chart | None:
    """answer's chart, or None when it has none (`wants_chart`). Slow (tens of
    milliseconds, more on the first call): call it from a worker thread."""
    if not wants_chart(answer):
        return None
    numbers = {source.key: n for n, source in enumerate(answer.sources, start=1)}
    facts = sorted(dated_facts(answer), key=lambda fact: span(fact.date or "")[0])
    rows = rows_for(facts, numbers)
    png = draw(rows, answer.title or "Timeline")
    return Chart(FILENAME, png, describe(answer, facts, rows))


def span(when: str) -> tuple[date, date | None]:
    """Where a date written to its precision lies: a year or a month as the span from its
    first day to the first day after it; a day as a point (end None)."""
    parts = [int(part) for part in when.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0] + 1, 1, 1)
    if len(parts) == 2:
        year, month = parts
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return date(year, month, 1), following
    return date(parts[0], parts[1], parts[2]), None


def rows_for(facts: Sequence[FactView], numbers: dict[str, int]) -> list[Row]:
    """One row per fact when they fit in `MAX_ROWS`; else the fewest, most crowded
    periods summarised, trying months first, then quarters, years, decades, centuries."""
    if len(facts) <= MAX_ROWS:
        return [_fact_row(fact, numbers) for fact in facts]
    for period in _PERIODS:
        groups: dict[str, list[FactView]] = {}
        for fact in facts:
            groups.setdefault(period(fact.date or ""), []).append(fact)
        summarised, count = set(), len(facts)
        for key, members in sorted(groups.items(), key=lambda item: -len(item[1])):
            if count <= MAX_ROWS or len(members) == 1:
                break
            summarised.add(key)
            count -= len(members) - 1
        if count <= MAX_ROWS:
            rows: list[Row] = []
            for key, members in groups.items():
                if key in summarised:
                    rows.append(_summary_row(key, members, numbers))
                else:
                    rows.extend(_fact_row(fact, numbers) for fact in members)
            return rows
    size = -(-len(facts) // MAX_ROWS)  # more centuries than rows: even runs of facts
    runs = [facts[i : i + size] for i in range(0, len(facts), size)]
    return [_summary_row(f"{run[0].date}–{run[-1].date}", run, numbers) for run in runs]


def _quarter(when: str) -> str:
    """The quarter a date falls in (``2023-Q2``); a date of a year alone stays its year."""
    return f"{when[:4]}-Q{(int(when[5:7]) - 1) // 3 + 1}" if len(when) >= 7 else when[:4]


_PERIODS: tuple[Callable[[str], str], ...] = (
    lambda when: when[:7],
    _quarter,
    lambda when: when[:4],
    lambda when: f"{when[:3]}0s",
    lambda when: f"{when[:2]}00s",
)


def _fact_row(fact: FactView, numbers: dict[str, int]) -> Row:
    start, end = span(fact.date or "")
    kind = "day" if end is None else ("month" if (fact.date or "").count("-") else "year")
    text = " ".join(fact.text.split())
    if len(text) > LABEL:
        text = text[: LABEL - 1].rstrip() + "…"
    label = f"{fact.date}  {text} {_marks(fact.sources, numbers)}".rstrip()
    return Row(start, end, label, kind)


def _summary_row(period: str, facts: Sequence[FactView], numbers: dict[str, int]) -> Row:
    spans = [span(fact.date or "") for fact in facts]
    start = min(first for first, _ in spans)
    end = max(last or first + timedelta(days=1) for first, last in spans)
    sources = [source for fact in facts for source in fact.sources]
    label = f"{period} · {len(facts)} facts {_marks(sources, numbers)}".rstrip()
    return Row(start, end, label, "summary", len(facts))


def _marks(sources: Sequence[Any], numbers: dict[str, int]) -> str:
    """The footnote numbers of sources, as the card shows them: ``[1][3]``."""
    found = sorted({numbers[source.key] for source in sources if source.key in numbers})
    shown = "".join(f"[{number}]" for number in found[:MARKS])
    return shown + ("…" if len(found) > MARKS else "")


def draw(rows: Sequence[Row], title: str) -> bytes:
    """rows drawn on a time axis as a PNG (see the module's description)."""
    with _DRAWING:
        return _draw(rows, title)


def _draw(rows: Sequence[Row], title: str) -> bytes:
    # Imported here: loading matplotlib takes most of a second, paid only by a chart.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    height = FRAME + ROW * max(len(rows), 3)
    figure = Figure(figsize=(WIDTH, height), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.40, FRAME * 0.55 / height, 0.57, 1 - FRAME / height))
    axes.set_facecolor(BACKGROUND)
    _marks_drawn(axes, rows)
    _labelled(axes, rows, title)
    _key(axes, {row.kind for row in rows})
    return _png(figure)


def _marks_drawn(axes: Any, rows: Sequence[Row]) -> None:
    """Every other row striped; spans as bars (summaries hatched), days as dots."""
    for index in range(1, len(rows), 2):
        axes.axhspan(index - 0.5, index + 0.5, color=STRIPE, linewidth=0, zorder=0)
    spans = [(index, row) for index, row in enumerate(rows) if row.end is not None]
    for kind in ("year", "month", "summary"):
        chosen = [(index, row) for index, row in spans if row.kind == kind]
        if chosen:
            axes.barh(
                [index for index, _ in chosen],
                [_x(row.end) - _x(row.start) for _, row in chosen if row.end],
                left=[_x(row.start) for _, row in chosen],
                height=0.6 if kind != "summary" else 0.8,
                color=COLOURS[kind],
                hatch="///" if kind == "summary" else None,
                edgecolor=BACKGROUND if kind == "summary" else COLOURS[kind],
                linewidth=0.0,
                zorder=2,
            )
    points = [(index, row) for index, row in enumerate(rows) if row.end is None]
    if points:
        axes.scatter(
            [_x(row.start) for _, row in points],
            [index for index, _ in points],
            s=36,
            color=COLOURS["day"],
            edgecolors=BACKGROUND,
            linewidths=0.8,
            zorder=3,
        )


def _labelled(axes: Any, rows: Sequence[Row], title: str) -> None:
    """The title, each row's label beside it, and the time axis with its grid."""
    from matplotlib import dates as mdates

    first = min(row.start for row in rows)
    last = max(row.end or row.start for row in rows)
    margin = max((last - first).days * 0.03, 15)
    axes.set_xlim(_x(first - timedelta(days=margin)), _x(last + timedelta(days=margin)))
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.set_yticks([])
    beside = axes.get_yaxis_transform()  # x in the axes' width, y in rows
    for index, row in enumerate(rows):
        axes.text(
            -0.01,
            index,
            row.label,
            transform=beside,
            ha="right",
            va="center",
            fontsize=9,
            color=TEXT,
        )
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.tick_params(axis="x", colors=TEXT, labelsize=9)
    axes.grid(axis="x", color=GRID, linewidth=0.6, zorder=1)
    for side in axes.spines.values():
        side.set_visible(False)
    axes.set_title(title, loc="left", color=TEXT, fontsize=12, fontweight="bold", pad=10)


_EPOCH = date(1970, 1, 1)
"""matplotlib's dates are days since this day (its default epoch, left unchanged)."""


def _x(day: date) -> float:
    """Where day lies on the time axis, as matplotlib counts (without its numpy round trip)."""
    return float((day - _EPOCH).days)


def _key(axes: Any, kinds: set[str]) -> None:
    """A legend above the rows, right: what each colour means, for the kinds drawn."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    names = {"year": "a year", "month": "a month", "day": "a day", "summary": "several facts"}
    handles = [
        Line2D([], [], marker="o", linestyle="", color=COLOURS[kind], label=names[kind])
        if kind == "day"
        else Patch(color=COLOURS[kind], label=names[kind])
        for kind in ("year", "month", "day", "summary")
        if kind in kinds
    ]
    axes.legend(
        handles=handles,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=len(handles),
        frameon=False,
        fontsize=9,
        labelcolor=TEXT,
        handlelength=1.2,
        borderaxespad=0.2,
    )


def _png(figure: Any) -> bytes:
    """figure as a PNG of at most 256 colours: a chart has few, and the file is a
    fraction of the size of a full-colour one."""
    from PIL import Image

    canvas = figure.canvas
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
    buffer = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG")
    return buffer.getvalue()


def describe(answer: Answer, facts: Sequence[FactView], rows: Sequence[Row]) -> str:
    """The chart in words, within Discord's `DESCRIPTION_MAX` characters: what it shows,
    how precision is drawn, what was summarised, and the first rows."""
    first, last = facts[0].date or "", facts[-1].date or ""
    undrawn = len(answer.facts) - len(facts)
    parts = [
        f"Timeline chart of {len(facts)} dated facts ({answer.title or 'timeline'}), "
        f"{first} to {last}, oldest at the top.",
        "A year or a month is a bar across it, a day a dot; [n] are the card's sources.",
    ]
    if undrawn:
        parts.append(f"{undrawn} undated {'fact is' if undrawn == 1 else 'facts are'} not drawn.")
    summaries = [row for row in rows if row.kind == "summary"]
    if summaries:
        shown = sum(row.count for row in summaries)
        parts.append(f"The busiest periods are summarised: {shown} facts in {len(summaries)} rows.")
    text = " ".join(parts)
    for row in rows:
        line = f" {row.label};"
        if len(text) + len(line) > DESCRIPTION_MAX - 1:
            return text.rstrip(";") + "…"
        text += line
    return text.rstrip(";") + "."


__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "MIN_FACTS",
    "Chart",
    "Row",
    "dated_facts",
    "draw",
    "rows_for",
    "span",
    "timeline_chart",
    "wants_chart",
    "why_no_chart",
]
