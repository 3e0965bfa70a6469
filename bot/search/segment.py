"""One immutable batch of the name index's entries, folded and laid out in arrays for
lookup by word, by a word's beginning, and by typo (deletion neighbourhoods)."""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Collection, Iterable, Iterator, Mapping
from functools import cached_property

import numpy as np

from bot.search.fields import HashedIds, ListsByInt, from_arrays, stable_hash, to_arrays
from bot.search.normalize import layers
from bot.search.packing import PackError
from bot.search.results import Entry
from bot.search.words import TWO_TYPOS_MIN, deletions, is_logographic

_CHUNK = 50_000
"""Keys or words handled at once while building, to bound the temporary objects."""

PERSISTED = {
    "entity_keys": "strings",
    "entity_kinds": "strings",
    "alias_text": "strings",
    "alias_entity": "array",
    "keys": "strings",
    "key_ids": "ids",
    "_owner": "array",
    "_shared": "lists by int",
    "_size": "numpy",
    "words": "strings",
    "word_ids": "ids",
    "_posted": "numpy",
    "_posted_size": "numpy",
    "_starts": "int list",
    "sorted_words": "strings",
    "variant_hashes": "numpy",
    "variant_words": "numpy",
}
"""A segment's state as a snapshot keeps it (field -> `fields` codec). Loaded, the
lists and dicts are read-only sequences and mappings of the same contents, read from
the mapped file as they are used. A new table is a line here."""


