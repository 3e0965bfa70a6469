"""Fuzzy lookup of entities by any of their aliases.

`SearchIndex.resolve` decides between three outcomes with explicit score
margins: one clear best match (found), close rivals (ambiguous), or nothing good
enough (not found). It never promotes a weak match to "found": a name that is
not in the index must not come back as a different entity. Scores rank
candidates; `names_same` decides whether the best one may be answered at all,
so "Prussia" is offered as near Russia but never answered as Russia.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel

from bot.search.normalize import match_keys

FOUND_MIN = 85.0
"""A best match scoring below this is not trusted as the answer."""
AMBIGUOUS_MARGIN = 4.0
"""A rival entity within this many points of the best makes the query ambiguous."""
SUGGEST_MIN = 55.0
"""Candidates below this are too far off to offer as "did you mean"."""
EXACT = 100.0
"""The score of a query equal to an alias after folding."""

_PREFILTER_LIMIT = 64
_PREFILTER_CUTOFF = 40.0
_NUMERAL = re.compile(r"\d+|[ivxlc]+")
_PREFIX_MIN = 4
"""A typed word this long may stand for a stored word it begins ("nozd" for "nozdrev")."""


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
    """An entity's best score for a query, and the alias that earned it."""

    entity: str
    kind: str
    alias: str
    score: float
    sure: bool = False
    """Whether some alias of the entity is close enough to be the name typed (`names_same`)."""


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of resolving a query: the best hit when found, candidates otherwise."""

    outcome: Outcome
    best: Hit | None
    candidates: tuple[Hit, ...]


def _logographic(word: str) -> bool:
    """Whether word is written in kana or Chinese characters, where one sign is a whole syllable."""
    return any("\u3040" <= char <= "\u30ff" or "\u3400" <= char <= "\u9fff" for char in word)


def _word_is(query_word: str, key_word: str) -> bool:
    """Whether a typed word can only mean this stored word: equal, its beginning, or one typo off.

    Typos are allowed by length: none in words of up to 3 letters or in numerals
    ("World War I" is not "World War II") or in kana and Chinese characters; one
    inserted or dropped letter up to 5 letters ("japn"); one edit up to 8
    ("nozdrv"); two beyond. The first letter is never a typo ("Prussia" is not
    "Russia"), and a substituted letter in a short word makes another word
    ("horse" is not "house").
    """
    if query_word == key_word:
        return True
    if _NUMERAL.fullmatch(query_word) or _NUMERAL.fullmatch(key_word):
        return False
    strict = _logographic(query_word) or _logographic(key_word)
    if key_word.startswith(query_word) and len(query_word) >= (2 if strict else _PREFIX_MIN):
        return True
    if strict or query_word[0] != key_word[0]:
        return False
    shorter = min(len(query_word), len(key_word))
    if shorter <= 3:
        return False
    if shorter <= 5:
        return Indel.distance(query_word, key_word) <= 1
    return OSA.distance(query_word, key_word) <= (1 if shorter <= 8 else 2)


def names_same(query: str, key: str) -> bool:
    """Whether a folded query may be answered as the folded key: every typed word is one of
    the key's words (`_word_is`). Words of the key may go untyped ("nozdrev")."""
    key_words = key.split()
    return bool(key_words) and all(
        any(_word_is(word, key_word) for key_word in key_words) for word in query.split()
    )


def _word_score(query_word: str, key_word: str) -> float:
    """How well one typed word matches one stored word, allowing a typed prefix."""
    if query_word == key_word:
        return 100.0
    score = fuzz.ratio(query_word, key_word)
    long_enough = len(query_word) >= 3 or (len(query_word) >= 2 and not query_word.isascii())
    if long_enough and len(key_word) > len(query_word):
        score = max(score, 0.95 * fuzz.ratio(query_word, key_word[: len(query_word)]))
    return score


