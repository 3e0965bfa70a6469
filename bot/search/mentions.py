"""Finding every stored name that a text mentions, in one pass over the text.

`MentionMatcher` is built once from (entity key, alias) pairs. Each alias is
folded exactly as lookups fold it (`match_keys`: its folded form and, unless it
has Chinese characters, its Latin transliteration), and all the keys go into one
Aho-Corasick automaton (pyahocorasick). A text is folded the same way, so
"Ноздрёв", "NOZDREV" and "nozdrëv" all meet the key "nozdrev", and scanned once,
in its folded form and, when that differs, in its transliteration (so Cyrillic
text finds a Latin-only alias too). Only keys of stored aliases are in the
automaton, so a name the store does not know is never found.

Rules, in the order they apply:

- **Whole words.** A match must start and end at a word boundary: the edge of
  the text, a space (any punctuation or symbol folds to one), or a character
  of a script written without spaces between words (Chinese characters, kana,
  Hangul, Thai, Lao, Khmer, Myanmar) on either side of the edge. So "Iran" is
  not found inside "Tirana", nor "WW2" inside "WW20", but "ロシア" is found in
  "ロシアは" and "Japan" in "Japanの". (Korean counts as unspaced because its
  particles attach to the noun: "러시아는".) An apostrophe, which folding
  drops ("Japan's" folds to "japans"), is a boundary too, so possessives and
  elisions name what they attach to: "Russia's", "l'Iran". Dots are not:
  "U.S." is one word.
- **One character is not a name.** A key that folds to a single character is
  never matched in running text ("日" is in "日曜日"); lookups still find it.
- **Acronyms keep their capitals.** An alias written with capitals and no
  lowercase letter ("US", "AP", "USSR", "СССР") matches only text that has no
  lowercase letter either ("US", "U.S."), so the pronoun "us" is not the United
  States.
- **Longest wins.** Where matches overlap, the longest (in the original text)
  is kept and the ones it overlaps are dropped: "Kuril Islands dispute" is the
  dispute, not also the islands. Equally long ties go to the earlier one.

Mentions come back one per entity, most mentioned first, then by first
position. An alias shared by several entities mentions each of them.
"""

from __future__ import annotations

import io
import pickle
import re
import unicodedata
import zlib
from array import array
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np
from anyascii import anyascii

from bot.search.fields import from_arrays, to_arrays
from bot.search.normalize import fold, match_keys
from bot.search.packing import PackError

APOSTROPHES = frozenset("'’ʼ`´")
"""Characters folding drops that still end a word here (dots, the other joiners, do not)."""

MIN_KEY = 2
"""Keys shorter than this (after folding) are not matched in running text."""

PERSISTED = {
    "_key_length": "array",
    "_first": "array",
    "_next": "array",
    "_entity": "strings",
    "_alias": "strings",
    "_capitals": "bytes",
}
"""A matcher's tables as a snapshot keeps them, beside its automaton (see `fields`)."""

_UNSPACED = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF),  # Khmer
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width katakana
    (0x20000, 0x3FFFF),  # CJK extensions B and beyond
)


@lru_cache(maxsize=8192)
def unspaced(char: str) -> bool:
    """Whether char belongs to a script written without spaces between words."""
    point = ord(char)
    return any(low <= point <= high for low, high in _UNSPACED)


def is_acronym(alias: str) -> bool:
    """Whether alias is written in capitals with no lowercase letter ("US", "MIM-104")."""
    return any(char.isupper() for char in alias) and not any(char.islower() for char in alias)


@dataclass(frozen=True, slots=True)
class Match:
    """One place where a text names an entity."""

    start: int
    end: int
    """The span in the original text: ``text[start:end]``."""
    text: str
    """What the text says there, as written."""
    alias: str
    """The stored alias it matched, as curated."""


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity a text names, with every place it does, in text order."""

    entity: str
    matches: tuple[Match, ...]

    @property
    def count(self) -> int:
        return len(self.matches)

    @property
    def first(self) -> int:
        """Where the text first names it."""
        return self.matches[0].start


@lru_cache(maxsize=65536)
def _fold_unit(unit: str) -> str:
    """One character (with its combining marks) folded as `fold` folds it in context:
    "" for a joiner ("." "'"), " " for a separator. Folding it between two letters
    keeps that difference, which `fold` alone would strip from the edges."""
    return fold(f"a{unit}a")[1:-1]


@lru_cache(maxsize=65536)
def _transliterate_piece(piece: str) -> str:
    """A folded piece's Latin transliteration, as `transliterate` gives it in context."""
    if piece.isascii() or any(unspaced(char) for char in piece):
        return piece
    return fold(f"a{anyascii(piece)}a")[1:-1]


@dataclass(frozen=True, slots=True)
class _View:
    """A folded form of a text, with where each of its characters came from."""

    text: str
    starts: list[int]
    ends: list[int]
    breaks: frozenset[int]
    """Positions right after a dropped apostrophe, which are word boundaries."""


_WORD = re.compile(r"[^\W_\u1100-\u11ff]+")
"""A run of letters and digits, which folds a character at a time (Hangul jamo, which
NFKC composes into syllables, are left to `_units`)."""


