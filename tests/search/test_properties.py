"""Properties of folding and matching on hostile text: any Unicode, controls, marks,
joiners, emoji and 10,000-character inputs give a clean answer, never an exception
or a hang."""

from __future__ import annotations

from collections.abc import Collection

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.answers.catalog import Catalog
from bot.search.normalize import fold, fold_script, layers, match_keys, transliterate
from bot.search.results import Outcome, Resolution
from bot.store.models import Kind
from tests.strategies import LONG, SHORT, long_text, texts, timed

LAYERS = (fold_script, fold, transliterate)
"""Each of `layers` as a function of its own output: each is idempotent."""

kinds = st.none() | st.lists(
    st.sampled_from([kind.value for kind in Kind]) | st.text(max_size=10), max_size=4
)
"""No filter, known kinds, unknown kinds, or an empty list."""


def single_spaced(text: str) -> bool:
    """Whether text has words split by single spaces and no other whitespace."""
    return text == " ".join(text.split()) and all(c == " " or not c.isspace() for c in text)


def check_folds(text: str) -> None:
    for key in [*timed(layers, text), *timed(match_keys, text)]:
        assert single_spaced(key), repr(key)
    keys = match_keys(text)
    assert all(keys) and len(set(keys)) == len(keys)
    assert timed(fold, text) == layers(text)[1]
    script = fold_script(text)
    assert single_spaced(script)
    assert fold_script(script) == script
    folded = fold(text)
    assert fold(folded) == folded
    assert all(layer(key) == key for layer, key in zip(LAYERS, layers(text), strict=True))
    latin = transliterate(text)
    assert latin.isascii() and single_spaced(latin)
    assert transliterate(latin) == latin


@SHORT
@given(texts)
@example("İ")
@example("_\u0300")  # a mark on an underscore was kept, then dropped by a second fold
@example("C.\u0327")  # a mark a dropped joiner kept from its letter came out decomposed
@example("Ё\u0308")  # ё with a second diaeresis folded to ё, then to е
@example("Ё\u0306")
@example("\u0301e")
@example("\u200d\u0301")
@example("👩\u200d👩\u200d👧")
@example("\x00\x1f\x85\u2028")
def test_folding_is_clean_and_idempotent(text: str) -> None:
    check_folds(text)


@pytest.mark.slow  # seconds of CPU each: the full run has them
@LONG
@given(long_text)
def test_folding_long_text_is_clean(text: str) -> None:
    check_folds(text)


def check_resolution(resolution: Resolution) -> None:
    if resolution.outcome is Outcome.FOUND:
        assert resolution.best is not None
    elif resolution.outcome is Outcome.AMBIGUOUS:
        assert resolution.best is None and len(resolution.candidates) >= 2
    else:
        assert resolution.outcome is Outcome.NOT_FOUND and resolution.best is None


def check_lookup(catalog: Catalog, text: str, wanted: Collection[str] | None) -> None:
    check_resolution(timed(catalog.index.resolve, text, wanted))
    check_resolution(timed(catalog.resolve, text, wanted))
    hits = timed(catalog.index.search, text, wanted)
    assert len(hits) <= 10
    assert len({hit.entity for hit in hits}) == len(hits)
    if wanted is not None:
        assert all(hit.kind in wanted for hit in hits)


@SHORT
@given(texts, kinds)
@example("kuril", None)
@example("k\u200bu\u200dr\u202eil", None)
@example("北方領土", ["dispute"])
def test_lookup_gives_an_outcome(catalog: Catalog, text: str, wanted: list[str] | None) -> None:
    check_lookup(catalog, text, wanted)


@pytest.mark.slow  # seconds of CPU each: the full run has them
@LONG
@given(long_text, kinds)
def test_lookup_of_long_text_gives_an_outcome(
    catalog: Catalog, text: str, wanted: list[str] | None
) -> None:
    check_lookup(catalog, text, wanted)
