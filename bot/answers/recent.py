"""``!recent [NAME] [DAYS]``: the facts added or changed lately, newest first.

When a fact last changed comes from the revision log, which the catalog keeps for
the last `RECENT_DAYS` days (`Catalog.changed_at`); so asking reads no table.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.answers.cards import count_facts, unresolved
from bot.answers.catalog import RECENT_DAYS, Catalog
from bot.answers.commands import Translation, command, current_syntax
from bot.core.answer import Answer, EntityRef, Status
from bot.core.arguments import Arg, Param
from bot.errors import QueryError

NAME = "recent"
DEFAULT_DAYS = 7
"""How many days back ``!recent`` looks when not told."""
SHOWN = 200
"""At most this many facts are shown, the most recently changed (a large import can
change thousands in a day)."""


@command(
    NAME,
    f"Facts added or changed in the last days (default {DEFAULT_DAYS}), newest first.",
    "!recent japan 30",
    Param("name", "Only facts about this entity", required=False),
    Param(
        "days",
        f"How many days back, 1 to {RECENT_DAYS}",
        required=False,
        free_text=True,
        type=Arg.NUMBER,
    ),
    slash_example="/recent name:japan days:30",
    translations=(
        Translation(
            "ru",
            "новое",
            "Факты, добавленные или изменённые за последние дни, сначала новые.",
            {"name": ("название", "Только факты об этом объекте"), "days": ("дни", "Сколько дней")},
        ),
        Translation(
            "ja",
            "新着",
            "最近追加・変更された事実（新しい順）。",
            {"name": ("名前", "この項目に関する事実のみ"), "days": ("日数", "何日前まで")},
        ),
    ),
)
def recent(catalog: Catalog, name: str | None = None, days: str | None = None) -> Answer:
    name, days = _split_days(name, days)
    query = " ".join(part for part in (name, days) if part)
    span = _days(days)
    about: EntityRef | None = None
    if name is not None:
        resolution = catalog.resolve(name)
        if resolution.best is None:
            return unresolved(catalog, NAME, name, resolution, "entry", "entries")
        about = catalog.entity(resolution.best.entity).ref
    since = datetime.now(UTC) - timedelta(days=span)
    times = catalog.changed_at
    if about is not None:  # the entity's facts, in one read when facts stay in the store
        keys = [fact.key for fact in catalog.facts_about(about.key)]
    else:
        keys = list(times)
    changed = sorted(
        (key for key in keys if key in times and times[key] >= since),
        key=lambda key: (times[key], key),
        reverse=True,
    )
    facts = [catalog.facts[key] for key in changed[:SHOWN] if key in catalog.facts]
    period = "day" if span == 1 else f"{span} days"
    what = f" about {about.name}" if about is not None else ""
    title = f"New{what} in the last {period}"
    if not facts:
        notice = f"No fact{what} was added or changed in the last {period}."
        return Answer(NAME, query, Status.NOT_FOUND, title=title, entity=about, notice=notice)
    notice = f"{count_facts(len(changed))}{what} added or changed in the last {period}, "
    notice += "the most recently changed first"
    notice += f"; the latest {SHOWN} are shown." if len(changed) > SHOWN else "."
    return Answer(
        NAME, query, Status.FOUND, notice=notice, title=title, entity=about, facts=tuple(facts)
    )


def _split_days(name: str | None, days: str | None) -> tuple[str | None, str | None]:
    """A number typed last after a name is the days (``!recent japan 30``; ``!recent 30``)."""
    if days is None and name is not None:
        words = name.split()
        if words[-1].isdigit():
            return " ".join(words[:-1]) or None, words[-1]
    return name, days


def _days(days: str | None) -> int:
    """The number of days asked for, or `QueryError` when it is not 1 to `RECENT_DAYS`."""
    if days is None:
        return DEFAULT_DAYS
    typed = days.strip()
    if not typed.isdigit() or not 1 <= int(typed) <= RECENT_DAYS:
        shown = typed if len(typed) <= 20 else typed[:20] + "…"
        syntax = current_syntax()
        example = "/recent days:30" if syntax.slash else f"{syntax.command(NAME)} 30"
        raise QueryError(
            f"Days must be a whole number from 1 to {RECENT_DAYS}, not “{shown}”; "
            f"for example `{example}`."
        )
    return int(typed)
