"""A draft document as YAML with a comment before each record, which ``yaml.safe_load``
reads back as the same document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

HEADER = (
    "# A draft made from an article (docs/import-format.md). Nothing is in the store yet.\n"
    "# Review it: keep, drop or edit each fact, then import it.\n"
)


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def _record(record: Mapping[str, Any]) -> str:
    dumped = yaml.safe_dump(
        [dict(record)], sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return "".join(f"  {line}\n" for line in dumped.splitlines())


def document_yaml(
    document: Mapping[str, Sequence[Mapping[str, Any]]], notes: Mapping[str, Sequence[str]]
) -> str:
    """The document as YAML; notes[section][i] is the comment on record i of a section."""
    parts = [HEADER]
    for section in ("sources", "entities", "facts"):
        records = document.get(section, [])
        if not records:
            parts.append(f"\n{section}: []\n")
            continue
        parts.append(f"\n{section}:\n")
        comments = notes.get(section if section != "sources" else "source", [])
        for index, record in enumerate(records):
            if index < len(comments):
                parts.append(f"  {_comment(comments[index])}\n")
            parts.append(_record(record))
    return "".join(parts)
