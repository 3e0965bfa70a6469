"""The names an article gives: the store's, linked by key, and new people and organisations.

Known names are found by the store's own matcher (`Known.mentions`, the one
``!names`` uses) and are never drafted again. New names are capitalised runs of
words that the store does not match, kept only with a cue that says what they are:

- a person: a title before the name ("Foreign Minister X", "Mr. X"), a role in
  apposition ("X, Ireland's foreign minister,"), or a verb of saying ("X said");
- an organisation: a word such as Ministry, Agency, Council, Party or Bank in the
  name, or an acronym that speaks ("the IAEA said").

A later short form ("Coveney" after "Simon Coveney", an acronym in brackets
after an organisation's name) becomes an alias of the full name and links to it.
Sentence-initial common words, months, weekdays and the outlet's own name are
never names. Keys are slugs that collide neither with the store's nor each other.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from anyascii import anyascii

from bot.drafting.cues import (
    CONNECTORS,
    HONORIFICS,
    MONTHS,
    ORG_ROLE_NOUNS,
    ORG_WORDS,
    PORTFOLIO_WORDS,
    ROLE_NOUNS,
    STOP_STARTS,
    TITLE_WORDS,
    WEEKDAYS,
)
from bot.drafting.known import Known
from bot.drafting.name_patterns import (
    APPOSITION_AFTER,
    APPOSITION_BODY,
    APPOSITION_HEAD,
    APPOSITION_LEAD,
    NATIVE,
    OPENING,
    POSTED_TO,
    RUN,
    SPEECH_AFTER,
    SPEECH_AFTER_APPOSITIVE,
    SPEECH_BEFORE,
    UPPER,
    WORDS,
)
from bot.drafting.sentences import Sentence

PERSON_TITLES = (ROLE_NOUNS | HONORIFICS) - ORG_WORDS
"""Title words that only a person bears ("Minister", "Mr."), unlike "Foreign" or "Energy"."""


@dataclass
class NewEntity:
    """A person or organisation the store does not know yet, as the article names it."""

    key: str
    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    summary: str | None = None

    def record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"key": self.key, "kind": self.kind, "name": self.name}
        if self.summary:
            record["summary"] = self.summary
        if self.aliases:
            record["aliases"] = list(self.aliases)
        return record


@dataclass(frozen=True, slots=True)
class Link:
    """A place in the article text that names an entity (known or new)."""

    start: int
    end: int
    key: str


@dataclass(frozen=True)
class Names:
    """Every name the article gives, by place, and the new entities among them."""

    links: list[Link]
    entities: dict[str, NewEntity]
    kinds: dict[str, str]
    starts: list[int] = field(default_factory=list)
    """Each link's start, in order, for bisecting (filled in from links)."""

    def __post_init__(self) -> None:
        if len(self.starts) != len(self.links):
            object.__setattr__(self, "starts", [link.start for link in self.links])

    def within(self, start: int, end: int) -> list[Link]:
        """The links inside text[start:end], in order."""
        first = bisect.bisect_left(self.starts, start)
        last = bisect.bisect_left(self.starts, end)
        return [link for link in self.links[first:last] if link.end <= end]


@dataclass
class _Candidate:
    start: int
    end: int
    text: str
    person: bool = False
    org: bool = False
    summary: str | None = None
    native: str | None = None


def slug(text: str) -> str:
    """A key-shaped slug of text ("Simon Coveney" → "simon-coveney")."""
    return "-".join(re.findall(r"[a-z0-9]+", anyascii(text).lower()))


def _is_acronym(word: str) -> bool:
    bare = word.replace(".", "")
    return 2 <= len(bare) <= 7 and bare.isupper() and bare.isalpha()


