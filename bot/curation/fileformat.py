"""The curation file format: reading, writing and checking files of sources, entities and facts.

docs/import-format.md describes the format. `read_document` parses a YAML or
JSON file into plain data, `validate` checks that data completely and turns it
into a typed `Document`, and `Document.to_dict` gives the file shape back, so a
document written out and checked again is the same document.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import sqlalchemy as sa
import yaml
from rapidfuzz import fuzz, process
from sqlmodel import SQLModel

from bot.errors import ExportError, ImportFileError
from bot.search.normalize import fold
from bot.store.models import (
    Alias,
    Entity,
    Fact,
    FactEntity,
    Kind,
    LinkRole,
    Precision,
    Source,
    date_text,
)

SECTIONS = ("sources", "entities", "facts")
"""The top-level lists of a file, in the order they are checked and imported."""
DEFAULT_ROLE = "subject"
"""The role of an entity a fact names by its bare key."""


def _max_length(model: type[SQLModel], column: str) -> int:
    """The length limit of a text column, so the checks follow the schema."""
    length = getattr(sa.inspect(model, raiseerr=True).local_table.c[column].type, "length", None)
    if not isinstance(length, int):
        raise TypeError(f"{model.__name__}.{column} has no length limit")
    return length


KEY_MAX = _max_length(Entity, "key")
"""The longest key of any record; fact keys keep to the same limit as the others."""
_TITLE_MAX = _max_length(Source, "title")
_OUTLET_MAX = _max_length(Source, "outlet")
_URL_MAX = _max_length(Source, "url")
_NAME_MAX = _max_length(Entity, "name")
_WIKIDATA_MAX = _max_length(Entity, "wikidata")
_ALIAS_MAX = _max_length(Alias, "text")
_LANG_MAX = _max_length(Alias, "lang")
_TYPE_MAX = _max_length(Fact, "type")
_ROLE_MAX = _max_length(FactEntity, "role")

FACT_TEXT_MAX = 2000
"""The longest fact text: one statement, which also fits a Discord form's text box."""
SUMMARY_MAX = 1000
"""The longest entity summary: one or two sentences."""

_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_WIKIDATA = re.compile(r"Q[1-9][0-9]*")
_LANG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MULTILINE_CONTROLS = "\n\t"
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


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A source as a file states it."""

    key: str
    title: str
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    """Timezone-aware, in UTC."""

    def to_dict(self) -> dict[str, Any]:
        """The source in the file shape, leaving out fields that are not set."""
        record: dict[str, Any] = {"key": self.key, "title": self.title}
        if self.outlet is not None:
            record["outlet"] = self.outlet
        if self.url is not None:
            record["url"] = self.url
        if self.published is not None:
            record["published"] = self.published.astimezone(UTC).isoformat()
        return record


@dataclass(frozen=True, slots=True)
class AliasSpec:
    """Another name of an entity, in a language when one is given."""

    text: str
    lang: str | None = None

    def to_value(self) -> str | dict[str, str]:
        """Plain text without a language, ``{text, lang}`` with one."""
        return self.text if self.lang is None else {"text": self.text, "lang": self.lang}


@dataclass(frozen=True, slots=True)
class EntitySpec:
    """An entity as a file states it.

    ``aliases``, ``parties`` and ``areas`` are None when the file leaves them out,
    which keeps what the store has; a tuple, even an empty one, replaces it.
    """

    key: str
    kind: Kind
    name: str
    summary: str = ""
    wikidata: str | None = None
    aliases: tuple[AliasSpec, ...] | None = None
    parties: tuple[str, ...] | None = None
    areas: tuple[str, ...] | None = None
    former_keys: tuple[str, ...] | None = None
    """Keys of entities merged into this one, which keep naming it."""

    @property
    def links(self) -> tuple[tuple[LinkRole, str], ...]:
        """(role, member key) for each of the dispute's parties, then each of its areas."""
        parties = tuple((LinkRole.PARTY, key) for key in self.parties or ())
        return parties + tuple((LinkRole.AREA, key) for key in self.areas or ())

    def to_dict(self) -> dict[str, Any]:
        """The entity in the file shape, leaving out fields that are not set."""
        record: dict[str, Any] = {"key": self.key, "kind": self.kind.value, "name": self.name}
        if self.summary:
            record["summary"] = self.summary
        if self.wikidata is not None:
            record["wikidata"] = self.wikidata
        if self.kind is Kind.DISPUTE:
            if self.parties is not None:
                record["parties"] = list(self.parties)
            if self.areas is not None:
                record["areas"] = list(self.areas)
        if self.aliases is not None:
            record["aliases"] = [alias.to_value() for alias in self.aliases]
        if self.former_keys:
            record["former_keys"] = list(self.former_keys)
        return record


