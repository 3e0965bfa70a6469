"""An article → a draft import file: its source, its new entities, its facts.

Each fact is one sentence of the article, or an attributed sentence with the
quotation that continues it, word for word (a slice of the article text). A
sentence becomes a fact when it names an entity and reads as a claim: two words or
more, one of them in lower case (a caption such as "Vladimir Putin." has none), ending
as a sentence ends. Facts are ranked (attributed statements,
dated ones and ones naming more entities first) and the best `MAX_FACTS` are kept,
in article order. Only new entities a kept fact names are drafted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.drafting.article import Article, is_furniture
from bot.drafting.dates import event_date, published_day
from bot.drafting.entities import Names, find_names, slug
from bot.drafting.known import Known
from bot.drafting.sentences import Sentence, split
from bot.drafting.speakers import Attribution, find_speakers
from bot.drafting.yamlout import document_yaml

MAX_FACTS = 30
FACT_TEXT_MAX = 2000
TITLE_MAX = 500
SOURCE_KEY_WORDS = 8

_CLAIM_END = re.compile(r"[.!?][\"'”’)\]]*$|[\"”’]$")
_RECIPIENT_BEFORE = re.compile(
    r"\b(?:told|warned|urged|asked|called\s+on|accused|thanked|invited|met(?:\s+with)?|"
    r"to|with|against)\s+(?:the\s+)?(?:[A-Z][\w.'’-]*\s+){0,4}$"
)
_NOT = r"(?<!\bnot\s)(?<!n't\s)(?<!\bnever\s)(?<!\bto\s)"
"""Not after a negation or "to" ("did not agree", "failed to agree", "refused to sign")."""
_CONSULT = re.compile(rf"\b{_NOT}(?:met|meets|held\s+talks)\b")
_AGREE = re.compile(rf"\b{_NOT}(?:agreed|signed)\b")


@dataclass(frozen=True)
class Draft:
    """A draft import file: one source, the new entities, the facts (each with its source)."""

    source: dict[str, Any]
    entities: list[dict[str, Any]]
    facts: list[dict[str, Any]]
    notes: dict[str, list[str]] = field(default_factory=dict, compare=False)
    """Why each record is there, as YAML comments: "source", "entities", "facts"."""

    def to_document(self) -> dict[str, Any]:
        """The draft as an import document: sources, entities and facts lists."""
        return {"sources": [self.source], "entities": self.entities, "facts": self.facts}

    def to_yaml(self) -> str:
        """The import document as YAML, each record with a comment on where it came from."""
        return document_yaml(self.to_document(), self.notes)


@dataclass
class _Fact:
    first: Sentence
    last: Sentence
    attribution: Attribution | None
    score: float = 0.0


def _is_claim(sentence: Sentence) -> bool:
    words = sentence.text.split()
    return (
        len(words) >= 2
        and any(word[:1].islower() for word in words)  # a verb: "China abstained."
        and _CLAIM_END.search(sentence.text) is not None
        and not is_furniture(sentence.text)
    )


def _continues(last: _Fact | None, sentence: Sentence, attribution: Attribution | None) -> bool:
    """Whether sentence goes on the quotation of the fact before it, by the same speaker."""
    return (
        attribution is not None
        and last is not None
        and last.attribution is not None
        and (attribution.continued or last.attribution.continued)
        and attribution.speaker == last.attribution.speaker
        and last.last.index == sentence.index - 1
        and last.last.paragraph == sentence.paragraph
        and sentence.end - last.first.start <= FACT_TEXT_MAX
    )


def _candidates(
    sentences: Sequence[Sentence], names: Names, speakers: dict[int, Attribution]
) -> list[_Fact]:
    """Claim sentences that name an entity; a continued quotation joins its sentence."""
    facts: list[_Fact] = []
    for sentence in sentences:
        attribution = speakers.get(sentence.index)
        if not _is_claim(sentence):
            continue
        last = facts[-1] if facts else None
        if _continues(last, sentence, attribution):
            assert last is not None and attribution is not None
            last.last = sentence
            if not attribution.continued:
                last.attribution = attribution  # the sentence that names the speaker
            continue
        if attribution is None and not names.within(sentence.start, sentence.end):
            continue
        if len(sentence.text) <= FACT_TEXT_MAX:
            facts.append(_Fact(sentence, sentence, attribution))
    return facts


def _about(text: str, fact: _Fact, names: Names) -> list[dict[str, str]]:
    about: list[dict[str, str]] = []
    seen: set[str] = set()
    if fact.attribution is not None:
        about.append({"entity": fact.attribution.speaker, "role": "actor"})
        seen.add(fact.attribution.speaker)
    for link in names.within(fact.first.start, fact.last.end):
        if link.key in seen:
            continue
        seen.add(link.key)
        before = text[max(fact.first.start, link.start - 60) : link.start]
        role = "recipient" if _RECIPIENT_BEFORE.search(before) else "subject"
        about.append({"entity": link.key, "role": role})
    return about


def _type(text: str, fact: _Fact, about: list[dict[str, str]]) -> str | None:
    if fact.attribution is not None:
        return "statement"
    if len(about) >= 2 and _CONSULT.search(text):
        return "consult"
    if len(about) >= 2 and _AGREE.search(text):
        return "agree"
    return None


def _fact_record(
    article: Article, fact: _Fact, names: Names, source_key: str
) -> tuple[dict[str, Any], str]:
    text = article.text[fact.first.start : fact.last.end]
    about = _about(article.text, fact, names)
    record: dict[str, Any] = {"text": text, "about": about, "source": source_key}
    anchor = (
        fact.attribution.verb_start if fact.attribution and not fact.attribution.continued else None
    )
    date = event_date(text, published_day(article.published), anchor)
    if date is not None:
        record["date"] = date
    kind = _type(text, fact, about)
    if kind is not None:
        record["type"] = kind
    note = f"sentence {fact.first.index + 1}"
    if fact.last.index != fact.first.index:
        note = f"sentences {fact.first.index + 1}-{fact.last.index + 1}"
    if fact.attribution is not None:
        note += f"; {fact.attribution.speaker} speaks ({fact.attribution.verb!r})"
    note += "; dated from its own words" if date else "; no date in the sentence"
    return record, note


def _source(
    article: Article, sentences: Sequence[Sentence], known: Known
) -> tuple[dict[str, Any], str]:
    title = article.title
    note = "the article"
    if not title:
        first = sentences[0].text if sentences else article.text
        title = first if len(first) <= 120 else first[:120].rsplit(" ", 1)[0] + "…"
        note = "the article; it gives no title, so the title is its first sentence: edit it"
    title = title[:TITLE_MAX]
    words = slug(title).split("-")[:SOURCE_KEY_WORDS]
    base = "-".join(words) or slug(article.outlet or "") or "article"
    day = published_day(article.published)
    if day is not None:
        base = f"{base}-{day.isoformat()}"
    key, number = base[:90].strip("-"), 2
    while key in known.source_keys:
        key, number = f"{base[:90].strip('-')}-{number}", number + 1
    record: dict[str, Any] = {"key": key, "title": title}
    for name in ("outlet", "url", "published"):
        value = getattr(article, name)
        if value:
            record[name] = value
    return record, note


def _score(fact: _Fact, record: dict[str, Any], new: set[str]) -> float:
    keys = [item["entity"] for item in record["about"]]
    return (
        3.0 * (fact.attribution is not None)
        + 1.0 * ("date" in record)
        + min(len(keys), 3)
        + 0.5 * any(key in new for key in keys)
        - 0.01 * fact.first.index
    )


def make_draft(article: Article, known: Known) -> Draft:
    """The draft of an article against the store's names: nothing is written anywhere."""
    sentences = split(article.text)
    names = find_names(article.text, sentences, known, article.outlet)
    speakers = find_speakers(sentences, names)
    source, source_note = _source(article, sentences, known)
    built = []
    seen: set[str] = set()
    for fact in _candidates(sentences, names, speakers):
        record, note = _fact_record(article, fact, names, source["key"])
        if record["about"] and record["text"] not in seen:
            seen.add(record["text"])
            built.append(
                (_score(fact, record, set(names.entities)), fact.first.index, record, note)
            )
    best = sorted(built, key=lambda item: -item[0])[:MAX_FACTS]
    best.sort(key=lambda item: item[1])
    facts = [record for _, _, record, _ in best]
    used = {item["entity"] for record in facts for item in record["about"]}
    entities = [entity for key, entity in names.entities.items() if key in used]
    notes = {
        "source": [source_note],
        "entities": [f"new {e.kind}: the article names {e.name!r}" for e in entities],
        "facts": [note for _, _, _, note in best],
    }
    return Draft(source, [entity.record() for entity in entities], facts, notes)
