"""The per-record checks of the curation file format, as pydantic models.

Each record (source, entity, fact) and each nested pair (an alias with its
language, a subject with its role) is a model that forbids unknown fields and
states its fields' types, lengths and patterns. `record_problems` runs one
record through its model and words pydantic's errors the way curators have
always read them (``kind: unknown kind 'persn' (expected one of …)``), each with
its location inside the record, in the order the fields are checked.

What needs more than one field or more than one record (duplicates, references,
a dispute's parties) is checked by bot/curation/validate.py on the values this
module gives back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Annotated, Any, NamedTuple, TypeAlias
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    PlainValidator,
    Strict,
    Tag,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError, core_schema

from bot.curation.problems import clip, describe, quote, suggestion
from bot.curation.vocabulary import event_type, kind_word, unknown_type
from bot.records.shapes import (
    ALIAS_MAX,
    FACT_TEXT_MAX,
    KEY_MAX,
    LANG_MAX,
    NAME_MAX,
    OUTLET_MAX,
    ROLE_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    TYPE_MAX,
    URL_MAX,
    WIKIDATA_MAX,
)
from bot.store.models import Kind, Precision

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""A control character (Unicode category Cc) or a lone surrogate (Cs)."""
CONTROL_IN_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""The same, but for a line break or a tab, which multi-line text may hold."""
# The same sets for pydantic's own (Rust) patterns; a lone surrogate never reaches
# them, since pydantic refuses it as text that is not Unicode.
_NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f]*$"
_NO_CONTROL_IN_MULTILINE = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"
_KEY = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_WORD = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_FORMS = "use YYYY, YYYY-MM or YYYY-MM-DD"
_PUBLISHED_EXAMPLE = "'2024-03-24T06:21:00-04:00'"

SOURCE_FIELDS = ("key", "title", "outlet", "url", "published")
"""A source's fields, in the order a refusal names them."""
ENTITY_FIELDS = (
    *("key", "kind", "name", "summary", "aliases", "parties", "areas", "wikidata"),
    "former_keys",
)
FACT_FIELDS = ("key", "text", "date", "about", "source", "sources", "type")
_ALIAS_FIELDS = ("text", "lang")
_SUBJECT_FIELDS = ("entity", "role")


@dataclass(frozen=True, slots=True)
class _Said:
    """A problem's words, carried through pydantic untouched (it cannot render text
    holding a lone surrogate, which a problem may quote)."""

    message: str


def _problem(message: str) -> PydanticCustomError:
    """An error pydantic reports with message as it is."""
    return PydanticCustomError("problem", "a problem with this value", {"said": _Said(message)})


