"""The registry of curation commands: what an operation declares, and how a line runs one.

``curate fact add``, ``curate undo`` and the rest are `Operation`s in
`OPERATIONS`, registered with `operation` by the handler modules
(`bot.curation.source_ops` and its siblings, imported by the package). The
Discord layer builds ``!curate …`` and ``/curate …`` from them and the
console runs them, so a new curation command is one decorated handler in one
of those modules: its words, parameters, view and form are declared there
and nowhere else. Handlers take already-read values and return an `Answer`
with status ``done``, ``pending`` (waiting for a confirmation) or ``error``;
they never raise for anything a curator can cause.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from bot.core.answer import Answer, Confirmation, Status
from bot.core.arguments import Arg, Param, UsageError, bind, flag, number
from bot.core.curation_line import PREFIX_WORD as PREFIX_WORD
from bot.core.curation_line import Memory as Memory
from bot.core.curation_line import is_curation as is_curation
from bot.curation.edits import CLEAR
from bot.curation.list_edits import ListEdit, parsed_list
from bot.errors import DiplobotError, ImportFileError, RecordError, StaleEditError
from bot.records.actor import Actor
from bot.store.db import Store

if TYPE_CHECKING:
    from bot.drafting import Known

REASON_MAX = 500
"""The longest reason a change may carry."""
STALE_TITLE = "Changed since you opened it"
"""The title of the answer to an edit refused because its record changed meanwhile."""
HELP_NOTICE = "Values with spaces go in double quotes; `-` clears an optional field."
"""What a listing of the curation commands says first."""

REASON = Param("reason", "Why: recorded with the change", required=False, type=Arg.TEXT)
"""The parameter every change takes last: why it was made."""


class Library(Protocol):
    """The part of `bot.library.Library` that curation uses: the store it writes to,
    a way to refresh what lookups read once it has, and what drafting an article needs."""

    @property
    def store(self) -> Store: ...

    def refresh(self) -> Any: ...

    def known_names(self) -> Known:
        """The store's names and keys, as the drafting engine links and avoids them."""
        ...

    @property
    def allow_private_urls(self) -> bool:
        """Whether an article's URL may reach loopback and private addresses."""
        ...


@dataclass(frozen=True, slots=True)
class Desk:
    """Where a curation command runs: the library it changes, who is acting, and what
    their session keeps between commands (None for a Discord curator)."""

    library: Library
    actor: Actor
    memory: Memory | None = None


Handler = Callable[[Desk, Mapping[str, Any]], Answer]


class View(enum.Enum):
    """How a front door shows an operation's answer beyond its card."""

    CARD = "card"
    """The answer's card, with page buttons when it is long."""
    HISTORY = "history"
    """A listing of revisions, with a select that shows one (the ``follow`` operation)."""
    REVISION = "revision"
    """One revision, with a button that undoes it (the ``follow`` operation)."""
    DRAFT = "draft"
    """An article draft to review (`Answer.draft`): its facts in pages, each kept, dropped
    or edited, and the kept ones imported with the ``follow`` operation."""


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of a form: its parameter, label, whether required, and longest value."""

    name: str
    label: str
    required: bool
    longest: int
    long: bool = False
    """Typed in several lines; it is never a slash option, only a form field."""


@dataclass(frozen=True, slots=True)
class Form:
    """The form (modal) an operation opens on Discord instead of taking its long text as
    an option.

    ``record`` is the kind of record, named by the parameter of the same name,
    whose stored values ``prefill`` turns into the form's fields (for an edit).
    """

    title: str
    fields: tuple[FormField, ...]
    record: str | None = None
    prefill: Callable[[Mapping[str, Any]], dict[str, str]] | None = None
    unless: frozenset[str] = frozenset()
    """Parameters that, given as slash options, run the operation without the form
    (``/curate article file:…`` needs no text pasted)."""

    @property
    def names(self) -> frozenset[str]:
        """The parameters typed in the form."""
        return frozenset(field.name for field in self.fields)

    @property
    def long(self) -> frozenset[str]:
        """The parameters typed only in the form, never as slash options."""
        return frozenset(field.name for field in self.fields if field.long)


GROUPS: dict[str, str] = {}
"""What each group of operations (``fact``, ``entity``…) is for, by its word."""


def group(word: str, summary: str) -> None:
    """Declare what the operations starting with word (``fact``) are for."""
    GROUPS[word] = summary


@dataclass(frozen=True, slots=True)
class Operation:
    """A curation command: its words, what it does, an example, its parameters and logic.

    ``view`` says how Discord shows its answer, and ``follow`` names the operation
    that view's select or button runs with a revision number. ``form`` is the form
    Discord opens for it; ``slash`` is False for one offered by prefix only.
    """

    path: tuple[str, ...]
    summary: str
    example: str
    params: tuple[Param, ...]
    handler: Handler
    writes: bool = True
    form: Form | None = None
    view: View = View.CARD
    follow: str | None = None
    slash: bool = True

    @property
    def name(self) -> str:
        """``fact add``."""
        return " ".join(self.path)

    @property
    def command(self) -> str:
        """``curate fact add``: the command its answers name."""
        return f"{PREFIX_WORD} {self.name}"

    @property
    def usage(self) -> str:
        """``curate fact add TEXT about:ABOUT source:SOURCE [date:DATE] …``."""
        return " ".join([PREFIX_WORD, *self.path, *(param.placeholder for param in self.params)])

    @property
    def group_help(self) -> str | None:
        """What its group is for, when it is in one (``fact add`` is in ``fact``)."""
        return GROUPS.get(self.path[0], self.path[0]) if len(self.path) == 2 else None


OPERATIONS: dict[str, Operation] = {}


@dataclass(frozen=True, slots=True)
class Syntax:
    """How the curator typed the command being answered, so the hints its answer gives can
    be typed as they are: ``curate undo 35`` in the console, ``!curate undo 35`` by
    prefix (``prefix``), ``/curate undo number:35`` by slash. (The lookups' own is
    `bot.answers.commands.Syntax`, which curation, beside `bot.answers`, cannot import.)"""

    prefix: str = ""
    slash: bool = False

    def command(self, name: str, *values: object, **named: object) -> str:
        """Operation ``name`` with values typed in order and named ones as ``name:value``;
        by slash, every value is an option named for its parameter."""
        if not self.slash:
            words = [*map(str, values), *(f"{key}:{value}" for key, value in named.items())]
            return " ".join([f"{self.prefix}{PREFIX_WORD} {name}", *words])
        spec = OPERATIONS[name]
        typed = [p.name for p in spec.params if not p.named and p.type is not Arg.FILE]
        options = {**dict(zip(typed, values, strict=False)), **named}
        return " ".join([f"/{PREFIX_WORD} {name}", *(f"{k}:{v}" for k, v in options.items())])


CONSOLE = Syntax()
"""Curation commands as the console and ``ask`` take them."""
SLASH = Syntax(slash=True)
"""Curation commands as Discord's slash form shows them."""
_SYNTAX: ContextVar[Syntax] = ContextVar("curation_syntax", default=CONSOLE)


