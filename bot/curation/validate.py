"""Checking a curation file's data completely, and turning it into a typed `Document`.

`validate` reports every problem by place (``facts[12].about[0]: no entity
'japn'``), the first `PROBLEMS_SHOWN` of them, counting all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from bot.curation.problems import (
    PROBLEMS_SHOWN,
    Problems,
    clip,
    describe,
    problem_line,
    quote,
    suggestion,
)
from bot.records.shapes import (
    ALIAS_MAX,
    DEFAULT_ROLE,
    FACT_TEXT_MAX,
    KEY_MAX,
    LANG_MAX,
    NAME_MAX,
    OUTLET_MAX,
    ROLE_MAX,
    SECTIONS,
    SUMMARY_MAX,
    TITLE_MAX,
    TYPE_MAX,
    URL_MAX,
    WIKIDATA_MAX,
    AliasSpec,
    Document,
    EntitySpec,
    FactSpec,
    SourceSpec,
    Subject,
    derive_fact_key,
)
from bot.search.normalize import fold
from bot.store.models import Kind, LinkRole, Precision, date_text

_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_WIKIDATA = re.compile(r"Q[1-9][0-9]*")
_LANG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""A control character (Unicode category Cc) or a lone surrogate (Cs)."""
_CONTROL_IN_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""The same, but for a line break or a tab, which multi-line text may hold."""
_DATE_FORMS = "use YYYY, YYYY-MM or YYYY-MM-DD"
_PUBLISHED_EXAMPLE = "'2024-03-24T06:21:00-04:00'"

_SOURCE_FIELDS = {"key": True, "title": True, "outlet": False, "url": False, "published": False}
_ENTITY_FIELDS = {
    "key": True,
    "kind": True,
    "name": True,
    "summary": False,
    "aliases": False,
    "parties": False,
    "areas": False,
    "wikidata": False,
    "former_keys": False,
}
_FACT_FIELDS = {
    "key": False,
    "text": True,
    "date": False,
    "about": True,
    "source": False,
    "sources": False,
    "type": False,
}
_ALIAS_FIELDS = {"text": True, "lang": False}
_SUBJECT_FIELDS = {"entity": True, "role": False}


def section_lists(doc: object) -> tuple[dict[str, list[Any]], list[tuple[str, str]]]:
    """The document's section lists, and every problem with its top-level shape by place."""
    if doc is None:
        return {}, [("", "the file is empty")]
    if not isinstance(doc, Mapping):
        expected = "the top level must be a mapping with sources, entities and facts lists"
        return {}, [("", f"{expected}, not {describe(doc)}")]
    lists: dict[str, list[Any]] = {}
    problems: list[tuple[str, str]] = []
    for name, value in doc.items():
        if name not in SECTIONS:
            problems.append(
                (clip(str(name)), f"unknown top-level key{suggestion(str(name), SECTIONS)}")
            )
        elif value is None:
            lists[name] = []
        elif isinstance(value, list):
            lists[name] = value
        else:
            problems.append((name, f"expected a list, got {describe(value)}"))
    return lists, problems


_Spec = TypeVar("_Spec", SourceSpec, EntitySpec, FactSpec)


