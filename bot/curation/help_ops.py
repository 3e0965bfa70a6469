"""``curate help``: the listing of every curation command (registered last, so it lists
the others first)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.answer import Answer
from bot.curation.operations import Desk, help_answer, operation


@operation(
    "help", "The curation commands, with their syntax.", "curate help", writes=False, slash=False
)
def help_(desk: Desk, values: Mapping[str, Any]) -> Answer:
    return help_answer()
