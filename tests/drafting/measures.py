"""The measures of issue 15 ("Done when") on the drafting article set.

The set is tests/drafting/articles (pages and plain text written for it), annotated in
tests/drafting/gold.yaml and drafted against a known store: data/seed.yaml, loaded as
usual, plus tests/drafting/known.yaml. tests/drafting/test_measures.py asserts the
thresholds; bench/drafting.py prints every measure per article with draft times.

The engine (`bot.drafting`) is imported only where an article is drafted, so the set,
its gold and the known store load without it.
"""

from __future__ import annotations

import re
import tempfile
import time
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.answers.catalog import Catalog
from bot.config import Settings
from bot.curation.transfer import load_data, load_file
from bot.errors import DiplobotError
from bot.library import Library, known_names
from bot.records.actor import Actor

if TYPE_CHECKING:
    from bot.drafting import Article, Draft, Known

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
GOLD = HERE / "gold.yaml"
KNOWN = HERE / "known.yaml"

THRESHOLDS = {
    "known_linked": 0.90,
    "people_found": 0.90,
    "entities_real": 0.80,
    "statements": 0.80,
    "events": 0.80,
}
"""Issue 15's thresholds; the rest (imports, title, published, verbatim, furniture,
wrong links) must be perfect."""

HONORIFICS = frozenset({"sir", "dame", "lord", "lady", "dr", "dr.", "mr", "mr.", "mrs", "ms"})
"""Words a draft may keep before a gold name and still have found it ("Sir Edmund …")."""

FLAG_NAMES = {"title": "title", "outlet": "outlet", "url": "url_override", "published": "published"}
"""gold `flags` -> read_article's keyword (the CLI's --title, --outlet, --url, --published)."""

MEASURE_ACTOR = Actor(None, "drafting measures")


# ---------------------------------------------------------------------------
# The gold file


@dataclass(frozen=True)
class Statement:
    quote: str
    speaker: str
    """A known entity key, or a new person's or organisation's name."""


@dataclass(frozen=True)
class Event:
    quote: str
    date: str


@dataclass(frozen=True)
class Gold:
    """One article's annotation (see the comment at the top of gold.yaml)."""

    file: str
    title: str | None
    outlet: str | None
    published: str | None
    known: frozenset[str]
    new_people: tuple[str, ...]
    new_organizations: tuple[str, ...]
    new_other: tuple[str, ...] = ()
    furniture: tuple[str, ...] = ()
    statements: tuple[Statement, ...] = ()
    events: tuple[Event, ...] = ()
    flags: Mapping[str, str] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return ARTICLES / self.file

    @property
    def is_html(self) -> bool:
        return self.file.endswith(".html")

    def read_kwargs(self) -> dict[str, str]:
        """read_article's keywords for this article's flags."""
        return {FLAG_NAMES[name]: value for name, value in self.flags.items()}


def load_gold(path: Path = GOLD) -> list[Gold]:
    """Every article's gold record, in file order."""
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    golds = []
    for record in records:
        golds.append(
            Gold(
                file=record["file"],
                title=record["title"],
                outlet=record["outlet"],
                published=record["published"],
                known=frozenset(record.get("known") or ()),
                new_people=tuple(record.get("new_people") or ()),
                new_organizations=tuple(record.get("new_organizations") or ()),
                new_other=tuple(record.get("new_other") or ()),
                furniture=tuple(record.get("furniture") or ()),
                statements=tuple(Statement(**item) for item in record.get("statements") or ()),
                events=tuple(Event(**item) for item in record.get("events") or ()),
                flags=dict(record.get("flags") or {}),
            )
        )
    return golds


# ---------------------------------------------------------------------------
# Text: what a page shows, and comparing fragments of it


_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def decode(data: bytes) -> str:
    """A file of the set as text, by the charset it declares (UTF-8 when none)."""
    declared = _CHARSET.search(data[:4096])
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    if encoding.lower().replace("-", "") == "utf8":
        encoding = "utf-8-sig"  # a byte order mark is not text
    return data.decode(encoding)