@dataclass(frozen=True, slots=True)
class Subject:
    """An entity a fact is about, and its role in the fact."""

    entity: str
    role: str = DEFAULT_ROLE

    def to_value(self) -> str | dict[str, str]:
        """The bare key for the default role, ``{entity, role}`` otherwise."""
        if self.role == DEFAULT_ROLE:
            return self.entity
        return {"entity": self.entity, "role": self.role}


@dataclass(frozen=True, slots=True)
class FactSpec:
    """A fact as a file states it, with its key derived when the file gives none."""

    key: str
    text: str
    about: tuple[Subject, ...]
    sources: tuple[str, ...]
    happened: date | None = None
    """The first day of the known period; None when the fact is undated."""
    precision: Precision | None = None
    type: str | None = None

    @property
    def date_text(self) -> str | None:
        """The date as files write it, to its precision: ``2023``, ``2023-12``, ``2023-12-31``."""
        if self.happened is None or self.precision is None:
            return None
        return date_text(self.happened, self.precision)

    def to_dict(self) -> dict[str, Any]:
        """The fact in the file shape: one source as a bare key, several as a list."""
        record: dict[str, Any] = {"key": self.key, "text": self.text}
        if self.date_text is not None:
            record["date"] = self.date_text
        if self.type is not None:
            record["type"] = self.type
        record["about"] = [subject.to_value() for subject in self.about]
        record["source"] = self.sources[0] if len(self.sources) == 1 else list(self.sources)
        return record


@dataclass(frozen=True, slots=True)
class Document:
    """A checked curation file: its sources, entities and facts, in file order."""

    sources: tuple[SourceSpec, ...] = ()
    entities: tuple[EntitySpec, ...] = ()
    facts: tuple[FactSpec, ...] = ()

    @property
    def size(self) -> int:
        """How many records the document holds."""
        return len(self.sources) + len(self.entities) + len(self.facts)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """The document in the file shape, ready for `write_document`."""
        return {
            "sources": [source.to_dict() for source in self.sources],
            "entities": [entity.to_dict() for entity in self.entities],
            "facts": [fact.to_dict() for fact in self.facts],
        }


def derive_fact_key(text: str, date_text: str | None) -> str:
    """The stable key of a fact given without one: its first words and a hash of text and date.

    The same text and date always give the same key, so re-importing a keyless
    fact updates nothing; changing either gives a new fact. The words are only
    the ASCII letters left once accents are taken off (stdlib only, so the key
    cannot drift with a transliteration library); text in other scripts gets
    ``fact-`` and the hash.
    """
    digest = hashlib.blake2b(f"{text}\n{date_text or ''}".encode(), digest_size=3).hexdigest()
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    stem = "-".join(words[:4])[:40].strip("-")
    return f"{stem or 'fact'}-{digest}"


# Reading and writing files.


def _file_type(path: Path) -> str | None:
    """The file's format by its extension: ``yaml``, ``json``, or None for any other."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return "json" if suffix == ".json" else None


def _unknown_type(path: Path) -> str:
    shown = f"'{path.suffix}'" if path.suffix else "without an extension"
    return f"unknown file type {shown} (use .yaml, .yml or .json)"


ALIAS_VALUES_MAX = 100_000
"""The most values a YAML file's aliases may repeat in all (``*name`` repeats all of ``&name``).

