"""One form of a query matched word by word against one segment of the name index.

Every typed word must stand for a distinct word of one alias: the same word, the
beginning of one, or one of the typos `words.relation` allows. Title words
("ambassador") may be left over. One word may be one edit off beyond those rules
(`Relation.NEAR`) when every other word of the alias is typed exactly ("Doist amak
Tanbaszoist"; two short words allow only a drop or a swap), or, for a one-word
alias of 4-5 letters, when no other stored word is one edit away ("Ijaly").
Aliases are tried through the typed word with the fewest of them, and the search
stops once enough entities match as closely as the typed words allow at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.search.candidates import Candidate, Grade, offer
from bot.search.common_words import is_common_word
from bot.search.results import FOUND_MIN
from bot.search.segment import Segment
from bot.search.words import (
    LOGOGRAPHIC_PREFIX_MIN,
    PREFIX_MIN,
    TITLES,
    TWO_TYPOS_MIN,
    Relation,
    is_logographic,
    near_edit,
    plural_forms,
    relation,
)

_PREFIX_WORDS = 64
"""At most this many stored words are tried for one typed beginning of a word."""
_CANDIDATE_KEYS = 800
"""At most this many aliases are checked word by word for one query."""
_ENOUGH = 25
"""Once this many entities match as closely as possible, no more aliases are tried."""


@dataclass(slots=True)
class TypedWord:
    """What one lookup learnt of a typed word in one segment."""

    relations: dict[int, Relation]
    """The stored words it may stand for, with how."""
    lone: frozenset[int]
    """The stored word it may stand for alone, with a `Relation.NEAR` edit (see `_near`)."""
    deep: bool
    """Whether stored words two typos away were looked for (`FormLookup._two_typos`)."""


WordMemo = dict[tuple[str, bool, bool, bool], TypedWord]
"""What one lookup learnt of its typed words in one segment, kept for the query's other
forms and fold layers."""


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
        memo: WordMemo | None = None,
    ) -> None:
        """words (one form of a query, folded at layer, re-cut cuts times) ready to match
        in segment; memo, shared by the lookups of one query in this segment, saves
        working out a typed word's relations again."""
        self.segment, self.hidden, self.kinds = segment, hidden, kinds
        self.words, self.layer, self.cuts = words, layer, cuts
        self.lone: set[int] = set()
        """Stored words a one-word query may stand for with a `Relation.NEAR` edit."""
        memo = {} if memo is None else memo
        self.typed: list[TypedWord] = []
        for at, word in enumerate(words):
            asked = (word, complete and at == len(words) - 1, at == 0, len(words) == 1)
            known = memo.get(asked)
            if known is None:
                lone_before = set(self.lone)
                relations, deep = self._relations(word, asked[1], asked[2])
                known = TypedWord(relations, frozenset(self.lone - lone_before), deep)
                memo[asked] = known
            self.typed.append(known)
            self.lone.update(known.lone)
        self.relations = [known.relations for known in self.typed]

    def _relations(
        self, typed: str, completing: bool, first: bool
    ) -> tuple[dict[int, Relation], bool]:
        """Stored words typed may stand for, with how; and whether those two typos away
        were looked for (only when no closer word was found: `_look_further`)."""
        segment = self.segment
        found: dict[int, Relation] = {}
        exact = segment.word_ids.get(typed)
        if exact is not None:
            found[exact] = Relation.EXACT
        shortest = LOGOGRAPHIC_PREFIX_MIN if is_logographic(typed) else PREFIX_MIN
        if completing or len(typed) >= shortest:
            for word_id in segment.prefixed_words(typed, _PREFIX_WORDS):
                found[word_id] = Relation.PREFIX
        if len(typed) < 2 or is_logographic(typed):
            return found, False
        near = segment.near_words(typed)
        deep = False
        if len(typed) >= 3:
            for form in plural_forms(typed):
                plural = segment.word_ids.get(form)
                if plural is not None and plural not in found:
                    found[plural] = Relation.TYPO
            for word_id in near:
                if word_id in found:
                    continue
                if (how := relation(typed, segment.words[word_id])) is not None:
                    found[word_id] = how
            if len(typed) >= TWO_TYPOS_MIN - 2 and not found:
                self._two_typos(typed, found)
                deep = True
        self._near(typed, near, first, found)
        return found, deep

    def _two_typos(self, typed: str, found: dict[int, Relation]) -> None:
        """Long stored words two typos from typed (the deletion neighbourhoods miss two
        changed or dropped letters): those of about its length that begin as it does,
        checked by rapidfuzz."""
        segment = self.segment
        alike = segment.long_alike(typed, 2)
        for word, _, _ in process.extract(
            typed, alike, scorer=OSA.distance, score_cutoff=2, limit=None
        ):
            how = relation(typed, word)
            if how is not None:
                found.setdefault(segment.word_ids[word], how)

    def _near(self, typed: str, near: set[int], first: bool, found: dict[int, Relation]) -> None:
        """Add the stored words one edit of any kind from typed (`Relation.NEAR`). The
        first typed word keeps its first letter. Remembers in `lone` the word typed
        could stand for alone: 4-5 letters, and the only stored word one edit away."""
        segment = self.segment
        edited = [
            word_id
            for word_id in near
            if near_edit(typed, segment.words[word_id], keep_first=first)
        ]
        for word_id in edited:
            found.setdefault(word_id, Relation.NEAR)
        if len(edited) == 1 and len(self.words) == 1 and not found.keys() - set(edited):
            stored = segment.words[edited[0]]
            if 4 <= len(stored) <= 5 and not (
                len(typed) > len(stored) and typed.startswith(stored)
            ):
                self.lone.add(edited[0])

    def run(self, found: dict[str, Candidate]) -> None:
        """Add the aliases whose words the typed words stand for to found.

        Aliases are tried through the typed word with the fewest of them, closest
        stored words first, and the search stops once enough entities match as
        closely as the typed words allow at all (a common word names thousands)."""
        everything = range(len(self.words))
        required = [at for at in everything if self.words[at] not in TITLES] or list(everything)
        if self._gather_through(required, found) or not self._look_further(required):
            return
        self._gather_through(required, found)

    def _gather_through(self, required: list[int], found: dict[str, Candidate]) -> bool:
        """`_gather` through the required word with the fewest aliases; whether any
        alias matched."""
        if any(not self.relations[at] for at in required):
            return False
        driver = min(required, key=lambda at: sum(map(self.segment.frequency, self.relations[at])))
        return self._gather(self.relations[driver], self._floor(required), found)

    def _look_further(self, required: list[int]) -> bool:
        """Add the stored words two typos from each typed word of 8+ letters that no
        stored word equals and that were not looked for yet; whether any was added.
        Asked only when the closer words matched no alias, as the search is the
        costliest part of a lookup."""
        added = False
        for at in required:
            word, typed = self.typed[at], self.words[at]
            if (
                word.deep
                or len(typed) < TWO_TYPOS_MIN - 2
                or Relation.EXACT in word.relations.values()
            ):
                continue
            word.deep, before = True, len(word.relations)
            self._two_typos(typed, word.relations)
            added |= len(word.relations) > before
        return added

    def _floor(self, required: list[int]) -> int:
        """The fewest misses any alias could have for these typed words."""
        return self.cuts + sum(min(self.relations[at].values()).misses for at in required)

    def _gather(self, driver: dict[int, Relation], floor: int, found: dict[str, Candidate]) -> bool:
        """Match the aliases of the driving word's stored words, in order of the closest
        grade each could reach, until enough entities are settled: matched at least as
        closely as anything not yet tried could be. Whether any alias matched."""
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
                            return bool(reached)
        return bool(reached)

    def _match(self, key_id: int, found: dict[str, Candidate]) -> tuple[Grade | None, list[str]]:
        """Match the typed words to the words of one alias: its grade if they stand for
        it, and the entities (of the kinds wanted) it is an alias of."""
        segment = self.segment
        stored = segment.keys[key_id].split()
        stored_ids = [segment.word_ids[word] for word in stored]
        used: set[int] = set()
        typos = prefixes = titles = 0
        matched_letters = 0
        hows: list[tuple[Relation, int, str]] = []
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
            hows.append((how, position, typed))
            matched_letters += len(stored[position])
            if how is Relation.PREFIX:
                prefixes += 1
            else:
                typos += how.misses
        if not used or not self._near_allowed(hows, stored, titles):
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

    def _near_allowed(
        self, hows: list[tuple[Relation, int, str]], stored: list[str], titles: int
    ) -> bool:
        """Whether a word typed one edit off (`Relation.NEAR`) may stand in this alias:
        only one, with every other word of the alias typed exactly (not re-cut, no
        title), or alone for a one-word alias when no other stored word is that near."""
        nears = [(position, typed) for how, position, typed in hows if how is Relation.NEAR]
        if not nears:
            return True
        if len(nears) > 1 or titles or self.cuts or len(hows) != len(stored):
            return False
        if any(how is not Relation.EXACT for how, _, _ in hows if how is not Relation.NEAR):
            return False
        if len(stored) == 1:
            return self.segment.word_ids[stored[0]] in self.lone
        position, typed = nears[0]
        return _context_enough(stored, position, typed, self._is_word)

    def _is_word(self, typed: str) -> bool:
        """Whether typed is a word in its own right: a stored one, or a common one."""
        return typed in self.segment.word_ids or is_common_word(typed)


