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
    lines_on: tuple[range, ...] = ()
    """Which of the answer's ``lines`` each page shows, by index (a history's select
    offers the revisions of the page shown)."""
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
        # Every footnote on the page is named, the card's own article too when it is cited
        # beside another (a source card's [1] is its title; a fact may cite [2] as well).
        cited = {s.key: s for entry in chunk for s in entry.sources}
        if set(cited) <= {answer.source.key if answer.source else None}:
            cited = {}
        fields = list(related) if index == 0 else []
        if cited:
            shown = sorted(cited.values(), key=lambda source: numbers[source.key])
            lines = [_source_line(numbers[source.key], source) for source in shown]
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
    on_page = tuple(tuple(entry.fact for entry in chunk if entry.fact) for chunk in chunks)
    return Card(
        tuple(pages),
        answer.suggestions[:CHOICES],
        lines_on=_lines_on(answer, chunks),
        facts=on_page,
        query=answer.query,
    )


def _lines_on(answer: Answer, chunks: Sequence[Sequence[_Entry]]) -> tuple[range, ...]:
    """The indexes of answer's lines on each page (its facts come first, then its lines)."""
    spans, start = [], -len(answer.facts)
    for chunk in chunks:
        end = start + len(chunk)
        spans.append(range(max(start, 0), min(max(end, 0), len(answer.lines))))
        start = end
    return tuple(spans)


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
        names = [s.name for s in answer.suggestions]
        entries += [
            _Entry(f"{n}. **{escape_markdown(s.name)}** · {s.kind}" + _twin_key(s, names))
            for n, s in enumerate(answer.suggestions, start=1)
        ]
    return entries


def choice_label(choice: Suggestion, choices: tuple[Suggestion, ...]) -> str | None:
    """A "did you mean" button's label when the name alone would not tell it from another
    choice's: ``Georgia · place``, or ``Jake Sullivan · jake-sullivan-2`` when the kind is
    the same too; None when the name is enough."""
    twins = [other for other in choices if other.name == choice.name]
    if len(twins) < 2:
        return None
    if sum(other.kind == choice.kind for other in twins) > 1:
        return f"{choice.name} · {choice.key}"
    return f"{choice.name} · {choice.kind}"


def _twin_key(choice: Suggestion, names: list[str]) -> str:
    """`` · `key` `` for a choice whose name another choice has too, else nothing."""
    return f" · `{choice.key}`" if names.count(choice.name) > 1 else ""


def _fact_entry(fact: FactView, numbers: dict[str, int]) -> _Entry:
    marks = "".join(f"[{n}]" for n in sorted(numbers[source.key] for source in fact.sources))
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