Checking a file costs time for every value it holds once its aliases are
expanded, so a few kilobytes of aliases to aliases could otherwise keep an
import busy for minutes. Plain files repeat nothing; a file that shares a few
records through anchors stays far below the limit.
"""
_ALIAS_BOMB = (
    f"aliases (*name) repeat more than {ALIAS_VALUES_MAX:,} values in all, "
    "counting every value under each anchor they name; write the records out instead"
)
_ALIAS_LOOP = "an alias (*name) is used inside its own anchor (&name)"
_SIZE_CAP = 1 << 62
"""Sizes stop growing here, so counting stays cheap whatever the file nests."""


class _Unreadable(Exception):
    """A YAML document refused before it is built; the message is the one problem."""


def _yaml_children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a composed document whose aliases repeat too much, or that contains itself.

    Every node is sized once (the size of a node used through several aliases
    is remembered), so the check takes time in proportion to the file as
    written, however far its aliases would expand.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        ident = id(node)
        children = _yaml_children(node)
        if finished:
            open_nodes.discard(ident)
            total = 1 + sum(sizes[id(child)] for child in children)
            sizes[ident] = min(total, _SIZE_CAP)
        elif ident not in sizes:
            if ident in open_nodes:
                raise _Unreadable(f"line {node.start_mark.line + 1}: {_ALIAS_LOOP}")
            open_nodes.add(ident)
            stack.append((node, True))
            stack.extend((child, False) for child in children)
    if sizes[id(root)] - len(sizes) > ALIAS_VALUES_MAX:
        raise _Unreadable(_ALIAS_BOMB)


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # libyaml's parser, where PyYAML was built with it, reads about ten times faster
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):
    """The safe YAML loader, refusing a mapping that gives the same field twice.

    Before anything is built, the composed document is checked with
    `_check_expansion`, so aliases cannot multiply the work of reading it.

    A value no constructor can build (``!!int x``) is a marked error, so it is
    reported by line; an unquoted date or time that names no real one
    (``2023-02-30``) stays text, so the checks report it by place, exactly as
    they do when it is quoted.
    """

    def get_single_node(self) -> yaml.Node | None:
        node = super().get_single_node()
        if node is not None:
            _check_expansion(node)
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            shown = _quote(node.value) if isinstance(node, yaml.ScalarNode) else "this value"
            raise yaml.constructor.ConstructorError(
                None, None, f"{shown} cannot be read as {tag}", node.start_mark
            ) from error

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)  # a marked error
        self.flatten_mapping(node)
        seen: set[Hashable] = set()
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = self.construct_object(key_node)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f"{_quote(key)} is given twice",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _timestamp_or_text(loader: _StrictLoader, node: yaml.Node) -> date | datetime | str:
    """A date or time, or its text when it names no real one (``2023-02-30``)."""
    if isinstance(node, yaml.ScalarNode):
        if loader.timestamp_regexp.match(node.value):
            try:
                return loader.construct_yaml_timestamp(node)
            except (ValueError, OverflowError):
                pass
        return loader.construct_scalar(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]  # raises a marked error


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

_TOO_DEEP = "lists or mappings nested too deeply to read"


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"{_quote(key)} is given twice in one object")
        obj[key] = value
    return obj


def _parse(path: Path, text: str) -> object:
    """The data in text, raising `ImportFileError` where the syntax is broken."""
    try:
        return _parse_text(path, text)
    except RecursionError as error:
        raise ImportFileError(str(path), [_TOO_DEEP]) from error


def _parse_text(path: Path, text: str) -> object:
    if _file_type(path) == "yaml":
        try:
            return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: builds plain data only
        except _Unreadable as error:
            raise ImportFileError(str(path), [str(error)]) from error
        except yaml.MarkedYAMLError as error:
            if error.problem is not None and "maximum nesting depth" in error.problem:
                raise ImportFileError(str(path), [_TOO_DEEP]) from error  # libyaml's own limit
            mark = error.problem_mark or error.context_mark
            where = f"line {mark.line + 1}: " if mark is not None else ""
            raise ImportFileError(str(path), [f"{where}{error.problem or error}"]) from error
        except yaml.YAMLError as error:
            raise ImportFileError(str(path), [f"not valid YAML: {error}"]) from error
    try:
        return json.loads(text, object_pairs_hook=_json_object)
    except json.JSONDecodeError as error:
        problem = f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        raise ImportFileError(str(path), [problem]) from error
    except ValueError as error:
        raise ImportFileError(str(path), [f"not valid JSON: {error}"]) from error


def read_document(path: str | Path) -> dict[str, Any]:
    """The plain data of a .yaml, .yml or .json curation file.

    Promises a mapping of known section names to lists (a section left empty is
    an empty list); anything else raises `ImportFileError` with the reason.
    The records themselves are checked by `validate`.
    """
    path = Path(path)
    if _file_type(path) is None:
        raise ImportFileError(str(path), [_unknown_type(path)])
    try:
        data = read_file_bytes(path)
    except OSError as error:
        raise ImportFileError(str(path), [f"cannot read the file: {error.strerror}"]) from error
    return _sections_of(path, data)


FILE_MAX_BYTES = 64 * 1024 * 1024
"""The largest curation file read from disk: 64 MiB, twice a year of heavy coverage
(50,000 entities and 100,000 facts make about 30 MB of JSON)."""

ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024
"""The largest curation file taken as a Discord attachment: 8 MiB, below the 10 MiB
Discord lets any server upload."""


def _too_large(size: int, limit: int = FILE_MAX_BYTES) -> str:
    return f"the file is {size:,} bytes; at most {limit:,} are taken"


def _not_regular(mode: int) -> str:
    kinds = [
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISFIFO, "a pipe"),
        (stat.S_ISSOCK, "a socket"),
    ]
    what = next((name for test, name in kinds if test(mode)), "something else")
    return f"not a regular file ({what}); only a file is read"


def read_file_bytes(path: Path) -> bytes:
    """path's bytes, refusing anything but a regular file of at most `FILE_MAX_BYTES`.

    The file is opened without waiting (a pipe with no writer would block) and
    checked by what was opened, so a link to ``/dev/zero`` is refused before a
    byte is read; a file that grows while it is read is cut off just past the
    limit and refused.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise ImportFileError(str(path), [_not_regular(status.st_mode)])
        if status.st_size > FILE_MAX_BYTES:
            raise ImportFileError(str(path), [_too_large(status.st_size)])
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read(FILE_MAX_BYTES + 1)
    finally:
        os.close(descriptor)
    if len(data) > FILE_MAX_BYTES:
        raise ImportFileError(
            str(path), [f"the file grew past {FILE_MAX_BYTES:,} bytes while it was read"]
        )
    return data


