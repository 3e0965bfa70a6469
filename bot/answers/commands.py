"""The lookup commands: each turns a typed query into an `Answer`.

Commands are registered once, here, with their help text and parameters; the
console, ``ask`` and the Discord layer all read `COMMANDS`, so a new command is
added in this module alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from contextvars import ContextVar
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from bot.answers.catalog import Catalog, chronological
from bot.core.answer import Answer, EntityRef, FactView, Related, Status, Suggestion
from bot.core.arguments import Arg, Param, bind
from bot.errors import QueryError, StoreError, UnknownCommandError
from bot.search.index import FOUND_MIN, Hit, Outcome, Resolution

MAX_QUERY = 200
"""Queries longer than this (in characters) are refused."""

PEOPLE = frozenset({"person", "organization"})

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Direction overrides and isolates, which can make echoed text read backwards."""


Handler = Callable[..., Answer]


@dataclass(frozen=True, slots=True)
class Command:
    """A lookup command: its name, what it does, an example, its arguments and its logic.

    ``example`` is written as typed with the ``!`` prefix; ``slash_example`` as
    the slash form shows it, when reading the example's words into the
    parameters would not give it (``/timeline name:japan other:russia``).
    """

    name: str
    summary: str
    example: str
    params: tuple[Param, ...]
    handler: Handler
    slash_example: str | None = None

    @property
    def usage(self) -> str:
        """The command's syntax, such as ``!timeline NAME [NAME]``."""
        return PREFIX.usage(self)


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


