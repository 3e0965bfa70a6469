"""Command parameters as the registries declare them, and reading them from typed text.

A prefix command (``!curate fact edit kuril-1 date:2024-03``) and a console line
are read the same way, from the same declaration the slash command is built
from:

- ``name:value`` gives the parameter ``name``; quote a value that has spaces
  (``title:"Russia warns Japan"``; straight or curly double quotes).
- Other words fill the required parameters in order, one word each. A name or
  a long text takes all the words left but one for each parameter after it
  (``!who nikolai nozdrev``, ``!relations south korea japan``), unless its
  value is quoted; so does the last parameter words are given for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.errors import QueryError


class Arg(StrEnum):
    """What a parameter takes: this decides its parsing, its slash option and its autocomplete."""

    NAME = "name"
    """A name matched fuzzily against the store, as lookups take it."""
    TEXT = "text"
    """A short text, such as a title or an alias."""
    LONG_TEXT = "long text"
    """A text that may be long, such as a fact; typed into a form on Discord."""
    KEY = "key"
    """A new record's key: lowercase letters, digits and hyphens."""
    ENTITY = "entity"
    """An entity's key."""
    ENTITIES = "entities"
    """Entity keys separated by commas, each optionally with a role: ``japan=recipient``."""
    SOURCE = "source"
    """A source's key."""
    SOURCES = "sources"
    """Source keys separated by commas."""
    FACT = "fact"
    """A fact's key."""
    RECORD = "record"
    """The key of any record: an entity, a source or a fact."""
    DATE = "date"
    """A date: YYYY, YYYY-MM or YYYY-MM-DD (a source's publication may carry a time)."""
    CHOICE = "choice"
    """One of the parameter's ``choices``."""
    NUMBER = "number"
    """A whole number, such as a revision's."""
    FLAG = "flag"
    """yes or no."""
    FILE = "file"
    """An attached file."""


GREEDY = frozenset({Arg.NAME, Arg.LONG_TEXT})
"""Parameters that take every word left when given without ``name:``."""
REFERENCES = frozenset({Arg.ENTITY, Arg.ENTITIES, Arg.SOURCE, Arg.SOURCES, Arg.FACT, Arg.RECORD})
"""Parameters naming records by key, which autocomplete offers."""


@dataclass(frozen=True, slots=True)
class Param:
    """A command argument.

    ``kinds`` limits the entities a name or key refers to (None: any);
    ``names_sources`` means a lookup name names an article; ``free_text`` means
    it names nothing, so it has no autocomplete; ``choices`` are the values a
    choice takes.
    """

    name: str
    description: str
    required: bool = True
    kinds: frozenset[str] | None = None
    names_sources: bool = False
    free_text: bool = False
    type: Arg = Arg.NAME
    choices: tuple[str, ...] = ()
    named: bool = False
    """Given only as ``name:value``, never by position."""

    @property
    def placeholder(self) -> str:
        """How usage lines show the argument: ``KEY``, ``about:ABOUT``, ``[date:DATE]``."""
        shown = self.name.upper()
        if self.type is Arg.FILE:
            return f"(attach a {shown})"
        if self.type is Arg.FLAG:
            return f"[{self.name}:yes]"
        if not self.required:
            return f"[{self.name}:{shown}]"
        return f"{self.name}:{shown}" if self.named else shown


class UsageError(QueryError):
    """A command's arguments do not fit what it takes."""


@dataclass(frozen=True, slots=True)
class _Token:
    name: str | None
    value: str
    raw: str
    quoted: bool


_WORD = re.compile(r"\S+")
_TOKEN = re.compile(
    r"""(?:(?P<name>[a-z_]+):)?
        (?:"(?P<straight>(?:\\.|[^"\\])*)"
          |[“„](?P<curly>(?:\\.|[^”“\\])*)[”“]
          |(?P<open>["“„])
          |(?P<bare>\S+))""",
    re.VERBOSE,
)
"""``name:`` then a value in straight or curly double quotes, or a bare word; a lone
opening quote (``open``) is one that is never closed."""


