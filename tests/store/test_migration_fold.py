"""Migration 0002 carries its own frozen copy of alias folding (migrations import no
application code); it must agree with `bot.search.normalize.fold`, so a change to
fold is noticed here and the migration's copy is left as it was on purpose."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.search.normalize import fold
from tests.strategies import texts

SEED = Path(__file__).resolve().parents[2] / "data" / "seed.yaml"
MIGRATION = "bot.store.migrations.versions.0002_redirects_drop_alias_normalized"

frozen_fold = cast(Callable[[str], str], importlib.import_module(MIGRATION)._fold)

SAMPLE = [
    "",
    "   ",
    "U.S.",
    "O'Neill",
    "O’Neill",
    "snake_case_name",
    "Côte d'Ivoire",
    "São Tomé and Príncipe",
    "Zürich, Ålesund, Łódź, Đà Nẵng",
    "ΑΘΗΝΑ Ἀθῆναι",
    "straße STRASSE ﬁ",
    "Ноздрёв",
    "НОЗДРЁВ",
    "ёлка Ё\u0308\u0306",
    "Итуруп, Кунашир — Шикотан",
    "Йошкар-Ола",
    "北方領土",
    "東京都 ドイツ ガ",
    "ｶﾞ ＡＢＣ１２３",
    "서울특별시",
    "गिनी ड़",
    "القاهرة",
    "C.\u0327a",
    "\u0301 orphan mark",
    "emoji 👍🏽 flag 🇯🇵",
    "tabs\tand\nnew lines",
]


def seed_names() -> Iterator[str]:
    """Every name and alias in data/seed.yaml."""
    document = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    for entity in document["entities"]:
        yield entity["name"]
        for alias in entity.get("aliases", []):
            yield alias["text"] if isinstance(alias, dict) else alias


def test_the_seed_has_names_to_fold() -> None:
    assert len(list(seed_names())) > 20


@pytest.mark.parametrize("text", [*SAMPLE, *seed_names()])
def test_the_frozen_fold_agrees_with_todays_fold(text: str) -> None:
    assert frozen_fold(text) == fold(text)


@settings(deadline=None, max_examples=300, derandomize=True, database=None)
@given(st.one_of(texts, st.text(max_size=60)))
def test_the_frozen_fold_agrees_on_any_text(text: str) -> None:
    assert frozen_fold(text) == fold(text)
