"""Answers drawn as Discord embeds: one page, or several when the answer is long."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import discord
from discord.utils import escape_markdown

from bot.chat import limits
from bot.chat.limits import Field
from bot.core.answer import Answer, FactView, SourceRef, Status, Suggestion

ENTRIES_PER_PAGE = 8
"""At most this many facts (or list entries) on one page."""
PAGE_BODY = 2400
"""Characters of facts or list entries on one page, leaving room for the rest."""
HEAD = 700
"""Characters of summary and notice at the top of each page."""
FACT_TEXT = 700
"""A longer fact is clipped to this many characters."""
RELATED_FIELD = 500
"""Characters of names in one related-entities field."""
CHOICES = 5
"""At most this many "did you mean" candidates get a button."""

_COLOURS = {
    Status.FOUND: discord.Colour.blurple(),
    Status.AMBIGUOUS: discord.Colour.gold(),
    Status.NOT_FOUND: discord.Colour.light_grey(),
    Status.ERROR: discord.Colour.red(),
    Status.DONE: discord.Colour.green(),
    Status.PENDING: discord.Colour.orange(),
}


@dataclass(frozen=True, slots=True)
class Card:
    """An answer ready to send: its pages, and the suggestions offered as buttons."""

    pages: tuple[discord.Embed, ...]
    choices: tuple[Suggestion, ...]
    facts: tuple[tuple[str, ...], ...] = ()
    """The keys of the facts each page shows (for a correction suggested on a page)."""
    query: str = ""
    """What the answer was asked for, which can draw it again when it has no key."""


@dataclass(frozen=True, slots=True)
class _Entry:
    text: str
    sources: tuple[SourceRef, ...] = ()
    fact: str | None = None


def render(answer: Answer) -> Card:
    """Draw an answer as embeds within Discord's limits, split into pages when long."""
    numbers = {source.key: n for n, source in enumerate(answer.sources, start=1)}
    head = limits.clip("\n\n".join(_head(answer)), HEAD)
    chunks = _paginate(_entries(answer, numbers))
    related = _related_fields(answer)
    pages = []
    for index, chunk in enumerate(chunks):
        body = "\n".join(entry.text for entry in chunk)
        cited = {s.key: s for entry in chunk for s in entry.sources if s != answer.source}
        fields = list(related) if index == 0 else []
        if cited:
            lines = [_source_line(numbers[key], source) for key, source in cited.items()]
            fields.append(Field("Sources", limits.join_within(lines, limits.FIELD_VALUE)))
        footer = _footer(answer, index, len(chunks))
        pages.append(
            limits.make_embed(
                title=escape_markdown(answer.title) if _is_curation(answer) else answer.title,
                description="\n\n".join(part for part in (head, body) if part),
                url=answer.source.url if answer.source else None,
                colour=_COLOURS[answer.status],
                fields=fields,
                footer=footer,
            )
        )
    shown = tuple(tuple(entry.fact for entry in chunk if entry.fact) for chunk in chunks)
    return Card(tuple(pages), answer.suggestions[:CHOICES], shown, answer.query)


_CODE_SPAN = re.compile(r"(`[^`\n]+`)")


def escape_outside_code(text: str) -> str:
    """text with markup escaped everywhere but in code spans, where Discord shows it as
    typed anyway: ``Added the alias '*x*'. `curate undo 35` reverts it.``"""
    parts = _CODE_SPAN.split(text)
    return "".join(part if index % 2 else escape_markdown(part) for index, part in enumerate(parts))


def _is_curation(answer: Answer) -> bool:
    return answer.command.startswith("curate ")


def _is_card(answer: Answer) -> bool:
    return answer.entity is not None and answer.title == answer.entity.name


def _head(answer: Answer) -> list[str]:
    parts = []
    if _is_card(answer) and answer.entity and answer.entity.summary:
        parts.append(answer.entity.summary)
    if answer.source:
        day = answer.source.published_day
        when = f"published {day}" if day else ""
        outlet = answer.source.outlet
        parts.append(", ".join(p for p in (outlet, when) if p) if outlet else when.capitalize())
    if answer.notice:
        # The notice may quote the query; what a person typed must not become markup
        # (a masked link such as [Free Nitro](https://…) posted by the bot). A curation
        # notice quotes what curators typed anywhere in it, so all of it is escaped.
        if _is_curation(answer):
            parts.append(escape_outside_code(answer.notice))
        else:
            quoted = answer.query and answer.notice.replace(
                answer.query, escape_markdown(answer.query)
            )
            parts.append(quoted or answer.notice)
    return [part for part in parts if part]


def _entries(answer: Answer, numbers: dict[str, int]) -> list[_Entry]:
    entries = [_fact_entry(fact, numbers) for fact in answer.facts]
    # Lines may quote what curators typed (a diff, a history entry): never markup.
    entries += [_Entry(f"• {escape_markdown(line)}") for line in answer.lines]
    if not answer.facts:
        entries += [
            _Entry(f"{n}. **{escape_markdown(s.name)}** · {s.kind}")
            for n, s in enumerate(answer.suggestions, start=1)
        ]
    return entries


def _fact_entry(fact: FactView, numbers: dict[str, int]) -> _Entry:
    marks = "".join(f"[{numbers[source.key]}]" for source in fact.sources)
    text = limits.clip(fact.text, FACT_TEXT)
    return _Entry(f"**{fact.date or 'undated'}** — {text} {marks}".rstrip(), fact.sources, fact.key)


def _paginate(entries: Sequence[_Entry]) -> list[list[_Entry]]:
    pages: list[list[_Entry]] = [[]]
    size = 0
    for entry in entries:
        page = pages[-1]
        if page and (len(page) >= ENTRIES_PER_PAGE or size + 1 + len(entry.text) > PAGE_BODY):
            page = []
            pages.append(page)
            size = 0
        page.append(entry)
        size += len(entry.text) + 1
    return pages


def _related_fields(answer: Answer) -> list[Field]:
    listed = {s.key for s in answer.suggestions} if not answer.facts else set()
    fields = []
    for related in answer.related:
        if {entity.key for entity in related.entities} == listed:
            continue
        names = [escape_markdown(entity.name) for entity in related.entities]
        fields.append(Field(related.label, limits.join_within(names, RELATED_FIELD, ", "), True))
    return fields


def _source_line(number: int, source: SourceRef) -> str:
    title = escape_markdown(source.title)
    named = f"[{title}]({source.url})" if source.url else title
    details = [source.outlet or ""]
    if source.published_day:
        details.append(source.published_day)
    extra = ", ".join(d for d in details if d)
    return f"[{number}] {named}" + (f" — {extra}" if extra else "")


def _footer(answer: Answer, index: int, count: int) -> str:
    parts = []
    if _is_card(answer) and answer.entity:
        parts.append(answer.entity.kind)
    if count > 1:
        parts.append(f"Page {index + 1}/{count}")
    return " · ".join(parts)
