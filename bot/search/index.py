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
   allows (`form_lookup`). Title words ("ambassador") may be left over; joined
   or split words ("faroeislands", "frenc hguiana") are re-cut into stored words.
   One word may carry any one edit when the rest of the name is typed exactly
   ("Doist amak Tanbaszoist"), or a one-word name when no other word is as near.
3. The entity with the closest match is found only when every rival matches
   strictly worse; equally close rivals make the query ambiguous. Names that
   fail the rules but are near ("prussia" for "russia") are only offered.

The index is immutable. `updated` gives a new index with some entities' aliases
replaced, without rebuilding the whole: changes go to a small second segment,
and hide the entities' entries in the first, until there are enough of them
to be worth a full rebuild.

What the index takes and answers (`Entry`, `Hit`, `Resolution`, `Outcome`) is in
`results`; the arrays of one segment in `segment`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from bot.search.candidates import Candidate, Grade, offer
from bot.search.fields import from_arrays, to_arrays
from bot.search.form_lookup import FormLookup, WordMemo
from bot.search.normalize import layers
from bot.search.packing import PackError
from bot.search.results import EXACT, FOUND_MIN, SUGGEST_MIN, Entry, Hit, Outcome, Resolution
from bot.search.segment import Segment
from bot.search.words import is_logographic, splits

_SUGGESTION_KEYS = 300
"""At most this many aliases are scored as suggestions when nothing is sure."""
_RESOLVE_OFFERED = 5
"""Names offered when nothing is found."""
_RESOLVE_SHOWN = 8
"""Candidates a resolution lists when found or ambiguous."""
_SHARED_ALIAS_OWNERS = 8
"""At most this many entities sharing one alias are offered as suggestions."""
_DELTA_SHARE = 0.05
_DELTA_MIN = 2000
"""Changes are kept in the second segment until they outnumber both of these
(a share of the first segment's aliases, and a count); then the index is rebuilt."""