def _stripped(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


@dataclass(frozen=True, slots=True)
class _Text:
    """Text stripped of surrounding space, not empty, at most ``limit`` characters,
    matching ``pattern``: pydantic's own strict string schema."""

    limit: int | None
    pattern: str = _NO_CONTROL

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        text = core_schema.str_schema(
            strict=True, min_length=1, max_length=self.limit, pattern=self.pattern
        )
        return core_schema.no_info_before_validator_function(_stripped, text)


Key = Annotated[str, _Text(KEY_MAX, _KEY)]
_Keys = Annotated[list[Key | None], Strict()]
"""A list of keys; an empty entry (null) is passed over, as it always was."""
_List = Annotated[list[Any], Strict()]


def _kind(value: object) -> object:
    return kind_word(value) if isinstance(value, str) else value


def _event_type(word: str) -> str:
    found = event_type(word)
    if found is None:
        raise _problem(unknown_type(word))
    return found


def _url(text: str) -> str:
    try:
        parts = urlsplit(text)
        valid = parts.scheme in ("http", "https") and bool(parts.netloc)
    except ValueError:
        valid = False
    if not valid or any(c.isspace() for c in text):
        raise _problem(f"{quote(text)} is not an http or https URL")
    return text


class Published(NamedTuple):
    """A publication time checked: the UTC instant, and the text as the source wrote it."""

    moment: datetime
    written: str


def _published(value: object) -> Published:
    """A time with an offset, or a date alone, which stays a date (its instant, for
    ordering only, is midnight UTC)."""
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
            raise _problem(
                f"{quote(text)} is not an ISO 8601 date and time (like {_PUBLISHED_EXAMPLE})"
            ) from None
    else:
        raise _problem(f"expected a date and time, got {describe(value)}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _problem(f"{quote(value)} has no UTC offset (write it like {_PUBLISHED_EXAMPLE})")
    day_only = (isinstance(value, date) and not isinstance(value, datetime)) or (
        isinstance(value, str) and _DAY.fullmatch(value.strip()) is not None
    )
    try:
        return Published(
            moment.astimezone(UTC), moment.date().isoformat() if day_only else moment.isoformat()
        )
    except OverflowError:
        raise _problem(f"{quote(value)} is out of range") from None


def _fact_date(value: object) -> tuple[date, Precision]:
    """A fact date and its precision: a year, a month or a day."""
    if isinstance(value, datetime):
        raise _problem(f"{quote(value)} has a time of day ({DATE_FORMS})")
    if isinstance(value, date):
        return value, Precision.DAY
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise _problem(f"expected a date ({DATE_FORMS}), got {describe(value)}")
    match = _DATE.fullmatch(text)
    if match is not None:
        year, month, day = match.groups()
        precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
        try:
            return date(int(year), int(month or 1), int(day or 1)), precision
        except ValueError:
            pass
    raise _problem(f"{quote(text)} is not a date ({DATE_FORMS})")


def _shape(value: object) -> str | None:
    """Which form a list entry takes: plain text, a mapping, or neither (an error)."""
    if isinstance(value, str):
        return "<text>"
    return "<pair>" if isinstance(value, Mapping) else None


class _Model(BaseModel):
    """A record or a pair: unknown fields forbidden, a field given as null left out."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _without_nulls(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        if type(data) is dict and None not in data.values() and all(type(n) is str for n in data):
            return data  # the common case, left as it is
        return {
            name if isinstance(name, str) else str(name): value
            for name, value in data.items()
            if value is not None or name not in cls.model_fields
        }


class AliasPair(_Model):
    text: Annotated[str, _Text(ALIAS_MAX)]
    lang: Annotated[str, _Text(LANG_MAX, r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")] | None = None


class SubjectPair(_Model):
    entity: Key
    role: Annotated[str, _Text(ROLE_MAX, _WORD)] | None = None


AliasItem: TypeAlias = Annotated[
    Annotated[Annotated[str, _Text(ALIAS_MAX)], Tag("<text>")]
    | Annotated[AliasPair, Tag("<pair>")],
    Discriminator(_shape, custom_error_type="alias_shape", custom_error_message="alias"),
]
SubjectItem: TypeAlias = Annotated[
    Annotated[Key, Tag("<text>")] | Annotated[SubjectPair, Tag("<pair>")],
    Discriminator(_shape, custom_error_type="subject_shape", custom_error_message="subject"),
]
Cited: TypeAlias = Annotated[
    Annotated[Key, Tag("<text>")] | Annotated[Annotated[_Keys, Field(min_length=1)], Tag("<list>")],
    Discriminator(
        lambda value: (
            "<text>" if isinstance(value, str) else "<list>" if isinstance(value, list) else None
        ),
        custom_error_type="cited_shape",
        custom_error_message="cited",
    ),
]


class SourceModel(_Model):
    key: Key
    title: Annotated[str, _Text(TITLE_MAX)]
    outlet: Annotated[str, _Text(OUTLET_MAX)] | None = None
    url: Annotated[Annotated[str, _Text(URL_MAX)], AfterValidator(_url)] | None = None
    published: Annotated[Published, PlainValidator(_published)] | None = None


class EntityModel(_Model):
    key: Key
    kind: Annotated[Kind, BeforeValidator(_kind)]
    name: Annotated[str, _Text(NAME_MAX)]
    summary: Annotated[str, _Text(SUMMARY_MAX, _NO_CONTROL_IN_MULTILINE)] | None = None
    wikidata: Annotated[str, _Text(WIKIDATA_MAX, r"^Q[1-9][0-9]*$")] | None = None
    aliases: Annotated[list[AliasItem], Strict()] | None = None
    parties: _Keys | None = None
    areas: _Keys | None = None
    former_keys: _Keys | None = None


class FactModel(_Model):
    key: Key | None = None
    text: Annotated[str, _Text(FACT_TEXT_MAX, _NO_CONTROL_IN_MULTILINE)]
    date: Annotated[tuple[date, Precision], PlainValidator(_fact_date)] | None = None
    type: Annotated[str, _Text(TYPE_MAX, _WORD), AfterValidator(_event_type)] | None = None
    about: Annotated[list[SubjectItem], Strict(), Field(min_length=1)]
    source: Cited | None = None
    sources: Cited | None = None


# Translating pydantic's errors.

Loc = tuple[int | str, ...]
"""A place inside a record: field names and list indexes, as pydantic gives them."""
_TAGS = frozenset({"<text>", "<pair>", "<list>"})
_KEY_FORM = "a key (lowercase letters, digits and single hyphens, like 'kuril-islands')"


@dataclass(frozen=True, slots=True)
class _Rule:
    """How a text field's problems are worded: its limit, whether it may hold line
    breaks, and what a value of the wrong form is not."""

    limit: int | None
    what: str = ""
    multiline: bool = False


_KEY_RULE = _Rule(KEY_MAX, _KEY_FORM)
_RULES = {
    **dict.fromkeys(("key", "entity", "parties", "areas", "former_keys"), _KEY_RULE),
    **dict.fromkeys(("about", "source", "sources"), _KEY_RULE),
    "title": _Rule(TITLE_MAX),
    "outlet": _Rule(OUTLET_MAX),
    "url": _Rule(URL_MAX),
    "name": _Rule(NAME_MAX),
    "summary": _Rule(SUMMARY_MAX, multiline=True),
    "wikidata": _Rule(WIKIDATA_MAX, "a Wikidata id"),
    "kind": _Rule(None),
    "alias": _Rule(ALIAS_MAX),
    "lang": _Rule(LANG_MAX, "a language code like 'ru'"),
    "text": _Rule(FACT_TEXT_MAX, multiline=True),
    "type": _Rule(TYPE_MAX, "a lowercase word like 'policy-change'"),
    "role": _Rule(ROLE_MAX, "a lowercase word like 'actor'"),
}
_AT_LEAST_ONE = {"about": "entity", "source": "source", "sources": "source"}
_SHAPES = {
    "alias_shape": "expected text or {{text, lang}}, got {}",
    "subject_shape": "expected an entity key or {{entity, role}}, got {}",
    "cited_shape": "expected a source key or a list of them, got {}",
    "string_type": "expected text, got {}",
    "list_type": "expected a list, got {}",
}
_TEXT_ERRORS = frozenset(
    {"string_too_short", "string_too_long", "string_pattern_mismatch", "string_unicode", "enum"}
)


def _text_problem(value: object, rule: _Rule, name: str) -> str:
    """What is wrong with a text value, checked in the order curators have always seen:
    its type, emptiness, length, control characters, then its form."""
    if not isinstance(value, str):
        return f"expected text, got {describe(value)}"
    text = value.strip()
    found = (CONTROL_IN_MULTILINE if rule.multiline else CONTROL).search(text)
    if not text:
        return "must not be empty"
    if rule.limit is not None and len(text) > rule.limit:
        return f"too long: {len(text)} characters (at most {rule.limit})"
    if found is not None:
        return f"control character U+{ord(found.group()):04X} is not allowed"
    if name == "kind":
        expected = ", ".join(kind.value for kind in Kind)
        return f"unknown kind {quote(text)} (expected one of {expected})"
    return f"{quote(text)} is not {rule.what}"


def _fields_at(loc: Loc, fields: tuple[str, ...]) -> tuple[str, ...]:
    """The fields known where loc ends: the record's, an alias's or a subject's."""
    if len(loc) == 1:
        return fields
    return _ALIAS_FIELDS if loc[0] == "aliases" else _SUBJECT_FIELDS


def _message(error: ErrorDetails, loc: Loc, fields: tuple[str, ...]) -> str:
    kind, value = error["type"], error["input"]
    names = [part for part in loc if isinstance(part, str)]
    if kind == "extra_forbidden":
        return f"unknown field{suggestion(str(loc[-1]), _fields_at(loc, fields))}"
    if kind == "missing":
        return "required"
    if kind == "problem":
        said = error.get("ctx", {}).get("said")
        return said.message if isinstance(said, _Said) else str(error["msg"])
    if kind in _SHAPES and not (kind == "string_type" and names[-1] == "kind"):
        return _SHAPES[kind].format(describe(value))
    if kind == "too_short" and names[-1] in _AT_LEAST_ONE:
        return f"at least one {_AT_LEAST_ONE[names[-1]]} required"
    if kind in _TEXT_ERRORS or kind == "string_type":
        name = names[-1]
        if loc[0] == "aliases":
            name = "lang" if name == "lang" else "alias"
        return _text_problem(value, _RULES[name], name)
    return str(error["msg"])


def translated(error: ErrorDetails, fields: tuple[str, ...]) -> tuple[Loc, str]:
    """pydantic's error as (place in the record, message in the format's words)."""
    loc = tuple(part for part in error["loc"] if part not in _TAGS)
    message = _message(error, loc, fields)
    if error["type"] == "extra_forbidden":
        loc = (*loc[:-1], clip(str(loc[-1])))
    return loc, message


def order(loc: Loc, kind: str, checked: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """Where a problem sorts within its record: at each level, unknown fields first, then
    missing ones, then the rest by field and by list index, in the order checked (the
    record's fields as given, then an alias's or a subject's)."""
    key: list[tuple[int, int]] = []
    for depth, part in enumerate(loc):
        last = depth == len(loc) - 1
        rank = {"extra_forbidden": 0, "missing": 1}.get(kind, 2) if last else 2
        if isinstance(part, int):
            key.append((rank, part))
        elif rank == 0:
            key.append((0, 0))
        else:
            fields = checked if depth == 0 else _fields_at(loc, checked)
            key.append((rank, fields.index(part) if part in fields else len(fields)))
    return tuple(key)


@cache
def adapter(annotation: Any) -> TypeAdapter[Any]:
    """A validator for one field or list entry, to keep the good parts of a bad record."""
    return TypeAdapter(annotation)


def field_types(model: type[BaseModel]) -> dict[str, Any]:
    """Each field's type with its constraints, to validate it on its own."""
    return {
        name: Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        for name, info in model.model_fields.items()
    }


__all__ = [
    "CONTROL",
    "CONTROL_IN_MULTILINE",
    "ENTITY_FIELDS",
    "FACT_FIELDS",
    "SOURCE_FIELDS",
    "AliasItem",
    "AliasPair",
    "EntityModel",
    "FactModel",
    "Key",
    "Loc",
    "SourceModel",
    "SubjectItem",
    "SubjectPair",
    "ValidationError",
    "adapter",
    "field_types",
    "order",
    "translated",
]
