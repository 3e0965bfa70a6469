"""Answers as terminal text and as JSON: the renderers that know nothing of Discord."""

from __future__ import annotations

import re
import textwrap
from typing import Any

from bot.core.answer import Answer, FactView, SourceRef, Suggestion

_WIDTH = 88
_CODE_SPAN = re.compile(r"`[^`\n]+`")
_KEPT_SPACE = "\ue000"
"""Stands in for a space inside a code span while a line is wrapped, so that the span
(a command to copy) is never split across lines."""


def as_text(answer: Answer) -> str:
    """A readable plain-text card: heading, summary, related entities, dated facts, sources."""
    out: list[str] = []
    if answer.title:
        kind = (
            f"  ({answer.entity.kind})"
            if answer.entity and answer.title == answer.entity.name
            else ""
        )
        out += [f"{answer.title}{kind}", "=" * min(len(answer.title) + len(kind), _WIDTH)]
    if answer.notice:
        out += _wrap(answer.notice)
    if answer.entity and answer.entity.summary and answer.title == answer.entity.name:
        out += _wrap(answer.entity.summary)
    if answer.source:
        out += _source_lines(answer.source)
    for related in answer.related:
        names = ", ".join(entity.name for entity in related.entities)
        out += _wrap(f"{related.label}: {names}")
    if answer.lines:
        out += ["", *(line for text in answer.lines for line in _wrap(text, indent="  "))]
    if answer.suggestions and not answer.related:
        out += [""] if answer.status == "ambiguous" else ["", "Nearest:"]
        out += [f"  {_choice(s, answer.suggestions)}" for s in answer.suggestions]
    if answer.facts:
        numbers = {source.key: n for n, source in enumerate(answer.sources, start=1)}
        out += ["", "Facts:"]
        for fact in answer.facts:
            out += _fact_lines(fact, numbers)
        # A source card names its article above, as [1]; the facts may cite others too.
        out += ["", "Sources:"]
        for source, n in zip(answer.sources, numbers.values(), strict=True):
            out += _wrap(f"[{n}] {source.citation()}", indent="  ", hang="      ")
            if source.url:
                out.append(f"      {source.url}")
    return "\n".join(out).strip("\n")


def _wrap(text: str, indent: str = "", hang: str | None = None) -> list[str]:
    """text wrapped to the terminal's width, breaking only at spaces: a key, a URL or a
    hyphenated word is never split, nor is a command in backquotes, so all can be copied."""
    kept = _CODE_SPAN.sub(lambda span: span.group().replace(" ", _KEPT_SPACE), text)
    lines = textwrap.wrap(
        kept,
        _WIDTH,
        initial_indent=indent,
        subsequent_indent=hang if hang is not None else indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(_KEPT_SPACE, " ") for line in lines] or [""]


def _choice(choice: Suggestion, choices: tuple[Suggestion, ...]) -> str:
    """``Alpha (place, 95%)``; with its key when another choice has the same name, so the
    two can be told apart: ``Jake Sullivan (person, jake-sullivan-2, 90%)``."""
    twins = sum(other.name == choice.name for other in choices) > 1
    key = f", {choice.key}" if twins else ""
    return f"{choice.name} ({choice.kind}{key}, {choice.score:.0f}%)"


def _fact_lines(fact: FactView, numbers: dict[str, int]) -> list[str]:
    marks = "".join(f"[{n}]" for n in sorted(numbers[s.key] for s in fact.sources))
    date = fact.date or "undated"
    return _wrap(f"{date:<10}  {fact.text} {marks}", indent="  ", hang=" " * 14)


def _source_lines(source: SourceRef) -> list[str]:
    lines = _wrap(f"Source: {source.citation()}")
    if source.url:
        lines.append(f"URL: {source.url}")
    return lines


def as_json(answer: Answer) -> dict[str, Any]:
    """The public ``ask --json`` shape; fields are only ever added, never renamed."""
    return {
        "command": answer.command,
        "query": answer.query,
        "status": answer.status.value,
        "message": as_text(answer),
        "notice": answer.notice,
        "title": answer.title,
        "entity": answer.entity.to_json() if answer.entity else None,
        "source": answer.source.to_json() if answer.source else None,
        "suggestions": [s.to_json() for s in answer.suggestions],
        "related": [r.to_json() for r in answer.related],
        "facts": [f.to_json() for f in answer.facts],
        "sources": [s.to_json() for s in answer.sources],
        "lines": list(answer.lines),
        "revisions": list(answer.revisions),
        "attachment": answer.attachment.to_json() if answer.attachment else None,
        "draft": answer.draft,
    }