def score(query: str, key: str) -> float:
    """Score (0-100) of a folded query against a folded key.

    The better of the whole-string similarity and a word-by-word match in which
    every typed word must find a stored word (in any order, typos and prefixes
    allowed), lightly discounted by how much of the key was left unmatched.
    """
    if query == key:
        return EXACT
    whole = fuzz.ratio(query, key)
    query_words, key_words = query.split(), key.split()
    if not query_words or not key_words:
        return whole
    matched = 0.0
    used: set[int] = set()
    for word in query_words:
        best, best_at = max((_word_score(word, kw), i) for i, kw in enumerate(key_words))
        matched += best * len(word)
        used.add(best_at)
    coverage = matched / sum(len(word) for word in query_words)
    key_share = sum(len(key_words[i]) for i in used) / sum(len(w) for w in key_words)
    return max(whole, coverage * (0.9 + 0.1 * min(key_share, 1.0)))


class _Keys:
    """Distinct folded keys, each with the aliases (entries) that fold to it."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.owners: list[list[Entry]] = []
        self.positions: dict[str, int] = {}

    def add(self, key: str, entry: Entry) -> None:
        position = self.positions.get(key)
        if position is None:
            position = self.positions[key] = len(self.keys)
            self.keys.append(key)
            self.owners.append([])
        self.owners[position].append(entry)

    def candidates(self, query_key: str) -> set[int]:
        """Positions worth scoring exactly: the exact key plus rapidfuzz's quick shortlist."""
        shortlist = process.extract(
            query_key,
            self.keys,
            scorer=fuzz.WRatio,
            limit=_PREFILTER_LIMIT,
            score_cutoff=_PREFILTER_CUTOFF,
        )
        found = {position for _, _, position in shortlist}
        exact = self.positions.get(query_key)
        if exact is not None:
            found.add(exact)
        return found


class SearchIndex:
    """An immutable index over entity aliases; build a new one when the store changes.

    Keys are kept once overall and once per kind, so a lookup limited to some
    kinds shortlists among those kinds only, however many others there are.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._all = _Keys()
        self._by_kind: dict[str, _Keys] = {}
        for entry in entries:
            for key in match_keys(entry.alias):
                self._all.add(key, entry)
                self._by_kind.setdefault(entry.kind, _Keys()).add(key, entry)

    def __len__(self) -> int:
        return len(self._all.keys)

    @property
    def keys(self) -> Sequence[str]:
        """Every distinct folded key, as rapidfuzz sees them (benchmarks use it as a baseline)."""
        return self._all.keys

    def search(
        self, query: str, kinds: Collection[str] | None = None, limit: int = 10
    ) -> list[Hit]:
        """Entities matching query, best first, one hit per entity (its best alias)."""
        if kinds is None:
            shelves = [self._all]
        else:
            shelves = [self._by_kind[kind] for kind in kinds if kind in self._by_kind]
        best: dict[str, Hit] = {}
        for query_key in match_keys(query):
            for shelf in shelves:
                for position in shelf.candidates(query_key):
                    key = shelf.keys[position]
                    value = score(query_key, key)
                    same = names_same(query_key, key)
                    for owner in shelf.owners[position]:
                        current = best.get(owner.entity)
                        sure = same or (current is not None and current.sure)
                        if current is None or value > current.score:
                            best[owner.entity] = Hit(
                                owner.entity, owner.kind, owner.alias, value, sure
                            )
                        elif sure and not current.sure:
                            best[owner.entity] = Hit(
                                current.entity, current.kind, current.alias, current.score, True
                            )
        ranked = sorted(best.values(), key=lambda hit: (-hit.score, len(hit.alias), hit.entity))
        return ranked[:limit]

    def resolve(self, query: str, kinds: Collection[str] | None = None) -> Resolution:
        """Decide whether query names one entity, several, or none."""
        hits = [hit for hit in self.search(query, kinds, limit=8) if hit.score >= SUGGEST_MIN]
        if not hits or hits[0].score < FOUND_MIN or not hits[0].sure:
            return Resolution(Outcome.NOT_FOUND, None, tuple(hits[:5]))
        best = hits[0]
        # A typed name that is exactly one entity's alias is that entity, however close
        # the others come; otherwise rivals within the margin make it ambiguous.
        margin = 0.0 if best.score == EXACT else AMBIGUOUS_MARGIN
        rivals = [hit for hit in hits[1:] if hit.score >= best.score - margin]
        if rivals:
            return Resolution(Outcome.AMBIGUOUS, None, (best, *rivals))
        return Resolution(Outcome.FOUND, best, tuple(hits))
