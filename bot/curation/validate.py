"""Checking a curation file's data completely, and turning it into a typed `Document`.

Each record's own fields are checked by its pydantic model (bot/curation/
record_models.py); what spans fields or records is checked here: duplicate keys,
aliases and list entries, a dispute's parties and areas, a fact's sources, and
references to keys the file or the store defines. `validate` reports every
problem by place (``facts[12].about[0]: no entity 'japn'``), the first
`PROBLEMS_SHOWN` of them, counting all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.curation.problems import (
    PROBLEMS_SHOWN,
    Problems,
    clip,
    describe,
    problem_line,
    quote,
    suggestion,
)
from bot.curation.record_models import (
    ENTITY_FIELDS,
    FACT_FIELDS,
    SOURCE_FIELDS,
    AliasItem,
    AliasPair,
    EntityModel,
    FactModel,
    Key,
    Loc,
    SourceModel,
    SubjectItem,
    SubjectPair,
    adapter,
    field_types,
    order,
    translated,
)
from bot.records.fact_keys import FactKeys
from bot.records.shapes import (
    DEFAULT_ROLE,
    SECTIONS,
    AliasSpec,
    Document,
    EntitySpec,
    FactSpec,
    SourceSpec,
    Subject,
)
from bot.search.normalize import fold
from bot.store.models import Kind, LinkRole, date_text


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
_PAIRS: dict[str, type[BaseModel]] = {"aliases": AliasPair, "about": SubjectPair}
"""The pair each entry of a list field may be, besides plain text."""
_FIELD_TYPES: dict[type[BaseModel], dict[str, Any]] = {
    model: field_types(model)
    for model in (SourceModel, EntityModel, FactModel, AliasPair, SubjectPair)
}
_ENTRY_TYPES: dict[str, Any] = {
    **dict.fromkeys(("parties", "areas", "former_keys", "source", "sources"), Key | None),
    "aliases": AliasItem,
    "about": SubjectItem,
}
"""The type of one entry of each list field."""


def _good_parts(model: type[BaseModel], raw: Mapping[Any, Any], bad: list[Loc]) -> dict[str, Any]:
    """The fields of a record or pair that pydantic found nothing wrong with, each
    validated on its own (None for the others), so its other checks still run."""
    data = {str(name): value for name, value in raw.items() if value is not None}
    values: dict[str, Any] = {}
    for name, annotation in _FIELD_TYPES[model].items():
        errors = [loc[1:] for loc in bad if loc[:1] == (name,)]
        if name not in data:
            values[name] = None
        elif not errors:
            values[name] = adapter(annotation).validate_python(data[name])
        elif all(errors) and isinstance(data[name], list):
            values[name] = _good_entries(name, data[name], errors)
        elif model in _PAIRS.values():
            continue  # a pair leaves out its bad parts: absent is not the same
        else:
            values[name] = None
    return values


def _good_entries(name: str, items: list[Any], bad: list[Loc]) -> list[Any]:
    """The entries of a list with problems in some: the good ones, a pair with a bad
    part as the dict of its good parts, None in place of the others."""
    good: list[Any] = []
    for index, item in enumerate(items):
        errors = [loc[1:] for loc in bad if loc[:1] == (index,)]
        if not errors:
            good.append(adapter(_ENTRY_TYPES[name]).validate_python(item))
        elif name in _PAIRS and isinstance(item, Mapping) and all(errors):
            good.append(_good_parts(_PAIRS[name], item, errors))
        else:
            good.append(None)
    return good


def _part(item: Any, name: str) -> Any:
    """A field of a checked pair, or of the dict of a pair's good parts."""
    return item.get(name) if isinstance(item, dict) else getattr(item, name)


@dataclass(slots=True)
class _Checked:
    """One record's checked fields, and its problems until they are put in order."""

    place: str
    raw: Mapping[Any, Any]
    fields: tuple[str, ...]
    checked: tuple[str, ...]
    values: dict[str, Any]
    """Each field's typed value; None when it is absent or has a problem."""
    problems: list[tuple[tuple[Any, ...], Loc, str]] = field(default_factory=list)

    def add(self, loc: Loc, message: str, *, last: bool = False) -> None:
        """A problem at loc; ``last`` ones come after all the others of the record."""
        key = ((3, 0),) if last else order(loc, "", self.checked)
        self.problems.append((key, loc, message))

    def drop(self, name: str) -> None:
        """Forget the problems found in a field that a wider problem replaces."""
        self.problems = [problem for problem in self.problems if problem[1][:1] != (name,)]

    def entries(self, name: str) -> list[tuple[Loc, str, Any]]:
        """(where in the record, place, entry) for the good entries of a list field."""
        value = self.values.get(name)
        if value is None:
            return []
        if isinstance(value, str):
            return [((name,), f"{self.place}.{name}", value)]
        return [
            ((name, index), f"{self.place}.{name}[{index}]", item)
            for index, item in enumerate(value)
            if item is not None
        ]

    def place_of(self, loc: Loc) -> str:
        return self.place + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)