class Segment:
    """The arrays behind one immutable batch of entries.

    Aliases are folded at every layer into distinct keys; keys are split into
    distinct words, and each word lists the keys it is a word of (one flat array,
    cut per word). Typos are found through each word's deletion neighbourhood
    (the word with any one letter dropped), kept as sorted hashes.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entity_keys: list[str] = []
        self.entity_kinds: list[str] = []
        self.alias_text: list[str] = []
        self.alias_entity = array("l")
        self.key_ids: dict[str, int] = {}
        self.keys: list[str] = []
        self._owner = array("q")
        """Per key, the code (alias id * 4 + layer) of the alias folding to it, or -1
        when several do; then `_shared` lists their codes."""
        self._shared: dict[int, list[int]] = {}

        entity_ids: dict[str, int] = {}
        for entry in entries:
            entity = entity_ids.get(entry.entity)
            if entity is None:
                entity = entity_ids[entry.entity] = len(self.entity_keys)
                self.entity_keys.append(entry.entity)
                self.entity_kinds.append(entry.kind)
            self.alias_text.append(entry.alias)
            self.alias_entity.append(entity)
        for alias_id, alias in enumerate(self.alias_text):
            script, plain, latin = layers(alias)
            self._own(script, alias_id * 4)
            if plain != script:
                self._own(plain, alias_id * 4 + 1)
            if latin and latin != plain and latin != script:
                self._own(latin, alias_id * 4 + 2)
        self._index_words()

    def _own(self, key: str, code: int) -> None:
        if not key:
            return
        key_id = self.key_ids.get(key)
        if key_id is None:
            self.key_ids[key] = len(self.keys)
            self.keys.append(key)
            self._owner.append(code)
        elif key_id in self._shared:
            self._shared[key_id].append(code)
        else:
            self._shared[key_id] = [self._owner[key_id], code]
            self._owner[key_id] = -1

    def _index_words(self) -> None:
        """Number the distinct words, list each word's keys, hash the deletions.

        Done in chunks of keys and words, so that the temporary Python objects of
        one chunk are gone before the next: the peak stays near the final size.
        """
        self.word_ids: dict[str, int] = {}
        number = self.word_ids.setdefault
        width = max(1, len(self.keys))
        pairs, sizes = [], []
        for first in range(0, len(self.keys), _CHUNK):
            keys = self.keys[first : first + _CHUNK]
            words = " ".join(keys).split()
            numbered = np.fromiter(
                (number(word, len(self.word_ids)) for word in words),
                dtype=np.int64,
                count=len(words),
            )
            per_key = np.fromiter((key.count(" ") + 1 for key in keys), np.int64, len(keys))
            owner = np.repeat(np.arange(first, first + len(keys), dtype=np.int64), per_key)
            pairs.append(numbered * width + owner)
            sizes.append(per_key)
        self._size = np.concatenate(sizes).astype(np.int16) if sizes else np.zeros(0, np.int16)
        """Per key, its number of words."""
        pairs_all = np.sort(np.concatenate(pairs)) if pairs else np.zeros(0, np.int64)
        if len(pairs_all):  # a word twice in one key is listed once
            pairs_all = pairs_all[np.concatenate(([True], pairs_all[1:] != pairs_all[:-1]))]
        word_of, key_of = pairs_all // width, pairs_all % width
        # Each word's keys, shortest first: those a query could type whole come first.
        order = np.lexsort((key_of, self._size[key_of], word_of))
        self.words: list[str] = list(self.word_ids)
        self._posted = key_of[order].astype(np.int32)
        self._posted_size = self._size[self._posted]
        self._starts: list[int] = np.searchsorted(word_of, np.arange(len(self.words) + 1)).tolist()

        self.sorted_words = sorted(self.words)
        hashes, owners = [], []
        for first in range(0, len(self.words), _CHUNK):
            chunk_hashes: list[int] = []
            chunk_owners: list[int] = []
            for word_id, word in enumerate(self.words[first : first + _CHUNK], first):
                if len(word) < 3 or is_logographic(word):
                    continue
                chunk_hashes.append(stable_hash(word))
                chunk_hashes.extend(
                    [stable_hash(word[:i] + word[i + 1 :]) for i in range(len(word))]
                )
                chunk_owners.extend([word_id] * (len(chunk_hashes) - len(chunk_owners)))
            hashes.append(np.array(chunk_hashes, dtype=np.int64))
            owners.append(np.array(chunk_owners, dtype=np.int32))
        every_hash = np.concatenate(hashes) if hashes else np.zeros(0, np.int64)
        every_owner = np.concatenate(owners) if owners else np.zeros(0, np.int32)
        del hashes, owners  # the chunks, before the sort needs room of its own
        order = np.argsort(every_hash)
        self.variant_hashes = every_hash[order]
        del every_hash
        self.variant_words = every_owner[order]

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The segment's state as named arrays (see `PERSISTED`)."""
        return to_arrays(self, PERSISTED, prefix)

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> Segment:
        """The segment `to_arrays` saved; PackError if its parts do not fit together."""
        segment = cls.__new__(cls)
        for field, value in from_arrays(arrays, PERSISTED, prefix).items():
            setattr(segment, field, value)
        for ids, strings in ((segment.key_ids, segment.keys), (segment.word_ids, segment.words)):
            if not isinstance(ids, HashedIds):
                raise PackError("the name index's tables are not of their kinds")
            ids.attach(strings)
        segment._check()
        return segment

    def _check(self) -> None:
        """Raise PackError unless every id in the arrays points inside its table."""
        owners = np.frombuffer(self._owner, np.int64)
        sizes: list[tuple[np.ndarray, int]] = [
            (np.frombuffer(self.alias_entity, np.int64), len(self.entity_keys)),
            (owners[owners >= 0] // 4, len(self.alias_text)),
            (self._posted, len(self.keys)),
            (self.variant_words, len(self.words)),
        ]
        same = (
            len(self.entity_kinds) == len(self.entity_keys)
            and len(self.alias_entity) == len(self.alias_text)
            and len(self._owner) == len(self.keys) == len(self._size)
            and len(self._starts) == len(self.words) + 1
            and len(self._posted) == len(self._posted_size) == (self._starts or [0])[-1]
            and len(self.variant_hashes) == len(self.variant_words)
            and len(self.sorted_words) == len(self.words)
        )
        inside = all(len(ids) == 0 or (ids.min() >= 0 and ids.max() < size) for ids, size in sizes)
        shared = isinstance(self._shared, ListsByInt) and self._shared.within(
            len(self.keys), 4 * len(self.alias_text)
        )
        if not (same and inside and shared) or np.any(np.diff(self._starts) < 0):
            raise PackError("the name index's tables do not fit together")

    @cached_property
    def long_words(self) -> dict[tuple[str, int], tuple[list[str], np.ndarray]]:
        """Words of `TWO_TYPOS_MIN`+ letters by (first letter, length), alphabetical, with
        the letters each has (`_letter_mask`): the few a long typed word with two typos
        is compared with, letter by letter. Worked out from `sorted_words` when first
        asked (a tenth of a second at 1M aliases), not saved, and not paid by the many
        processes that never look for two typos."""
        grouped: dict[tuple[str, int], list[str]] = {}
        for word in self.sorted_words:
            if len(word) >= TWO_TYPOS_MIN and not is_logographic(word):
                grouped.setdefault((word[0], len(word)), []).append(word)
        return {group: (words, _letter_masks(words)) for group, words in grouped.items()}

    def posted(self, word_id: int, limit: int, *, fitting: int | None = None) -> list[int]:
        """Up to limit keys the word is a word of, shortest first. With ``fitting=n``,
        only keys of at most n words (a positive limit) or of more (a negative one)."""
        start, end = self._starts[word_id], self._starts[word_id + 1]
        if fitting is not None:
            sizes = self._posted_size[start:end]
            cut = start + int(np.searchsorted(sizes, fitting, side="right"))
            start, end = (start, cut) if limit > 0 else (cut, end)
        posted: list[int] = self._posted[start : min(end, start + abs(limit))].tolist()
        return posted

    def frequency(self, word_id: int) -> int:
        """How many keys word is a word of."""
        return int(self._starts[word_id + 1] - self._starts[word_id])

    def codes(self, key_id: int) -> list[int]:
        """The codes (alias id * 4 + layer) of the aliases folding to a key."""
        code = self._owner[key_id]
        return [code] if code >= 0 else self._shared[key_id]

    def entries(self, hidden: Collection[str]) -> Iterator[Entry]:
        """The segment's entries again, except those of hidden entities."""
        for alias, entity in zip(self.alias_text, self.alias_entity, strict=True):
            key = self.entity_keys[entity]
            if key not in hidden:
                yield Entry(key, self.entity_kinds[entity], alias)

    def near_words(self, typed: str, *, deep: bool = False) -> set[int]:
        """Words within one deletion of typed on either side (a superset of one edit);
        from 9 letters, or when deep from 5, within two deletions of typed."""
        if len(self.variant_hashes) == 0:
            return set()
        once = set(deletions(typed)) if len(typed) >= 3 else set()
        variants = {typed, *once}
        if len(typed) >= (5 if deep else 9):
            variants.update(twice for word in once for twice in deletions(word))
        wanted = np.fromiter(map(stable_hash, variants), dtype=np.int64, count=len(variants))
        starts = np.searchsorted(self.variant_hashes, wanted, side="left")
        ends = np.searchsorted(self.variant_hashes, wanted, side="right")
        found: set[int] = set()
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            if end > start:
                found.update(self.variant_words[start:end].tolist())
        return found

    def long_alike(self, typed: str, spread: int) -> list[str]:
        """Stored long words beginning as typed does, at most spread letters longer or
        shorter, that might be two edits from it: their letters and typed's differ in
        at most four (two edits add or remove no more)."""
        lengths = range(max(TWO_TYPOS_MIN, len(typed) - spread), len(typed) + spread + 1)
        mask = np.uint64(_letter_mask(typed))
        alike: list[str] = []
        for size in lengths:
            words, masks = self.long_words.get((typed[0], size), ((), _NO_MASKS))
            for at in np.flatnonzero(np.bitwise_count(masks ^ mask) <= 4).tolist():
                alike.append(words[at])
        return alike

    def words_beginning(self, start: str, limit: int) -> list[str]:
        """Up to limit stored words beginning with start, in alphabetical order."""
        at = bisect.bisect_left(self.sorted_words, start)
        last = min(at + limit, len(self.sorted_words))
        end = bisect.bisect_left(self.sorted_words, start + "\U0010ffff", at, last)
        return self.sorted_words[at:end]

    def prefixed_words(self, typed: str, limit: int) -> list[int]:
        """Up to limit words beginning with typed (not typed itself), in alphabetical order."""
        at = bisect.bisect_right(self.sorted_words, typed)
        found = []
        for word in self.sorted_words[at : at + limit]:
            if not word.startswith(typed):
                break
            found.append(self.word_ids[word])
        return found


_NO_MASKS = np.zeros(0, dtype=np.uint64)


def _letter_mask(word: str) -> int:
    """A bit for each letter word has (by code point modulo 64, so two letters may share
    one: that only lets more words through `Segment.long_alike`, never fewer)."""
    mask = 0
    for char in word:
        mask |= 1 << (ord(char) % 64)
    return mask


def _letter_masks(words: list[str]) -> np.ndarray:
    """`_letter_mask` of every word, at once."""
    codes = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32) % 64
    bits = np.left_shift(np.uint64(1), codes.astype(np.uint64))
    starts = np.cumsum([0, *(len(word) for word in words[:-1])])
    return np.bitwise_or.reduceat(bits, starts)


__all__ = ["Segment"]
