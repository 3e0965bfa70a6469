"""Whether a typed word is a common word of some language ("horse", "rear", "kong").

A letter changed in a short word can make another word rather than a slip of the
finger: "White Horse" is not a misspelt White House. `form_lookup` asks this before
it lets the rest of a name vouch for such an edit. The words are wordfreq's lists
(https://pypi.org/project/wordfreq/, shipped with the package: nothing is fetched),
read once, on first use, and only the short, frequent ones are kept.
"""

from __future__ import annotations

import threading

ZIPF_MIN = 4.0
"""A word at least this frequent counts (Zipf scale: 4 is once in 100,000 words of
text; "horse" 4.8, "rear" 4.4, "hora" 5.6, "vamo" 3.5)."""
LONGEST = 6
"""Only words this long or shorter are kept: the rules that ask are for short words."""
_SKIPPED = frozenset({"ja", "ko", "zh"})
"""Languages whose lists need a word segmenter wordfreq leaves optional; their words
are logographic or syllabic, where no edit is allowed anyway (`words.is_logographic`)."""

_lock = threading.Lock()
_words: frozenset[str] | None = None


def common_words() -> frozenset[str]:
    """Every word of 2 to `LONGEST` letters at least `ZIPF_MIN` frequent in one of
    wordfreq's languages (about 130,000; read in about 0.4 s, 15 MB, the first time)."""
    global _words
    with _lock:
        if _words is None:
            _words = _read()
        return _words


def is_common_word(word: str) -> bool:
    """Whether word (case folded) is a common word of some language."""
    return 2 <= len(word) <= LONGEST and word in common_words()


def _read() -> frozenset[str]:
    import wordfreq

    last_bucket = round((9 - ZIPF_MIN) * 100)  # bucket i holds frequency 10^(-i/100)
    found: set[str] = set()
    try:
        for language in sorted(wordfreq.available_languages("small")):
            if language in _SKIPPED:
                continue
            for bucket in wordfreq.get_frequency_list(language, "small")[: last_bucket + 1]:
                found.update(word for word in bucket if 2 <= len(word) <= LONGEST)
    finally:
        wordfreq.get_frequency_list.cache_clear()  # the whole lists, no longer wanted
    return frozenset(found)


__all__ = ["LONGEST", "ZIPF_MIN", "common_words", "is_common_word"]
