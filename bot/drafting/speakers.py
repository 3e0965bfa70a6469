"""Who says what: the speaker of each attributed sentence.

Attribution forms, tried at each verb of saying in a sentence:

- "X said", "X told reporters", "X, Ireland's foreign minister, said", "X's ministry
  said" (the speaker is X);
- "…," said X / "…," said Foreign Minister X;
- "according to X";
- "he said", "she added" → the person the sentence names before the pronoun, else the
  previous speaker, else the last person named; "it said" → the last organisation;
- a quotation continued in the next sentence, or a sentence that is a quotation
  alone right after an attributed one, keeps its speaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.drafting.cues import SPEECH, SPEECH_VERBS, TITLE_WORDS
from bot.drafting.entities import Link, Names
from bot.drafting.sentences import Sentence


@dataclass(frozen=True, slots=True)
class Attribution:
    """The speaker of a sentence and where its verb of saying is (sentence offsets)."""

    speaker: str
    verb: str
    verb_start: int
    continued: bool = False


_MODIFIERS = (
    r"(?:\s+(?:has|had|have|also|later|then|again|previously|repeatedly|earlier|"
    r"on\s+\w+day|in\s+a\s+statement|in\s+an\s+interview|in\s+[A-Z][\w-]+))*\s+$"
)
_GAP_BEFORE = re.compile(
    r"^(?:['’]s(?:\s+[a-z-]+){1,3}"  # "Russia's foreign ministry said"
    r"|(?:\s+(?!(?:and|or|but|that|to|would|will|could|should|may|might|must|is|was|are|were"
    r"|has|have|had)\b)[a-z-]+){1,3}(?:\s*,[^\"“”]{1,120},)?"  # "the U.N. rights office said"
    r"|(?:\s*\([^()]{1,60}\),?)?(?:\s*,[^\"“”]{1,120},)?)" + _MODIFIERS  # "X (…), …, said"
)
_LONE_COMMA = re.compile(r"^\s*," + _MODIFIERS)
_GAP_AFTER = re.compile(r"^\s+(?:the\s+)?(?:[A-Z][\w.'’-]*\s+|[a-z]+\s+){0,4}$")
_INVERTING = frozenset({"said", "says", "added", "wrote", "asked"})
"""Verbs that put the speaker after them: '"…," said X'."""
_INVERTED = re.compile(r"[,\"”’]\s*$")
_PRONOUN = re.compile(
    r"\b(?P<pronoun>[Hh]e|[Ss]he|[Ii]t)\s+(?:also\s+|later\s+|then\s+|has\s+|had\s+|"
    rf"further\s+)?(?P<verb>{SPEECH_VERBS})\b"
)
_AS_SAYING = re.compile(r"\s+as\s+saying\b")
""""… quoted spokeswoman X as saying": X speaks."""
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+(?:the\s+)?$")
_OPENING_QUOTE = re.compile(r"^[\"“‘']")
_QUOTES = re.compile(r"[\"“”]")


def _before(
    text: str, links: Sequence[Link], verb_start: int, kinds: dict[str, str]
) -> Link | None:
    """The name right before a verb of saying, across an apposition or a possessive.

    An apposition that names a person is not one ("X, the envoy, adviser Y, said" is Y's),
    so the nearest name set off by a lone comma is tried after the proper appositions."""
    for link in reversed(links):
        if link.end <= verb_start and _GAP_BEFORE.match(text[link.end : verb_start]):
            inside = [
                other
                for other in links
                if link.end <= other.start < verb_start and other.key != link.key
            ]
            if not any(kinds.get(other.key) == "person" for other in inside):
                return _person_of(text, links, link, kinds)
    for link in reversed(links):
        if link.end <= verb_start:
            gap = text[link.end : verb_start]
            return link if _LONE_COMMA.match(gap) else None
    return None


def _person_of(text: str, links: Sequence[Link], link: Link, kinds: dict[str, str]) -> Link:
    """The person before "of" when link is their organisation: "X of the Y Party said"."""
    earlier = [other for other in links if other.end <= link.start]
    person = earlier[-1] if earlier and kinds.get(earlier[-1].key) == "person" else None
    if person is not None and _OF.match(text[person.end : link.start]):
        return person
    return link


_OF = re.compile(r"^\s+of\s+(?:the\s+)?$")


def _after(text: str, links: Sequence[Link], verb_end: int) -> Link | None:
    """The name right after an inverted "…," said X."""
    for link in links:
        if link.start >= verb_end:
            gap = text[verb_end : link.start]
            lower = [w for w in gap.split() if w.islower() and w != "the"]
            if _GAP_AFTER.match(gap) and all(w in TITLE_WORDS for w in lower):
                return link
            return None
    return None


def _local(names: Names, sentence: Sentence) -> list[Link]:
    return [
        Link(link.start - sentence.start, link.end - sentence.start, link.key)
        for link in names.within(sentence.start, sentence.end)
    ]


class _Tracker:
    """The last person and organisation named, and the last speaker, in text order."""

    def __init__(self, names: Names) -> None:
        self.kinds: dict[str, str] = names.kinds
        self.last: dict[str, str] = {}
        self.speaker: str | None = None

    def see(self, links: Sequence[Link]) -> None:
        """Remember the first person and organisation a sentence names: its likely subject."""
        seen: set[str] = set()
        for link in links:
            kind = self.kinds.get(link.key)
            if kind in ("person", "organization") and kind not in seen:
                self.last[kind] = link.key
                seen.add(kind)

    def pronoun(self, pronoun: str, links: Sequence[Link], at: int) -> str | None:
        kind = "organization" if pronoun.lower() == "it" else "person"
        for link in reversed(links):
            if link.end <= at and self.kinds.get(link.key) == kind:
                return link.key
        if kind in self.last:
            return self.last[kind]
        if self.speaker is not None and self.kinds.get(self.speaker) == kind:
            return self.speaker
        return None


def _attribute(sentence: Sentence, links: list[Link], tracker: _Tracker) -> Attribution | None:
    text = sentence.text
    for link in links:
        if _ACCORDING.search(text[max(0, link.start - 20) : link.start]):
            return Attribution(link.key, "according to", link.start)
        if _AS_SAYING.match(text, link.end):
            return Attribution(link.key, "quoted as saying", link.end)
    for verb in SPEECH.finditer(text):
        found = _before(text, links, verb.start(), tracker.kinds)
        inverted = verb.group() in _INVERTING and _INVERTED.search(text[: verb.start()])
        if found is None and inverted:
            found = _after(text, links, verb.end())
        if found is not None:
            return Attribution(found.key, verb.group(), verb.start())
    pronoun = _PRONOUN.search(text)
    if pronoun:
        key = tracker.pronoun(pronoun.group("pronoun"), links, pronoun.start())
        if key is not None:
            return Attribution(key, pronoun.group("verb"), pronoun.start("verb"))
    return None


def find_speakers(sentences: Sequence[Sentence], names: Names) -> dict[int, Attribution]:
    """The attribution of each attributed sentence, by sentence index."""
    found: dict[int, Attribution] = {}
    tracker = _Tracker(names)
    previous: Attribution | None = None
    open_quote = False
    last_paragraph = -1
    for sentence in sentences:
        links = _local(names, sentence)
        attribution = _attribute(sentence, links, tracker)
        quoted_alone = _OPENING_QUOTE.match(sentence.text) and not SPEECH.search(sentence.text)
        near = sentence.paragraph - last_paragraph <= 1
        if attribution is None and previous is not None and near and (open_quote or quoted_alone):
            attribution = Attribution(previous.speaker, previous.verb, 0, continued=True)
        tracker.see(links)
        if attribution is not None:
            found[sentence.index] = attribution
            tracker.speaker = attribution.speaker
            last_paragraph = sentence.paragraph
        previous = attribution
        quotes = len(_QUOTES.findall(sentence.text))
        open_quote = quotes % 2 == 1 if not open_quote else quotes % 2 == 0
    _quotes_closed_later(sentences, found)
    return found


def _quotes_closed_later(sentences: Sequence[Sentence], found: dict[int, Attribution]) -> None:
    """A quotation opened in a sentence and closed, attributed, in a later sentence of the
    same paragraph ('"We are ready. Nobody wants a crisis," X said.') is X's throughout."""
    for position, sentence in enumerate(sentences):
        if sentence.index in found or not _OPENING_QUOTE.match(sentence.text):
            continue
        if len(_QUOTES.findall(sentence.text)) % 2 == 0:
            continue
        for later in sentences[position + 1 : position + 4]:
            if later.paragraph != sentence.paragraph:
                break
            if len(_QUOTES.findall(later.text)) % 2 == 1:  # the quotation closes here
                if later.index in found and not found[later.index].continued:
                    closing = found[later.index]
                    found[sentence.index] = Attribution(
                        closing.speaker, closing.verb, 0, continued=True
                    )
                break
