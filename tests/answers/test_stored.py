"""A catalog for one command reads only the facts that command shows."""

from __future__ import annotations

from pathlib import Path

from bot.answers import commands
from bot.answers.catalog import Catalog
from bot.answers.stored import StoredFacts
from bot.answers.text_json import as_json
from bot.curation.transfer import load_file
from bot.records.actor import Actor
from bot.store.db import Store

SEED = Path(__file__).resolve().parents[2] / "data" / "seed.yaml"
QUESTIONS = [
    "!who nozdrev",
    "!dispute kuril",
    "!about japan",
    "!timeline japan",
    "!source russia warns japan",
    "!search patriot missiles",
    "!who nobody-at-all",
]


def test_one_lookup_reads_only_the_facts_it_shows(store: Store) -> None:
    load_file(store, SEED, Actor(None, "seed"))
    catalog = Catalog.load(store, facts_in_memory=False)
    assert isinstance(catalog.facts, StoredFacts)
    assert catalog.facts.held == 0
    answer = commands.answer(catalog, "!who nozdrev")
    assert answer.facts
    assert catalog.facts.held == len(catalog.facts_about("nikolai-nozdrev")) < len(catalog.facts)


def test_every_answer_is_the_same_as_from_a_catalog_holding_every_fact(store: Store) -> None:
    load_file(store, SEED, Actor(None, "seed"))
    held, read = Catalog.load(store), Catalog.load(store, facts_in_memory=False)
    for question in QUESTIONS:
        assert as_json(commands.answer(read, question)) == as_json(
            commands.answer(held, question)
        ), question
