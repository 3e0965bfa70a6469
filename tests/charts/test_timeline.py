"""The timeline drawn as a picture: facts at their precision, summarised when dense,
small and described, in colours that read on both Discord themes."""

from __future__ import annotations

import io
import random
import subprocess
import sys
from datetime import date

import pytest

from bot.answers import commands
from bot.answers.catalog import Catalog
from bot.charts import timeline
from bot.charts.timeline import (
    DESCRIPTION_MAX,
    MAX_BYTES,
    MAX_ROWS,
    rows_for,
    span,
    timeline_chart,
    wants_chart,
    why_no_chart,
)
from bot.core.answer import Answer, FactView, SourceRef, Status
from tests.conftest import PROJECT

PNG = b"\x89PNG\r\n\x1a\n"
WORDS = [
    "Russia",
    "warned",
    "Japan",
    "over",
    "missiles",
    "talks",
    "sanctions",
    "envoy",
    "summit",
    "the",
    "of",
]


def many_facts(count: int, seed: int = 7) -> Answer:
    """A timeline answer of count facts written for this test, dated 2014 to 2024 at
    every precision, citing 40 sources."""
    rng = random.Random(seed)
    sources = [SourceRef(f"s{n}", f"Article {n}") for n in range(40)]
    facts = []
    for n in range(count):
        year, month, day = rng.randint(2014, 2024), rng.randint(1, 12), rng.randint(1, 28)
        when = rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"])
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40)))
        facts.append(FactView(f"f{n}", text, when, (rng.choice(sources),)))
    facts.sort(key=lambda fact: span(fact.date or "")[0])
    return Answer("timeline", "x", Status.FOUND, title="Timeline: X", facts=tuple(facts))


def catalog_answer(catalog: Catalog, line: str) -> Answer:
    return commands.answer(catalog, line)


def test_a_year_and_a_month_are_spans_and_a_day_is_a_point() -> None:
    assert span("2023") == (date(2023, 1, 1), date(2024, 1, 1))
    assert span("2023-12") == (date(2023, 12, 1), date(2024, 1, 1))
    assert span("2024-02") == (date(2024, 2, 1), date(2024, 3, 1))
    assert span("2024-02-29") == (date(2024, 2, 29), None)


def test_each_row_carries_its_date_a_short_label_and_the_cards_footnotes(
    catalog: Catalog,
) -> None:
    answer = catalog_answer(catalog, "timeline japan")
    numbers = {source.key: n for n, source in enumerate(answer.sources, start=1)}
    dated = [fact for fact in answer.facts if fact.date]
    rows = rows_for(dated, numbers)
    assert [row.kind for row in rows] == ["month"] * 6
    assert rows[0].label.startswith("2023-12  By the end of 2023, the White House")
    assert all(len(row.label) < 70 and row.label.endswith("[1]") for row in rows)


def test_only_a_timeline_of_three_dated_facts_or_more_has_a_chart(catalog: Catalog) -> None:
    assert wants_chart(catalog_answer(catalog, "timeline japan"))  # 6 dated, 7 undated
    two = catalog_answer(catalog, "timeline united states")
    assert not wants_chart(two) and timeline_chart(two) is None
    assert why_no_chart(two) == "a chart needs at least 3 dated facts, and this timeline has 2"
    who = catalog_answer(catalog, "who nozdrev")
    assert why_no_chart(who) == "only a timeline has a chart, and this is a who answer"
    assert not wants_chart(catalog_answer(catalog, "timeline nosuchthing"))


def test_the_chart_is_a_png_described_for_screen_readers(catalog: Catalog) -> None:
    chart = timeline_chart(catalog_answer(catalog, "timeline japan"))
    assert chart is not None and chart.filename == "timeline.png"
    assert chart.png.startswith(PNG) and len(chart.png) <= MAX_BYTES
    assert chart.description.startswith(
        "Timeline chart of 6 dated facts (Timeline: Japan), 2023-12 to 2024-03, oldest at "
        "the top. A year or a month is a bar across it, a day a dot; [n] are the card's "
        "sources. 7 undated facts are not drawn. 2023-12  By the end of 2023"
    )
    assert len(chart.description) <= DESCRIPTION_MAX
    from PIL import Image

    image = Image.open(io.BytesIO(chart.png)).convert("RGB")
    assert image.width == 1200
    assert image.getpixel((2, 2)) == _rgb(timeline.BACKGROUND), "opaque, on its own grey"


def test_two_thousand_facts_are_summarised_into_at_most_the_rows_allowed() -> None:
    answer = many_facts(2000)
    rows = rows_for(answer.facts, {f"s{n}": n + 1 for n in range(40)})
    assert len(rows) <= MAX_ROWS
    assert sum(row.count for row in rows) == 2000
    summaries = [row for row in rows if row.kind == "summary"]
    assert summaries and summaries[0].label.split(" · ")[1].endswith("facts [1][2][3][4]…")


@pytest.mark.slow
def test_two_thousand_facts_draw_a_readable_image_under_the_bound() -> None:
    chart = timeline_chart(many_facts(2000))
    assert chart is not None
    assert chart.png.startswith(PNG) and len(chart.png) <= MAX_BYTES  # 200 KB
    assert "The busiest periods are summarised: 2000 facts in" in chart.description
    assert len(chart.description) <= DESCRIPTION_MAX
    from PIL import Image

    width, height = Image.open(io.BytesIO(chart.png)).size
    assert width == 1200 and height <= 100 * (timeline.FRAME + timeline.ROW * MAX_ROWS) + 1


def test_the_colours_read_on_the_charts_grey_which_stands_apart_from_both_themes() -> None:
    background = timeline.BACKGROUND
    assert _contrast(timeline.TEXT, background) >= 4.5  # text: WCAG AA
    for kind, colour in timeline.COLOURS.items():
        assert _contrast(colour, background) >= 3, kind  # marks: WCAG graphics
    for theme in ("#313338", "#ffffff"):  # Discord's dark and light backgrounds
        assert _contrast(background, theme) >= 1.5, theme


@pytest.mark.slow
def test_loading_the_chart_module_does_not_load_matplotlib() -> None:
    code = "import sys, bot.charts.timeline, bot.console; print('matplotlib' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "False", done.stderr


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two colours."""

    def luminance(colour: str) -> float:
        channels = [value / 255 for value in _rgb(colour)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
