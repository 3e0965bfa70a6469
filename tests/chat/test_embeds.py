"""Answers as embeds: the card's layout, and Discord's limits on oversized data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.answers.catalog import Catalog
from bot.answers.commands import run
from bot.chat.embeds import ENTRIES_PER_PAGE, render
from bot.core.answer import SourceRef as Source
from tests.chat.helpers import World, assert_within_limits, enabled, entity, fact

LONG_NAME = "Grand Duchy of " + "Very " * 97
"""A 500-character name."""


def oversized_catalog() -> Catalog:
    """One country with a 500-character name, a 5000-character summary and 100 facts
    (one of them 5000 characters), citing 40 sources with very long titles and URLs,
    in a dispute with 30 parties whose names are 300 characters long."""
    sources = [
        Source(
            f"source-{n}",
            f"Report number {n} " + "on the matter " * 30,
            "Outlet " * 20,
            f"https://example.org/{'long/' * 60}{n}",
            datetime(2024, 1, 1 + n % 28, tzinfo=UTC),
        )
        for n in range(40)
    ]
    country = entity("duchy", "country", LONG_NAME, "Summary. " * 600, aliases=("Duchy",))
    parties = [entity(f"party-{n}", "country", f"Party {n} " + "p" * 290) for n in range(30)]
    dispute = entity(
        "big-dispute",
        "dispute",
        "Big dispute",
        "A dispute with many parties.",
        aliases=(),
        parties=("duchy", *(p.ref.key for p in parties)),
        areas=(),
    )
    facts = [fact("huge", "Enormous. " * 500, [country, dispute], sources, date="2024-01-01")]
    facts += [
        fact(f"f{n}", f"Fact {n} " + "text " * 40, [country, dispute], [sources[n % 40]])
        for n in range(99)
    ]
    return Catalog([country, dispute, *parties], sources, facts)


@pytest.fixture
def big() -> Catalog:
    return oversized_catalog()


def test_card_layout(catalog: Catalog) -> None:
    card = render(run(catalog, "dispute", "kuril"))
    page = card.pages[0]
    assert page.title == "Kuril Islands dispute"
    assert (page.description or "").startswith("Territorial dispute between Russia and Japan")
    fields = {field.name: field.value for field in page.fields}
    assert fields["Parties"] == "Russia, Japan"
    assert "Iturup" in (fields["Disputed areas"] or "")
    assert "[1] Russia warns Japan" in (fields["Sources"] or "")
    assert page.footer.text == "dispute"
    assert card.choices == ()


def test_dated_facts_and_linked_sources() -> None:
    src = Source("s", "Title", "AP", "https://example.org/a", datetime(2024, 3, 24, tzinfo=UTC))
    japan = entity("japan", "country", "Japan")
    catalog = Catalog([japan], [src], [fact("f", "Japan agreed.", [japan], [src], date="2023-12")])
    page = render(run(catalog, "about", "japan")).pages[0]
    assert "**2023-12** — Japan agreed. [1]" in (page.description or "")
    assert page.fields[-1].value == "[1] [Title](https://example.org/a) — AP, 2024-03-24"


def test_every_page_of_an_oversized_answer_fits(big: Catalog) -> None:
    for command, query in [("about", "duchy"), ("dispute", "big dispute"), ("search", "fact")]:
        card = render(run(big, command, query))
        assert len(card.pages) > 1
        for page in card.pages:
            assert_within_limits(page)
            assert len(page.description or "") <= 4096


def test_long_answers_paginate_with_page_numbers(big: Catalog) -> None:
    card = render(run(big, "about", "duchy"))
    assert len(card.pages) >= 100 // ENTRIES_PER_PAGE
    assert card.pages[0].footer.text == f"country · Page 1/{len(card.pages)}"
    shown = sum((page.description or "").count("\n**") for page in card.pages)
    assert shown >= 99


def test_an_overlong_fact_and_name_are_clipped(big: Catalog) -> None:
    page = render(run(big, "about", "duchy")).pages[0]
    assert page.title is not None and len(page.title) <= 256 and page.title.endswith("…")
    assert "Enormous. " * 60 not in (page.description or "")


async def test_oversized_answers_pass_discords_limits_end_to_end(
    world: World, big: Catalog
) -> None:
    world.bot.library.catalog = big
    for query in ["!about duchy", "!dispute big dispute", "!search fact"]:
        await world.alice.send(world.channel, query)
        message = world.last()
        pages = 1
        assert_within_limits(message.embeds[0])
        while enabled(message, "▶"):
            await world.alice.click(message, label="▶")
            message = world.last()
            assert_within_limits(message.embeds[0])
            pages += 1
        assert pages > 1, query
    await world.alice.send(world.channel, "!source report 7")
    assert_within_limits(world.last().embeds[0])