EVIDENCE_MIN = 6
"""A changed letter inside a word under 6 letters that makes another word (horse/house)
needs words typed exactly with this many letters in all to vouch for it
(`_context_enough`)."""
SHORT_WORD = 4
"""The words of a two-word name this short: bench/short_names.py measures them."""


def _context_enough(
    stored: list[str], position: int, typed: str, is_word: Callable[[str], bool]
) -> bool:
    """Whether the words typed exactly are evidence enough for the one typed off.

    An edit that makes a word in its own right (`is_word`: stored, or common in some
    language) is likely that word, not a slip: a changed letter inside a short word
    then needs `EVIDENCE_MIN` letters typed exactly ("Sauqi Arabia", not "White
    Horse"), and in two words of `SHORT_WORD` letters or fewer only a letter dropped or
    two neighbours swapped, the first letter kept, may make one ("Vmau Enro", not
    "Vamo Enro" where Vamo is a name too). An edit that makes no word is a slip
    ("Čzrná Hora", "Hông Kôxg")."""
    word = stored[position]
    exact = sum(len(other) for at, other in enumerate(stored) if at != position)
    changed = len(typed) == len(word) and typed[0] == word[0] and not _swapped_inside(typed, word)
    if changed and len(word) < EVIDENCE_MIN and exact < EVIDENCE_MIN and is_word(typed):
        return False
    if len(stored) > 2 or any(len(other) > SHORT_WORD for other in stored):
        return True
    kept = (len(typed) < len(word) and typed[0] == word[0]) or _swapped_inside(typed, word)
    return kept or not is_word(typed)


def _swapped_inside(typed: str, stored: str) -> bool:
    """Whether typed is stored with two neighbours swapped, the first letter kept."""
    return len(typed) == len(stored) and typed[0] == stored[0] and sorted(typed) == sorted(stored)


def _settled(reached: Mapping[tuple[int, int, int], set[str]], bound: tuple[int, ...]) -> bool:
    """Whether enough entities were matched at least as closely as bound."""
    return sum(len(entities) for grade, entities in reached.items() if grade <= bound) >= _ENOUGH


__all__ = ["FormLookup"]