def _trim(
    words: list[tuple[int, int, str]], at_start: bool, common: set[str]
) -> list[tuple[int, int, str]]:
    """words without leading stop words, connectors at either end, and common words."""
    while words:
        first = words[0][2].lower().rstrip(".")
        if (
            words[0][2] in CONNECTORS  # only written in lower case: "Le Drian" keeps its "Le"
            or first.endswith("-based")
            or (at_start and (first in STOP_STARTS or first in common))
            or first in MONTHS
            or first in WEEKDAYS
        ):
            words = words[1:]
            at_start = False
            continue
        break
    while words and words[-1][2] in CONNECTORS:
        words = words[:-1]
    return words


def _split_title(words: list[tuple[int, int, str]]) -> tuple[bool, list[tuple[int, int, str]]]:
    """(whether a title came first, the name after it): "Foreign Minister Yoko Kamikawa"."""
    last_title = -1
    for index, (_, _, word) in enumerate(words):
        if word.lower() in TITLE_WORDS:
            last_title = index
    if last_title == -1 or last_title == len(words) - 1:
        return False, words
    for index in range(len(words) - 3, last_title, -1):
        if words[index][2].lower() in PORTFOLIO_WORDS:
            last_title = index  # "Minister for … Foreign Affairs Talia Vrenning": it ends there
            break
    rest = words[last_title + 1 :]
    while rest and rest[0][2].lower() in CONNECTORS:
        return False, words  # "Minister of X": the title goes on
    if any(word.lower() in ORG_WORDS for _, _, word in rest):
        return False, words
    if any(word in ("of", "for", "the") for _, _, word in rest):
        return False, words  # "Ministry of Foreign Affairs of Latvia": no person's name
    if len(rest) < 2 and any(word.lower() in ORG_WORDS for _, _, word in words):
        return False, words  # "Department of Foreign Affairs" is not a title and a name
    return True, rest


def _role_phrase(phrase: str) -> str | None:
    """ "person" or "organization" when a phrase in apposition names a role."""
    words = {word.strip("'’").lower().removesuffix("'s") for word in phrase.split()}
    if words & ROLE_NOUNS:
        return "person"
    if words & ORG_ROLE_NOUNS:
        return "organization"
    return None


def _summary(phrase: str) -> str:
    phrase = " ".join(phrase.split())
    return phrase[0].upper() + phrase[1:] + "."


def _pieces(sentence: Sentence, taken: bytearray, common: set[str]) -> Iterable[_Candidate]:
    """Capitalised runs of a sentence outside known names, trimmed to name candidates.

    A known name that begins an organisation's name stays in it: "Black Sea Shipping
    Coordination Centre" is one organisation (and still mentions the Black Sea)."""
    for run in RUN.finditer(sentence.text):
        words = [
            (run.start() + m.start(), run.start() + m.end(), m.group().rstrip(".,"))
            for m in WORDS.finditer(run.group())
        ]
        groups: list[list[tuple[int, int, str]]] = [[]]
        known: list[list[tuple[int, int, str]]] = [[]]
        for word in words:
            absolute = sentence.start + word[0]
            if any(taken[absolute : sentence.start + word[1]]):
                if groups[-1]:
                    groups.append([])
                    known.append([])
                known[-1].append(word)
            elif word[2].lower() in MONTHS | WEEKDAYS:
                groups.append([])
                known.append([])
            else:
                groups[-1].append(word)
        for group, before in zip(groups, known, strict=True):
            parts = [part for piece in _split_and(group) for part in _split_of(piece)]
            for index, piece in enumerate(parts):
                # A sentence starts again after an opening quotation mark.
                at_start = (
                    bool(piece) and OPENING.fullmatch(sentence.text[: piece[0][0]]) is not None
                )
                kept = _trim(piece, at_start, common)
                if kept and index == 0 and before and kept[0] == piece[0] and _is_org(kept):
                    kept = before + kept
                if kept:
                    yield _candidate(sentence, kept)