def _units(text: str, position: int, stop: int) -> Iterable[tuple[int, int]]:
    """Spans of each base character with the combining marks that follow it (and a
    decomposed Hangul syllable's vowel and final, which NFKC composes with it)."""
    while position < stop:
        end = position + 1
        while end < stop and (
            unicodedata.combining(text[end]) or "\u1160" <= text[end] <= "\u11ff"
        ):
            end += 1
        yield position, end
        position = end


_Segment = tuple[str, int, int, bool, bool]
"""(folded piece, start, end, whether it is a run folded a character for a character,
whether an apostrophe was dropped right before it)."""


def _segments(text: str) -> list[_Segment]:
    """The text folded in pieces, each with the span it came from.

    Runs of letters and digits that fold one character to one character (almost
    all text) are taken whole; anything else one character (with its marks) at a time.
    """
    segments: list[_Segment] = []
    dropped = False

    def units(position: int, stop: int) -> None:
        nonlocal dropped
        for start, end in _units(text, position, stop):
            unit = text[start:end]
            piece = _fold_unit(unit)
            if not piece:
                dropped = dropped or unicodedata.normalize("NFKC", unit) in APOSTROPHES
                continue
            segments.append((piece, start, end, False, dropped))
            dropped = False

    position = 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        if end < len(text) and unicodedata.combining(text[end]):
            end -= 1  # its last letter goes with the marks that follow it
        if start < position or start >= end:
            continue
        run = text[start:end]
        if run.isascii():
            piece = run.lower()
        else:
            pieces = [_fold_unit(char) for char in run]
            piece = "".join(pieces) if all(len(p) == 1 for p in pieces) else ""
            if len(piece) != len(run) or " " in piece:
                continue  # not one for one: left to units
        units(position, start)
        segments.append((piece, start, end, True, dropped))
        dropped = False
        position = end
    units(position, len(text))
    return segments


def _view(segments: Sequence[_Segment], *, transliterated: bool) -> _View:
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    breaks: set[int] = set()
    length = 0
    space = True  # as if after a space: no leading space
    for piece, start, end, run, dropped in segments:
        if transliterated:
            piece = _transliterate_piece(piece)
        if dropped and not space:
            breaks.add(length)
        if run and len(piece) == end - start:
            parts.append(piece)
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
            length += end - start
            space = False
            continue
        for char in piece:
            if char == " ":
                if space:
                    continue
                space = True
            else:
                space = False
            parts.append(char)
            starts.append(start)
            ends.append(end)
            length += 1
    if parts and parts[-1] == " ":
        parts.pop()
        starts.pop()
        ends.pop()
    return _View("".join(parts), starts, ends, frozenset(breaks))


def views(text: str) -> list[_View]:
    """The text folded as lookups fold it, then its transliteration when that differs.

    Every folded character knows its span in the original. The first view equals
    `fold(text)`; the second `transliterate(text)` for text without Chinese
    characters or kana, which stay as they are (lookups do not transliterate
    Chinese characters, and a kana name is stored in kana).
    """
    segments = _segments(text)
    folded = _view(segments, transliterated=False)
    if folded.text.isascii():
        return [folded]
    translit = _view(segments, transliterated=True)
    return [folded] if translit.text == folded.text else [folded, translit]


def _bounded(text: str, start: int, end: int, breaks: frozenset[int]) -> bool:
    """Whether text[start:end] is whole words (see the module's rules)."""
    if start > 0 and start not in breaks:
        before = text[start - 1]
        if before != " " and not unspaced(before) and not unspaced(text[start]):
            return False
    if end < len(text) and end not in breaks:
        after = text[end]
        if after != " " and not unspaced(after) and not unspaced(text[end - 1]):
            return False
    return True


