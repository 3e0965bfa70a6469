"""The name matcher's accuracy targets, on real names in ~160 languages.

The index holds every ISO 3166-1 country under every name pycountry translates it
to (bench/realnames.py, about 33,000 names in many scripts) plus a few thousand
synthetic aliases of people, places and organisations (bench/synthetic.py) as
distractors. Queries are made from the real names with bench/matching.py's
generators (fixed seed), and labelled there: which stored names share a folded
key, how far a query is from the nearest stored name. The targets:

- every exact alias is found, or ambiguous only when another country has a name
  that folds to the same text (and then the right one is among the candidates);
- one typo (insert, delete, substitute, transpose; never the first letter) in a
  word of 5+ letters: at least 95% found right (or ambiguous with the right one
  among the candidates, when another country's name is exactly as close);
- no name that is not stored, and not within one edit of a stored name, is ever
  answered as found.

bench/matching.py measures the same classes and more, with larger samples, at
every size; see bench/README.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from bench import matching, realnames, synthetic
from bot.search.index import SearchIndex
from bot.search.results import Entry, Outcome

SEED = 20240324
DISTRACTORS = 3_000
"""Synthetic aliases added to the real set."""
EXACT = 40
TYPOS_PER_OP = 20
ABSENT_PER_CLASS = 12
TYPO_TARGET = 0.95
ABSENT_CLASSES = (
    "made up",
    "real names not stored",
    "first letter changed",
    "qualifier added",
    "nonsense",
)


@dataclass(frozen=True)
class Setup:
    index: SearchIndex
    queries: matching.Queries


pytestmark = pytest.mark.xdist_group("search-accuracy")
"""One worker runs this module, so its 4-second index is built once, not once per worker."""


@pytest.fixture(scope="module")
def setup() -> Setup:
    real = list(realnames.entries())
    entries: list[Entry] = real + synthetic.entries(synthetic.world(DISTRACTORS, SEED))
    space = matching.KeySpace(entries)
    return Setup(SearchIndex(entries), matching.Queries(space, SEED, pool=real))


def answers(index: SearchIndex, queries: Sequence[matching.Query]) -> list[matching.Answer]:
    return [matching.answer_of(index, query.text) for query in queries]


def describe(query: matching.Query, answer: matching.Answer) -> str:
    shown = answer.best or ", ".join(answer.candidates[:3]) or "-"
    return f"{query.text!r} ({query.target}, from {query.source!r}): {answer.outcome} {shown}"


def test_real_set_is_multilingual() -> None:
    entries = realnames.entries()
    assert len({entry.entity for entry in entries}) == len(realnames.english()) >= 240
    assert len(realnames.locales()) >= 100
    assert len(entries) >= 20_000
    assert {matching.script(c) for e in entries for c in e.alias if c.isalpha()} >= {
        "LATIN",
        "CYRILLIC",
        "GREEK",
        "ARABIC",
        "CJK",
    }


@pytest.mark.slow
def test_every_exact_alias_is_found(setup: Setup) -> None:
    queries = setup.queries.make("exact", EXACT)
    assert len(queries) == EXACT
    wrong = []
    for query, answer in zip(queries, answers(setup.index, queries), strict=True):
        if answer.outcome == "found" and answer.best == query.target:
            continue
        if answer.outcome == "ambiguous" and query.tied and query.target in answer.candidates:
            continue  # another country's name folds to the same text
        wrong.append(describe(query, answer))
    assert not wrong, f"{len(wrong)} of {len(queries)} exact aliases:\n" + "\n".join(wrong)


@pytest.mark.slow
def test_one_typo_in_a_long_word_is_found(setup: Setup) -> None:
    queries = [
        query
        for op in matching.TYPO_OPS
        for query in setup.queries.make(f"one typo: {op}", TYPOS_PER_OP)
    ]
    assert len(queries) == 4 * TYPOS_PER_OP
    tally = matching.Tally()
    wrong = []
    for query, answer in zip(queries, answers(setup.index, queries), strict=True):
        tally.add(query, answer)
        if not (answer.outcome == "found" and answer.best == query.target):
            wrong.append(describe(query, answer))
    assert tally.right >= TYPO_TARGET * tally.n, (
        f"{tally.right} of {tally.n} found right ({tally.false} as another country), "
        f"under {TYPO_TARGET:.0%}:\n" + "\n".join(wrong)
    )


@pytest.mark.slow
def test_no_false_answers_beyond_one_edit(setup: Setup) -> None:
    queries = [
        query
        for cls in ABSENT_CLASSES
        for query in setup.queries.make(cls, ABSENT_PER_CLASS)
        if not query.near
    ]
    assert len(queries) >= 35
    wrong = [
        describe(query, answer)
        for query, answer in zip(queries, answers(setup.index, queries), strict=True)
        if answer.outcome == "found"
    ]
    assert not wrong, f"{len(wrong)} of {len(queries)} absent names found:\n" + "\n".join(wrong)


def test_a_name_shared_by_two_countries_is_ambiguous(setup: Setup) -> None:
    """Some catalogs give one country another's name; such a name names neither for sure."""
    shared = realnames.shared()
    assert shared, "pycountry's catalogs no longer share any name between countries"
    alias = min(
        (name for name, owners in shared.items() if name.isascii() and len(owners) == 2),
        default=min(shared),
    )
    resolution = setup.index.resolve(alias)
    assert resolution.outcome is Outcome.AMBIGUOUS
    assert set(shared[alias]) <= {hit.entity for hit in resolution.candidates}