def read_bytes(name: str, data: bytes) -> dict[str, Any]:
    """`read_document` for a file's content already in hand, such as an attachment
    (at most `ATTACHMENT_MAX_BYTES`); ``name`` gives its type by extension and names
    it in problems."""
    path = Path(name)
    if _file_type(path) is None:
        raise ImportFileError(name, [_unknown_type(path)])
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise ImportFileError(name, [_too_large(len(data), ATTACHMENT_MAX_BYTES)])
    return _sections_of(path, data)


def _sections_of(path: Path, data: bytes) -> dict[str, Any]:
    name = str(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(name, [f"not UTF-8 text (byte {error.start})"]) from error
    lists, problems = _section_lists(_parse(path, text))
    if problems:
        raise FileProblems(name, [_problem(place, message) for place, message in problems])
    return dict(lists)


def write_document(path: str | Path, doc: Mapping[str, Any]) -> None:
    """Write doc as YAML or JSON by path's extension; ``-`` writes YAML to standard output.

    Text is written as UTF-8 and kept readable (no escaping of non-ASCII
    letters); field order is kept as given.
    """
    path = Path(path)
    if str(path) == "-":
        sys.stdout.write(dump_yaml(doc))
        return
    file_type = _file_type(path)
    if file_type is None:
        raise ExportError(f"{path}: {_unknown_type(path)}")
    if file_type == "yaml":
        text = dump_yaml(doc)
    else:
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ExportError(f"{path}: cannot write the file: {error.strerror}") from error


def dump_yaml(doc: Mapping[str, Any]) -> str:
    """doc as the YAML text `write_document` writes."""
    return yaml.safe_dump(dict(doc), allow_unicode=True, sort_keys=False)


# Checking.


def _describe(value: object) -> str:
    """What a wrongly typed value is, in a curator's words."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false (put it in quotes to make it text)"
    if isinstance(value, int | float):
        return "a number (put it in quotes to make it text)"
    if isinstance(value, datetime):
        return "a date and time"
    if isinstance(value, date):
        return "a date (put it in quotes to make it text)"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def suggestion(word: str, choices: Sequence[str], cutoff: float = 75.0) -> str:
    """`` (did you mean 'x'?)`` for the closest choice to word, or nothing when none is close."""
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return f" (did you mean '{best[0]}'?)" if best is not None else ""


QUOTE_MAX = 80
"""The most characters of a value a problem quotes; a longer one is cut, marked with ``…``."""
PROBLEMS_SHOWN = 50
"""The most problems a refusal lists; it then says how many more there are."""
_PROBLEM_MAX = 400
"""The longest problem line, whatever it quotes."""


def _clip(text: str, limit: int = QUOTE_MAX) -> str:
    """text, cut to limit characters with ``…`` when it is longer."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _quote(value: object) -> str:
    """A value as problems quote it: in single quotes, at most `QUOTE_MAX` characters of it."""
    return f"'{_clip(str(value))}'"


def _problem(place: str, message: str) -> str:
    return _clip(f"{place}: {message}" if place else message, _PROBLEM_MAX)


class Problems(list[str]):
    """The problems `validate` found, in file order: the first `PROBLEMS_SHOWN` of them,
    and in ``total`` how many there were in all."""

    def __init__(self, first: Iterable[str], total: int) -> None:
        super().__init__(first)
        self.total = total


class FileProblems(ImportFileError):
    """`ImportFileError` for a file with any number of problems, listing the first few.

    ``problems`` holds the first `PROBLEMS_SHOWN`, each at most a few hundred
    characters, then ``… and 99,950 more problems`` when there are more;
    ``total`` counts them all, and the message's first line gives that count.
    """

    def __init__(self, path: str, problems: Sequence[str]) -> None:
        shown = [_clip(problem, _PROBLEM_MAX) for problem in problems[:PROBLEMS_SHOWN]]
        total = problems.total if isinstance(problems, Problems) else len(problems)
        more = total - len(shown)
        if more:
            shown.append(f"… and {more:,} more problem{'' if more == 1 else 's'}")
        super().__init__(path, shown)
        self.total = total
        noun = "problem" if self.total == 1 else "problems"
        listing = "\n".join(f"  {problem}" for problem in shown)
        self.args = (f"{path}: {self.total:,} {noun}, nothing was imported:\n{listing}",)


def _section_lists(doc: object) -> tuple[dict[str, list[Any]], list[tuple[str, str]]]:
    """The document's section lists, and every problem with its top-level shape by place."""
    if doc is None:
        return {}, [("", "the file is empty")]
    if not isinstance(doc, Mapping):
        expected = "the top level must be a mapping with sources, entities and facts lists"
        return {}, [("", f"{expected}, not {_describe(doc)}")]
    lists: dict[str, list[Any]] = {}
    problems: list[tuple[str, str]] = []
    for name, value in doc.items():
        if name not in SECTIONS:
            problems.append(
                (_clip(str(name)), f"unknown top-level key{suggestion(str(name), SECTIONS)}")
            )
        elif value is None:
            lists[name] = []
        elif isinstance(value, list):
            lists[name] = value
        else:
            problems.append((name, f"expected a list, got {_describe(value)}"))
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
        return Problems((_problem(place, message) for place, message in first), self._count)

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
            self.add(place, f"expected text, got {_describe(value)}")
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
            self.add(place, f"{_quote(text)} is not {what}")
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
            self.add(place, f"expected a list, got {_describe(value)}")
            return None
        return value

    def fields(
        self, place: str, value: Mapping[Any, Any], fields: Mapping[str, bool]
    ) -> Mapping[Any, Any]:
        """value, after reporting its unknown fields and missing required ones."""
        for name in value:
            if name not in fields:
                self.add(
                    f"{place}.{_clip(str(name))}",
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
        self.add(place, f"expected a mapping with {', '.join(fields)}, got {_describe(value)}")
        return None

    def unique(self, section: str, key: str, place: str) -> str | None:
        """The place that defined key in section before place, if any."""
        first = self._defined[section].setdefault(key, place)
        return None if first == place else first

    def url(self, place: str, value: object) -> str | None:
        text = self.text(place, value, _URL_MAX)
        if text is None:
            return None
        try:
            parts = urlsplit(text)
            valid = parts.scheme in ("http", "https") and bool(parts.netloc)
        except ValueError:
            valid = False
        if not valid or any(c.isspace() for c in text):
            self.add(place, f"{_quote(text)} is not an http or https URL")
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
                    f"{_quote(text)} is not an ISO 8601 date and time (like {_PUBLISHED_EXAMPLE})",
                )
                return None
        else:
            self.add(place, f"expected a date and time, got {_describe(value)}")
            return None
        if moment.tzinfo is None or moment.utcoffset() is None:
            self.add(
                place, f"{_quote(value)} has no UTC offset (write it like {_PUBLISHED_EXAMPLE})"
            )
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            self.add(place, f"{_quote(value)} is out of range")
            return None

    def fact_date(self, place: str, value: object) -> tuple[date, Precision] | None:
        """A fact date and its precision: a year, a month or a day."""
        if value is None:
            return None
        if isinstance(value, datetime):
            self.add(place, f"{_quote(value)} has a time of day ({_DATE_FORMS})")
            return None
        if isinstance(value, date):
            return value, Precision.DAY
        if isinstance(value, int) and not isinstance(value, bool):
            text = str(value)
        elif isinstance(value, str):
            text = value.strip()
        else:
            self.add(place, f"expected a date ({_DATE_FORMS}), got {_describe(value)}")
            return None
        match = _DATE.fullmatch(text)
        if match is not None:
            year, month, day = match.groups()
            precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
            try:
                return date(int(year), int(month or 1), int(day or 1)), precision
            except ValueError:
                pass
        self.add(place, f"{_quote(text)} is not a date ({_DATE_FORMS})")
        return None

    def entity_kind(self, place: str, value: object) -> Kind | None:
        text = self.text(place, value)
        if text is None:
            return None
        try:
            return Kind(text)
        except ValueError:
            expected = ", ".join(kind.value for kind in Kind)
            self.add(place, f"unknown kind {_quote(text)} (expected one of {expected})")
            return None

    # Records.

    def source(self, place: str, raw: object) -> SourceSpec | None:
        start = len(self._problems)
        item = self.record(place, raw, _SOURCE_FIELDS)
        if item is None:
            return None
        key = self.key(f"{place}.key", item.get("key"))
        title = self.text(f"{place}.title", item.get("title"), _TITLE_MAX)
        outlet = self.text(f"{place}.outlet", item.get("outlet"), _OUTLET_MAX)
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
        name = self.text(f"{place}.name", item.get("name"), _NAME_MAX)
        summary = self.text(f"{place}.summary", item.get("summary"), SUMMARY_MAX, multiline=True)
        wikidata = self.matching(
            f"{place}.wikidata", item.get("wikidata"), _WIKIDATA_MAX, _WIKIDATA, "a Wikidata id"
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
                text = self.text(here, raw, _ALIAS_MAX)
            elif isinstance(raw, Mapping):
                item = self.fields(here, raw, _ALIAS_FIELDS)
                text = self.text(f"{here}.text", item.get("text"), _ALIAS_MAX)
                lang = self.matching(
                    f"{here}.lang", item.get("lang"), _LANG_MAX, _LANG, "a language code like 'ru'"
                )
            else:
                self.add(here, f"expected text or {{text, lang}}, got {_describe(raw)}")
                continue
            if text is None:
                continue
            folded = fold(text)
            if not folded:
                self.add(here, f"{_quote(text)} has no letters or digits to look it up by")
            elif text in first:
                self.add(here, f"duplicate alias {_quote(text)} (also {first[text]})")
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
        event_type = self.word(f"{place}.type", item.get("type"), _TYPE_MAX, "policy-change")
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
                    role = self.word(f"{place}[{index}].role", item["role"], _ROLE_MAX, "actor")
            else:
                self.add(here, f"expected an entity key or {{entity, role}}, got {_describe(raw)}")
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
            self.add(here, f"expected a source key or a list of them, got {_describe(value)}")
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
    lists, top_problems = _section_lists(doc)
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