class _Checker:
    """Turns the records of one document into specs, collecting every problem on the way.

    References are collected while the records are read and checked at the end,
    once every key the file defines is known.
    """

    def __init__(
        self,
        known_entities: Mapping[str, str],
        known_sources: Collection[str],
        fact_keys: FactKeys,
    ) -> None:
        self._fact_keys = fact_keys
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

    def flush(self, checked: _Checked) -> bool:
        """Report a record's problems in the order its fields are checked; whether it had none."""
        for _key, loc, message in sorted(checked.problems, key=lambda problem: problem[0]):
            self.add(checked.place_of(loc), message)
        return not checked.problems

    def run(
        self, place: str, raw: object, model: type[BaseModel], fields: tuple[str, ...]
    ) -> _Checked | None:
        """raw checked by model, or None after reporting that it is not a record at all."""
        if not isinstance(raw, Mapping):
            self.add(place, f"expected a mapping with {', '.join(fields)}, got {describe(raw)}")
            return None
        checked_order = tuple(model.model_fields)
        try:
            parsed = model.model_validate(raw)
        except ValidationError as error:
            errors = error.errors(include_url=False)
            found = [(translated(e, fields), e["type"]) for e in errors]
            bad = [loc for (loc, _), _ in found]
            checked = _Checked(place, raw, fields, checked_order, _good_parts(model, raw, bad))
            for (loc, message), kind in found:
                checked.problems.append((order(loc, kind, checked_order), loc, message))
            return checked
        return _Checked(place, raw, fields, checked_order, parsed.__dict__)

    def unique(self, section: str, key: str, place: str) -> str | None:
        """The place that defined key in section before place, if any."""
        first = self._defined[section].setdefault(key, place)
        return None if first == place else first

    def unique_key(self, checked: _Checked, section: str) -> None:
        key = checked.values["key"]
        if key is not None and (first := self.unique(section, key, checked.place)):
            checked.add(("key",), f"duplicate key '{key}' (also {first})", last=True)

    def source(self, place: str, raw: object) -> SourceSpec | None:
        checked = self.run(place, raw, SourceModel, SOURCE_FIELDS)
        if checked is None:
            return None
        self.unique_key(checked, "sources")
        if not self.flush(checked):
            return None
        values = checked.values
        published = values["published"]
        return SourceSpec(
            values["key"],
            values["title"],
            values["outlet"],
            values["url"],
            published.moment if published else None,
            published.written if published else None,
        )

    def entity(self, place: str, raw: object) -> EntitySpec | None:
        checked = self.run(place, raw, EntityModel, ENTITY_FIELDS)
        if checked is None:
            return None
        values = checked.values
        aliases = self.aliases(checked)
        parties = self.members(checked, LinkRole.PARTY)
        areas = self.members(checked, LinkRole.AREA)
        former_keys = self.listed(
            checked, "former_keys", "an entity's own key cannot be one of its former keys"
        )
        self.unique_key(checked, "entities")
        if values["key"] is not None:
            self._kinds.setdefault(values["key"], values["kind"])
        if not self.flush(checked):
            return None
        return EntitySpec(
            values["key"],
            values["kind"],
            values["name"],
            values["summary"] or "",
            values["wikidata"],
            aliases,
            parties,
            areas,
            former_keys,
        )

    def aliases(self, checked: _Checked) -> tuple[AliasSpec, ...] | None:
        if checked.raw.get("aliases") is None:
            return None
        aliases: list[AliasSpec] = []
        first: dict[str, str] = {}
        for loc, here, item in checked.entries("aliases"):
            text, lang = (
                (item, None)
                if isinstance(item, str)
                else (_part(item, "text"), _part(item, "lang"))
            )
            if text is None:
                continue
            if not fold(text):
                checked.add(loc, f"{quote(text)} has no letters or digits to look it up by")
            elif text in first:
                checked.add(loc, f"duplicate alias {quote(text)} (also {first[text]})")
            else:
                first[text] = here
                aliases.append(AliasSpec(text, lang))
        return tuple(aliases)

    def listed(
        self, checked: _Checked, name: str, own: str, refs: bool = False
    ) -> tuple[str, ...] | None:
        """The keys of a list field, each once and not the record's own key."""
        if checked.raw.get(name) is None:
            return None
        keys: dict[str, str] = {}
        for loc, here, key in checked.entries(name):
            if key == checked.values["key"]:
                checked.add(loc, own)
            elif key in keys:
                checked.add(loc, f"'{key}' is listed twice (also {keys[key]})")
            else:
                keys[key] = here
                if refs:
                    self._entity_refs.append((here, key, True))
        return tuple(keys)

    def members(self, checked: _Checked, role: LinkRole) -> tuple[str, ...] | None:
        """The keys of a dispute's parties or areas, remembered for the reference check."""
        name = "parties" if role is LinkRole.PARTY else "areas"
        kind = checked.values["kind"]
        if checked.raw.get(name) is not None and kind is not None and kind is not Kind.DISPUTE:
            checked.drop(name)
            checked.add((name,), f"only a dispute has {name}")
            return None
        return self.listed(checked, name, f"a dispute cannot be one of its own {name}", refs=True)

    def fact(self, place: str, raw: object) -> FactSpec | None:
        checked = self.run(place, raw, FactModel, FACT_FIELDS)
        if checked is None:
            return None
        values, given = checked.values, checked.raw
        about = self.about(checked)
        sources = self.cited(checked)
        key, text, when = values["key"], values["text"], values["date"]
        if given.get("key") is None and text is not None:
            if when is not None or given.get("date") is None:
                subjects = [subject.entity for subject in about or ()]
                key = self._fact_keys.key_for(text, date_text(*when) if when else None, subjects)
                if first := self.unique("facts", key, place):
                    checked.add(
                        (), f"same text and date as {first} (give one of them a key)", last=True
                    )
        else:
            self.unique_key(checked, "facts")
        if not self.flush(checked) or key is None or not about or not sources:
            return None
        happened, precision = when if when is not None else (None, None)
        return FactSpec(key, text, about, sources, happened, precision, values["type"])

    def about(self, checked: _Checked) -> tuple[Subject, ...] | None:
        subjects: list[Subject] = []
        first: dict[str, str] = {}
        for loc, place, item in checked.entries("about"):
            if isinstance(item, str):
                key, role, here = item, DEFAULT_ROLE, loc
            else:
                key, here, place = _part(item, "entity"), (*loc, "entity"), f"{place}.entity"
                if key is None or (isinstance(item, dict) and "role" not in item):
                    continue  # a subject whose entity or role has a problem
                role = _part(item, "role") or DEFAULT_ROLE
            if key in first:
                checked.add(here, f"'{key}' is listed twice (also {first[key]})")
                continue
            first[key] = place
            self._entity_refs.append((first[key], key, False))
            subjects.append(Subject(key, role))
        return tuple(subjects)

    def cited(self, checked: _Checked) -> tuple[str, ...] | None:
        """The keys of a fact's sources, from ``source`` or its synonym ``sources``."""
        given = [name for name in ("source", "sources") if checked.raw.get(name) is not None]
        if len(given) == 2:
            checked.drop("source")
            checked.drop("sources")
            checked.add(("sources",), "give either source or sources, not both")
            return None
        if not given:
            checked.add(("source",), "required")
            return None
        keys: dict[str, str] = {}
        for loc, here, key in checked.entries(given[0]):
            if key in keys:
                checked.add(loc, f"'{key}' is listed twice (also {keys[key]})")
            else:
                keys[key] = here
                self._source_refs.append((keys[key], key))
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
    doc: Mapping[str, Any],
    known_entities: Mapping[str, str],
    known_sources: Collection[str],
    fact_keys: FactKeys | None = None,
) -> tuple[Document, Problems]:
    """Check doc completely, against itself and the keys already in the store.

    known_entities maps each stored entity key to its kind; known_sources holds
    the stored source keys. Returns the typed document and the problems found
    (the first `PROBLEMS_SHOWN`, counting all), each as ``place: message``
    (``facts[12].about[0]: no entity 'japn'``). The document holds only the
    records that passed: import it only when there are no problems. fact_keys
    (`read_fact_keys`) keys the facts given without one against the store's.
    """
    lists, top_problems = section_lists(doc)
    fact_keys = fact_keys or FactKeys()
    fact_keys.reserve(
        fact["key"]
        for fact in lists.get("facts", [])
        if isinstance(fact, Mapping) and isinstance(fact.get("key"), str)
    )
    checker = _Checker(known_entities, known_sources, fact_keys)
    for place, message in top_problems:
        checker.add(place, message)
    document = Document(
        sources=checker.section("sources", lists.get("sources", []), checker.source),
        entities=checker.section("entities", lists.get("entities", []), checker.entity),
        facts=checker.section("facts", lists.get("facts", []), checker.fact),
    )
    checker.check_references()
    return document, checker.problems()
