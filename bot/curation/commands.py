"""The curation commands: each one declared once, here, with its parameters and logic.

``curate fact add``, ``curate undo`` and the rest are `Operation`s in
`OPERATIONS`. The Discord layer builds ``!curate …`` and ``/curate …`` from
them and the console runs them, so a new curation command is added in this
module alone. Handlers take already-read values and return an `Answer` with
status ``done``, ``pending`` (waiting for a confirmation) or ``error``; they
never raise for anything a curator can cause.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.core.answer import Answer, Attachment, Confirmation, Status
from bot.core.arguments import Arg, Param, UsageError, bind, flag, number, split_list, subjects
from bot.curation import edits, history
from bot.curation.files import ATTACHMENT_MAX_BYTES, read_bytes
from bot.curation.safe_yaml import dump_yaml
from bot.curation.transfer import ImportReport, export_document, load_data
from bot.curation.writer import Change
from bot.errors import DiplobotError, ImportFileError, RecordError, StaleEditError
from bot.records.actor import Actor
from bot.store.db import Store
from bot.store.models import Kind

PREFIX_WORD = "curate"
"""The word every curation command line starts with: ``curate fact add …``."""
IMPORT_MAX_BYTES = ATTACHMENT_MAX_BYTES
"""The largest file ``curate import`` takes as an attachment: 8 MiB."""
PREVIEW_CHANGES = 10
"""How many of an import's changes its preview lists."""
HISTORY_LIMIT = 500
"""How many revisions a history listing reaches back."""
REASON_MAX = 500
"""The longest reason a change may carry."""
STALE_TITLE = "Changed since you opened it"
"""The title of the answer to an edit refused because its record changed meanwhile."""