def hint(name: str, *values: object, **named: object) -> str:
    """Operation ``name`` as a code span to copy, typed as the curator being answered typed
    theirs: ``hint("undo", 35)`` is `` `!curate undo 35` `` by prefix."""
    return f"`{_SYNTAX.get().command(name, *values, **named)}`"


def operation(
    path: str,
    summary: str,
    example: str,
    *params: Param,
    writes: bool = True,
    form: Form | None = None,
    view: View = View.CARD,
    follow: str | None = None,
    slash: bool = True,
) -> Callable[[Handler], Operation]:
    """Register the decorated function as the curation command ``path`` (``fact add``).

    The decorated name becomes the `Operation`, so its handler can name itself
    (``done(fact_add, …)``) without repeating its words.
    """

    def register(handler: Handler) -> Operation:
        words = tuple(path.split())
        spec = Operation(
            words, summary, example, params, handler, writes, form, view, follow, slash
        )
        OPERATIONS[path] = spec
        return spec

    return register


def follow_up(spec: Operation) -> Operation:
    """The operation spec's view runs with a revision number (its ``follow``)."""
    if spec.follow is None or spec.follow not in OPERATIONS:
        raise LookupError(f"curation operation {spec.name!r} names no operation to follow")
    return OPERATIONS[spec.follow]


# ---------------------------------------------------------------------------
# Entry points


def run(
    desk: Desk,
    name: str,
    values: Mapping[str, Any],
    *,
    version: int | None = None,
    syntax: Syntax = CONSOLE,
) -> Answer:
    """Run curation command ``name`` with values already split by parameter.

    Values may be text as typed (``"12"``, ``"yes"``, ``"japan, russia=actor"``)
    or already typed (an int, a bool, a ``(filename, bytes)`` pair). ``version``
    is the record's version when its curator opened it in a form; an edit is
    refused if it changed since. The answer's hints, and those of its
    confirmation, are written in ``syntax``. Never raises for anything a curator
    can cause: it comes back as an ``error`` answer.
    """
    token = _SYNTAX.set(syntax)
    try:
        answer = _run(desk, name, values, version)
    finally:
        _SYNTAX.reset(token)
    if answer.confirm is None:
        return answer
    apply = answer.confirm.apply

    def confirmed() -> Answer:
        token = _SYNTAX.set(syntax)
        try:
            return apply()
        finally:
            _SYNTAX.reset(token)

    return replace(answer, confirm=Confirmation(answer.confirm.label, confirmed))