class _Visible(HTMLParser):
    """Collects a page's text outside script, style, template and head-only elements."""

    HIDDEN = frozenset({"script", "style", "template", "noscript", "title", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def page_text(gold: Gold) -> str:
    """Everything the article's file shows a reader: a page's visible text (no script or
    style), or a plain text file whole."""
    text = decode(gold.path.read_bytes())
    if not gold.is_html:
        return text
    parser = _Visible()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def squeeze(text: str) -> str:
    """text without any whitespace, NFC: fragments compare the same however lines broke
    and wherever inline tags split them."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def spaced(text: str) -> str:
    """text with each run of whitespace one space, NFC."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def fold_name(name: str) -> str:
    """A name as names compare here: spaced, case-folded."""
    return spaced(name).casefold()


def same_name(drafted: str, gold: str) -> bool:
    """Whether a drafted name is the gold one, allowing an honorific before it."""
    drafted, gold = fold_name(drafted), fold_name(gold)
    if drafted == gold:
        return True
    head, _, rest = drafted.partition(" ")
    return head in HONORIFICS and rest == gold


# ---------------------------------------------------------------------------
# The known store


class KnownStore:
    """The seeded store plus known.yaml, opened; `known` is what the engine is given."""

    def __init__(self, library: Library) -> None:
        self.library = library

    @property
    def catalog(self) -> Catalog:
        return self.library.catalog

    @property
    def entity_keys(self) -> frozenset[str]:
        return frozenset(self.catalog.entities)

    @cached_property
    def known(self) -> Known:
        """The engine's `Known` of this store (the first use imports bot.drafting)."""
        return known_of(self.catalog)


def known_of(catalog: Catalog) -> Known:
    """The engine's view of a catalog's names, as the library builds it for drafting."""
    return known_names(catalog)


def open_known_library(directory: Path) -> Library:
    """A store in directory, migrated and seeded as usual, with known.yaml imported."""
    library = Library.open(Settings.from_mapping({"DATABASE_URL": f"sqlite:///{directory}/k.db"}))
    try:
        load_file(library.store, KNOWN, MEASURE_ACTOR)
        library.reload()
    except BaseException:
        library.close()
        raise
    return library


@contextmanager
def known_store() -> Iterator[KnownStore]:
    """The known store in a temporary directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="drafting-known-") as directory:
        library = open_known_library(Path(directory))
        try:
            yield KnownStore(library)
        finally:
            library.close()


# ---------------------------------------------------------------------------
# Drafting one article


def read(gold: Gold) -> Article:
    """The article as read_article reads its file, with its gold flags."""
    from bot.drafting import read_article

    return read_article(gold.path.read_bytes(), **gold.read_kwargs())


def draft(gold: Gold, known: Known) -> Draft:
    """The article's draft."""
    from bot.drafting import make_draft

    return make_draft(read(gold), known)


def draft_seconds(gold: Gold, known: Known, runs: int) -> list[float]:
    """Wall-clock seconds of read_article + make_draft, once per run."""
    data = gold.path.read_bytes()
    kwargs = gold.read_kwargs()
    from bot.drafting import make_draft, read_article

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        make_draft(read_article(data, **kwargs), known)
        times.append(time.perf_counter() - start)
    return times


# ---------------------------------------------------------------------------
# Measuring one draft


@dataclass
class Ratio:
    """right out of total, with what was missed or wrong, for reports."""

    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.total += 1
        if ok:
            self.right += 1
        else:
            self.misses.append(what)

    def __iadd__(self, other: Ratio) -> Ratio:
        self.right += other.right
        self.total += other.total
        self.misses += other.misses
        return self

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.right}/{self.total}"


@dataclass
class Measures:
    """Every measure of one article's draft (or of the whole set, summed)."""

    file: str
    imports: Ratio = field(default_factory=Ratio)
    title: Ratio = field(default_factory=Ratio)
    published: Ratio = field(default_factory=Ratio)
    outlet: Ratio = field(default_factory=Ratio)
    known_linked: Ratio = field(default_factory=Ratio)
    wrong_links: list[str] = field(default_factory=list)
    people_found: Ratio = field(default_factory=Ratio)
    entities_real: Ratio = field(default_factory=Ratio)
    verbatim: Ratio = field(default_factory=Ratio)
    furniture: list[str] = field(default_factory=list)
    statements: Ratio = field(default_factory=Ratio)
    events: Ratio = field(default_factory=Ratio)
    facts: int = 0

    RATIOS = (
        "imports",
        "title",
        "published",
        "outlet",
        "known_linked",
        "people_found",
        "entities_real",
        "verbatim",
        "statements",
        "events",
    )

    def __iadd__(self, other: Measures) -> Measures:
        for name in self.RATIOS:
            mine: Ratio = getattr(self, name)
            mine += getattr(other, name)
        self.wrong_links += [f"{other.file}: {link}" for link in other.wrong_links]
        self.furniture += [f"{other.file}: {text}" for text in other.furniture]
        self.facts += other.facts
        return self

    def failures(self) -> list[str]:
        """Each measure below issue 15's bar, as a line naming what was missed."""
        lines = []
        for name in ("imports", "title", "published", "verbatim"):
            ratio: Ratio = getattr(self, name)
            if ratio.right < ratio.total:
                lines.append(f"{name} {ratio}: {ratio.misses}")
        for name, bar in THRESHOLDS.items():
            ratio = getattr(self, name)
            if ratio.rate < bar:
                lines.append(f"{name} {ratio} = {ratio.rate:.0%} < {bar:.0%}: {ratio.misses}")
        if self.wrong_links:
            lines.append(f"wrong links: {self.wrong_links}")
        if self.furniture:
            lines.append(f"furniture in drafts: {self.furniture}")
        return lines


def measure(gold: Gold, made: Draft, store: KnownStore) -> Measures:
    """Every measure of one draft against its gold record."""
    result = Measures(gold.file)
    document = _imported(gold, made, store, result)
    source = made.source
    _source_measures(gold, source, result)
    facts = list(made.facts)
    result.facts = len(facts)
    names = _drafted_names(made.entities)
    _known_measures(gold, facts, made.entities, store, result)
    _people_measures(gold, facts, made.entities, names, result)
    _text_measures(gold, facts, made, document, result)
    _statement_measures(gold, facts, names, store, result)
    for event in gold.events:
        dates = [fact.get("date") for fact in _holding(facts, event.quote)]
        result.events.add(event.date in dates, f"{event.quote!r}: {event.date} not in {dates}")
    return result


def _imported(gold: Gold, made: Draft, store: KnownStore, result: Measures) -> Any:
    """The draft's YAML, parsed; whether it imports unchanged into the known store (a dry
    run: nothing is written) and says what to_document says."""
    printed = made.to_yaml()
    document = yaml.safe_load(printed)
    problem = ""
    if document != made.to_document():
        problem = "to_yaml() does not parse to to_document()"
    else:
        try:
            load_data(store.library.store, document, gold.file, MEASURE_ACTOR, dry_run=True)
        except DiplobotError as error:
            problem = " ".join(str(error).split())[:300]
    result.imports.add(not problem, problem)
    return document


def _source_measures(gold: Gold, source: Mapping[str, Any], result: Measures) -> None:
    if gold.title is not None:
        got = source.get("title")
        result.title.add(spaced(str(got or "")) == spaced(gold.title), f"title {got!r}")
    if gold.published is not None:
        got = source.get("published")
        result.published.add(same_time(got, gold.published), f"published {got!r}")
    got = source.get("outlet")
    if gold.outlet is not None or got is not None:
        # Never guessed: an outlet is the page's, or left out.
        ok = got is None or (gold.outlet is not None and spaced(got) == spaced(gold.outlet))
        result.outlet.add(ok, f"outlet {got!r}")


def same_time(got: object, want: str) -> bool:
    """Whether a drafted `published` is the gold one: the same day for a date alone (and
    no time made up), the same instant and the same offset for a time."""
    if isinstance(got, datetime):
        got = got.isoformat()
    if not isinstance(got, str):
        return False
    if len(want) == 10:
        return got == want
    try:
        mine, theirs = datetime.fromisoformat(got), datetime.fromisoformat(want)
    except ValueError:
        return False
    if mine.tzinfo is None:
        return False
    return mine == theirs and mine.utcoffset() == theirs.utcoffset()


def _known_measures(
    gold: Gold,
    facts: Sequence[Mapping[str, Any]],
    entities: Sequence[Mapping[str, Any]],
    store: KnownStore,
    result: Measures,
) -> None:
    linked = {item["entity"] for fact in facts for item in _about(fact)} & store.entity_keys
    for key in sorted(gold.known):
        result.known_linked.add(key in linked, key)
    result.wrong_links += sorted(linked - gold.known)
    for entity in entities:
        # A name the store already answers to, drafted again as new, is a wrong link too.
        for key in _known_whole_name(str(entity.get("name", "")), store):
            result.wrong_links.append(f"{entity.get('name')!r} drafted anew, but is {key}")


def _known_whole_name(name: str, store: KnownStore) -> list[str]:
    """Known entities one of whose names is the whole of name."""
    return [
        mention.entity
        for mention in store.catalog.mentions.find(name)
        if any(m.start == 0 and m.end == len(name) for m in mention.matches)
    ]


def _people_measures(
    gold: Gold,
    facts: Sequence[Mapping[str, Any]],
    entities: Sequence[Mapping[str, Any]],
    names: Mapping[str, list[str]],
    result: Measures,
) -> None:
    for person in gold.new_people:
        found = any(same_name(name, person) for forms in names.values() for name in forms)
        result.people_found.add(found, person)
    real = (*gold.new_people, *gold.new_organizations, *gold.new_other)
    used = {item["entity"] for fact in facts for item in _about(fact)}
    for entity in entities:
        key = str(entity.get("key"))
        is_real = any(same_name(name, want) for name in names[key] for want in real)
        ok = is_real and key in used
        why = "not in the gold" if not is_real else "named by no fact"
        result.entities_real.add(ok, f"{entity.get('name')!r} ({why})")


def _text_measures(
    gold: Gold, facts: Sequence[Mapping[str, Any]], made: Draft, document: Any, result: Measures
) -> None:
    shown = squeeze(page_text(gold))
    for fact in facts:
        text = str(fact.get("text", ""))
        result.verbatim.add(bool(text.strip()) and squeeze(text) in shown, f"{text[:90]!r}")
    drafted = spaced(" ".join([made.to_yaml(), *_strings(document)]))
    result.furniture += [text for text in gold.furniture if spaced(text) in drafted]


def _statement_measures(
    gold: Gold,
    facts: Sequence[Mapping[str, Any]],
    names: Mapping[str, list[str]],
    store: KnownStore,
    result: Measures,
) -> None:
    for statement in gold.statements:
        speaker = statement.speaker
        if speaker in store.entity_keys:
            keys = {speaker}
        else:
            keys = {
                key for key, forms in names.items() if any(same_name(n, speaker) for n in forms)
            }
        holding = _holding(facts, statement.quote)
        ok = any(
            item.get("role") == "actor" and item["entity"] in keys
            for fact in holding
            for item in _about(fact)
        )
        why = "no fact holds it" if not holding else f"actor is not {speaker}"
        result.statements.add(ok, f"{statement.quote!r}: {why}")


def _about(fact: Mapping[str, Any]) -> list[dict[str, str]]:
    """A fact's about list, each item as {entity, role} (a bare key is a subject)."""
    items = []
    for item in fact.get("about") or ():
        if isinstance(item, str):
            items.append({"entity": item, "role": "subject"})
        else:
            items.append({"entity": str(item["entity"]), "role": str(item.get("role", "subject"))})
    return items


def _holding(facts: Sequence[Mapping[str, Any]], quote: str) -> list[Mapping[str, Any]]:
    """The facts whose text holds quote."""
    wanted = squeeze(quote)
    return [fact for fact in facts if wanted in squeeze(str(fact.get("text", "")))]


def _drafted_names(entities: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Each drafted entity's key -> its name and aliases."""
    names: dict[str, list[str]] = {}
    for entity in entities:
        forms = [str(entity.get("name", ""))]
        for alias in entity.get("aliases") or ():
            forms.append(str(alias["text"] if isinstance(alias, dict) else alias))
        names[str(entity.get("key"))] = forms
    return names


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a parsed document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def measure_set(store: KnownStore, golds: Sequence[Gold] | None = None) -> list[Measures]:
    """Every article of the set drafted and measured, in gold order."""
    return [measure(gold, draft(gold, store.known), store) for gold in golds or load_gold()]


def total(measures: Sequence[Measures]) -> Measures:
    """The measures of a set, summed."""
    summed = Measures("total")
    for one in measures:
        summed += one
    return summed
