"""One form of a query matched word by word against one segment of the name index.

Every typed word must stand for a distinct word of one alias: the same word, the
beginning of one, or one of the typos `words.relation` allows. Title words
("ambassador") may be left over. Aliases are tried through the typed word with the
fewest of them, and the search stops once enough entities match as closely as the
typed words allow at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.search.candidates import Candidate, Grade, offer
from bot.search.results import FOUND_MIN
from bot.search.segment import Segment
from bot.search.words import (
    LOGOGRAPHIC_PREFIX_MIN,
    PREFIX_MIN,
    TITLES,
    TWO_TYPOS_MIN,
    Relation,
    is_logographic,
    plural_forms,
    relation,
)

_TWO_TYPO_WORDS = 3000
"""At most this many stored words are compared with a long typed word for two typos."""
_PREFIX_WORDS = 64
"""At most this many stored words are tried for one typed beginning of a word."""
_CANDIDATE_KEYS = 800
"""At most this many aliases are checked word by word for one query."""
_ENOUGH = 25
"""Once this many entities match as closely as possible, no more aliases are tried."""


class FormLookup:
    """One form of a query matched word by word against one segment."""

    def __init__(
        self,
        segment: Segment,
        hidden: frozenset[str],
        kinds: Collection[str] | None,
        words: list[str],
        layer: int,
        cuts: int,
        complete: bool,
    ) -> None:
        self.segment, self.hidden, self.kinds = segment, hidden, kinds
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

    def run(self, found: dict[str, Candidate]) -> None:
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

    def _gather(self, driver: dict[int, Relation], floor: int, found: dict[str, Candidate]) -> None:
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

    def _match(self, key_id: int, found: dict[str, Candidate]) -> tuple[Grade | None, list[str]]:
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
            offer(found, entity_key, grade, value, segment.alias_text[alias_id], kind)
            offered.append(entity_key)
        return grade, offered


def _settled(reached: Mapping[tuple[int, int, int], set[str]], bound: tuple[int, ...]) -> bool:
    """Whether enough entities were matched at least as closely as bound."""
    return sum(len(entities) for grade, entities in reached.items() if grade <= bound) >= _ENOUGH


__all__ = ["FormLookup"]