def _tokens(text: str, names: Sequence[str]) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return tokens
        match = _TOKEN.match(text, position)
        if match is None:  # pragma: no cover - every non-space character starts a token
            raise UsageError(f"cannot read the arguments from `{text[position:][:30]}`")
        name = match.group("name")
        if name is not None and name not in names:
            # Not a parameter: "said:" inside a sentence is just a word.
            word = _WORD.match(text, position)
            assert word is not None
            tokens.append(_Token(None, word.group(), word.group(), False))
            position = word.end()
            continue
        if match.group("open") is not None:
            raise UsageError('a quotation mark is not closed; end the quoted value with "')
        quoted_value = match.group("straight")
        if quoted_value is None:
            quoted_value = match.group("curly")
        if quoted_value is not None:
            value, quoted = re.sub(r"\\(.)", r"\1", quoted_value), True
        else:
            value, quoted = match.group("bare"), False
        tokens.append(_Token(name, value, match.group(0), quoted))
        position = match.end()


def bind(
    params: Sequence[Param], text: str, usage: str, *, complete: bool = True
) -> dict[str, str]:
    """The values typed for params in text, by parameter name (absent ones left out).

    Raises `UsageError` naming the usage line when there are more words than
    parameters, a parameter is given twice, or (with ``complete``) a required
    one is missing.
    """
    names = [param.name for param in params if param.type is not Arg.FILE]
    values: dict[str, str] = {}
    loose: list[_Token] = []
    for token in _tokens(text, names):
        if token.name is None:
            loose.append(token)
        elif token.name in values:
            raise UsageError(f"`{token.name}:` is given twice. Usage: `{usage}`")
        else:
            values[token.name] = token.value
    waiting = [p for p in params if p.name not in values and p.type is not Arg.FILE and not p.named]
    required = [p for p in waiting if p.required]
    for index, param in enumerate(required or waiting[:1]):
        if not loose:
            break
        after = len(required) - index - 1
        if param.type in GREEDY or not after:
            values[param.name], loose = _take(param, loose, after)
        else:
            values[param.name] = loose.pop(0).value
    # Words left after a quoted name go to an optional name: '"kuril islands" japan'.
    for param in waiting:
        if not loose:
            break
        if param.name not in values and param.type is Arg.NAME:
            values[param.name], loose = _take(param, loose, 0)
    if loose:
        extra = " ".join(token.raw for token in loose)
        raise UsageError(f"`{_clip(extra)}` is more than the command takes. Usage: `{usage}`")
    missing = [
        p.name for p in params if p.required and p.type is not Arg.FILE and p.name not in values
    ]
    if missing and complete:
        raise UsageError(f"`{missing[0]}` is missing. Usage: `{usage}`")
    return values


def _take(param: Param, loose: list[_Token], after: int) -> tuple[str, list[_Token]]:
    """param's value from the words, leaving one for each of the ``after`` parameters still
    to fill ("south korea japan"), and the words left. A quoted value is the whole of a
    name ('"south korea" japan'), but only the start of a long text."""
    whole = loose[0].quoted and param.type is not Arg.LONG_TEXT
    count = 1 if whole else max(1, len(loose) - after)
    taken = loose[:count]
    value = taken[0].value if len(taken) == 1 else " ".join(token.raw for token in taken)
    return value, loose[count:]


def split_list(text: str) -> list[str]:
    """The items of a comma-separated list, stripped, empty ones left out."""
    return [item.strip() for item in text.split(",") if item.strip()]


def subjects(text: str) -> list[str | dict[str, str]]:
    """``japan, nikolai-nozdrev=actor`` as a file's ``about`` list."""
    result: list[str | dict[str, str]] = []
    for item in split_list(text):
        key, _, role = item.partition("=")
        result.append({"entity": key.strip(), "role": role.strip()} if role else key.strip())
    return result


def flag(name: str, text: str) -> bool:
    """yes/no (also true/false, on/off, 1/0) as a bool."""
    folded = text.strip().casefold()
    if folded in {"yes", "y", "true", "on", "1"}:
        return True
    if folded in {"no", "n", "false", "off", "0"}:
        return False
    raise UsageError(f"`{name}:` takes yes or no, not `{_clip(text)}`")


def number(name: str, text: str) -> int:
    """A whole number, or `UsageError`."""
    stripped = text.strip().lstrip("#")
    if not (stripped.isascii() and stripped.isdigit()) or len(stripped) > 18:
        raise UsageError(f"`{name}:` takes a number, such as 12, not `{_clip(text)}`")
    return int(stripped)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
