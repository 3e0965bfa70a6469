"""The lookup registry: what a lookup command is, and answering a typed line with one.

Each lookup is declared once, with `command`, in the handler module of its
concern (`bot.answers.people`, `bot.answers.disputes`, …); the package imports
those modules (`bot.answers`), so `COMMANDS` holds every lookup as soon as any
part of the package is imported. The console, ``ask`` and the Discord layer
all read `COMMANDS`: a new lookup is added by declaring it in a handler module
listed in ``bot/answers/__init__.py``, and nowhere else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from bot.answers.catalog import SOURCE_KIND, Catalog
from bot.core.answer import Answer, Status
from bot.core.arguments import Arg, Param, bind
from bot.core.controls import is_control
from bot.errors import QueryError, UnknownCommandError

MAX_QUERY = 200
"""Queries longer than this (in characters) are refused."""

HELP = "help"
"""The lookup that lists the others; every "unknown command" reply points to it."""
FIRST_EXAMPLE = "who"
"""The lookup whose example is offered to someone who typed the prefix alone."""
ANY_ENTITY = "*entity"
"""In `Command.opens`: an entity of any kind."""

Handler = Callable[..., Answer]


@dataclass(frozen=True, slots=True)
class Translation:
    """A lookup's name and summary in one language, as Discord shows them to people whose
    client uses it (``locale``: Discord's code, such as ``ru`` or ``ja``), and its
    parameters' names and descriptions, by their English names."""

    locale: str
    name: str
    summary: str
    params: Mapping[str, tuple[str, str]] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class Command:
    """A lookup command: its name, what it does, an example, its arguments and its logic,
    and what the Discord layer needs to know of it.

    ``example`` is written as typed with the ``!`` prefix; ``slash_example`` as
    the slash form shows it, when reading the example's words into the
    parameters would not give it (``/timeline name:japan other:russia``).

    ``opens`` lists the kinds of key the command draws a card of from the key
    alone (`ANY_ENTITY`, an entity kind, or `SOURCE_KIND`): a name chosen from
    a list, or a "did you mean" choice the asking command cannot show, is opened
    with it (see `opener`). ``translations`` give its name, summary and
    parameters in other languages. Its answers are paged, and their buttons
    drawn again after a restart from the key they are about, by the Discord
    layer for every lookup alike.
    """

    name: str
    summary: str
    example: str
    params: tuple[Param, ...]
    handler: Handler
    slash_example: str | None = None
    opens: frozenset[str] = frozenset()
    translations: tuple[Translation, ...] = ()

    @property
    def usage(self) -> str:
        """The command's syntax, such as ``!timeline NAME [NAME]``."""
        return PREFIX.usage(self)

    def asking(self, query: str) -> Command:
        """This command with ``query`` as its example, for hints that say what to type."""
        return dataclasses.replace(self, example=f"!{self.name} {query}", slash_example=None)


@dataclass(frozen=True, slots=True)
class Syntax:
    """How the person asking types commands where they are: ``?who nozdrev`` with the
    configured prefix, or ``/who name:nozdrev``. Every hint and example follows it."""

    prefix: str = "!"
    slash: bool = False

    def command(self, name: str) -> str:
        """``!who`` or ``/who``."""
        return f"/{name}" if self.slash else f"{self.prefix}{name}"

    def example(self, spec: Command) -> str:
        """The command's example as typed here."""
        words = spec.example.removeprefix("!").split(maxsplit=1)
        rest = words[1] if len(words) > 1 else ""
        if not self.slash:
            return " ".join([self.command(spec.name), rest]).strip()
        if spec.slash_example is not None:
            return spec.slash_example
        values = bind(spec.params, rest, spec.usage, complete=False)
        options = [f"{p.name}:{values[p.name]}" for p in spec.params if p.name in values]
        return " ".join([self.command(spec.name), *options])

    def usage(self, spec: Command) -> str:
        """``!timeline NAME [NAME]`` or ``/timeline name:… [other:…]``."""
        if self.slash:
            args = [f"{p.name}:…" if p.required else f"[{p.name}:…]" for p in spec.params]
        else:
            args = [p.name.upper() if p.required else f"[{p.name.upper()}]" for p in spec.params]
        return " ".join([self.command(spec.name), *args])


PREFIX = Syntax()
"""Commands as typed with the default ``!`` prefix (and in the console and ``ask``)."""
SLASH = Syntax(slash=True)
"""Commands as Discord's slash form shows them."""

_SYNTAX: ContextVar[Syntax] = ContextVar("syntax", default=PREFIX)
"""The syntax of the command being answered, for the hints its answer gives."""

COMMANDS: dict[str, Command] = {}
"""Every lookup, by name, in the order ``!help`` lists them and Discord shows them."""


def command(
    name: str,
    summary: str,
    example: str,
    *params: Param,
    slash_example: str | None = None,
    opens: frozenset[str] = frozenset(),
    translations: tuple[Translation, ...] = (),
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the lookup ``name`` (see `Command` for the rest)."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(
            name, summary, example, params, handler, slash_example, opens, translations
        )
        return handler

    return register


def current_syntax() -> Syntax:
    """The syntax of the command being answered, for the hints a handler writes."""
    return _SYNTAX.get()


def opener(kind: str, *, own_card: bool = True) -> Command:
    """The lookup that opens a key of ``kind`` as a card.

    With ``own_card``, a lookup made for exactly that kind, when there is one (a
    dispute's own card); otherwise, or when there is none, the one that opens any
    key of its family: a source, or an entity of any kind.
    """
    if own_card:
        for spec in COMMANDS.values():
            if kind in spec.opens:
                return spec
    family = SOURCE_KIND if kind == SOURCE_KIND else ANY_ENTITY
    return next(spec for spec in COMMANDS.values() if family in spec.opens)


# ---------------------------------------------------------------------------
# Entry points


def answer(catalog: Catalog, text: str, syntax: Syntax = PREFIX) -> Answer:
    """Answer one typed command line such as ``!dispute kuril`` (the ``!`` is optional).

    Never raises for bad input: problems come back as an answer with status ``error``.
    """
    name, rest = "", text.strip()
    try:
        name, rest = parse(text, syntax)
        spec = COMMANDS[name]
        values = bind(spec.params, rest, syntax.usage(spec), complete=False)
        return run(catalog, name, *(values.get(param.name) for param in spec.params), syntax=syntax)
    except QueryError as error:
        return Answer(command=name, query=rest, status=Status.ERROR, notice=str(error))


def parse(text: str, syntax: Syntax = PREFIX) -> tuple[str, str]:
    """Split a command line into the command's name and the rest of the text."""
    stripped = text.strip()
    if stripped.startswith(syntax.prefix):
        stripped = stripped[len(syntax.prefix) :].lstrip()
    elif stripped.startswith("!"):
        stripped = stripped[1:].lstrip()
    if not stripped:
        example, listing = syntax.example(COMMANDS[FIRST_EXAMPLE]), syntax.command(HELP)
        raise QueryError(f"Type a command, for example `{example}`. `{listing}` lists them all.")
    word, *rest = stripped.split(maxsplit=1)
    name = word.casefold()
    if name not in COMMANDS:
        raise UnknownCommandError(_unknown_command_message(word, syntax))
    return name, rest[0] if rest else ""


def run(catalog: Catalog, name: str, *args: str | None, syntax: Syntax = PREFIX) -> Answer:
    """Run command ``name`` with its arguments already split, as slash commands give them;
    its hints are written in ``syntax``.

    Raises `QueryError` for an empty, overlong or malformed argument.
    """
    spec = COMMANDS[name]
    checked: list[str | None] = []
    for param, value in zip(spec.params, args, strict=False):
        if value is None or not value.strip():
            if param.required:
                wanted = param.name if param.name.endswith("s") else f"a {param.name}"
                raise QueryError(
                    f"`{syntax.command(name)}` needs {wanted}, "
                    f"for example `{syntax.example(spec)}`."
                )
            checked.append(None)
        else:
            # A long text (``!names`` over a whole message) is checked by its command.
            checked.append(value if param.type is Arg.LONG_TEXT else check_query(value))
    token = _SYNTAX.set(syntax)
    try:
        return spec.handler(catalog, *checked)
    finally:
        _SYNTAX.reset(token)


def check_query(text: str) -> str:
    """The query stripped of surrounding space, or `QueryError` if it cannot be looked up."""
    query = " ".join(text.split())
    if len(query) > MAX_QUERY:
        raise QueryError(
            f"That query is {len(query)} characters long; keep it to {MAX_QUERY} at most."
        )
    if any(is_control(char) for char in query):
        raise QueryError("That query contains control characters; type plain text.")
    if not any(char.isalnum() for char in query):
        raise QueryError("That query has no letters or digits to look up.")
    return query


def closest_command(word: str) -> str | None:
    """The command a mistyped command name meant: one typo away (a letter added, missing,
    changed or two swapped), so other bots' commands (``!mute``, ``!whois``) are not ours."""
    typed = word.casefold()
    near = [name for name in COMMANDS if OSA.distance(typed, name) <= 1]
    return min(near, key=lambda name: (OSA.distance(typed, name), name)) if near else None


def _unknown_command_message(word: str, syntax: Syntax) -> str:
    shown = word if len(word) <= 30 else word[:30] + "…"
    message = f"There is no command `{syntax.command(shown)}`."
    closest = closest_command(word)
    if closest is not None:
        message += f" Did you mean `{syntax.command(closest)}`?"
    return message + f" `{syntax.command(HELP)}` lists the commands."


__all__ = [
    "ANY_ENTITY",
    "COMMANDS",
    "HELP",
    "PREFIX",
    "SLASH",
    "Command",
    "Param",
    "Syntax",
    "Translation",
    "answer",
    "check_query",
    "closest_command",
    "command",
    "current_syntax",
    "opener",
    "parse",
    "run",
]