class MentionMatcher:
    """Every stored name a text mentions, found with one Aho-Corasick automaton.

    Immutable once built; build a new one when the names change. Memory is kept
    small for large stores: the automaton stores integers, and the owners of each
    key are kept in flat arrays rather than one Python object per alias.
    """

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        """names: (entity key, alias) pairs; each entity should give its name too."""
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self._key_length = array("I")
        self._first = array("i")
        """Per key: its first owner node."""
        self._next = array("i")
        """Per owner node: the next node of the same key, or -1."""
        self._entity: list[str] = []
        self._alias: list[str] = []
        self._capitals = bytearray()
        self.aliases = 0
        for entity, alias in names:
            self.aliases += 1
            capitals = is_acronym(alias)
            for key in match_keys(alias):
                if len(key) >= MIN_KEY:
                    self._add(key, entity, alias, capitals)
        if len(self._key_length):
            self._automaton.make_automaton()

    def _add(self, key: str, entity: str, alias: str, capitals: bool) -> None:
        index = self._automaton.get(key, -1)
        if index == -1:
            index = len(self._key_length)
            self._automaton.add_word(key, index)
            self._key_length.append(len(key))
            self._first.append(-1)
        node = self._first[index]
        last = -1
        while node != -1:
            if self._entity[node] == entity:
                if self._capitals[node] and not capitals:  # the laxer alias decides
                    self._alias[node], self._capitals[node] = alias, 0
                return
            last, node = node, self._next[node]
        node = len(self._entity)
        self._entity.append(entity)
        self._alias.append(alias)
        self._capitals.append(capitals)
        self._next.append(-1)
        if last == -1:
            self._first[index] = node
        else:
            self._next[last] = node

    def __len__(self) -> int:
        """The number of distinct folded keys."""
        return len(self._key_length)

    def save(self, automaton: Path, prefix: str) -> dict[str, np.ndarray]:
        """Write the automaton to its own file and give the rest as named arrays, with the
        automaton file's size and CRC-32 to check it by.

        The file is the automaton pickled: pyahocorasick reads that back twelve times
        faster than its own `save` format (0.6 s against 7.8 s at 1,000,000 aliases), and
        `_AutomatonUnpickler` reads nothing else from it."""
        data = pickle.dumps(self._automaton, protocol=pickle.HIGHEST_PROTOCOL)
        automaton.write_bytes(data)
        check = np.array([self.aliases, len(data), zlib.crc32(data)], dtype=np.int64)
        return {**to_arrays(self, PERSISTED, prefix), f"{prefix}.check": check}

    @classmethod
    def load(cls, automaton: Path, arrays: Mapping[str, np.ndarray], prefix: str) -> MentionMatcher:
        """The matcher `save` saved; PackError if the automaton file is not the one saved
        with these tables, OSError if it cannot be read."""
        check = arrays.get(f"{prefix}.check")
        data = automaton.read_bytes()
        if check is None or len(check) != 3 or [len(data), zlib.crc32(data)] != check[1:].tolist():
            raise PackError("the names automaton is not the one saved with its snapshot")
        matcher = cls(())
        for field, value in from_arrays(arrays, PERSISTED, prefix).items():
            setattr(matcher, field, value)
        matcher.aliases = int(check[0])
        keys, owners = len(matcher._key_length), len(matcher._entity)
        nodes = np.frombuffer(matcher._first, np.int64), np.frombuffer(matcher._next, np.int64)
        fits = len(matcher._first) == keys and len(matcher._next) == len(matcher._alias) == owners
        if (
            not fits
            or len(matcher._capitals) != owners
            or any(len(part) and (part.min() < -1 or part.max() >= owners) for part in nodes)
        ):
            raise PackError("the names tables do not fit together")
        try:
            loaded = _AutomatonUnpickler(io.BytesIO(data)).load()
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as error:
            raise PackError("the names automaton is not readable") from error
        if not isinstance(loaded, ahocorasick.Automaton) or loaded.store != ahocorasick.STORE_INTS:
            raise PackError("the names automaton is not one of diplobot's")
        matcher._automaton = loaded
        if len(matcher._automaton) != keys:
            raise PackError("the names automaton does not fit its tables")
        return matcher

    def find(self, text: str) -> list[Mention]:
        """The entities text names, most often named first, then first named first."""
        return find_in(((self, frozenset()),), text)


class _AutomatonUnpickler(pickle.Unpickler):
    """Reads a pickled pyahocorasick automaton and nothing else: no other class or
    function named in the file is ever looked up, so a file put in the cache directory
    cannot run code (the restriction the pickle module's documentation describes)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("ahocorasick", "Automaton"):
            return ahocorasick.Automaton
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a names automaton")


def find_in(layers: Sequence[tuple[MentionMatcher, Collection[str]]], text: str) -> list[Mention]:
    """The entities text names through several matchers at once (see `changed_mentions`),
    each with entities it no longer speaks for; as `MentionMatcher.find` otherwise."""
    spans: set[tuple[int, int, int, int]] = set()
    for number, (matcher, _) in enumerate(layers):
        if not len(matcher._key_length):
            continue
        for view in views(text):
            folded = view.text
            for last, index in matcher._automaton.iter(folded):
                end = last + 1
                start = end - matcher._key_length[index]
                if _bounded(folded, start, end, view.breaks):
                    spans.add((view.starts[start], view.ends[last], number, index))
    taken = bytearray(len(text))
    kept: set[tuple[int, int]] = set()
    found: dict[str, dict[int, Match]] = {}
    for start, end, number, index in sorted(spans, key=lambda s: (s[0] - s[1], *s)):
        if (start, end) not in kept and any(taken[start:end]):
            continue
        written = text[start:end]
        matcher, hidden = layers[number]
        node = matcher._first[index]
        while node != -1:
            entity = matcher._entity[node]
            lower = matcher._capitals[node] and any(char.islower() for char in written)
            if entity not in hidden and not lower:
                matches = found.setdefault(entity, {})
                if start not in matches:
                    matches[start] = Match(start, end, written, matcher._alias[node])
                    if (start, end) not in kept:
                        kept.add((start, end))
                        taken[start:end] = b"\x01" * (end - start)
            node = matcher._next[node]
    mentions = [
        Mention(entity, tuple(matches[start] for start in sorted(matches)))
        for entity, matches in found.items()
    ]
    mentions.sort(key=lambda mention: (-mention.count, mention.first, mention.entity))
    return mentions
