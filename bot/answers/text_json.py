"""Answers as terminal text and as JSON: the renderers that know nothing of Discord."""

from __future__ import annotations

import textwrap
from typing import Any

from bot.core.answer import Answer, FactView, SourceRef

_WIDTH = 88


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
        out += [f"  {s.name} ({s.kind}, {s.score:.0f}%)" for s in answer.suggestions]
    if answer.facts:
        numbers = {source.key: n for n, source in enumerate(answer.sources, start=1)}
        out += ["", "Facts:"]
        for fact in answer.facts:
            out += _fact_lines(fact, numbers)
        if not answer.source:
            out += ["", "Sources:"]
            for source, n in zip(answer.sources, numbers.values(), strict=True):
                out += _wrap(f"[{n}] {source.citation()}", indent="  ", hang="      ")
                if source.url:
                    out.append(f"      {source.url}")
    return "\n".join(out).strip("\n")


def _wrap(text: str, indent: str = "", hang: str | None = None) -> list[str]:
    return textwrap.wrap(
        text, _WIDTH, initial_indent=indent, subsequent_indent=hang if hang is not None else indent
    ) or [""]


def _fact_lines(fact: FactView, numbers: dict[str, int]) -> list[str]:
    marks = "".join(f"[{numbers[s.key]}]" for s in fact.sources)
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
