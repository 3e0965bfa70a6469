"""Fuzzy lookup of entities by any of their aliases.

`SearchIndex.resolve` decides between three outcomes: one entity clearly named
(found), several named equally well (ambiguous), or none (not found, with the
nearest names offered). It never promotes a weak match to "found": a name that
is not in the index must not come back as a different entity.

How a query is matched:

1. Folded at each layer (`normalize.layers`), an exact alias wins outright: the
   earliest layer it matches on, then the fewest entities sharing it.
2. Otherwise every typed word must stand for a distinct word of one alias: the
   same word, the beginning of one, or one of the typos `words.relation`
   allows. Title words ("ambassador") may be left over; joined or split words
   ("faroeislands", "frenc hguiana") are re-cut into stored words.
3. The entity with the closest match is found only when every rival matches
   strictly worse; equally close rivals make the query ambiguous. Names that
   fail the rules but are near ("prussia" for "russia") are only offered.

The index is immutable. `updated` gives a new index with some entities' aliases
replaced, without rebuilding the whole: changes go to a small second segment,
and hide the entities' entries in the first, until there are enough of them
to be worth a full rebuild.
"""

from __future__ import annotations

import bisect
from array import array
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.search.normalize import layers
from bot.search.words import (
    LOGOGRAPHIC_PREFIX_MIN,
    PREFIX_MIN,
    TITLES,
    TWO_TYPOS_MIN,
    Relation,
    deletions,
    is_logographic,
    plural_forms,
    relation,
    splits,
)

FOUND_MIN = 85.0
"""Every hit at or above this score is sure: its alias may be the name typed."""
SUGGEST_MIN = 55.0
"""Candidates below this are too far off to offer as "did you mean"."""
EXACT = 100.0
"""The score of a query equal to an alias at the first folding layer."""

_TWO_TYPO_WORDS = 3000
"""At most this many stored words are compared with a long typed word for two typos."""
_PREFIX_WORDS = 64
"""At most this many stored words are tried for one typed beginning of a word."""
_CANDIDATE_KEYS = 800
"""At most this many aliases are checked word by word for one query."""
_ENOUGH = 25
"""Once this many entities match as closely as possible, no more aliases are tried."""
_SUGGESTION_KEYS = 300
"""At most this many aliases are scored as suggestions when nothing is sure."""
_CHUNK = 50_000
"""Keys or words handled at once while building, to bound the temporary objects."""
_SHARED_ALIAS_OWNERS = 8
"""At most this many entities sharing one alias are offered as suggestions."""
_DELTA_SHARE = 0.05
_DELTA_MIN = 2000
"""Changes are kept in the second segment until they outnumber both of these
(a share of the first segment's aliases, and a count); then the index is rebuilt."""