def _split_of(words: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """A person's name and an organisation joined by "of": "Park Jae-won of the Democratic
    Party" is two names; "Ministry of Foreign Affairs" and "Secretary of State" are one."""
    for index, (_, _, word) in enumerate(words):
        if word != "of" or index < 2:
            continue
        left = [w.lower().rstrip(".") for _, _, w in words[:index]]
        right = [w.lower().rstrip(".") for _, _, w in words[index + 1 :]]
        if not (set(left) & (ORG_WORDS | TITLE_WORDS)) and set(right) & ORG_WORDS:
            return [words[:index], words[index + 1 :]]
    return [words]


def _is_org(words: list[tuple[int, int, str]]) -> bool:
    lowered = [word.lower().rstrip(".") for _, _, word in words]
    return any(w in ORG_WORDS for w in lowered) and not any(w in PERSON_TITLES for w in lowered)


def _split_and(words: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """A run cut at "and", unless it is one organisation's name ("Ministry of Foreign and
    European Affairs"): "Ambassador X and Mr. Y" are two names."""
    lowered = [word.lower().rstrip(".") for _, _, word in words]
    if "and" not in lowered:
        return [words]
    cut = lowered.index("and")
    one_name = not any(w in ORG_WORDS for w in lowered[:cut]) or not any(
        w in ORG_WORDS for w in lowered[cut:]
    )  # "Ministry of Water and Energy"; but "the X Ministry and the Y Party" are two
    if one_name and any(w in ORG_WORDS for w in lowered) and not (set(lowered) & PERSON_TITLES):
        return [words]
    pieces: list[list[tuple[int, int, str]]] = [[]]
    for word, low in zip(words, lowered, strict=True):
        if low == "and":
            pieces.append([])
        else:
            pieces[-1].append(word)
    return pieces


def _candidate(sentence: Sentence, words: list[tuple[int, int, str]]) -> _Candidate:
    text = sentence.text
    titled, name_words = _split_title(words)
    start, end = name_words[0][0], name_words[-1][1]
    name = text[start:end].rstrip(".,")
    end = start + len(name)
    candidate = _Candidate(sentence.start + start, sentence.start + end, name)
    following = re.match(r"\s+([a-z]+)", text[end:])
    if following and following.group(1).removesuffix("s") in TITLE_WORDS | ROLE_NOUNS:
        return candidate  # "Botswanan president's adviser": an adjective, not a name
    lowered = [word.lower().rstrip(".") for _, _, word in name_words]
    if start > 0 and name_words[0][2] == "The" and len(name_words) >= 2:
        candidate.org = True  # "seen by The Alpine Observer": a publication's or body's name
    if any(word in ORG_WORDS for word in lowered) and not titled:
        candidate.org = True
    before = text[max(0, start - 60) : start]
    previous = before.split()[-1].lower() if before.split() else ""
    posted = len(lowered) >= 2 and POSTED_TO.search(before) is not None
    if titled or posted or previous in TITLE_WORDS or previous in HONORIFICS:
        candidate.person = not candidate.org
    after = text[end:]
    native = NATIVE.match(after)
    if native:
        candidate.native = native.group(1)
        after = after[native.end() :]
    appositive = before.rstrip().endswith(",") and SPEECH_AFTER_APPOSITIVE.match(after)
    if SPEECH_AFTER.match(after) or appositive or SPEECH_BEFORE.search(before):
        if _is_acronym(name):
            candidate.org = True
        elif len(lowered) >= 2 and not candidate.org:
            candidate.person = True
    after_match = APPOSITION_AFTER.match(after)
    phrase = after_match.group(1) if after_match else _apposition_before(before)
    if phrase and not re.search(r"\b(?:who|which|said|says|told)\b", phrase):
        role = _role_phrase(phrase)
        if role == "person" and not candidate.org:
            candidate.person, candidate.summary = True, _summary(phrase)
        elif role == "organization" and not candidate.person:
            candidate.org, candidate.summary = True, _summary(phrase)
    return candidate


def _apposition_before(before: str) -> str | None:
    """The role phrase right before a name, set off by a comma: "Ireland's foreign
    minister, Simon Coveney" (but not an opening phrase: "At the agency X, Y said")."""
    for head in reversed(list(APPOSITION_HEAD.finditer(before))):
        body = APPOSITION_BODY.fullmatch(before, head.start())
        if body is None or _role_phrase(body.group(1)) is None:
            continue
        lead = before[: head.start()]
        if lead.strip() and not APPOSITION_LEAD.search(lead):
            return None
        return body.group(1)
    return None


_PRECEDING = re.compile(rf"(?<![\w.])([{UPPER}][\w-]*) $")


def _inside_longer_name(text: str, start: int, written: str) -> bool:
    """Whether a one-word match is the end of a longer capitalised name the store does not
    know: "America" in "South America", "Korea" in "North Korea"."""
    if " " in written:
        return False
    before = _PRECEDING.search(text, max(0, start - 40), start)
    if before is None:
        return False
    word = before.group(1).lower()
    if before.start() == 0 or text[: before.start()].rstrip()[-1:] in '.!?"“':
        return False  # a capitalised first word of a sentence
    return not (word in STOP_STARTS or word in TITLE_WORDS or word in MONTHS | WEEKDAYS)


def _known_links(text: str, known: Known) -> tuple[list[Link], dict[str, str]]:
    """Links to the store's entities, and the last word of each known person's name the
    article gives in full ("Nozdrev" for "Nikolai Nozdrev"), which links to them too."""
    links: list[Link] = []
    surnames: dict[str, set[str]] = defaultdict(set)
    for mention in known.mentions.find(text):
        for match in mention.matches:
            if _inside_longer_name(text, match.start, match.text):
                continue
            links.append(Link(match.start, match.end, mention.entity))
            words = match.text.split()
            if known.kinds.get(mention.entity) == "person" and len(words) >= 2:
                surnames[words[-1]].add(mention.entity)
    unique = {word: next(iter(keys)) for word, keys in surnames.items() if len(keys) == 1}
    return links, unique


def _acronyms(text: str, candidates: Sequence[_Candidate]) -> dict[str, str]:
    """Acronyms given in brackets right after a name: "… Agency (IAEA)" → {"IAEA": name}."""
    found: dict[str, str] = {}
    for candidate in candidates:
        bracket = re.match(
            r"\s*\(([A-Z][A-Za-z.]{1,9})\)", text[candidate.end : candidate.end + 14]
        )
        if bracket and _is_acronym(bracket.group(1)) and len(candidate.text.split()) >= 2:
            found.setdefault(bracket.group(1), candidate.text)
    return found


@dataclass
class _Profile:
    person: bool = False
    org: bool = False
    summary: str | None = None
    aliases: list[str] = field(default_factory=list)


def _short_forms(
    names: Sequence[str], acronyms: dict[str, str], known_surnames: dict[str, str]
) -> dict[str, str]:
    """Each short form's full name: a trailing part of exactly one longer name ("Coveney",
    "Barral de la Vega", "Commission"), a person's first word when it is no one's last
    ("Zhou" for "Zhou Mingyuan"), or an acronym given in brackets."""
    short: dict[str, str] = {a: n for a, n in acronyms.items() if n in names}
    owners: dict[str, set[str]] = defaultdict(set)
    firsts: dict[str, set[str]] = defaultdict(set)
    for name in names:
        words = name.split()
        for index in range(1, len(words)):
            if words[index][:1].isupper():
                owners[" ".join(words[index:])].add(name)
        if not any(word.lower() in ORG_WORDS for word in words):
            firsts[words[0]].add(name)

    def root(name: str) -> str:
        while name in short:
            name = short[name]
        return name

    for part in sorted(owners, key=lambda p: (-len(p.split()), p)):
        roots = {root(owner) for owner in owners[part]} - {part}
        if len(roots) == 1 and part not in known_surnames and part not in short:
            short[part] = roots.pop()
    for word, found in firsts.items():
        roots = {root(name) for name in found} - {word}
        if len(roots) == 1 and word not in known_surnames and word not in owners:
            short.setdefault(word, roots.pop())
    return {part: root(name) for part, name in short.items()}


def _profiles(
    candidates: Sequence[_Candidate], acronyms: dict[str, str], known_surnames: dict[str, str]
) -> tuple[dict[str, _Profile], dict[str, str]]:
    """Cues gathered per full name, and each short form's full name."""
    names = list(  # in order of first mention, so keys are the same on every run
        dict.fromkeys(
            c.text for c in candidates if len(c.text.split()) >= 2 and c.text not in acronyms
        )
    )
    short = _short_forms(names, acronyms, known_surnames)
    full: dict[str, _Profile] = {name: _Profile() for name in names if name not in short}
    for candidate in candidates:
        name = short.get(candidate.text, candidate.text)
        profile = full.get(name)
        if profile is None:
            if candidate.text in known_surnames or not (candidate.person or candidate.org):
                continue
            profile = full.setdefault(name, _Profile())
        profile.person |= candidate.person
        profile.org |= candidate.org
        profile.summary = profile.summary or candidate.summary
        if name != candidate.text and candidate.text not in profile.aliases:
            profile.aliases.append(candidate.text)
        if candidate.native and candidate.native not in profile.aliases:
            profile.aliases.append(candidate.native)
    return full, short


def _kind(name: str, profile: _Profile) -> str | None:
    words = name.split()
    lowered = [word.lower().rstrip(".") for word in words]
    if len(words) > 8 or lowered[-1] in PERSON_TITLES or set(lowered) <= TITLE_WORDS:
        return None  # a title alone ("Russian Ambassador", "Foreign Minister"), not a name
    if len(words) == 1 and words[0].lower() in ORG_WORDS:
        return None  # "the Commission" with no fuller name to be a short form of
    if profile.org:
        return "organization"
    if profile.person and not _is_acronym(name):
        return "person"
    return None


def _fresh_key(name: str, taken: set[str]) -> str | None:
    base = slug(name)[:60].strip("-")
    if not base:
        return None
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    taken.add(key)
    return key


def find_names(
    text: str, sentences: Sequence[Sentence], known: Known, outlet: str | None = None
) -> Names:
    """Every entity the article names: the store's by its matcher, and new ones by rule."""
    links, known_surnames = _known_links(text, known)
    taken = bytearray(len(text))
    for link in links:
        taken[link.start : link.end] = b"\x01" * (link.end - link.start)
    common = set(re.findall(r"(?<![\w'’-])[a-z][a-z'’-]*", text))
    candidates = [c for s in sentences for c in _pieces(s, taken, common)]
    refused = {outlet.casefold()} if outlet else set()
    candidates = [c for c in candidates if c.text.casefold() not in refused]
    full, short = _profiles(candidates, _acronyms(text, candidates), known_surnames)
    entities: dict[str, NewEntity] = {}
    by_name: dict[str, str] = {}
    keys = set(known.entity_keys)
    for name, profile in full.items():
        kind = _kind(name, profile)
        key = _fresh_key(name, keys) if kind else None
        if kind is None or key is None:
            continue
        entities[key] = NewEntity(key, kind, name, profile.aliases, profile.summary)
        by_name[name] = key
    for candidate in candidates:
        if candidate.text in known_surnames:
            links.append(Link(candidate.start, candidate.end, known_surnames[candidate.text]))
            continue
        key = by_name.get(short.get(candidate.text, candidate.text)) or by_name.get(candidate.text)
        if key is not None:
            links.append(Link(candidate.start, candidate.end, key))
    links.sort(key=lambda link: (link.start, link.end))
    kinds = dict(known.kinds)
    kinds.update({key: entity.kind for key, entity in entities.items()})
    return Names(links, entities, kinds)