class SearchIndex:
    """An immutable index over entity aliases; `updated` gives a changed copy."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._base = Segment(entries)
        self._delta = Segment(())
        self._delta_entries: tuple[Entry, ...] = ()
        self._hidden: frozenset[str] = frozenset()

    @classmethod
    def _of(cls, base: Segment, hidden: frozenset[str], delta: tuple[Entry, ...]) -> SearchIndex:
        index = cls.__new__(cls)
        index._base, index._hidden = base, hidden
        index._delta, index._delta_entries = Segment(delta), delta
        return index

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The index as named arrays for a snapshot: its first segment whole, and the
        changes since as the entries they are (rebuilt on loading, being few)."""
        changes = {
            "hidden": sorted(self._hidden),
            "delta_entities": [entry.entity for entry in self._delta_entries],
            "delta_kinds": [entry.kind for entry in self._delta_entries],
            "delta_aliases": [entry.alias for entry in self._delta_entries],
        }
        return {
            **self._base.to_arrays(f"{prefix}.base"),
            **to_arrays(changes, dict.fromkeys(changes, "strings"), prefix, item=True),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> SearchIndex:
        """The index `to_arrays` saved (PackError if it does not fit together)."""
        names = ("hidden", "delta_entities", "delta_kinds", "delta_aliases")
        changes = from_arrays(arrays, dict.fromkeys(names, "strings"), prefix)
        hidden, entities, kinds, aliases = (list(changes[name]) for name in names)
        if not len(entities) == len(kinds) == len(aliases):
            raise PackError("the name index's changes do not fit together")
        delta = tuple(map(Entry, entities, kinds, aliases))
        return cls._of(Segment.from_arrays(arrays, f"{prefix}.base"), frozenset(hidden), delta)

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

    def _segments(self) -> Iterator[tuple[Segment, frozenset[str]]]:
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
        return [hit for _, hit in self._rank(query, kinds, complete=True, wanted=limit)[:limit]]

    def resolve(self, query: str, kinds: Collection[str] | None = None) -> Resolution:
        """Decide whether query names one entity, several, or none."""
        ranked = self._rank(query, kinds, complete=False, wanted=_RESOLVE_SHOWN)
        sure = [(grade, hit) for grade, hit in ranked if grade is not None]
        if not sure:
            offered = tuple(hit for _, hit in ranked if hit.score >= SUGGEST_MIN)
            return Resolution(Outcome.NOT_FOUND, None, offered[:_RESOLVE_OFFERED])
        best_grade, best = sure[0]
        tied = tuple(hit for grade, hit in sure if grade == best_grade)
        if len(tied) > 1:
            return Resolution(Outcome.AMBIGUOUS, None, tied[:_RESOLVE_SHOWN])
        return Resolution(Outcome.FOUND, best, tuple(hit for _, hit in ranked[:_RESOLVE_SHOWN]))

    def _rank(
        self, query: str, kinds: Collection[str] | None, *, complete: bool, wanted: int
    ) -> list[tuple[Grade | None, Hit]]:
        """Every candidate entity, sure ones by grade, then near ones by score (when none
        is sure, at least the wanted best of them)."""
        found: dict[str, Candidate] = {}
        memos: tuple[WordMemo, WordMemo] = ({}, {})  # one per segment
        folded = layers(query)
        for layer, key in enumerate(folded):
            if not key or key in folded[:layer]:
                continue
            forms = self._forms(key.split())
            for (segment, hidden), memo in zip(self._segments(), memos, strict=False):
                for form, cuts in forms:
                    self._exact(segment, hidden, " ".join(form), layer, cuts, kinds, found)
                    lookup = FormLookup(segment, hidden, kinds, form, layer, cuts, complete, memo)
                    lookup.run(found)
        if not any(candidate.grade is not None for candidate in found.values()):
            self._suggest(query, kinds, found, wanted)
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
        segment: Segment,
        hidden: frozenset[str],
        key: str,
        layer: int,
        cuts: int,
        kinds: Collection[str] | None,
        found: dict[str, Candidate],
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
            offer(found, entity_key, grade, value, segment.alias_text[alias_id], kind)

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
            joined = pair[0] + pair[1]
            rest_before, rest_after = words[:at], words[at + 2 :]
            if self.known(joined):  # "nepal as", though both are words too
                forms.append(([*rest_before, joined, *rest_after], 1))
            if all(self.known(word) for word in pair):
                continue
            for first, second in splits(joined, self.known)[:2]:
                if (first, second) != pair:
                    forms.append(([*rest_before, first, second, *rest_after], 1))
        return forms[:6]

    def _suggest(
        self, query: str, kinds: Collection[str] | None, found: dict[str, Candidate], wanted: int
    ) -> None:
        """Offer, never as sure, aliases with a word near one typed: one or two edits
        away in any place, or beginning the same way; from each fold layer and segment,
        the best scored, until wanted entities are offered (and any as good as the last)."""
        folded = layers(query)
        for layer, key in enumerate(folded):
            if not key or key in folded[:layer]:
                continue
            for segment, hidden in self._segments():
                ids = _suggestion_keys(segment, key.split())
                keys = [segment.keys[at] for at in ids]
                scores = process.cdist([key], keys, scorer=fuzz.WRatio, dtype=np.float64)[
                    0
                ].tolist()
                offered: set[str] = set()
                floor = None
                for value, key_id in sorted(
                    zip((min(FOUND_MIN - 1, score) for score in scores), ids, strict=True),
                    key=lambda pair: -pair[0],
                ):
                    if floor is not None and value < floor:
                        break
                    for code in segment.codes(key_id)[:_SHARED_ALIAS_OWNERS]:
                        alias_id = code // 4
                        entity = segment.alias_entity[alias_id]
                        entity_key = segment.entity_keys[entity]
                        kind = segment.entity_kinds[entity]
                        if entity_key in hidden or (kinds is not None and kind not in kinds):
                            continue
                        alias = segment.alias_text[alias_id]
                        offer(found, entity_key, None, value - layer * 0.5, alias, kind)
                        offered.add(entity_key)
                    if floor is None and len(offered) >= wanted:
                        floor = value


def _suggestion_keys(segment: Segment, words: list[str]) -> list[int]:
    """Up to `_SUGGESTION_KEYS` keys with a word near one of words (a share for each):
    the keys of their rarest near words first."""
    share = max(1, _SUGGESTION_KEYS // len(words))
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
    return list(key_ids)


__all__ = ["SearchIndex"]