def _run(desk: Desk, name: str, values: Mapping[str, Any], version: int | None) -> Answer:
    spec = OPERATIONS[name]
    try:
        converted = _convert(spec, values)
        if version is not None:
            converted["version"] = version
        answer = spec.handler(desk, converted)
    except RecordError as error:
        notice = sentence(error.headline)
        return Answer(spec.command, "", Status.ERROR, notice=notice, lines=tuple(error.problems))
    except StaleEditError as error:
        notice = f"{sentence(str(error))} Your draft was not saved; nothing was changed."
        return Answer(spec.command, "", Status.ERROR, notice=notice, title=STALE_TITLE)
    except ImportFileError as error:
        total = getattr(error, "total", len(error.problems))  # a long report lists the first
        head = f"{error.path}: {total:,} " + ("problem" if total == 1 else "problems")
        return Answer(
            spec.command,
            "",
            Status.ERROR,
            notice=f"{head}, nothing was imported.",
            lines=tuple(error.problems),
        )
    except DiplobotError as error:
        return Answer(spec.command, "", Status.ERROR, notice=sentence(str(error)))
    if answer.revisions and spec.writes:
        desk.library.refresh()
    return answer


def run_line(desk: Desk, text: str, *, syntax: Syntax = CONSOLE) -> Answer:
    """Run a typed curation line such as ``curate alias add japan Nippon`` (the leading
    ``!`` and ``curate`` are optional)."""
    name, rest = "", ""
    try:
        name, rest = parse(text)
        spec = OPERATIONS[name]
        return run(desk, name, bind(spec.params, rest, spec.usage), syntax=syntax)
    except UsageError as error:
        return Answer(f"{PREFIX_WORD} {name}".strip(), rest, Status.ERROR, notice=str(error))


def is_stale(answer: Answer) -> bool:
    """Whether answer refused an edit because the record changed since it was opened."""
    return answer.status is Status.ERROR and answer.title == STALE_TITLE


def parse(text: str) -> tuple[str, str]:
    """Split a curation line into the operation's name and the rest of the text."""
    body = text.strip().removeprefix("!").strip()
    first, _, after = body.partition(" ")
    if first.casefold() == PREFIX_WORD:
        body = after.strip()
    words = body.split()
    for size in (2, 1):
        name = " ".join(word.casefold() for word in words[:size])
        if len(words) >= size and name in OPERATIONS:
            rest = body.split(maxsplit=size)
            return name, rest[size] if len(rest) > size else ""
    raise UsageError(_unknown(" ".join(words[:2])))


def help_lines(prefix: str = "", group: str | None = None) -> tuple[str, ...]:
    """One line per curation command (of one group, if named): its usage, typed after
    prefix (``!``), and what it does."""
    return tuple(
        f"{prefix}{spec.usage}: {spec.summary}"
        for spec in OPERATIONS.values()
        if group is None or spec.path[0] == group
    )


def help_answer(prefix: str = "", group: str | None = None) -> Answer:
    """The listing of the curation commands (of one group, if named)."""
    return Answer(
        f"{PREFIX_WORD} help",
        "",
        Status.FOUND,
        title="Curation commands",
        notice=HELP_NOTICE,
        lines=help_lines(prefix, group),
    )


def sentence(text: str) -> str:
    """text as a sentence: capitalised, ending in a full stop unless it already ends one."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!", "”")) else text + "."


def _unknown(words: str) -> str:
    shown = words if len(words) <= 40 else words[:39] + "…"
    if not shown:
        return "Say what to curate, for example `curate history`. `curate help` lists the commands."
    return f"There is no curation command `curate {shown}`. `curate help` lists them."


def _convert(spec: Operation, values: Mapping[str, Any]) -> dict[str, Any]:
    """values by parameter, each in the shape the operations take (file-shaped lists,
    ints, bools); empty text counts as not given."""
    converted: dict[str, Any] = {}
    for param in spec.params:
        value = values.get(param.name)
        if isinstance(value, str):
            value = value.strip()
            if not value:
                value = None
        if value is None:
            if param.required:
                raise UsageError(f"`{param.name}` is missing. Usage: `{spec.usage}`")
            continue
        if param.name == REASON.name and len(str(value)) > REASON_MAX:
            raise UsageError(
                f"a reason is at most {REASON_MAX} characters; this one is {len(value)}"
            )
        converted[param.name] = _value(param, value)
    return converted


def _value(param: Param, value: Any) -> Any:
    if param.type is Arg.NUMBER:
        return value if isinstance(value, int) else number(param.name, str(value))
    if param.type is Arg.FLAG:
        return value if isinstance(value, bool) else flag(param.name, str(value))
    if param.type is Arg.FILE:
        if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bytes)):
            raise UsageError(f"attach the {param.name}; it cannot be typed")
        return value
    text = str(value)
    if text == CLEAR:
        return text
    if param.type in (Arg.ENTITIES, Arg.SOURCES):
        items = parsed_list(param.name, text)
        if isinstance(items, ListEdit) or param.name == "about":
            return items
        return items[0] if param.name == "source" and len(items) == 1 else items
    return text