class Shelf(Protocol):
    """The store curation writes to, and a way to refresh what lookups read."""

    @property
    def store(self) -> Store: ...

    def refresh(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class Desk:
    """Where a curation command runs: the store's holder and who is acting."""

    shelf: Shelf
    actor: Actor


Handler = Callable[[Desk, Mapping[str, Any]], Answer]


@dataclass(frozen=True, slots=True)
class Operation:
    """A curation command: its words, what it does, an example, its parameters and logic.

    ``form`` names the long-text parameter that Discord asks for in a form
    (modal) rather than as a slash option; ``record`` the kind of record whose
    stored values prefill that form.
    """

    path: tuple[str, ...]
    summary: str
    example: str
    params: tuple[Param, ...]
    handler: Handler
    writes: bool = True
    form: str | None = None
    record: str | None = None

    @property
    def name(self) -> str:
        """``fact add``."""
        return " ".join(self.path)

    @property
    def usage(self) -> str:
        """``curate fact add TEXT about:ABOUT source:SOURCE [date:DATE] …``."""
        return " ".join([PREFIX_WORD, *self.path, *(param.placeholder for param in self.params)])


OPERATIONS: dict[str, Operation] = {}


def operation(
    path: str,
    summary: str,
    example: str,
    *params: Param,
    writes: bool = True,
    form: str | None = None,
    record: str | None = None,
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the curation command ``path`` (``fact add``)."""

    def register(handler: Handler) -> Handler:
        words = tuple(path.split())
        OPERATIONS[path] = Operation(words, summary, example, params, handler, writes, form, record)
        return handler

    return register


# ---------------------------------------------------------------------------
# Entry points


def run(desk: Desk, name: str, values: Mapping[str, Any], *, version: int | None = None) -> Answer:
    """Run curation command ``name`` with values already split by parameter.

    Values may be text as typed (``"12"``, ``"yes"``, ``"japan, russia=actor"``)
    or already typed (an int, a bool, a ``(filename, bytes)`` pair). ``version``
    is the record's version when its curator opened it in a form; an edit is
    refused if it changed since. Never raises for anything a curator can cause:
    it comes back as an ``error`` answer.
    """
    spec = OPERATIONS[name]
    command = f"{PREFIX_WORD} {name}"
    try:
        converted = _convert(spec, values)
        if version is not None:
            converted["version"] = version
        answer = spec.handler(desk, converted)
    except RecordError as error:
        notice = _sentence(error.headline)
        return Answer(command, "", Status.ERROR, notice=notice, lines=tuple(error.problems))
    except StaleEditError as error:
        notice = f"{_sentence(str(error))} Your draft was not saved; nothing was changed."
        return Answer(command, "", Status.ERROR, notice=notice, title=STALE_TITLE)
    except ImportFileError as error:
        total = getattr(error, "total", len(error.problems))  # a long report lists the first
        head = f"{error.path}: {total:,} " + ("problem" if total == 1 else "problems")
        return Answer(
            command,
            "",
            Status.ERROR,
            notice=f"{head}, nothing was imported.",
            lines=tuple(error.problems),
        )
    except DiplobotError as error:
        return Answer(command, "", Status.ERROR, notice=_sentence(str(error)))
    if answer.revisions and spec.writes:
        desk.shelf.refresh()
    return answer


def run_line(desk: Desk, text: str) -> Answer:
    """Run a typed curation line such as ``curate alias add japan Nippon`` (the leading
    ``!`` and ``curate`` are optional)."""
    name, rest = "", ""
    try:
        name, rest = parse(text)
        spec = OPERATIONS[name]
        return run(desk, name, bind(spec.params, rest, spec.usage))
    except UsageError as error:
        return Answer(f"{PREFIX_WORD} {name}".strip(), rest, Status.ERROR, notice=str(error))


def is_stale(answer: Answer) -> bool:
    """Whether answer refused an edit because the record changed since it was opened."""
    return answer.status is Status.ERROR and answer.title == STALE_TITLE


def is_curation(text: str) -> bool:
    """Whether a typed line is a curation command (starts with ``curate``)."""
    words = text.strip().lstrip("!").split(maxsplit=1)
    return bool(words) and words[0].casefold() == PREFIX_WORD


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


def _confirmed(desk: Desk, command: str, work: Callable[[], Answer]) -> Answer:
    """Carry out a confirmed change: its answer, with lookups refreshed, or the error."""
    try:
        answer = work()
    except ImportFileError as error:
        return Answer(
            command,
            "",
            Status.ERROR,
            notice=_sentence(str(error).split("\n")[0]),
            lines=tuple(error.problems),
        )
    except DiplobotError as error:
        return Answer(command, "", Status.ERROR, notice=_sentence(str(error)))
    if answer.revisions:
        desk.shelf.refresh()
    return answer


def help_lines() -> tuple[str, ...]:
    """One line per curation command: its usage and what it does."""
    return tuple(f"{spec.usage}: {spec.summary}" for spec in OPERATIONS.values())


def _unknown(words: str) -> str:
    shown = words if len(words) <= 40 else words[:39] + "…"
    if not shown:
        return "Say what to curate, for example `curate history`. `curate help` lists the commands."
    return f"There is no curation command `curate {shown}`. `curate help` lists them."


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!", "”")) else text + "."


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
        if param.name == "reason" and len(str(value)) > REASON_MAX:
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
    if text == edits.CLEAR:
        return text
    if param.type is Arg.ENTITIES and param.name == "about":
        return subjects(text)
    if param.type in (Arg.ENTITIES, Arg.SOURCES):
        items = split_list(text)
        return items[0] if param.name == "source" and len(items) == 1 else items
    return text


def _done(name: str, done: edits.Done) -> Answer:
    """The answer for a finished change: what it did, its revisions and its diff."""
    notice = done.summary
    if len(done.revisions) == 1:
        notice += f" Revision #{done.revisions[0]}; `curate undo {done.revisions[0]}` reverts it."
    elif done.revisions:
        first, last = done.revisions[0], done.revisions[-1]
        notice += f" Revisions #{first}–#{last}; `curate undo {first}` reverts them all."
    return Answer(
        f"{PREFIX_WORD} {name}",
        "",
        Status.DONE,
        notice=notice,
        title=_title(done.changes),
        lines=tuple(change_lines(done.changes)),
        revisions=done.revisions,
    )


def _title(changes: tuple[Change, ...]) -> str:
    if len(changes) == 1:
        change = changes[0]
        verb = {"create": "Added", "update": "Changed", "delete": "Deleted"}[change.action]
        return f"{verb} {change.target_type} '{change.key}'"
    return f"{len(changes)} records changed" if changes else "Nothing changed"


def change_lines(changes: tuple[Change, ...] | list[Change], limit: int = 60) -> list[str]:
    """Readable lines for changes: the diff of a single one, a line per record for several."""
    if len(changes) == 1:
        return history.diff(changes[0].before, changes[0].after)
    lines = []
    for change in changes[:limit]:
        verb = {"create": "added", "update": "changed", "delete": "deleted"}[change.action]
        detail = history.diff(change.before, change.after) if change.action == "update" else []
        shown = f" ({'; '.join(detail[:3])})" if detail else ""
        lines.append(f"{verb} {change.target_type} '{change.key}'{shown}")
    if len(changes) > limit:
        lines.append(f"… and {len(changes) - limit} more")
    return lines


def _fields(values: Mapping[str, Any], *names: str) -> dict[str, Any]:
    return {name: values[name] for name in names if name in values}


_REASON = Param("reason", "Why: recorded with the change", required=False, type=Arg.TEXT)
_KINDS = tuple(kind.value for kind in Kind)


# ---------------------------------------------------------------------------
# Sources


@operation(
    "source add",
    "Add an article facts can cite.",
    'curate source add ria-2024-03 "Nozdrev interview" outlet:"RIA Novosti" published:2024-03-20',
    Param("key", "The new source's key, like ria-2024-03", type=Arg.KEY),
    Param("title", "The article's headline", type=Arg.TEXT),
    Param("outlet", "The publication", required=False, type=Arg.TEXT),
    Param("url", "Where it can be read (http or https)", required=False, type=Arg.TEXT),
    Param(
        "published", "When: 2024-03-24 or 2024-03-24T06:21:00-04:00", required=False, type=Arg.DATE
    ),
    _REASON,
)
def source_add(desk: Desk, values: Mapping[str, Any]) -> Answer:
    raw = _fields(values, "key", "title", "outlet", "url", "published")
    done = edits.add_source(desk.shelf.store, desk.actor, raw, reason=values.get("reason"))
    return _done("source add", done)


@operation(
    "source edit",
    "Correct a source's title, outlet, url or publication time (- clears a field).",
    'curate source edit ria-2024-03 outlet:"RIA Novosti"',
    Param("source", "The source's key", type=Arg.SOURCE),
    Param("title", "The article's headline", required=False, type=Arg.TEXT),
    Param("outlet", "The publication", required=False, type=Arg.TEXT),
    Param("url", "Where it can be read", required=False, type=Arg.TEXT),
    Param("published", "When it was published", required=False, type=Arg.DATE),
    _REASON,
)
def source_edit(desk: Desk, values: Mapping[str, Any]) -> Answer:
    done = edits.edit_source(
        desk.shelf.store,
        desk.actor,
        values["source"],
        _fields(values, "title", "outlet", "url", "published"),
        version=values.get("version"),
        reason=values.get("reason"),
    )
    return _done("source edit", done)


# ---------------------------------------------------------------------------
# Entities


@operation(
    "entity add",
    "Add a person, organisation, country, place, dispute or other entity.",
    'curate entity add yoko-kamikawa person "Yoko Kamikawa" summary:"Japan\'s foreign minister."',
    Param("key", "The new entity's key, like yoko-kamikawa", type=Arg.KEY),
    Param("kind", "What it is", type=Arg.CHOICE, choices=_KINDS),
    Param("name", "The name cards show", type=Arg.TEXT),
    Param("summary", "One or two sentences from the sources", required=False, type=Arg.TEXT),
    Param("wikidata", "Its Wikidata id, like Q17", required=False, type=Arg.TEXT),
    _REASON,
)
def entity_add(desk: Desk, values: Mapping[str, Any]) -> Answer:
    raw = _fields(values, "key", "kind", "name", "summary", "wikidata")
    done = edits.add_entity(desk.shelf.store, desk.actor, raw, reason=values.get("reason"))
    return _done("entity add", done)


@operation(
    "entity edit",
    "Correct an entity's kind, name, summary or Wikidata id (- clears a field).",
    'curate entity edit japan summary:"Island country in East Asia."',
    Param("entity", "The entity's key", type=Arg.ENTITY),
    Param("kind", "What it is", required=False, type=Arg.CHOICE, choices=_KINDS),
    Param("name", "The name cards show", required=False, type=Arg.TEXT),
    Param("summary", "One or two sentences from the sources", required=False, type=Arg.TEXT),
    Param("wikidata", "Its Wikidata id, like Q17", required=False, type=Arg.TEXT),
    _REASON,
)
def entity_edit(desk: Desk, values: Mapping[str, Any]) -> Answer:
    done = edits.edit_entity(
        desk.shelf.store,
        desk.actor,
        values["entity"],
        _fields(values, "kind", "name", "summary", "wikidata"),
        version=values.get("version"),
        reason=values.get("reason"),
    )
    return _done("entity edit", done)


@operation(
    "entity links",
    "Set a dispute's parties and disputed areas (each list replaces the one stored).",
    "curate entity links kuril-islands-dispute parties:russia,japan areas:iturup,kunashir",
    Param("dispute", "The dispute's key", type=Arg.ENTITY, kinds=frozenset({"dispute"})),
    Param("parties", "Its parties' keys, separated by commas", required=False, type=Arg.ENTITIES),
    Param(
        "areas", "Its disputed areas' keys, separated by commas", required=False, type=Arg.ENTITIES
    ),
    _REASON,
)
def entity_links(desk: Desk, values: Mapping[str, Any]) -> Answer:
    changes = {
        name: [] if values[name] == edits.CLEAR else values[name]
        for name in ("parties", "areas")
        if name in values
    }
    if not changes:
        raise UsageError(
            "give parties:, areas: or both. Usage: `" + OPERATIONS["entity links"].usage + "`"
        )
    done = edits.edit_entity(
        desk.shelf.store, desk.actor, values["dispute"], changes, reason=values.get("reason")
    )
    return _done("entity links", done)


@operation(
    "entity merge",
    "Merge a duplicate into the entity kept: its names, facts and links move over, "
    "and its key keeps naming the one kept.",
    "curate entity merge yoko-kamikawa kamikawa",
    Param("keep", "The entity that stays", type=Arg.ENTITY),
    Param("other", "The duplicate merged into it", type=Arg.ENTITY),
    _REASON,
)
def entity_merge(desk: Desk, values: Mapping[str, Any]) -> Answer:
    done = edits.merge_entities(
        desk.shelf.store, desk.actor, values["keep"], values["other"], reason=values.get("reason")
    )
    return _done("entity merge", done)


@operation(
    "entity delete",
    "Delete an entity no fact names (with_facts:yes deletes its facts too, after a confirmation).",
    "curate entity delete kamikawa",
    Param("entity", "The entity's key", type=Arg.ENTITY),
    Param("with_facts", "Also delete the facts about it", required=False, type=Arg.FLAG),
    _REASON,
)
def entity_delete(desk: Desk, values: Mapping[str, Any]) -> Answer:
    key, reason = values["entity"], values.get("reason")
    store = desk.shelf.store
    if not values.get("with_facts"):
        return _done("entity delete", edits.delete_entity(store, desk.actor, key, reason=reason))
    facts = edits.facts_naming(store, key)
    if not facts:
        return _done("entity delete", edits.delete_entity(store, desk.actor, key, reason=reason))

    def apply() -> Answer:
        return _confirmed(
            desk,
            "curate entity delete",
            lambda: _done(
                "entity delete",
                edits.delete_entity(store, desk.actor, key, with_facts=True, reason=reason),
            ),
        )

    return Answer(
        "curate entity delete",
        "",
        Status.PENDING,
        title=f"Delete '{key}' and {edits.count(len(facts), 'fact')}?",
        notice=(
            f"Deleting entity '{key}' also deletes {edits.count(len(facts), 'fact')} about it. "
            "Confirm to go on."
        ),
        lines=tuple(f"fact '{fact}'" for fact in facts[:25])
        + ((f"… and {len(facts) - 25} more",) if len(facts) > 25 else ()),
        confirm=Confirmation("Delete", apply),
    )


# ---------------------------------------------------------------------------
# Aliases


@operation(
    "alias add",
    "Give an entity another name people look it up by, in a language when known.",
    "curate alias add japan 日本国 lang:ja",
    Param("entity", "The entity's key", type=Arg.ENTITY),
    Param("text", "The other name", type=Arg.TEXT),
    Param("lang", "Its language code, like ru or ja", required=False, type=Arg.TEXT),
    _REASON,
)
def alias_add(desk: Desk, values: Mapping[str, Any]) -> Answer:
    done = edits.add_alias(
        desk.shelf.store,
        desk.actor,
        values["entity"],
        values["text"],
        values.get("lang"),
        reason=values.get("reason"),
    )
    return _done("alias add", done)


@operation(
    "alias remove",
    "Take one of an entity's other names away.",
    "curate alias remove japan Nihon",
    Param("entity", "The entity's key", type=Arg.ENTITY),
    Param("text", "The name to remove", type=Arg.TEXT),
    _REASON,
)
def alias_remove(desk: Desk, values: Mapping[str, Any]) -> Answer:
    done = edits.remove_alias(
        desk.shelf.store, desk.actor, values["entity"], values["text"], reason=values.get("reason")
    )
    return _done("alias remove", done)


# ---------------------------------------------------------------------------
# Facts


@operation(
    "fact add",
    "Add a sourced fact about one or more entities.",
    "curate fact add about:nikolai-nozdrev=actor,japan "
    "source:russia-warns-japan-patriots-2024-03-24 "
    "date:2024-03 Nozdrev warned Japan.",
    Param("text", "The statement, close to the source's wording", type=Arg.LONG_TEXT),
    Param(
        "about",
        "Entity keys, each optionally =role: japan,nikolai-nozdrev=actor",
        type=Arg.ENTITIES,
        named=True,
    ),
    Param("source", "The source key(s) it cites", type=Arg.SOURCES, named=True),
    Param("date", "When it happened: YYYY, YYYY-MM or YYYY-MM-DD", required=False, type=Arg.DATE),
    Param("type", "An event type, like threaten", required=False, type=Arg.TEXT),
    Param("key", "Its key (derived from text and date if left out)", required=False, type=Arg.KEY),
    _REASON,
    form="text",
)
def fact_add(desk: Desk, values: Mapping[str, Any]) -> Answer:
    raw = _fields(values, "key", "text", "date", "type", "about", "source")
    done = edits.add_fact(desk.shelf.store, desk.actor, raw, reason=values.get("reason"))
    return _done("fact add", done)


@operation(
    "fact edit",
    "Correct a fact's text, date, subjects, sources or type (- clears date or type).",
    "curate fact edit japan-agreed-to-supply-patriots date:2023-12",
    Param("fact", "The fact's key", type=Arg.FACT),
    Param("text", "The statement", required=False, type=Arg.LONG_TEXT),
    Param(
        "about", "Entity keys, each optionally =role", required=False, type=Arg.ENTITIES, named=True
    ),
    Param("source", "The source key(s) it cites", required=False, type=Arg.SOURCES, named=True),
    Param("date", "When it happened: YYYY, YYYY-MM or YYYY-MM-DD", required=False, type=Arg.DATE),
    Param("type", "An event type, like threaten", required=False, type=Arg.TEXT),
    _REASON,
    form="text",
    record="fact",
)
def fact_edit(desk: Desk, values: Mapping[str, Any]) -> Answer:
    done = edits.edit_fact(
        desk.shelf.store,
        desk.actor,
        values["fact"],
        _fields(values, "text", "date", "about", "source", "type"),
        version=values.get("version"),
        reason=values.get("reason"),
    )
    return _done("fact edit", done)


@operation(
    "fact delete",
    "Delete a fact.",
    "curate fact delete kamikawa-spoke-ce9876",
    Param("fact", "The fact's key", type=Arg.FACT),
    _REASON,
)
def fact_delete(desk: Desk, values: Mapping[str, Any]) -> Answer:
    done = edits.delete_fact(
        desk.shelf.store, desk.actor, values["fact"], reason=values.get("reason")
    )
    return _done("fact delete", done)


# ---------------------------------------------------------------------------
# Files


@operation(
    "import",
    "Import a .yaml or .json file in the import format: checked, previewed, "
    "and applied once confirmed.",
    'curate import reason:"March 2024 coverage"',
    Param("file", "A .yaml or .json file in diplobot's import format", type=Arg.FILE),
    _REASON,
)
def import_file(desk: Desk, values: Mapping[str, Any]) -> Answer:
    filename, data = values["file"]
    if len(data) > IMPORT_MAX_BYTES:
        raise ImportFileError(
            filename, [f"the file is {len(data):,} bytes; at most {IMPORT_MAX_BYTES:,} are taken"]
        )
    raw = read_bytes(filename, data)
    reason = values.get("reason")
    preview = load_data(desk.shelf.store, raw, filename, desk.actor, reason=reason, dry_run=True)
    counts = "; ".join(preview.describe(name) for name in ("created", "updated", "unchanged"))
    if not preview.changed:
        return Answer(
            "curate import",
            "",
            Status.DONE,
            title=f"Nothing to import from {filename}",
            notice=f"{filename} matches the store already ({counts}); nothing was changed.",
        )

    def apply() -> Answer:
        return _confirmed(
            desk,
            "curate import",
            lambda: _imported(
                load_data(desk.shelf.store, raw, filename, desk.actor, reason=reason)
            ),
        )

    return Answer(
        "curate import",
        "",
        Status.PENDING,
        title=f"Import {filename}?",
        notice=f"Importing {filename} would make these changes: {counts}. Confirm to apply it.",
        lines=tuple(change_lines(preview.changes, PREVIEW_CHANGES)),
        confirm=Confirmation("Import", apply),
    )


def _imported(report: ImportReport) -> Answer:
    counts = "; ".join(report.describe(name) for name in ("created", "updated", "unchanged"))
    first = report.revisions[0] if report.revisions else None
    undo = f" `curate undo {first}` reverts it." if first is not None else ""
    return Answer(
        "curate import",
        "",
        Status.DONE,
        title=f"Imported {report.origin}",
        notice=f"Imported {report.origin}: {counts}.{undo}",
        lines=tuple(change_lines(report.changes, PREVIEW_CHANGES)),
        revisions=tuple(report.revisions),
    )


@operation(
    "export",
    "The whole store as a YAML file in the import format.",
    "curate export",
    writes=False,
)
def export(desk: Desk, values: Mapping[str, Any]) -> Answer:
    document = export_document(desk.shelf.store)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    nouns = {"sources": "source", "entities": "entity", "facts": "fact"}
    counts = ", ".join(
        edits.count(len(records), nouns[section], section) for section, records in document.items()
    )
    return Answer(
        "curate export",
        "",
        Status.DONE,
        title="Export",
        notice=f"The whole store: {counts}.",
        attachment=Attachment(f"diplobot-{stamp}.yaml", dump_yaml(document).encode()),
    )


# ---------------------------------------------------------------------------
# History


@operation(
    "history",
    "The latest changes, newest first; name a record to see only its own.",
    "curate history japan",
    Param("record", "An entity's, source's or fact's key", required=False, type=Arg.RECORD),
    writes=False,
)
def history_(desk: Desk, values: Mapping[str, Any]) -> Answer:
    key = values.get("record")
    entries = history.history(desk.shelf.store, key, limit=HISTORY_LIMIT)
    title = f"History of '{key}'" if key else "History"
    if not entries:
        notice = f"No revision touched '{key}'." if key else "The store has no revisions yet."
        return Answer("curate history", key or "", Status.NOT_FOUND, title=title, notice=notice)
    many = "s" if len(entries) != 1 else ""
    return Answer(
        "curate history",
        key or "",
        Status.FOUND,
        title=title,
        notice=f"{len(entries)} revision{many}, newest first. `curate revision N` shows one.",
        lines=tuple(entry.line() for entry in entries),
        listed=tuple(entry.number for entry in entries),
    )


@operation(
    "revision",
    "One revision: who, where, when, why, and what it changed.",
    "curate revision 12",
    Param("number", "The revision's number", type=Arg.NUMBER),
    writes=False,
)
def revision(desk: Desk, values: Mapping[str, Any]) -> Answer:
    detail = history.revision(desk.shelf.store, values["number"])
    entry = detail.entry
    notice = entry.line()
    if detail.batch_size > 1:
        notice += (
            f" (one of {detail.batch_size} revisions made together; "
            f"`curate undo {entry.number}` reverts them all)"
        )
    return Answer(
        "curate revision",
        str(entry.number),
        Status.FOUND,
        title=f"Revision {entry.number}: {entry.what}",
        notice=notice,
        lines=detail.diff,
        listed=(entry.number,),
    )


@operation(
    "undo",
    "Revert a revision exactly (with the others made together with it), as a new revision.",
    'curate undo 12 reason:"wrong date"',
    Param("number", "The revision's number", type=Arg.NUMBER),
    _REASON,
)
def undo(desk: Desk, values: Mapping[str, Any]) -> Answer:
    done = history.undo(desk.shelf.store, desk.actor, values["number"], reason=values.get("reason"))
    return _done("undo", done)


@operation("help", "The curation commands, with their syntax.", "curate help", writes=False)
def help_(desk: Desk, values: Mapping[str, Any]) -> Answer:
    return Answer(
        "curate help",
        "",
        Status.FOUND,
        title="Curation commands",
        notice="Values with spaces go in double quotes; `-` clears an optional field.",
        lines=help_lines(),
    )


__all__ = [
    "OPERATIONS",
    "PREFIX_WORD",
    "Desk",
    "Operation",
    "change_lines",
    "is_curation",
    "parse",
    "run",
    "run_line",
]