def command(
    name: str, summary: str, example: str, *params: Param, slash_example: str | None = None
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the command ``name``."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(name, summary, example, params, handler, slash_example)
        return handler

    return register


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
        example, listing = syntax.example(COMMANDS["who"]), syntax.command("help")
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
    if any(unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS for char in query):
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
    return message + f" `{syntax.command('help')}` lists the commands."


# ---------------------------------------------------------------------------
# Shared pieces


def _suggestions(catalog: Catalog, hits: Sequence[Hit]) -> tuple[Suggestion, ...]:
    suggestions = []
    for hit in hits:
        if hit.entity in catalog.entities:
            ref = catalog.entity(hit.entity).ref
            suggestions.append(Suggestion(ref.key, ref.kind, ref.name, hit.score))
        elif hit.entity in catalog.sources:
            source = catalog.sources[hit.entity]
            suggestions.append(Suggestion(source.key, "source", source.title, hit.score))
    return tuple(suggestions)


def _unresolved(
    catalog: Catalog, name: str, query: str, resolution: Resolution, what: str, whats: str = ""
) -> Answer:
    """The answer for a query that did not name exactly one thing (``whats``: plural of what)."""
    suggestions = _suggestions(catalog, resolution.candidates)
    if resolution.outcome is Outcome.AMBIGUOUS:
        notice = f"“{query}” could mean several {whats or what + 's'}. Did you mean one of these?"
        return Answer(name, query, Status.AMBIGUOUS, notice=notice, suggestions=suggestions)
    notice = f"No {what} in the store matches “{query}”."
    if suggestions:
        notice += " The nearest are listed below."
    return Answer(name, query, Status.NOT_FOUND, notice=notice, suggestions=suggestions)


def _facts(count: int) -> str:
    return f"{count} fact" if count == 1 else f"{count} facts"


def _refs(catalog: Catalog, keys: Collection[str]) -> tuple[EntityRef, ...]:
    return tuple(catalog.entity(key).ref for key in keys)


def _entity_card(
    catalog: Catalog, name: str, query: str, key: str, *, newest_first: bool, notice: str = ""
) -> Answer:
    """A card for one entity: summary, related entities, and its facts."""
    record = catalog.entity(key)
    related = []
    if record.parties:
        related.append(Related("Parties", _refs(catalog, record.parties)))
    if record.areas:
        related.append(Related("Disputed areas", _refs(catalog, record.areas)))
    disputes = catalog.disputes_of(key)
    if disputes:
        related.append(Related("Disputes", _refs(catalog, disputes)))
    facts = chronological(catalog.facts_about(key), newest_first=newest_first)
    return Answer(
        name,
        query,
        Status.FOUND,
        notice=notice,
        title=record.ref.name,
        entity=record.ref,
        facts=tuple(facts),
        related=tuple(related),
    )


# ---------------------------------------------------------------------------
# The commands


@command(
    "who",
    "Who a person or organisation is, and their key facts, newest first.",
    "!who nozdrev",
    Param("name", "A person or organisation", kinds=PEOPLE),
)
def who(catalog: Catalog, name: str) -> Answer:
    resolution = catalog.resolve(name, PEOPLE)
    if resolution.outcome is Outcome.FOUND and resolution.best:
        return _entity_card(catalog, "who", name, resolution.best.entity, newest_first=True)
    if resolution.outcome is Outcome.NOT_FOUND:
        pointer = _elsewhere(catalog, "who", name, "a person or organisation")
        if pointer is not None:
            return pointer
    return _unresolved(
        catalog, "who", name, resolution, "person or organisation", "people or organisations"
    )


_KIND_NAMES = {
    "person": "a person",
    "organization": "an organisation",
    "country": "a country",
    "place": "a place",
    "dispute": "a dispute",
}


def _elsewhere(catalog: Catalog, command: str, query: str, wanted: str) -> Answer | None:
    """When query names entities of other kinds than the command shows, say so and give
    the commands that answer them (``!dispute kuril``, ``!about kuril``); None otherwise."""
    found = catalog.resolve(query)
    hits = [found.best] if found.best else [hit for hit in found.candidates if hit.sure]
    if found.outcome is Outcome.NOT_FOUND or not hits:
        return None
    syntax = _SYNTAX.get()
    kinds = list(dict.fromkeys(hit.kind for hit in hits))
    about = f"`{syntax.example(_spec_with('about', query))}`"
    tries = [about]
    if "dispute" in kinds or any(catalog.disputes_of(hit.entity) for hit in hits):
        tries.insert(0, f"`{syntax.example(_spec_with('dispute', query))}`")
    if found.best is not None:
        ref = catalog.entity(found.best.entity).ref
        what = _KIND_NAMES.get(ref.kind)
        head = f"{ref.name} is {what}, not {wanted}" if what else f"{ref.name} is not {wanted}"
    else:
        named = " and ".join(_KIND_NAMES.get(kind, "something else") for kind in kinds)
        head = f"“{query}” names {named}, not {wanted}"
    return Answer(
        command,
        query,
        Status.NOT_FOUND,
        notice=f"{head}: try {' or '.join(tries)}.",
        suggestions=_suggestions(catalog, hits),
    )


def _spec_with(name: str, query: str) -> Command:
    """Command ``name`` with query as its example, for hints that say what to type."""
    spec = COMMANDS[name]
    return Command(spec.name, spec.summary, f"!{name} {query}", spec.params, spec.handler)


@command(
    "dispute",
    "A dispute's parties, disputed areas and facts in date order. Name it, an area or its parties.",
    "!dispute kuril",
    Param("name", "A dispute, a disputed area, or the parties", kinds=None),
)
def dispute(catalog: Catalog, name: str) -> Answer:
    resolution = catalog.resolve(name)
    # Candidates that all lead to the same single dispute ("kuril": the islands and
    # the dispute over them) are not really ambiguous.
    if resolution.outcome is not Outcome.NOT_FOUND:
        hits = [resolution.best] if resolution.best else list(resolution.candidates)
        routes = {hit.entity: _disputes_via(catalog, hit.entity) for hit in hits if hit}
        reachable = {d for disputes in routes.values() for d in disputes}
        if len(reachable) == 1:
            return _dispute_card(catalog, name, reachable.pop())
        if resolution.best is not None:
            member = resolution.best.entity
            if not reachable:
                ref = catalog.entity(member).ref
                return Answer(
                    "dispute",
                    name,
                    Status.NOT_FOUND,
                    notice=f"No dispute in the store involves {ref.name}.",
                    suggestions=_suggestions(catalog, [resolution.best]),
                )
            return _dispute_list(catalog, name, member, routes[member])
    parties = _split_names(catalog, name)
    if parties:
        shared = set(catalog.disputes_of(parties[0]))
        for key in parties[1:]:
            shared &= set(catalog.disputes_of(key))
        ordered = [d for d in catalog.disputes_of(parties[0]) if d in shared]
        if len(ordered) == 1:
            return _dispute_card(catalog, name, ordered[0])
        if ordered:
            return _dispute_list(catalog, name, None, tuple(ordered))
        names = " and ".join(catalog.entity(key).ref.name for key in parties)
        return Answer(
            "dispute",
            name,
            Status.NOT_FOUND,
            notice=f"No dispute in the store involves both {names}.",
        )
    disputes_only = catalog.resolve(name, {"dispute"})
    return _unresolved(
        catalog,
        "dispute",
        name,
        disputes_only if disputes_only.candidates else resolution,
        "dispute",
    )


def _disputes_via(catalog: Catalog, key: str) -> tuple[str, ...]:
    if catalog.entity(key).ref.kind == "dispute":
        return (key,)
    return catalog.disputes_of(key)


def _dispute_card(catalog: Catalog, query: str, key: str) -> Answer:
    return _entity_card(catalog, "dispute", query, key, newest_first=False)


def _dispute_list(
    catalog: Catalog, query: str, member: str | None, keys: tuple[str, ...]
) -> Answer:
    refs = _refs(catalog, keys)
    who = catalog.entity(member).ref if member else None
    subject = who.name if who else "These parties"
    return Answer(
        "dispute",
        query,
        Status.FOUND,
        notice=f"{subject} {'is' if who else 'are'} involved in {len(refs)} disputes.",
        title=f"Disputes involving {who.name}" if who else "Disputes",
        entity=who,
        related=(Related("Disputes", refs),),
        suggestions=tuple(Suggestion(r.key, r.kind, r.name, 100.0) for r in refs),
    )


_NAME_SEPARATORS = re.compile(r"\s*(?:,|&|\+|/|\||;|\band\b|\bvs\.?|\bversus\b)\s*", re.IGNORECASE)


def _split_names(catalog: Catalog, text: str, count: int | None = None) -> list[str] | None:
    """Read text as several entity names ("russia japan", "japan and russia").

    Explicit separators are tried first, then every way of cutting the words into
    consecutive names. Returns the entity keys when every part is found, else None.
    """
    parts = [part for part in _NAME_SEPARATORS.split(text) if part]
    if len(parts) > 1:
        keys = [_found(catalog, part) for part in parts]
        return (
            [k for k in keys if k] if all(keys) and (count is None or len(keys) == count) else None
        )
    words = text.split()
    best: tuple[float, list[str]] | None = None
    for cut in range(1, len(words)):
        left, right = " ".join(words[:cut]), " ".join(words[cut:])
        hits = [catalog.resolve(left), catalog.resolve(right)]
        if all(h.best for h in hits):
            worst = min(h.best.score for h in hits if h.best)
            if best is None or worst > best[0]:
                best = (worst, [h.best.entity for h in hits if h.best])
    return best[1] if best else None


def _found(catalog: Catalog, text: str) -> str | None:
    resolution = catalog.resolve(text)
    return resolution.best.entity if resolution.best else None


@command(
    "about",
    "Anything in the store, whatever its kind: summary, links and facts, newest first.",
    "!about iturup",
    Param("name", "Any person, organisation, country, place or dispute"),
)
def about(catalog: Catalog, name: str) -> Answer:
    resolution = catalog.resolve(name)
    if resolution.outcome is Outcome.FOUND and resolution.best:
        return _entity_card(catalog, "about", name, resolution.best.entity, newest_first=True)
    return _unresolved(catalog, "about", name, resolution, "entry", "entries")


@command(
    "search",
    "Facts whose text or subjects match the words, best first.",
    "!search patriot missiles",
    Param("words", "Words to look for in the facts", free_text=True),
)
def search(catalog: Catalog, words: str) -> Answer:
    try:
        hits = catalog.search_facts(words)
    except StoreError as error:
        notice = f"Search is unavailable right now ({error}); try again shortly."
        return Answer("search", words, Status.ERROR, notice=notice)
    if not hits:
        return Answer("search", words, Status.NOT_FOUND, notice=f"No fact matches “{words}”.")
    count = len(hits)
    return Answer(
        "search",
        words,
        Status.FOUND,
        notice=f"Found {_facts(count)} matching “{words}”.",
        title=f"Facts matching “{words}”",
        facts=tuple(hit.fact for hit in hits),
    )


@command(
    "timeline",
    "Facts about one entity, or about two together, in date order.",
    "!timeline japan russia",
    Param("name", "An entity"),
    Param("other", "A second entity, for facts about both", required=False),
    slash_example="/timeline name:japan other:russia",
)
def timeline(catalog: Catalog, name: str, other: str | None = None) -> Answer:
    query = f"{name} / {other}" if other else name
    if other is not None:
        first, second = catalog.resolve(name), catalog.resolve(other)
        for side, text in ((first, name), (second, other)):
            if side.best is None:
                return _unresolved(catalog, "timeline", text, side, "entry", "entries")
        keys = [first.best.entity, second.best.entity]  # type: ignore[union-attr]
    else:
        whole = catalog.resolve(name)
        if whole.best is not None:
            keys = [whole.best.entity]
        else:
            split = _split_names(catalog, name, count=2)
            if split is None or len(split) != 2:
                return _unresolved(catalog, "timeline", name, whole, "entry", "entries")
            keys = split
    refs = _refs(catalog, dict.fromkeys(keys))
    facts: Sequence[FactView] = catalog.facts_about(refs[0].key)
    if len(refs) == 2:
        facts = [f for f in facts if any(e.key == refs[1].key for e in f.about)]
    title = " and ".join(ref.name for ref in refs)
    if not facts:
        return Answer(
            "timeline",
            query,
            Status.NOT_FOUND,
            title=f"Timeline: {title}",
            entity=refs[0],
            notice=f"The store has no facts about {title}{' together' if len(refs) == 2 else ''}.",
        )
    return Answer(
        "timeline",
        query,
        Status.FOUND,
        notice=f"{_facts(len(facts))} about {title}, oldest first.",
        title=f"Timeline: {title}",
        entity=refs[0],
        facts=tuple(chronological(facts)),
        related=(Related("About", refs),) if len(refs) == 2 else (),
    )


@command(
    "source",
    "An article's citation and the facts taken from it.",
    "!source russia warns japan",
    Param("name", "An article's title or key", names_sources=True),
)
def source(catalog: Catalog, name: str) -> Answer:
    resolution = catalog.resolve_source(name)
    if resolution.outcome is not Outcome.FOUND or resolution.best is None:
        return _unresolved(catalog, "source", name, resolution, "source")
    ref = catalog.sources[resolution.best.entity]
    facts = chronological(catalog.facts_from(ref.key))
    return Answer(
        "source",
        name,
        Status.FOUND,
        notice=f"{_facts(len(facts))} taken from this article.",
        title=ref.title,
        source=ref,
        facts=tuple(facts),
    )


@command("help", "The commands, with an example of each.", "!help")
def help_(catalog: Catalog) -> Answer:
    syntax = _SYNTAX.get()
    lines = tuple(
        f"{syntax.usage(spec)}: {spec.summary} Example: {syntax.example(spec)}"
        for spec in COMMANDS.values()
    )
    return Answer(
        "help",
        "",
        Status.FOUND,
        title="diplobot commands",
        notice="Names may be misspelt, partial, or in another script.",
        lines=lines,
    )


__all__ = [
    "COMMANDS",
    "FOUND_MIN",
    "Command",
    "Param",
    "answer",
    "check_query",
    "closest_command",
    "parse",
    "run",
]

# Commands defined in modules of their own register themselves when imported.
from bot.answers import names as _names  # noqa: E402, F401