class Outcome(StrEnum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class Entry:
    """One alias of one entity, as given to the index."""

    entity: str
    kind: str
    alias: str


@dataclass(frozen=True, slots=True)
class Hit:
    """An entity's best match for a query, and the alias that earned it."""

    entity: str
    kind: str
    alias: str
    score: float
    sure: bool = False
    """Whether the alias may be the name typed (the words' rules hold); sure hits score
    at least `FOUND_MIN`."""


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of resolving a query: the best hit when found, candidates otherwise."""

    outcome: Outcome
    best: Hit | None
    candidates: tuple[Hit, ...]


Grade = tuple[int, int, int, int, int]
"""How closely an alias matches, lower is closer: (0, layer, re-cut words, 0, 0) for
an exact alias, else (1, words typed with a typo or only begun, 1 if some of the
alias's words went untyped, title words left over, layer). A beginning counts as a
typo, so "boliva" is as close to "bolivar" as to "bolivia"."""


class _Segment:
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
                chunk_hashes.append(hash(word))
                if len(word) >= 4:
                    chunk_hashes.extend([hash(word[:i] + word[i + 1 :]) for i in range(len(word))])
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
        variants = [typed, *deletions(typed)] if len(typed) >= 4 else [typed]
        if len(typed) >= (5 if deep else 9):
            variants += [d for once in deletions(typed) for d in deletions(once)]
        wanted = np.fromiter(map(hash, variants), dtype=np.int64, count=len(variants))
        starts = np.searchsorted(self.variant_hashes, wanted, side="left")
        ends = np.searchsorted(self.variant_hashes, wanted, side="right")
        found: set[int] = set()
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            if end > start:
                found.update(self.variant_words[start:end].tolist())
        return found

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


@dataclass(slots=True)
class _Candidate:
    """An entity's best match so far during one lookup."""

    grade: Grade | None
    score: float
    alias: str
    kind: str


class SearchIndex:
    """An immutable index over entity aliases; `updated` gives a changed copy."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._base = _Segment(entries)
        self._delta = _Segment(())
        self._delta_entries: tuple[Entry, ...] = ()
        self._hidden: frozenset[str] = frozenset()

    @classmethod
    def _of(cls, base: _Segment, hidden: frozenset[str], delta: tuple[Entry, ...]) -> SearchIndex:
        index = cls.__new__(cls)
        index._base, index._hidden = base, hidden
        index._delta, index._delta_entries = _Segment(delta), delta
        return index

    def __len__(self) -> int:
        """The number of distinct folded keys (an alias has one per distinct layer)."""
        return len(self._base.keys) + len(self._delta.keys)

    @property
    def keys(self) -> Sequence[str]:
        """Every distinct folded key (benchmarks scan them as a baseline)."""
        return [*self._base.keys, *self._delta.keys]

    def updated(self, removed: Collection[str], added: Iterable[Entry]) -> SearchIndex:
        """A new index without the aliases of the removed entities, with added entries.

        An entity in added has exactly the aliases given there afterwards. The cost
        is in proportion to the changes, until they outgrow the segment for changes
        and the index is rebuilt from scratch.
        """
        added = tuple(added)
        changed = {*removed, *(entry.entity for entry in added)}
        delta = (*(e for e in self._delta_entries if e.entity not in changed), *added)
        hidden = self._hidden | changed
        if len(delta) > max(_DELTA_MIN, _DELTA_SHARE * len(self._base.alias_text)):
            return SearchIndex([*self._base.entries(hidden), *delta])
        return SearchIndex._of(self._base, hidden, delta)

    def _segments(self) -> Iterator[tuple[_Segment, frozenset[str]]]:
        yield self._base, self._hidden
        if self._delta_entries:
            yield self._delta, frozenset()

    def search(
        self, query: str, kinds: Collection[str] | None = None, limit: int = 10
    ) -> list[Hit]:
        """Entities matching query, closest first, one hit per entity (its best alias).

        The last typed word may be the beginning of a stored word of any length, as
        while a name is being typed; sure hits come first, then near ones.
        """
        return [hit for _, hit in self._rank(query, kinds, complete=True)[:limit]]

    def resolve(self, query: str, kinds: Collection[str] | None = None) -> Resolution:
        """Decide whether query names one entity, several, or none."""
        ranked = self._rank(query, kinds, complete=False)
        sure = [(grade, hit) for grade, hit in ranked if grade is not None]
        if not sure:
            offered = tuple(hit for _, hit in ranked if hit.score >= SUGGEST_MIN)
            return Resolution(Outcome.NOT_FOUND, None, offered[:5])
        best_grade, best = sure[0]
        tied = tuple(hit for grade, hit in sure if grade == best_grade)
        if len(tied) > 1:
            return Resolution(Outcome.AMBIGUOUS, None, tied[:8])
        return Resolution(Outcome.FOUND, best, tuple(hit for _, hit in ranked[:8]))

    def _rank(
        self, query: str, kinds: Collection[str] | None, *, complete: bool
    ) -> list[tuple[Grade | None, Hit]]:
        """Every candidate entity, sure ones by grade, then near ones by score."""
        found: dict[str, _Candidate] = {}
        folded = layers(query)
        for layer, key in enumerate(folded):
            if not key or key in folded[:layer]:
                continue
            forms = self._forms(key.split())
            for segment, hidden in self._segments():
                for form, cuts in forms:
                    self._exact(segment, hidden, " ".join(form), layer, cuts, kinds, found)
                    _Lookup(self, segment, hidden, kinds, form, layer, cuts, complete).run(found)
        if not any(candidate.grade is not None for candidate in found.values()):
            self._suggest(query, kinds, found)
        ranked = sorted(
            found.items(),
            key=lambda item: (
                item[1].grade is None,
                item[1].grade or (),
                -item[1].score,
                len(item[1].alias),
                item[0],
            ),
        )
        return [
            (c.grade, Hit(entity, c.kind, c.alias, c.score, c.grade is not None))
            for entity, c in ranked
            if c.grade is not None or c.score >= SUGGEST_MIN
        ]

    def _exact(
        self,
        segment: _Segment,
        hidden: frozenset[str],
        key: str,
        layer: int,
        cuts: int,
        kinds: Collection[str] | None,
        found: dict[str, _Candidate],
    ) -> None:
        key_id = segment.key_ids.get(key)
        if key_id is None:
            return
        for code in segment.codes(key_id):
            alias_id, alias_layer = divmod(code, 4)
            entity = segment.alias_entity[alias_id]
            entity_key, kind = segment.entity_keys[entity], segment.entity_kinds[entity]
            if entity_key in hidden or (kinds is not None and kind not in kinds):
                continue
            level = max(layer, alias_layer)
            grade: Grade = (0, level, cuts, 0, 0)
            value = EXACT - level - 2 * cuts
            _offer(found, entity_key, grade, value, segment.alias_text[alias_id], kind)

    def known(self, word: str) -> bool:
        """Whether word is a word of some stored alias."""
        return word in self._base.word_ids or word in self._delta.word_ids

    def _forms(self, words: list[str]) -> list[tuple[list[str], int]]:
        """The typed words, and re-cuts of joined or split words into stored words."""
        forms = [(words, 0)]
        for at, word in enumerate(words):
            if len(word) >= 6 and not self.known(word):
                for first, second in splits(word, self.known)[:2]:
                    forms.append(([*words[:at], first, second, *words[at + 1 :]], 1))
        for at in range(len(words) - 1):
            pair = words[at], words[at + 1]
            if all(self.known(word) for word in pair):
                continue
            joined = pair[0] + pair[1]
            rest_before, rest_after = words[:at], words[at + 2 :]
            if self.known(joined):
                forms.append(([*rest_before, joined, *rest_after], 1))
            for first, second in splits(joined, self.known)[:2]:
                if (first, second) != pair:
                    forms.append(([*rest_before, first, second, *rest_after], 1))
        return forms[:6]

    def _suggest(
        self, query: str, kinds: Collection[str] | None, found: dict[str, _Candidate]
    ) -> None:
        """Offer, never as sure, aliases with a word near one typed: one or two edits
        away in any place, or beginning the same way."""
        folded = layers(query)
        for layer, key in enumerate(folded):
            if not key or key in folded[:layer]:
                continue
            words = key.split()
            share = max(1, _SUGGESTION_KEYS // len(words))
            for segment, hidden in self._segments():
                key_ids: dict[int, None] = {}
                for word in words:
                    near = segment.near_words(word, deep=True)
                    stem = word[:1] if is_logographic(word) else word[:3]
                    near.update(segment.prefixed_words(stem, 16))
                    exact = segment.word_ids.get(word)
                    if exact is not None:
                        near.add(exact)
                    gathered = 0
                    for word_id in sorted(near, key=segment.frequency):
                        postings = segment.posted(word_id, share - gathered)
                        key_ids.update(dict.fromkeys(postings))
                        gathered += len(postings)
                        if gathered >= share:
                            break
                for key_id in key_ids:
                    value = min(FOUND_MIN - 1, fuzz.WRatio(key, segment.keys[key_id]))
                    for code in segment.codes(key_id)[:_SHARED_ALIAS_OWNERS]:
                        alias_id = code // 4
                        entity = segment.alias_entity[alias_id]
                        entity_key = segment.entity_keys[entity]
                        kind = segment.entity_kinds[entity]
                        if entity_key in hidden or (kinds is not None and kind not in kinds):
                            continue
                        alias = segment.alias_text[alias_id]
                        _offer(found, entity_key, None, value - layer * 0.5, alias, kind)


class _Lookup:
    """One form of a query matched word by word against one segment."""

    def __init__(
        self,
        index: SearchIndex,
        segment: _Segment,
        hidden: frozenset[str],
        kinds: Collection[str] | None,
        words: list[str],
        layer: int,
        cuts: int,
        complete: bool,
    ) -> None:
        self.index, self.segment, self.hidden, self.kinds = index, segment, hidden, kinds
        self.words, self.layer, self.cuts = words, layer, cuts
        self.relations = [
            self._relations(word, complete and at == len(words) - 1)
            for at, word in enumerate(words)
        ]

    def _relations(self, typed: str, completing: bool) -> dict[int, Relation]:
        """Stored words typed may stand for, with how."""
        segment = self.segment
        found: dict[int, Relation] = {}
        exact = segment.word_ids.get(typed)
        if exact is not None:
            found[exact] = Relation.EXACT
        shortest = LOGOGRAPHIC_PREFIX_MIN if is_logographic(typed) else PREFIX_MIN
        if completing or len(typed) >= shortest:
            for word_id in segment.prefixed_words(typed, _PREFIX_WORDS):
                found[word_id] = Relation.PREFIX
        if len(typed) >= 3 and not is_logographic(typed):
            for form in plural_forms(typed):
                plural = segment.word_ids.get(form)
                if plural is not None and plural not in found:
                    found[plural] = Relation.TYPO
            for word_id in segment.near_words(typed):
                if word_id in found:
                    continue
                how = relation(typed, segment.words[word_id])
                if how is not None:
                    found[word_id] = how
            if not found and len(typed) >= TWO_TYPOS_MIN:
                # Two typos the deletion neighbourhoods miss (two changed letters): the
                # stored words beginning as typed does, checked by rapidfuzz.
                alike = segment.words_beginning(typed[:2], _TWO_TYPO_WORDS)
                for word, _, _ in process.extract(
                    typed, alike, scorer=OSA.distance, score_cutoff=2, limit=None
                ):
                    word_id = segment.word_ids[word]
                    how = relation(typed, word)
                    if how is not None:
                        found[word_id] = how
        return found

    def run(self, found: dict[str, _Candidate]) -> None:
        """Add the aliases whose words the typed words stand for to found.

        Aliases are tried through the typed word with the fewest of them, closest
        stored words first, and the search stops once enough entities match as
        closely as the typed words allow at all (a common word names thousands)."""
        segment = self.segment
        everything = range(len(self.words))
        required = [at for at in everything if self.words[at] not in TITLES] or list(everything)
        if any(not self.relations[at] for at in required):
            return
        driver = min(
            required,
            key=lambda at: sum(map(segment.frequency, self.relations[at])),
        )
        self._gather(self.relations[driver], self._floor(required), found)

    def _floor(self, required: list[int]) -> int:
        """The fewest misses any alias could have for these typed words."""
        return self.cuts + sum(min(self.relations[at].values()).misses for at in required)

    def _gather(
        self, driver: dict[int, Relation], floor: int, found: dict[str, _Candidate]
    ) -> None:
        """Match the aliases of the driving word's stored words, in order of the closest
        grade each could reach, until enough entities are settled: matched at least as
        closely as anything not yet tried could be."""
        segment = self.segment
        groups: defaultdict[int, list[int]] = defaultdict(list)
        for word_id, how in driver.items():
            groups[how.misses].append(word_id)
        least = min(groups)
        reached: defaultdict[tuple[int, int, int], set[str]] = defaultdict(set)
        tried = 0
        for misses in sorted(groups):
            # Aliases no longer than the typed words first (only they can be typed whole).
            for side, untyped in ((1, 0), (-1, 1)):
                bound = (1, floor - least + misses, untyped)
                for word_id in groups[misses]:
                    room = _CANDIDATE_KEYS - tried
                    for key_id in segment.posted(word_id, side * room, fitting=len(self.words)):
                        grade, entities = self._match(key_id, found)
                        tried += 1
                        if grade is not None:
                            reached[grade[:3]].update(entities)
                        if tried >= _CANDIDATE_KEYS or _settled(reached, bound):
                            return

    def _match(self, key_id: int, found: dict[str, _Candidate]) -> tuple[Grade | None, list[str]]:
        """Match the typed words to the words of one alias: its grade if they stand for
        it, and the entities (of the kinds wanted) it is an alias of."""
        segment = self.segment
        stored = segment.keys[key_id].split()
        stored_ids = [segment.word_ids[word] for word in stored]
        used: set[int] = set()
        typos = prefixes = titles = 0
        matched_letters = 0
        for at, typed in enumerate(self.words):
            relations = self.relations[at]
            best: tuple[Relation, int] | None = None
            for position, word_id in enumerate(stored_ids):
                how = relations.get(word_id)
                if how is not None and position not in used and (best is None or how < best[0]):
                    best = (how, position)
            if best is None:
                if typed in TITLES:
                    titles += 1
                    continue
                return None, []
            how, position = best
            used.add(position)
            matched_letters += len(stored[position])
            if how is Relation.PREFIX:
                prefixes += 1
            else:
                typos += how.misses
        if not used:
            return None, []
        typos += self.cuts
        share = matched_letters / sum(len(word) for word in stored)
        untyped = int(len(used) < len(stored))
        grade: Grade = (1, typos + prefixes, untyped, titles, self.layer)
        value = 97.0 - 4 * typos - 2 * prefixes - titles - self.layer * 0.5 - 2 * (1 - share)
        value = max(FOUND_MIN, value)
        offered = []
        for code in segment.codes(key_id):
            alias_id = code // 4
            entity = segment.alias_entity[alias_id]
            entity_key, kind = segment.entity_keys[entity], segment.entity_kinds[entity]
            if entity_key in self.hidden or (self.kinds is not None and kind not in self.kinds):
                continue
            _offer(found, entity_key, grade, value, segment.alias_text[alias_id], kind)
            offered.append(entity_key)
        return grade, offered


def _settled(reached: Mapping[tuple[int, int, int], set[str]], bound: tuple[int, ...]) -> bool:
    """Whether enough entities were matched at least as closely as bound."""
    return sum(len(entities) for grade, entities in reached.items() if grade <= bound) >= _ENOUGH


def _offer(
    found: dict[str, _Candidate],
    entity: str,
    grade: Grade | None,
    value: float,
    alias: str,
    kind: str,
) -> None:
    """Keep the entity's closer match: a better grade, else a higher score."""
    current = found.get(entity)
    if current is None:
        found[entity] = _Candidate(grade, value, alias, kind)
        return
    closer = grade is not None and (current.grade is None or grade < current.grade)
    if closer or (grade == current.grade and value > current.score):
        found[entity] = _Candidate(grade, value, alias, kind)


def names_same(typed: str, stored: str) -> bool:
    """Whether a folded typed name may be answered as a folded stored one: every typed
    word stands for a distinct stored word (`words.relation`); stored words may go
    untyped ("nozdrev" for "nikolai nozdrev")."""
    stored_words = stored.split()
    used: set[int] = set()
    for word in typed.split():
        options = [
            (how, at)
            for at, candidate in enumerate(stored_words)
            if at not in used and (how := relation(word, candidate)) is not None
        ]
        if not options:
            return False
        used.add(min(options)[1])
    return bool(used)


__all__ = [
    "EXACT",
    "FOUND_MIN",
    "SUGGEST_MIN",
    "Entry",
    "Hit",
    "Outcome",
    "Resolution",
    "SearchIndex",
    "names_same",
]
