"""Hypothesis strategies for hostile text and the settings the property-based tests run with."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import settings
from hypothesis import strategies as st

LONGEST = 10_000
"""The longest input the properties try, in characters."""
QUICK = 2.0
"""Seconds any one call may take: far above a normal call, far below a hang."""

SHORT = settings(deadline=None, max_examples=200, derandomize=True, database=None)
"""How a property over short inputs runs: 200 examples, the same ones every run."""
LONG = settings(deadline=None, max_examples=50, derandomize=True, database=None)
"""How a property over long inputs (up to `LONGEST` characters) runs: 50 examples."""

T = TypeVar("T")

PIECES = (
    # Zero-width space, non-joiner, joiner; left-to-right and right-to-left marks; RLO.
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202e",
    "\ufeff",
    # Combining marks, alone and on letters; Devanagari signs and a virama.
    "\u0301",
    "\u0308",
    "\u0336",
    "e\u0301",
    "\u0902",
    "\u093f",
    "\u094d",
    "गिनी",
    "ड़",
    # Emoji, with skin tones and joined into families and flags.
    "😀",
    "👩\u200d👩\u200d👧\u200d👦",
    "👍🏽",
    "🇯🇵",
    "🏳️\u200d🌈",
    # Other scripts, full-width and compatibility forms.
    "Итуруп",
    "Ноздрёв",
    "北方領土",
    "ドイツ",
    "ﾄﾞｲﾂ",
    "Ｊａｐａｎ",
    "ﬁ",
    "ǅ",
    "İ",
    "ß",
    "ς",
    "Côte d'Ivoire",
    # Punctuation, controls and whitespace of every sort.
    "U.S.",
    "O'Neill",
    "’",
    "-",
    "_",
    "!",
    " ",
    "\t",
    "\n",
    "\r",
    "\x00",
    "\x1b",
    "\x7f",
    "\x85",
    "\u00a0",
    "\u2028",
    "\u3000",
)

any_text = st.text()
"""Any text: every code point but the surrogates Python strings cannot encode alone."""

tricky_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=20).map("".join)
"""Text built from the pieces that trip up folding: marks, joiners, bidi controls, emoji."""

long_text = st.builds(
    lambda parts, times: ("".join(parts) * times)[:LONGEST],
    st.lists(st.sampled_from(PIECES) | st.text(min_size=1, max_size=5), min_size=1, max_size=8),
    st.integers(min_value=1, max_value=LONGEST),
)
"""Text up to `LONGEST` characters, repeating a hostile stretch."""

texts = any_text | tricky_text
"""Short hostile text of either sort."""


def timed(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """call(*args, **kwargs), failing when it takes `QUICK` seconds or more."""
    started = time.perf_counter()
    result = call(*args, **kwargs)
    elapsed = time.perf_counter() - started
    assert elapsed < QUICK, f"{getattr(call, '__name__', call)} took {elapsed:.2f} s"
    return result