class _Checker:
    """Turns the records of one document into specs, collecting every problem on the way.

    References are collected while the records are read and checked at the end,
    once every key the file defines is known.
    """

    def __init__(self, known_entities: Mapping[str, str], known_sources: Collection[str]) -> None:
        self._problems: list[tuple[str, str]] = []
        self._count = 0
        self._known_entities = known_entities
        self._known_sources = known_sources
        self._defined: dict[str, dict[str, str]] = {section: {} for section in SECTIONS}
        self._kinds: dict[str, Kind | None] = {}
        self._entity_refs: list[tuple[str, str, bool]] = []
        self._source_refs: list[tuple[str, str]] = []

    def add(self, place: str, message: str) -> None:
        self._problems.append((place, message))
        self._count += 1
        if len(self._problems) > 20 * PROBLEMS_SHOWN:  # a file of nothing but errors
            self._problems = self._first(self._problems)

    @staticmethod
    def _first(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The first `PROBLEMS_SHOWN` problems, by section and record in file order."""

        def order(problem: tuple[str, str]) -> tuple[int, int]:
            place = problem[0]
            section = place.split("[", 1)[0]
            rank = SECTIONS.index(section) if section in SECTIONS else -1
            index = re.search(r"\[(\d+)\]", place)
            return rank, int(index.group(1)) if index else -1

        return sorted(problems, key=order)[:PROBLEMS_SHOWN]

    def problems(self) -> Problems:
        """The first `PROBLEMS_SHOWN` problems as ``place: message``, grouped by section and
        record in file order, counting them all; only so many are kept while checking, so
        a file of millions of errors costs no more memory than its records."""
        first = self._first(self._problems)
        return Problems((problem_line(place, message) for place, message in first), self._count)

    def section(
        self, name: str, items: list[Any], read: Callable[[str, object], _Spec | None]
    ) -> tuple[_Spec, ...]:
        specs = (read(f"{name}[{index}]", item) for index, item in enumerate(items))
        return tuple(spec for spec in specs if spec is not None)

    # Values.

    def text(
        self, place: str, value: object, limit: int | None = None, *, multiline: bool = False
    ) -> str | None:
        """value stripped of surrounding space, or None when absent or reported."""
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(place, f"expected text, got {describe(value)}")
            return None
        text = value.strip()
        found = (_CONTROL_IN_MULTILINE if multiline else _CONTROL).search(text)
        control = found.group() if found else None
        if not text:
            self.add(place, "must not be empty")
        elif limit is not None and len(text) > limit:
            self.add(place, f"too long: {len(text)} characters (at most {limit})")
        elif control is not None:
            self.add(place, f"control character U+{ord(control):04X} is not allowed")
        else:
            return text
        return None

    def matching(
        self, place: str, value: object, limit: int, pattern: re.Pattern[str], what: str
    ) -> str | None:
        text = self.text(place, value, limit)
        if text is not None and not pattern.fullmatch(text):
            self.add(place, f"{quote(text)} is not {what}")
            return None
        return text

    def key(self, place: str, value: object) -> str | None:
        what = "a key (lowercase letters, digits and single hyphens, like 'kuril-islands')"
        return self.matching(place, value, KEY_MAX, _KEY, what)

    def word(self, place: str, value: object, limit: int, example: str) -> str | None:
        return self.matching(place, value, limit, _WORD, f"a lowercase word like '{example}'")

    def sequence(self, place: str, value: object) -> list[Any] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            self.add(place, f"expected a list, got {describe(value)}")
            return None
        return value

    def fields(
        self, place: str, value: Mapping[Any, Any], fields: Mapping[str, bool]
    ) -> Mapping[Any, Any]:
        """value, after reporting its unknown fields and missing required ones."""
        for name in value:
            if name not in fields:
                self.add(
                    f"{place}.{clip(str(name))}",
                    f"unknown field{suggestion(str(name), list(fields))}",
                )
        for name, required in fields.items():
            if required and value.get(name) is None:
                self.add(f"{place}.{name}", "required")
        return value

    def record(
        self, place: str, value: object, fields: Mapping[str, bool]
    ) -> Mapping[Any, Any] | None:
        """value as a record with the given fields, or None after reporting that it is not one."""
        if isinstance(value, Mapping):
            return self.fields(place, value, fields)
        self.add(place, f"expected a mapping with {', '.join(fields)}, got {describe(value)}")
        return None

    def unique(self, section: str, key: str, place: str) -> str | None:
        """The place that defined key in section before place, if any."""
        first = self._defined[section].setdefault(key, place)
        return None if first == place else first

    def url(self, place: str, value: object) -> str | None:
        text = self.text(place, value, URL_MAX)
        if text is None:
            return None
        try:
            parts = urlsplit(text)
            valid = parts.scheme in ("http", "https") and bool(parts.netloc)
        except ValueError:
            valid = False
        if not valid or any(c.isspace() for c in text):
            self.add(place, f"{quote(text)} is not an http or https URL")
            return None
        return text

    def published(self, place: str, value: object) -> datetime | None:
        """A time with an offset (or a date, taken as midnight UTC), converted to UTC."""
        if value is None:
            return None
        moment: datetime | None = None
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime(value.year, value.month, value.day, tzinfo=UTC)
        elif isinstance(value, str):
            text = value.strip()
            try:
                moment = datetime.fromisoformat(text)
                if _DAY.fullmatch(text):
                    moment = moment.replace(tzinfo=UTC)
            except ValueError:
                self.add(
                    place,
                    f"{quote(text)} is not an ISO 8601 date and time (like {_PUBLISHED_EXAMPLE})",
                )
                return None
        else:
            self.add(place, f"expected a date and time, got {describe(value)}")
            return None
        if moment.tzinfo is None or moment.utcoffset() is None:
            self.add(
                place, f"{quote(value)} has no UTC offset (write it like {_PUBLISHED_EXAMPLE})"
            )
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            self.add(place, f"{quote(value)} is out of range")
            return None

    def fact_date(self, place: str, value: object) -> tuple[date, Precision] | None:
        """A fact date and its precision: a year, a month or a day."""
        if value is None:
            return None
        if isinstance(value, datetime):
            self.add(place, f"{quote(value)} has a time of day ({_DATE_FORMS})")
            return None
        if isinstance(value, date):
            return value, Precision.DAY
        if isinstance(value, int) and not isinstance(value, bool):
            text = str(value)
        elif isinstance(value, str):
            text = value.strip()
        else:
            self.add(place, f"expected a date ({_DATE_FORMS}), got {describe(value)}")
            return None
        match = _DATE.fullmatch(text)
        if match is not None:
            year, month, day = match.groups()
            precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
            try:
                return date(int(year), int(month or 1), int(day or 1)), precision
            except ValueError:
                pass
        self.add(place, f"{quote(text)} is not a date ({_DATE_FORMS})")
        return None

    def entity_kind(self, place: str, value: object) -> Kind | None:
        text = self.text(place, value)
        if text is None:
            return None
        try:
            return Kind(text)
        except ValueError:
            expected = ", ".join(kind.value for kind in Kind)
            self.add(place, f"unknown kind {quote(text)} (expected one of {expected})")
            return None

    # Records.

    def source(self, place: str, raw: object) -> SourceSpec | None:
        start = len(self._problems)
        item = self.record(place, raw, _SOURCE_FIELDS)
        if item is None:
            return None
        key = self.key(f"{place}.key", item.get("key"))
        title = self.text(f"{place}.title", item.get("title"), TITLE_MAX)
        outlet = self.text(f"{place}.outlet", item.get("outlet"), OUTLET_MAX)
        url = self.url(f"{place}.url", item.get("url"))
        published = self.published(f"{place}.published", item.get("published"))
        if key is not None and (first := self.unique("sources", key, place)):
            self.add(f"{place}.key", f"duplicate key '{key}' (also {first})")
        if key is None or title is None or len(self._problems) > start:
            return None
        return SourceSpec(key, title, outlet, url, published)

    def entity(self, place: str, raw: object) -> EntitySpec | None:
        start = len(self._problems)
        item = self.record(place, raw, _ENTITY_FIELDS)
        if item is None:
            return None
        key = self.key(f"{place}.key", item.get("key"))
        kind = self.entity_kind(f"{place}.kind", item.get("kind"))
        name = self.text(f"{place}.name", item.get("name"), NAME_MAX)
        summary = self.text(f"{place}.summary", item.get("summary"), SUMMARY_MAX, multiline=True)
        wikidata = self.matching(
            f"{place}.wikidata", item.get("wikidata"), WIKIDATA_MAX, _WIKIDATA, "a Wikidata id"
        )
        aliases = self.aliases(f"{place}.aliases", item.get("aliases"))
        parties = self.members(place, key, kind, LinkRole.PARTY, item.get("parties"))
        areas = self.members(place, key, kind, LinkRole.AREA, item.get("areas"))
        former_keys = self.former_keys(f"{place}.former_keys", key, item.get("former_keys"))
        if key is not None:
            if first := self.unique("entities", key, place):
                self.add(f"{place}.key", f"duplicate key '{key}' (also {first})")
            self._kinds.setdefault(key, kind)
        if key is None or kind is None or name is None or len(self._problems) > start:
            return None
        return EntitySpec(
            key, kind, name, summary or "", wikidata, aliases, parties, areas, former_keys
        )

    def former_keys(self, place: str, own: str | None, value: object) -> tuple[str, ...] | None:
        """The keys an entity was merged from: keys, not its own, each once."""
        items = self.sequence(place, value)
        if items is None:
            return None
        keys: dict[str, str] = {}
        for index, raw in enumerate(items):
            here = f"{place}[{index}]"
            key = self.key(here, raw)
            if key is None:
                continue
            if key == own:
                self.add(here, "an entity's own key cannot be one of its former keys")
            elif key in keys:
                self.add(here, f"'{key}' is listed twice (also {keys[key]})")
            else:
                keys[key] = here
        return tuple(keys)

    def aliases(self, place: str, value: object) -> tuple[AliasSpec, ...] | None:
        items = self.sequence(place, value)
        if items is None:
            return None
        aliases: list[AliasSpec] = []
        first: dict[str, str] = {}
        for index, raw in enumerate(items):
            here = f"{place}[{index}]"
            lang: str | None = None
            if isinstance(raw, str):
                text = self.text(here, raw, ALIAS_MAX)
            elif isinstance(raw, Mapping):
                item = self.fields(here, raw, _ALIAS_FIELDS)
                text = self.text(f"{here}.text", item.get("text"), ALIAS_MAX)
                lang = self.matching(
                    f"{here}.lang", item.get("lang"), LANG_MAX, _LANG, "a language code like 'ru'"
                )
            else:
                self.add(here, f"expected text or {{text, lang}}, got {describe(raw)}")
                continue
            if text is None:
                continue
            folded = fold(text)
            if not folded:
                self.add(here, f"{quote(text)} has no letters or digits to look it up by")
            elif text in first:
                self.add(here, f"duplicate alias {quote(text)} (also {first[text]})")
            else:
                first[text] = here
                aliases.append(AliasSpec(text, lang))
        return tuple(aliases)

    def members(
        self, place: str, dispute: str | None, kind: Kind | None, role: LinkRole, value: object
    ) -> tuple[str, ...] | None:
        """The keys of a dispute's parties or areas, remembered for the reference check."""
        field = "parties" if role is LinkRole.PARTY else "areas"
        if value is not None and kind is not None and kind is not Kind.DISPUTE:
            self.add(f"{place}.{field}", f"only a dispute has {field}")
            return None
        items = self.sequence(f"{place}.{field}", value)
        if items is None:
            return None
        keys: dict[str, str] = {}
        for index, raw in enumerate(items):
            here = f"{place}.{field}[{index}]"
            key = self.key(here, raw)
            if key is None:
                continue
            if key == dispute:
                self.add(here, f"a dispute cannot be one of its own {field}")
            elif key in keys:
                self.add(here, f"'{key}' is listed twice (also {keys[key]})")
            else:
                keys[key] = here
                self._entity_refs.append((here, key, True))
        return tuple(keys)

    def fact(self, place: str, raw: object) -> FactSpec | None:
        start = len(self._problems)
        item = self.record(place, raw, _FACT_FIELDS)
        if item is None:
            return None
        key = self.key(f"{place}.key", item.get("key"))
        text = self.text(f"{place}.text", item.get("text"), FACT_TEXT_MAX, multiline=True)
        when = self.fact_date(f"{place}.date", item.get("date"))
        event_type = self.word(f"{place}.type", item.get("type"), TYPE_MAX, "policy-change")
        about = self.about(f"{place}.about", item.get("about"))
        sources = self.cited(place, item)
        if item.get("key") is not None:
            if key is not None and (first := self.unique("facts", key, place)):
                self.add(f"{place}.key", f"duplicate key '{key}' (also {first})")
        elif text is not None and (when is not None or item.get("date") is None):
            key = derive_fact_key(text, date_text(*when) if when else None)
            if first := self.unique("facts", key, place):
                self.add(place, f"same text and date as {first} (give one of them a key)")
        if key is None or text is None or not about or not sources or len(self._problems) > start:
            return None
        happened, precision = when if when is not None else (None, None)
        return FactSpec(key, text, about, sources, happened, precision, event_type)

    def about(self, place: str, value: object) -> tuple[Subject, ...] | None:
        items = self.sequence(place, value)
        if items is None:
            return None
        if not items:
            self.add(place, "at least one entity required")
            return None
        subjects: list[Subject] = []
        first: dict[str, str] = {}
        for index, raw in enumerate(items):
            here = f"{place}[{index}]"
            role: str | None = DEFAULT_ROLE
            if isinstance(raw, str):
                key = self.key(here, raw)
            elif isinstance(raw, Mapping):
                item = self.fields(here, raw, _SUBJECT_FIELDS)
                here = f"{here}.entity"
                key = self.key(here, item.get("entity"))
                if item.get("role") is not None:
                    role = self.word(f"{place}[{index}].role", item["role"], ROLE_MAX, "actor")
            else:
                self.add(here, f"expected an entity key or {{entity, role}}, got {describe(raw)}")
                continue
            if key is None or role is None:
                continue
            if key in first:
                self.add(here, f"'{key}' is listed twice (also {first[key]})")
                continue
            first[key] = here
            self._entity_refs.append((here, key, False))
            subjects.append(Subject(key, role))
        return tuple(subjects)

    def cited(self, place: str, item: Mapping[Any, Any]) -> tuple[str, ...] | None:
        """The keys of a fact's sources, from ``source`` or its synonym ``sources``."""
        given = [name for name in ("source", "sources") if item.get(name) is not None]
        if len(given) == 2:
            self.add(f"{place}.sources", "give either source or sources, not both")
            return None
        if not given:
            self.add(f"{place}.source", "required")
            return None
        here = f"{place}.{given[0]}"
        value = item[given[0]]
        if isinstance(value, str):
            entries = [(here, value)]
        elif isinstance(value, list):
            entries = [(f"{here}[{index}]", raw) for index, raw in enumerate(value)]
            if not entries:
                self.add(here, "at least one source required")
                return None
        else:
            self.add(here, f"expected a source key or a list of them, got {describe(value)}")
            return None
        keys: dict[str, str] = {}
        for where, raw in entries:
            key = self.key(where, raw)
            if key is None:
                continue
            if key in keys:
                self.add(where, f"'{key}' is listed twice (also {keys[key]})")
            else:
                keys[key] = where
                self._source_refs.append((where, key))
        return tuple(keys)

    # References.

    def check_references(self) -> None:
        """Report references to keys neither the file nor the store defines."""
        entity_keys = [*self._kinds, *self._known_entities]
        for place, key, member in self._entity_refs:
            if key in self._kinds:
                kind = self._kinds[key]
            elif key in self._known_entities:
                kind = Kind(self._known_entities[key])
            else:
                self.add(place, f"no entity '{key}'{suggestion(key, entity_keys)}")
                continue
            if member and kind is Kind.DISPUTE:
                self.add(place, f"'{key}' is a dispute; disputes cannot be parties or areas")
        source_keys = [*self._defined["sources"], *self._known_sources]
        for place, key in self._source_refs:
            if key not in self._defined["sources"] and key not in self._known_sources:
                self.add(place, f"no source '{key}'{suggestion(key, source_keys)}")


def validate(
    doc: Mapping[str, Any], known_entities: Mapping[str, str], known_sources: Collection[str]
) -> tuple[Document, Problems]:
    """Check doc completely, against itself and the keys already in the store.

    known_entities maps each stored entity key to its kind; known_sources holds
    the stored source keys. Returns the typed document and the problems found
    (the first `PROBLEMS_SHOWN`, counting all), each as ``place: message``
    (``facts[12].about[0]: no entity 'japn'``). The document holds only the
    records that passed: import it only when there are no problems.
    """
    lists, top_problems = section_lists(doc)
    checker = _Checker(known_entities, known_sources)
    for place, message in top_problems:
        checker.add(place, message)
    document = Document(
        sources=checker.section("sources", lists.get("sources", []), checker.source),
        entities=checker.section("entities", lists.get("entities", []), checker.entity),
        facts=checker.section("facts", lists.get("facts", []), checker.fact),
    )
    checker.check_references()
    return document, checker.problems()
